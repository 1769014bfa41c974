#include "reports/results_json.h"

#include <fmt/format.h>

namespace ksim::reports {

namespace {

nlohmann::json cause_counts(const std::array<std::uint64_t, check::kCauseCategoryCount>& counts) {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t c = 0; c < counts.size(); ++c) {
    if (counts[c] > 0) out[std::string(check::to_string(static_cast<check::CauseCategory>(c)))] = counts[c];
  }
  return out;
}

nlohmann::json explained(const std::vector<check::ExplainedMessage>& messages, std::size_t limit) {
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t i = 0; i < messages.size() && i < limit; ++i) {
    out.push_back({{"message_id", messages[i].message_id},
                   {"cause", std::string(check::to_string(messages[i].category))},
                   {"explanation", messages[i].explanation}});
  }
  return out;
}

}  // namespace

nlohmann::json run_to_json(const run::RunReport& report, const std::string& replay_command) {
  const check::Counters& c = report.outcome.counters;
  nlohmann::json run = {
      {"scenario", report.scenario},
      {"seed", report.seed},
      {"mode", report.mode},
      {"produced", c.produced},
      {"acknowledged", c.acknowledged},
      {"failed", c.failed},
      {"indeterminate", c.indeterminate},
      {"delivered", c.delivered},
      {"lost", c.lost},
      {"duplicated", c.duplicated},
      {"duplicate_applications", c.duplicate_applications},
      {"redelivered_absorbed", c.redelivered_absorbed},
      {"log_duplicates", c.log_duplicates},
      // "reordered": pairs processed against their acknowledged send order, within a key
      // or within one producer's partition (cross-partition order is not promised).
      {"reordered", c.reordered_within_key + c.reordered_within_producer_partition},
      {"reordered_within_key", c.reordered_within_key},
      {"reordered_within_producer_partition", c.reordered_within_producer_partition},
      {"failed_but_delivered", c.failed_but_delivered},
      {"aborted_but_delivered", c.aborted_but_delivered},
      {"out_of_order_sequence_errors", c.out_of_order_sequence_errors},
      {"committed_missing_after_election", c.committed_missing_after_election},
      {"divergent_replicas_below_hw", c.divergent_replicas_below_hw},
      {"events", report.run.events_executed},
      {"end_time_ns", report.run.end_time_ns},
      {"stop_reason", std::string(to_string(report.run.stop_reason))},
      {"drain_completed", report.drain_completed},
      {"drain_blocker", report.drain_blocker},
      {"fingerprint", fmt::format("{:016x}", report.run.fingerprint)},
      {"guarantee", report.guarantee},
      {"guarantee_held", report.guarantee_held},
      {"verdicts",
       {{"at_most_once", report.outcome.verdicts.at_most_once},
        {"at_least_once", report.outcome.verdicts.at_least_once},
        {"exactly_once", report.outcome.verdicts.exactly_once},
        {"per_key_order", report.outcome.verdicts.per_key_order}}},
      {"lost_by_cause", cause_counts(report.outcome.lost_by_cause)},
      {"duplicated_by_cause", cause_counts(report.outcome.duplicated_by_cause)},
      {"lost_examples", explained(report.outcome.lost, 5)},
      {"duplicated_examples", explained(report.outcome.duplicated, 5)},
      {"replay", replay_command},
  };
  nlohmann::json jepsen = nlohmann::json::object();
  for (const check::NamedAnomaly& named : check::named(report.outcome.jepsen)) {
    jepsen[std::string(named.name)] = named.anomaly->count;
  }
  run["jepsen"] = jepsen;
  return run;
}

std::string replay_command(const std::string& file, std::uint64_t seed, const std::string& mode,
                           const std::vector<std::string>& sets) {
  std::string command = fmt::format("ksim run {} --seed {} --mode {}", file, seed, mode);
  for (const std::string& set : sets) command += fmt::format(" --set '{}'", set);
  return command;
}

namespace {

// Counters summarised per mode in aggregates and tables.
const std::vector<std::string> kAggregated{"produced", "acknowledged", "failed",        "indeterminate",
                                           "delivered", "lost",        "duplicated",    "redelivered_absorbed",
                                           "log_duplicates", "reordered", "reordered_within_key",
                                           "failed_but_delivered", "committed_missing_after_election"};

std::uint64_t badness(const run::RunReport& report) {
  return report.outcome.counters.lost + report.outcome.counters.duplicated +
         report.outcome.counters.reordered_within_key;
}

}  // namespace

