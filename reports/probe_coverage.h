#pragma once
// Coverage probes in the results document (sim/history/probes.h lists them): per run an
// object of the probes it hit ("probes": {"unclean_election": 2}); per scenario and for the
// whole document a coverage table over the runs that carry probes: for every probe in the
// fixed list the sum of its hits and the runs that hit it, and the probes never hit.
// Statistics of which model paths ran, never verdicts: nothing here feeds a counter or an
// exit code.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/history/probes.h"

namespace ksim::reports {

// A run's probes as {name: count}, the probes it did not hit left out.
nlohmann::json probes_to_json(const history::ProbeCounts& probes);

// Sums the coverage of the runs (each a run object; those without "probes", such as a
// client history's, are not counted) into `coverage` (start from an empty Coverage).
struct Coverage {
  std::uint64_t runs = 0;  // runs that carry probes
  std::array<std::uint64_t, history::kProbeCount> sum{};
  std::array<std::uint64_t, history::kProbeCount> runs_hit{};
};
void add_runs(Coverage& coverage, const nlohmann::json& runs);
// Adds one run's probe counts.
void add_run(Coverage& coverage, const history::ProbeCounts& probes);

// {"runs": N, "hit": P, "of": 17, "probes": {name: {"sum", "runs"}}, "never_hit": [names]},
// or null when no run carried probes.
nlohmann::json coverage_to_json(const Coverage& coverage);
// The document's coverage over every scenario's runs.
nlohmann::json document_coverage(const nlohmann::json& scenarios);

// The compact text of a coverage object (terminal and markdown): a line of the probes hit
// with "sum/runs", a line of those never hit. "" for null.
std::vector<std::string> coverage_lines(const nlohmann::json& coverage);

}  // namespace ksim::reports
