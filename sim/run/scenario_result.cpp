#include "sim/run/scenario_result.h"

#include <algorithm>

namespace ksim::run {

void summarize(ScenarioResult& result) {
  result.aggregates.clear();
  for (const std::string& mode : result.modes) result.aggregates.push_back(aggregate_mode(result.runs, mode));
  result.worst = worst_seeds(result.runs);
  result.judged.clear();
  for (const ExpectationSpec& spec : result.expectations) result.judged.push_back(judge_expectation(spec, result.runs));
  // Without known values (a document whose runs are not tagged with them) the points stay
  // as the document states them.
  if (result.vary_key && !result.vary_values.empty()) {
    result.vary_points = vary_points(result.runs, result.vary_values, result.modes);
  }
}

ScenarioResult merge_parts(const std::vector<ScenarioResult>& parts) {
  if (parts.empty()) return {};
  ScenarioResult merged = parts.front();
  std::vector<RunFigures> runs;
  for (const ScenarioResult& part : parts) runs.insert(runs.end(), part.runs.begin(), part.runs.end());
  // A slice without runs cannot name the --vary values; another slice can.
  for (const ScenarioResult& part : parts) {
    if (merged.vary_values.empty()) merged.vary_values = part.vary_values;
  }
  merged.runs.clear();
  for (const std::size_t i : unsharded_order(merged.modes, merged.vary_values, runs)) merged.runs.push_back(std::move(runs[i]));
  merged.shard.reset();
  summarize(merged);
  return merged;
}

std::vector<ScenarioResult> merge_results(const std::vector<ScenarioResult>& results) {
  std::vector<std::pair<std::string, std::string>> identities;
  for (const ScenarioResult& result : results) identities.emplace_back(result.name, result.file);
  std::vector<ScenarioResult> merged;
  for (const std::vector<std::size_t>& group : group_by_identity(identities)) {
    std::vector<ScenarioResult> parts;
    for (const std::size_t i : group) parts.push_back(results[i]);
    merged.push_back(merge_parts(parts));
  }
  return merged;
}

std::vector<RunRef> timeline_runs(const ScenarioResult& result) {
  std::vector<RunRef> runs;
  for (const JudgedExpectation& judged : result.judged) {
    if (judged.held() || !judged.failing_seed) continue;
    const RunRef run{judged.spec.mode, *judged.failing_seed};
    if (std::find(runs.begin(), runs.end(), run) == runs.end() && runs.size() < kMaxTimelines) runs.push_back(run);
  }
  if (runs.empty() && !result.worst.empty()) runs.push_back({result.worst.front().mode, result.worst.front().seed});
  return runs;
}

bool kafka_promise_broken(const RunFigures& run) { return run.counter("kafka_promises_broken") > 0; }

Overall overall_verdict(const std::vector<ScenarioResult>& results, bool judge_expectations) {
  bool inconclusive = false;
  for (const ScenarioResult& result : results) {
    for (const RunFigures& run : result.runs) {
      if (!judge_expectations && run.verdict == RunVerdict::broken) return Overall::failed;
      inconclusive = inconclusive || run.verdict == RunVerdict::inconclusive;
    }
    if (!judge_expectations) continue;
    for (const JudgedExpectation& judged : result.judged) {
      if (judged.verdict == ExpectationVerdict::failed) return Overall::failed;
      inconclusive = inconclusive || judged.verdict == ExpectationVerdict::inconclusive;
    }
  }
  return inconclusive ? Overall::inconclusive : Overall::held;
}

bool all_expectations_held(const std::vector<ScenarioResult>& results) {
  for (const ScenarioResult& result : results) {
    if (!std::all_of(result.judged.begin(), result.judged.end(), [](const JudgedExpectation& j) { return j.held(); })) {
      return false;
    }
    if (std::any_of(result.runs.begin(), result.runs.end(), kafka_promise_broken)) return false;
  }
  return true;
}

bool all_guarantees_held(const std::vector<ScenarioResult>& results) {
  for (const ScenarioResult& result : results) {
    for (const RunFigures& run : result.runs) {
      if (!run.guarantee_held || kafka_promise_broken(run)) return false;
    }
  }
  return true;
}

}  // namespace ksim::run
