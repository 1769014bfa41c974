#pragma once
// The typed results model, part 1: what a results document says of one run that the
// judgement, the aggregates, the vary curves and the merge of shards need. Built from a
// run object of results.json in one place (reports/results_model_json.h), so fresh
// results, merged shards and saved files are summarised by the same code.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "sim/check/latency_histogram.h"

namespace ksim::run {

// "held", "broken" (a complete run broke its mode's guarantee) or "inconclusive" (the run
// stopped at a bound before its drain completed: no verdict either way).
enum class RunVerdict : std::uint8_t { held, broken, inconclusive };
std::string_view to_string(RunVerdict verdict);
std::optional<RunVerdict> parse_run_verdict(std::string_view text);

// Latency histograms in kLatencyKinds order (produce, end to end, blocked) and the
// throughput counts: integers that merge exactly across seeds and shards.
inline constexpr std::size_t kLatencyKindCount = 3;
struct RunLatency {
  std::array<check::LatencyHistogram, kLatencyKindCount> histograms;
  bool operator==(const RunLatency&) const = default;
};
struct RunThroughput {
  std::uint64_t acknowledged_in_workload = 0;
  std::uint64_t workload_ns = 0;
  bool operator==(const RunThroughput&) const = default;
};
// Acknowledged messages per simulated second of the workload phase, rounded to 0.1 so it
// prints alike everywhere; 0 without a workload phase.
double acknowledged_per_s(const RunThroughput& throughput);

struct RunFigures {
  std::string mode;
  std::uint64_t seed = 0;
  RunVerdict verdict = RunVerdict::held;
  bool guarantee_held = true;
  std::string replay;
  std::string inconclusive_reason;
  // Every counter of the run by its name (sim/check/counter_names), Jepsen anomalies
  // included; a name the run does not have reads as 0.
  std::map<std::string, std::uint64_t> counters;
  std::map<std::string, std::uint64_t> lost_by_cause;
  std::map<std::string, std::uint64_t> duplicated_by_cause;
  std::optional<RunLatency> latency;        // absent in documents older than latency
  std::optional<RunThroughput> throughput;  // likewise
  std::optional<std::string> vary_value;    // the --vary value it ran with, as passed to --set
  // Several topics: each topic's counters (produced, acknowledged, delivered, lost,
  // duplicated) by topic name; empty for a one-topic run.
  std::map<std::string, std::map<std::string, std::uint64_t>> topics;
  // Pipelines: each stage's counters (delivered, lost, duplicated, reordered) by stage name
  // (input_to_processor, output_to_downstream, end_to_end); empty without a processor group.
  std::map<std::string, std::map<std::string, std::uint64_t>> pipeline;

  std::uint64_t counter(const std::string& name) const;
  bool operator==(const RunFigures&) const = default;
};

}  // namespace ksim::run
