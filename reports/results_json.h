#pragma once
// results.json: the one document every report is rendered from (terminal table,
// summary.md, junit.xml, report.html). Schema "ksim-results", version 1, documented in
// scenarios/README.md. Writers here only convert; they never run a simulation.
#include <string>

#include <nlohmann/json.hpp>

#include "sim/run/run_once.h"

namespace ksim::reports {

inline constexpr int kResultsSchemaVersion = 1;

// One run as a JSON object: scenario, seed, mode, the counters, verdicts, causes,
// Jepsen anomalies, explained examples, fingerprint and the replay command.
nlohmann::json run_to_json(const run::RunReport& report, const std::string& replay_command);

// The counters a run object carries, in a fixed order (for tables and aggregates).
const std::vector<std::string>& run_counter_names();

}  // namespace ksim::reports
