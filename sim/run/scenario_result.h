#pragma once
// The typed results model, part 6: one scenario's result (its runs' figures, its
// expectations, the aggregates, worst seeds and verdicts computed from them), the merge
// of shard slices into the unsharded result, which runs get a timeline, and the verdict of
// a whole command. reports/results_model_json.h converts it to and from results.json;
// the CLI only calls it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/run/expectation_judge.h"
#include "sim/run/mode_aggregate.h"
#include "sim/run/run_figures.h"
#include "sim/run/shard_slice.h"
#include "sim/run/vary_points.h"

namespace ksim::run {

struct ScenarioResult {
  std::string name;
  std::string file;
  std::string description;
  std::uint64_t first_seed = 1;  // the whole range, also in a shard's result
  std::uint64_t last_seed = 1;
  std::vector<std::string> modes;  // the modes that ran, in order
  std::vector<RunFigures> runs;    // by mode, then seed (then --vary value)
  std::vector<ExpectationSpec> expectations;  // of the modes that ran
  std::optional<Shard> shard;                 // the slice this result is, if one
  std::optional<std::string> vary_key;        // --vary: the key and its values
  std::vector<VaryValue> vary_values;

  // Computed from the above by summarize().
  std::vector<ModeAggregate> aggregates;  // in `modes` order
  std::vector<WorstSeed> worst;
  std::vector<JudgedExpectation> judged;  // in `expectations` order
  std::vector<VaryPoint> vary_points;     // for each vary value, for each mode

  bool operator==(const ScenarioResult&) const = default;
};

// (Re)computes the aggregates, worst seeds, verdicts and vary points from the runs alone:
// the one path for fresh results and merged shards, so a merge equals the unsharded sweep.
void summarize(ScenarioResult& result);

// Several results of one scenario (its shards, in any order) as the unsharded result: the
// first part's description, seeds and expectations, every part's runs in unsharded order,
// no shard, summarised again.
ScenarioResult merge_parts(const std::vector<ScenarioResult>& parts);
// Every scenario of `results` merged with the others of the same name and file, in order
// of first appearance.
std::vector<ScenarioResult> merge_results(const std::vector<ScenarioResult>& results);

// The runs worth drawing as a timeline: the seed of each failing every-seed expectation
// (distinct (mode, seed), at most kMaxTimelines), else the worst seed; none when every run
// was clean.
struct RunRef {
  std::string mode;
  std::uint64_t seed = 0;
  bool operator==(const RunRef&) const = default;
};
inline constexpr std::size_t kMaxTimelines = 4;
std::vector<RunRef> timeline_runs(const ScenarioResult& result);

// Whether a run broke one of Kafka's own promises (kafka_promises_broken > 0): that fails
// every command, whatever a scenario expects.
bool kafka_promise_broken(const RunFigures& run);

// The verdict of a whole command: failed when an expectation failed on complete runs
// (judge_expectations, for check) or a complete run broke its guarantee (run, compare,
// sweep); else inconclusive when any run did not complete; else held. The ksim exit code
// follows it: 0 held, 1 failed, 4 inconclusive.
enum class Overall { held, failed, inconclusive };
Overall overall_verdict(const std::vector<ScenarioResult>& results, bool judge_expectations);
// Every expectation held (check) / every run kept its guarantee (run, compare), and no run
// broke one of Kafka's promises; an inconclusive run did neither.
bool all_expectations_held(const std::vector<ScenarioResult>& results);
bool all_guarantees_held(const std::vector<ScenarioResult>& results);

}  // namespace ksim::run