nlohmann::json scenario_to_json(const scenario::Scenario& scenario, const std::vector<run::RunReport>& reports,
                                const std::vector<run::ExpectationResult>& expectations,
                                const std::vector<std::string>& sets, std::uint64_t first_seed,
                                std::uint64_t last_seed) {
  nlohmann::json out = {{"name", scenario.name},
                        {"file", scenario.file},
                        {"description", scenario.description},
                        {"seeds", {{"first", first_seed}, {"last", last_seed}}}};
  nlohmann::json modes = nlohmann::json::array();
  for (const scenario::ModeChoice& mode : scenario.modes) modes.push_back(mode.name());
  out["modes"] = modes;
  nlohmann::json runs = nlohmann::json::array();
  for (const run::RunReport& report : reports) {
    runs.push_back(run_to_json(report, replay_command(scenario.file, report.seed, report.mode, sets)));
  }
  out["runs"] = runs;
  nlohmann::json aggregates = nlohmann::json::object();
  for (const scenario::ModeChoice& mode : scenario.modes) {
    nlohmann::json per_counter = nlohmann::json::object();
    for (const std::string& counter : kAggregated) {
      const run::CounterAggregate a = run::aggregate(reports, mode.name(), counter);
      per_counter[counter] = {{"min", a.min}, {"median", a.median}, {"max", a.max}, {"sum", a.sum},
                              {"violating_seeds", a.nonzero_seeds}};
    }
    std::uint64_t broken = 0;
    for (const run::RunReport& report : reports) broken += report.mode == mode.name() && !report.guarantee_held;
    per_counter["guarantee_violations"] = broken;
    aggregates[mode.name()] = per_counter;
  }
  out["aggregates"] = aggregates;
  // The worst seeds: most lost + duplicated + reordered, at most five, ties by seed.
  std::vector<const run::RunReport*> worst;
  for (const run::RunReport& report : reports) {
    if (badness(report) > 0) worst.push_back(&report);
  }
  std::stable_sort(worst.begin(), worst.end(),
                   [](const run::RunReport* a, const run::RunReport* b) { return badness(*a) > badness(*b); });
  nlohmann::json worst_json = nlohmann::json::array();
  for (std::size_t i = 0; i < worst.size() && i < 5; ++i) {
    worst_json.push_back({{"mode", worst[i]->mode},
                          {"seed", worst[i]->seed},
                          {"lost", worst[i]->outcome.counters.lost},
                          {"duplicated", worst[i]->outcome.counters.duplicated},
                          {"reordered_within_key", worst[i]->outcome.counters.reordered_within_key},
                          {"replay", replay_command(scenario.file, worst[i]->seed, worst[i]->mode, sets)}});
  }
  out["worst_seeds"] = worst_json;
  nlohmann::json expectation_json = nlohmann::json::array();
  for (const run::ExpectationResult& result : expectations) {
    nlohmann::json e = {{"mode", result.expectation.mode},
                        {"counter", result.expectation.counter},
                        {"bound", result.expectation.bound.to_string()},
                        {"quantifier", std::string(scenario::to_string(result.expectation.quantifier))},
                        {"held", result.held},
                        {"seeds_checked", result.seeds_checked},
                        {"observed", result.observed},
                        {"failing_seed", nullptr},
                        {"witness_seed", nullptr},
                        {"replay", nullptr}};
    if (result.failing_seed) {
      e["failing_seed"] = *result.failing_seed;
      e["replay"] = replay_command(scenario.file, *result.failing_seed, result.expectation.mode, sets);
    }
    if (result.witness_seed) {
      e["witness_seed"] = *result.witness_seed;
      e["replay"] = replay_command(scenario.file, *result.witness_seed, result.expectation.mode, sets);
    }
    expectation_json.push_back(e);
  }
  out["expectations"] = expectation_json;
  out["vary"] = nullptr;
  out["timeline"] = nullptr;
  out["topology_dot"] = "";
  return out;
}

nlohmann::json results_document(const std::string& command, nlohmann::json scenarios) {
  return {{"schema", "ksim-results"},
          {"version", kResultsSchemaVersion},
          {"command", command},
          {"ksim_version", "0.1.0"},
          {"scenarios", std::move(scenarios)}};
}

bool all_expectations_held(const nlohmann::json& results) {
  for (const nlohmann::json& scenario : results.at("scenarios")) {
    for (const nlohmann::json& expectation : scenario.at("expectations")) {
      if (!expectation.at("held").get<bool>()) return false;
    }
  }
  return true;
}

bool all_guarantees_held(const nlohmann::json& results) {
  for (const nlohmann::json& scenario : results.at("scenarios")) {
    for (const nlohmann::json& run : scenario.at("runs")) {
      if (!run.at("guarantee_held").get<bool>()) return false;
    }
  }
  return true;
}

}  // namespace ksim::reports
