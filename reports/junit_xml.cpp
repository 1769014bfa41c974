#include "reports/junit_xml.h"

#include <cstdlib>
#include <vector>

#include <fmt/format.h>

#include "reports/results_doc.h"
#include "reports/text_escape.h"

namespace ksim::reports {

namespace {

constexpr std::size_t kTopCauses = 3;

struct TestCase {
  std::string name;
  std::string classname;
  // inconclusive: a <failure type="Inconclusive">; a run that did not complete is no pass.
  enum class Result { passed, failed, inconclusive, error, skipped } result = Result::passed;
  std::string message;  // failure/error/skipped message attribute
  std::string text;     // failure body
};

// Counters named by a guarantee ("no loss", "no duplicates", "no loss and no duplicates").
std::vector<std::string> guarded_counters(const std::string& guarantee) {
  std::vector<std::string> counters;
  if (guarantee.find("no loss") != std::string::npos) counters.push_back("lost");
  if (guarantee.find("duplicates") != std::string::npos) counters.push_back("duplicated");
  return counters;
}

// Counters, top causes and replay of one mode: what a reader needs to start debugging.
std::string mode_details(const nlohmann::json& scenario, const std::string& mode) {
  std::string text = fmt::format("mode {} over {} runs:", mode, mode_runs(scenario, mode).size());
  for (const char* counter : {"produced", "acknowledged", "delivered", "lost", "duplicated", "reordered"}) {
    text += fmt::format(" {}={}", counter, counter_sum(scenario, mode, counter));
  }
  text += "\n";
  for (const char* key : {"lost_by_cause", "duplicated_by_cause"}) {
    const std::vector<CauseCount> causes = cause_totals(scenario, mode, key);
    if (causes.empty()) continue;
    text += fmt::format("{}:", key);
    for (std::size_t i = 0; i < causes.size() && i < kTopCauses; ++i) {
      text += fmt::format(" {}={}", causes[i].cause, causes[i].count);
    }
    text += "\n";
  }
  return text;
}

TestCase expectation_case(const nlohmann::json& scenario, const std::string& classname, const nlohmann::json& e) {
  TestCase test;
  test.classname = classname;
  test.name = fmt::format("{}: {} {} ({})", text_at(e, "mode"), text_at(e, "counter"), text_at(e, "bound"),
                          text_at(e, "quantifier"));
  if (!has_bool(e, "held")) {
    test.result = TestCase::Result::error;
    test.message = "the results document has no verdict for this expectation";
    return test;
  }
  if (e["held"].get<bool>()) return test;
  if (expectation_verdict(e) == "inconclusive") {
    test.result = TestCase::Result::inconclusive;
    test.message = fmt::format("inconclusive: {} run(s) stopped at a bound before the drain completed; seed {}: {}",
                               text_at(e, "inconclusive_seeds", "?"), text_at(e, "inconclusive_seed", "?"),
                               text_at(e, "inconclusive_reason"));
    test.text = test.message + "\n" + mode_details(scenario, text_at(e, "mode"));
    if (const std::string replay = text_at(e, "replay"); !replay.empty()) test.text += "replay: " + replay + "\n";
    return test;
  }
  test.result = TestCase::Result::failed;
  test.message = fmt::format("{} {} expected, observed {}", text_at(e, "counter"), text_at(e, "bound"),
                             text_at(e, "observed", "?"));
  if (const std::string seed = text_at(e, "failing_seed"); !seed.empty()) test.message += " on seed " + seed;
  test.text = test.message + fmt::format(" ({} seeds checked)\n", text_at(e, "seeds_checked", "?"));
  test.text += mode_details(scenario, text_at(e, "mode"));
  if (const std::string replay = text_at(e, "replay"); !replay.empty()) test.text += "replay: " + replay + "\n";
  return test;
}

// Whether the scenario's expectations for `mode` require a violation of `guarantee`.
bool violation_expected(const nlohmann::json& scenario, const std::string& mode, const std::string& guarantee) {
  for (const auto& e : array_at(scenario, "expectations")) {
    if (text_at(e, "mode") != mode || !bound_expects_positive(text_at(e, "bound"))) continue;
    for (const std::string& counter : guarded_counters(guarantee)) {
      if (text_at(e, "counter") == counter) return true;
    }
  }
  return false;
}

// Nothing broke the guarantee, but some runs stopped at a bound: no verdict, so no pass.
TestCase inconclusive_guarantee_case(const nlohmann::json& scenario, const std::string& mode, TestCase test) {
  test.result = TestCase::Result::inconclusive;
  test.message = fmt::format("guarantee \"{}\" inconclusive: {} of {} runs stopped at a bound before the drain completed",
                             mode_guarantee(scenario, mode), inconclusive_runs(scenario, mode), mode_runs(scenario, mode).size());
  test.text = test.message + "\n" + mode_details(scenario, mode);
  for (const nlohmann::json* run : mode_runs(scenario, mode)) {
    if (run_verdict(*run) != "inconclusive") continue;
    test.text += fmt::format("seed {}: {}; replay: {}\n", text_at(*run, "seed", "?"), text_at(*run, "inconclusive_reason"),
                             text_at(*run, "replay"));
    break;
  }
  return test;
}

TestCase guarantee_case(const nlohmann::json& scenario, const std::string& classname, const std::string& mode) {
  const std::string guarantee = mode_guarantee(scenario, mode);
  TestCase test;
  test.classname = classname;
  test.name = fmt::format("{}: guarantee {}", mode, guarantee);
  if (violation_expected(scenario, mode, guarantee)) {
    test.result = TestCase::Result::skipped;
    test.message = "not expected to hold in this scenario";
    return test;
  }
  const std::uint64_t broken = guarantee_broken_runs(scenario, mode);
  if (broken == 0 && inconclusive_runs(scenario, mode) > 0) return inconclusive_guarantee_case(scenario, mode, std::move(test));
  if (broken == 0) return test;
  test.result = TestCase::Result::failed;
  test.message = fmt::format("guarantee \"{}\" broken on {} of {} runs", guarantee, broken, mode_runs(scenario, mode).size());
  test.text = test.message + "\n" + mode_details(scenario, mode);
  for (const nlohmann::json* run : mode_runs(scenario, mode)) {
    if (has_bool(*run, "guarantee_held") && !(*run)["guarantee_held"].get<bool>()) {
      test.text += fmt::format("first broken seed {}; replay: {}\n", text_at(*run, "seed", "?"), text_at(*run, "replay"));
      break;
    }
  }
  return test;
}

// Kafka's own promises (the safety invariants of sim/check/invariants.h where its
// configuration and faults did not void them): never skipped, a scenario cannot expect
// them broken.
TestCase kafka_promises_case(const std::string& classname, const nlohmann::json& scenario, const std::string& mode) {
  TestCase test;
  test.classname = classname;
  test.name = fmt::format("{}: Kafka's safety promises", mode);
  for (const nlohmann::json* run : mode_runs(scenario, mode)) {
    if (count_at(*run, "kafka_promises_broken") == 0) continue;
    test.result = TestCase::Result::failed;
    test.message = fmt::format("kafka_promises_broken {} on seed {}", count_at(*run, "kafka_promises_broken"),
                               text_at(*run, "seed", "?"));
    test.text = fmt::format("{}\nreplay: {}\n", test.message, text_at(*run, "replay"));
    break;
  }
  return test;
}

std::vector<TestCase> scenario_cases(const nlohmann::json& scenario) {
  const std::string classname = "ksim." + text_at(scenario, "name", "unnamed");
  std::vector<TestCase> cases;
  for (const auto& e : array_at(scenario, "expectations")) cases.push_back(expectation_case(scenario, classname, e));
  for (const std::string& mode : scenario_modes(scenario)) {
    if (!mode_guarantee(scenario, mode).empty()) cases.push_back(guarantee_case(scenario, classname, mode));
    cases.push_back(kafka_promises_case(classname, scenario, mode));
  }
  return cases;
}

struct Tally {
  std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  void add(const TestCase& test) {
    ++tests;
    failures += test.result == TestCase::Result::failed || test.result == TestCase::Result::inconclusive ? 1 : 0;
    errors += test.result == TestCase::Result::error ? 1 : 0;
    skipped += test.result == TestCase::Result::skipped ? 1 : 0;
  }
  // <testsuites> has no "skipped" attribute in the junit-10 shape; <testsuite> does.
  std::string attributes(bool with_skipped) const {
    return fmt::format("tests=\"{}\" failures=\"{}\" errors=\"{}\"{} time=\"0\"", tests, failures, errors,
                       with_skipped ? fmt::format(" skipped=\"{}\"", skipped) : std::string());
  }
};

void write_case(std::string& out, const TestCase& test) {
  out += fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"0\"", xml_escape(test.name), xml_escape(test.classname));
  switch (test.result) {
    case TestCase::Result::passed:
      out += "/>\n";
      return;
    case TestCase::Result::skipped:
      out += fmt::format(">\n      <skipped message=\"{}\"/>\n", xml_escape(test.message));
      break;
    case TestCase::Result::error:
      out += fmt::format(">\n      <error message=\"{}\" type=\"NotJudged\"/>\n", xml_escape(test.message));
      break;
    case TestCase::Result::failed:
    case TestCase::Result::inconclusive:
      out += fmt::format(">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n", xml_escape(test.message),
                         test.result == TestCase::Result::failed ? "ExpectationFailed" : "Inconclusive", xml_escape(test.text));
      break;
  }
  out += "    </testcase>\n";
}

}  // namespace

