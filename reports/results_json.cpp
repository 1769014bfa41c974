#include "reports/results_json.h"

#include <algorithm>

#include <fmt/format.h>

#include "reports/latency_json.h"
#include "reports/probe_coverage.h"
#include "reports/results_doc.h"
#include "reports/results_model_json.h"
#include "reports/scenario_result_json.h"
#include "sim/check/counter_names.h"

namespace ksim::reports {

namespace {

nlohmann::json cause_counts(const std::array<std::uint64_t, check::kCauseCategoryCount>& counts) {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t c = 0; c < counts.size(); ++c) {
    if (counts[c] > 0) out[std::string(check::to_string(static_cast<check::CauseCategory>(c)))] = counts[c];
  }
  return out;
}

// Up to `limit` explained messages, by message id: the first of each cause that occurred
// (unknown first: it is what a reader most needs to see), then the next ones by id. So a
// run's JSON shows every mechanism it has up to the limit, not five of the commonest.
std::vector<std::size_t> example_indices(const std::vector<check::ExplainedMessage>& messages, std::size_t limit) {
  std::vector<std::size_t> chosen;
  std::vector<bool> taken(messages.size(), false), cause_shown(check::kCauseCategoryCount, false);
  const auto take = [&](std::size_t i) {
    if (taken[i] || chosen.size() >= limit) return;
    taken[i] = true;
    cause_shown[static_cast<std::size_t>(messages[i].category)] = true;
    chosen.push_back(i);
  };
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (messages[i].category == check::CauseCategory::unknown) {
      take(i);
      break;
    }
  }
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (!cause_shown[static_cast<std::size_t>(messages[i].category)]) take(i);
  }
  for (std::size_t i = 0; i < messages.size(); ++i) take(i);
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

nlohmann::json explained(const std::vector<check::ExplainedMessage>& messages, std::size_t limit) {
  nlohmann::json out = nlohmann::json::array();
  for (const std::size_t i : example_indices(messages, limit)) {
    out.push_back({{"message_id", messages[i].message_id},
                   {"cause", std::string(check::to_string(messages[i].category))},
                   {"explanation", messages[i].explanation}});
  }
  return out;
}

// The checker's verdicts, or "inconclusive" for each when the run did not complete: a
// partial history neither keeps nor breaks a promise.
nlohmann::json checker_verdicts(const run::RunReport& report) {
  const check::Verdicts& verdicts = report.outcome.verdicts;
  const auto verdict = [&](bool held) { return report.conclusive() ? nlohmann::json(held) : nlohmann::json("inconclusive"); };
  return {{"at_most_once", verdict(verdicts.at_most_once)},
          {"at_least_once", verdict(verdicts.at_least_once)},
          {"exactly_once", verdict(verdicts.exactly_once)},
          {"per_key_order", verdict(verdicts.per_key_order)}};
}

// Several topics (issue 15 item 5): each topic's counters by its name. Left out with one
// topic, whose counters are the run's own (documents of one-topic runs stay as they were).
nlohmann::json topic_counters(const std::vector<check::TopicCounters>& topics) {
  nlohmann::json out = nlohmann::json::object();
  for (const check::TopicCounters& topic : topics) {
    out[topic.name] = {{"produced", topic.produced},   {"acknowledged", topic.acknowledged},
                       {"delivered", topic.delivered}, {"lost", topic.lost},
                       {"duplicated", topic.duplicated}};
  }
  return out;
}

// Pipelines (issue 15 item 6): each stage's counters by its name; left out without a
// processor group (documents of other runs stay as they were).
nlohmann::json pipeline_counters(const check::PipelineCounters& pipeline) {
  nlohmann::json out = nlohmann::json::object();
  const check::StageCounters* stages[] = {&pipeline.input_to_processor, &pipeline.output_to_downstream,
                                          &pipeline.end_to_end};
  for (std::size_t s = 0; s < check::kPipelineStageNames.size(); ++s) {
    out[std::string(check::kPipelineStageNames[s])] = {{"delivered", stages[s]->delivered},
                                                       {"lost", stages[s]->lost},
                                                       {"duplicated", stages[s]->duplicated},
                                                       {"reordered", stages[s]->reordered}};
  }
  return out;
}

}  // namespace

