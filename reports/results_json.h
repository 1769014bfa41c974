#pragma once
// results.json: the one document every report is rendered from (terminal table,
// summary.md, junit.xml, report.html). Schema "ksim-results", version 1, documented in
// scenarios/README.md. Writers here only convert; they never run a simulation.
#include <string>

#include <nlohmann/json.hpp>

#include "sim/run/run_once.h"
#include "sim/run/scenario_result.h"
#include "sim/scenario/scenario.h"

namespace ksim::reports {

inline constexpr int kResultsSchemaVersion = 1;

// One run as a JSON object: scenario, seed, mode, the counters, verdicts, causes,
// Jepsen anomalies, explained examples, fingerprint and the replay command.
nlohmann::json run_to_json(const run::RunReport& report, const std::string& replay_command);

// How to replay one run from the command line, with any --set overrides of the batch.
std::string replay_command(const std::string& file, std::uint64_t seed, const std::string& mode,
                           const std::vector<std::string>& sets);

// One scenario's object in results.json: its runs, aggregates per mode and counter, the
// worst seeds, the judged expectations and the topology. Only the modes that ran (`modes`,
// e.g. the one `ksim run --mode M` asked for) and their expectations are in it.
nlohmann::json scenario_to_json(const scenario::Scenario& scenario, const std::vector<scenario::ModeChoice>& modes,
                                const std::vector<run::RunReport>& reports, const std::vector<std::string>& sets,
                                std::uint64_t first_seed, std::uint64_t last_seed);

// A --vary sweep's scenario object: the runs of every value (each run object tagged with
// its "vary_value", its replay command with the value's --set), summarised together, and
// "vary" {key, points} (run::vary_points). `base` is the scenario without the value set.
struct VaryPart {
  run::VaryValue value;
  std::vector<run::RunReport> reports;
};
nlohmann::json vary_sweep_to_json(const scenario::Scenario& base, const std::string& key, const std::vector<VaryPart>& parts,
                                  const std::vector<std::string>& sets, std::uint64_t first_seed, std::uint64_t last_seed);

// The whole document around the scenario objects.
nlohmann::json results_document(const std::string& command, nlohmann::json scenarios);

// Whether every expectation in the document held (exit code 0 vs 1 for check), and whether
// every run kept its mode's guarantee (run, compare); an inconclusive run did neither. Both
// are false as soon as one run broke one of Kafka's own promises (kafka_promises_broken > 0):
// a scenario cannot expect that away.
bool all_expectations_held(const nlohmann::json& results);
bool all_guarantees_held(const nlohmann::json& results);

// The verdict of a whole document: failed when an expectation failed on complete runs
// (judge_expectations, for check) or a complete run broke its guarantee (run, compare,
// sweep); else inconclusive when any run did not complete; else held. The ksim exit
// code follows it: 0 held, 1 failed, 4 inconclusive.
using Overall = run::Overall;
Overall overall_verdict(const nlohmann::json& results, bool judge_expectations);

}  // namespace ksim::reports
