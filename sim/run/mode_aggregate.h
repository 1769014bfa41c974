#pragma once
// The typed results model, part 3: per-mode aggregates of a scenario's runs (counter
// sums, medians, violating seeds, broken and inconclusive runs, merged latency and
// throughput), the worst seeds, and cause totals. Order-independent where it merges
// (histograms, sums), run-order dependent only where the document is (worst seeds ties).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/run/run_figures.h"

namespace ksim::run {

// Counters summarised per mode in aggregates and tables, in this order.
const std::vector<std::string>& aggregated_counters();

struct CounterAggregate {
  std::uint64_t min = 0;
  std::uint64_t median = 0;  // the lower median
  std::uint64_t max = 0;
  std::uint64_t sum = 0;
  std::uint64_t violating_seeds = 0;  // runs where the counter is above zero
  bool operator==(const CounterAggregate&) const = default;
};

struct ModeAggregate {
  std::string mode;
  std::vector<std::pair<std::string, CounterAggregate>> counters;  // aggregated_counters() order
  std::uint64_t guarantee_violations = 0;  // complete runs that broke the mode's guarantee
  std::uint64_t inconclusive_runs = 0;     // runs that did not complete: neither held nor broken
  RunLatency latency;                      // the exact merge of the runs' histograms
  RunThroughput throughput;                // summed
  bool operator==(const ModeAggregate&) const = default;
};

// min, lower median, max, sum and how many are above zero (all 0 for no values).
CounterAggregate aggregate_values(std::vector<std::uint64_t> values);
ModeAggregate aggregate_mode(const std::vector<RunFigures>& runs, const std::string& mode);

// The runs with most lost + duplicated + reordered within a key (above zero), at most
// `limit`, worst first, ties in run order.
struct WorstSeed {
  std::string mode;
  std::uint64_t seed = 0;
  std::uint64_t lost = 0;
  std::uint64_t duplicated = 0;
  std::uint64_t reordered_within_key = 0;
  RunVerdict verdict = RunVerdict::held;
  std::string replay;
  bool operator==(const WorstSeed&) const = default;
};
inline constexpr std::size_t kWorstSeedsShown = 5;
std::vector<WorstSeed> worst_seeds(const std::vector<RunFigures>& runs, std::size_t limit = kWorstSeedsShown);

// A cause map ("lost_by_cause" or "duplicated_by_cause") summed over the runs of `mode`
// (all modes when empty), sorted by count descending, then name.
struct CauseCount {
  std::string cause;
  std::uint64_t count = 0;
  bool operator==(const CauseCount&) const = default;
};
enum class CauseMap : std::uint8_t { lost, duplicated };
std::vector<CauseCount> cause_totals(const std::vector<RunFigures>& runs, const std::string& mode, CauseMap map);

}  // namespace ksim::run