nlohmann::json run_to_json(const run::RunReport& report, const std::string& replay_command) {
  nlohmann::json run = {
      {"scenario", report.scenario},
      {"seed", report.seed},
      {"mode", report.mode},
  };
  // Every counter by the name expectations use (sim/check/counter_names), so a bound in a
  // scenario file can always be judged from the run object; Jepsen's anomalies go in
  // their own object below. "reordered" counts pairs processed against their
  // acknowledged send order within a key or within one producer's partition.
  nlohmann::json jepsen = nlohmann::json::object();
  for (const check::NamedAnomaly& named : check::named(report.outcome.jepsen)) {
    jepsen[std::string(named.name)] = named.anomaly->count;
  }
  for (const std::string& name : check::counter_names()) {
    if (!jepsen.contains(name)) run[name] = check::counter_value(report.outcome, name).value_or(0);
  }
  run.update(nlohmann::json{
      {"events", report.run.events_executed},
      {"end_time_ns", report.run.end_time_ns},
      {"stop_reason", std::string(to_string(report.run.stop_reason))},
      {"drain_completed", report.drain_completed},
      {"drain_blocker", report.drain_blocker},
      {"fingerprint", fmt::format("{:016x}", report.run.fingerprint)},
      {"guarantee", report.guarantee},
      {"guarantee_held", report.guarantee_held},
      {"verdict", report.verdict()},
      {"inconclusive_reason", report.inconclusive_reason},
      {"verdicts", checker_verdicts(report)},
      {"lost_by_cause", cause_counts(report.outcome.lost_by_cause)},
      {"duplicated_by_cause", cause_counts(report.outcome.duplicated_by_cause)},
      {"lost_examples", explained(report.outcome.lost, 5)},
      {"duplicated_examples", explained(report.outcome.duplicated, 5)},
      {"replay", replay_command},
  });
  run["jepsen"] = jepsen;
  if (report.outcome.topics.size() > 1) run["topics"] = topic_counters(report.outcome.topics);
  if (report.outcome.pipeline.present) run["pipeline"] = pipeline_counters(report.outcome.pipeline);
  // The first cases of the anomalies whose case is more than a message (G0 and G1c cycles,
  // precommitted reads), written out; only when there are some.
  nlohmann::json cases = nlohmann::json::object();
  for (const check::NamedAnomaly& named : check::named(report.outcome.jepsen)) {
    if (!named.anomaly->explanations.empty()) cases[std::string(named.name)] = named.anomaly->explanations;
  }
  if (!cases.empty()) run["jepsen_cases"] = cases;
  const check::Latencies& latency = report.outcome.latency;
  run["latency"] = latency_to_json(latency);
  run["throughput"] = throughput_to_json(latency.acknowledged_in_workload,
                                         static_cast<std::uint64_t>(std::max<std::int64_t>(0, latency.workload_ns)));
  if (report.probes) run["probes"] = probes_to_json(*report.probes);
  return run;
}

std::string replay_command(const std::string& file, std::uint64_t seed, const std::string& mode,
                           const std::vector<std::string>& sets) {
  std::string command = fmt::format("ksim run {} --seed {} --mode {}", file, seed, mode);
  for (const std::string& set : sets) command += fmt::format(" --set '{}'", set);
  return command;
}

nlohmann::json scenario_to_json(const scenario::Scenario& scenario, const std::vector<scenario::ModeChoice>& modes_run,
                                const std::vector<run::RunReport>& reports, const std::vector<std::string>& sets,
                                std::uint64_t first_seed, std::uint64_t last_seed) {
  nlohmann::json out = {{"name", scenario.name},
                        {"file", scenario.file},
                        {"description", scenario.description},
                        {"seeds", {{"first", first_seed}, {"last", last_seed}}}};
  nlohmann::json modes = nlohmann::json::array();
  for (const scenario::ModeChoice& mode : modes_run) modes.push_back(mode.name());
  const auto ran = [&](const std::string& name) {
    return std::any_of(modes_run.begin(), modes_run.end(), [&](const scenario::ModeChoice& m) { return m.name() == name; });
  };
  out["modes"] = modes;
  nlohmann::json runs = nlohmann::json::array();
  for (const run::RunReport& report : reports) {
    runs.push_back(run_to_json(report, replay_command(scenario.file, report.seed, report.mode, sets)));
  }
  out["runs"] = runs;
  nlohmann::json expectations = nlohmann::json::array();
  for (const scenario::Expectation& expectation : scenario.expectations) {
    if (!ran(expectation.mode)) continue;  // not judged: its mode did not run
    expectations.push_back(expectation_spec_to_json({expectation.mode, expectation.counter, expectation.bound, expectation.quantifier}));
  }
  out["expectations"] = expectations;
  out["vary"] = nullptr;
  out["timeline"] = nullptr;
  out["topology_dot"] = "";
  summarize_scenario(out);
  return out;
}

nlohmann::json vary_sweep_to_json(const scenario::Scenario& base, const std::string& key, const std::vector<VaryPart>& parts,
                                  const std::vector<std::string>& sets, std::uint64_t first_seed, std::uint64_t last_seed) {
  nlohmann::json object = scenario_to_json(base, base.modes, {}, sets, first_seed, last_seed);
  run::ScenarioResult result = scenario_result_from_json(object);
  for (const VaryPart& part : parts) {
    std::vector<std::string> part_sets = sets;
    part_sets.push_back(key + "=" + part.value.text);
    for (const run::RunReport& report : part.reports) {
      nlohmann::json run = run_to_json(report, replay_command(base.file, report.seed, report.mode, part_sets));
      run["vary_value"] = part.value.text;
      result.runs.push_back(run_figures_from_json(run));
      object["runs"].push_back(std::move(run));
    }
  }
  result.vary_key = key;
  for (const VaryPart& part : parts) result.vary_values.push_back(part.value);
  run::summarize(result);
  write_summary(result, object);
  return object;
}

nlohmann::json results_document(const std::string& command, nlohmann::json scenarios) {
  nlohmann::json coverage = document_coverage(scenarios);
  return {{"schema", "ksim-results"},
          {"version", kResultsSchemaVersion},
          {"command", command},
          {"ksim_version", "0.1.0"},
          {"scenarios", std::move(scenarios)},
          {"probes", std::move(coverage)}};
}

bool all_expectations_held(const nlohmann::json& results) { return run::all_expectations_held(results_from_json(results)); }

bool all_guarantees_held(const nlohmann::json& results) { return run::all_guarantees_held(results_from_json(results)); }

Overall overall_verdict(const nlohmann::json& results, bool judge_expectations) {
  return run::overall_verdict(results_from_json(results), judge_expectations);
}

}  // namespace ksim::reports