bool bound_expects_positive(const std::string& bound) {
  std::size_t i = bound.find_first_not_of(' ');
  if (i == std::string::npos) return false;
  std::string op;
  while (i < bound.size() && (bound[i] == '>' || bound[i] == '<' || bound[i] == '=' || bound[i] == '!')) op += bound[i++];
  const double value = std::strtod(bound.c_str() + i, nullptr);
  if (op == ">") return value >= 0;
  if (op == ">=" || op == "==" || op == "=") return value > 0;
  return false;
}

std::string render_junit_xml(const nlohmann::json& results) {
  require_results_schema(results);
  std::string suites;
  Tally all;
  for (const auto& scenario : array_at(results, "scenarios")) {
    const std::vector<TestCase> cases = scenario_cases(scenario);
    Tally tally;
    for (const TestCase& test : cases) {
      tally.add(test);
      all.add(test);
    }
    suites += fmt::format("  <testsuite name=\"{}\" {}>\n", xml_escape(text_at(scenario, "name", "unnamed")), tally.attributes(true));
    for (const TestCase& test : cases) write_case(suites, test);
    suites += "  </testsuite>\n";
  }
  return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"ksim {}\" {}>\n{}</testsuites>\n",
                     xml_escape(text_at(results, "command", "run")), all.attributes(false), suites);
}

}  // namespace ksim::reports
