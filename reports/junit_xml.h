#pragma once
// junit.xml: the results document as JUnit XML (the Jenkins/Ant "junit-10.xsd" shape that
// CI systems read). One <testsuite> per scenario; one <testcase> per expectation, plus
// one per (mode, guarantee) saying whether every run of the mode kept its promise.
//
// A guarantee testcase is <skipped> when the scenario's own expectations say the
// guarantee is meant to break there (an expectation of that mode that requires a counter
// the guarantee covers to be above zero, e.g. `lost: "> 0"` under "no loss"): such a
// scenario demonstrates the failure, and a red test for it would be noise.
#include <string>

#include <nlohmann/json.hpp>

namespace ksim::reports {

// Throws std::runtime_error on a document that is not "ksim-results" v1.
std::string render_junit_xml(const nlohmann::json& results);

// Whether an expectation bound (e.g. "> 0", ">= 3", "== 2") requires a value above zero.
bool bound_expects_positive(const std::string& bound);

}  // namespace ksim::reports
