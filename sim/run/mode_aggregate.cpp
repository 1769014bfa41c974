#include "sim/run/mode_aggregate.h"

#include <algorithm>
#include <map>

namespace ksim::run {

const std::vector<std::string>& aggregated_counters() {
  static const std::vector<std::string> kAggregated{
      "offered", "not_sent", "not_sent_max_block_ms", "not_sent_application_queue_full", "not_sent_record_too_large",
      "not_sent_still_waiting", "produced", "acknowledged", "failed", "indeterminate", "delivered", "lost",
      "duplicated", "redelivered_absorbed", "log_duplicates", "reordered", "reordered_within_key",
      "failed_but_delivered", "committed_missing_after_election",
      // Kafka's safety invariants (sim/check/invariants.h)
      "acked_below_min_insync", "unclean_election_when_disabled", "isr_joined_before_caught_up",
      "hw_above_isr_member_log", "replicas_diverged_below_both_hw", "committed_lost_after_clean_election",
      "read_above_hw_or_lso", "kafka_promises_broken",
      // KIP-890's late transactional writes (sim/check/late_transaction_writes.cpp)
      "late_transaction_writes", "late_writes_committed", "hanging_transaction_records"};
  return kAggregated;
}

CounterAggregate aggregate_values(std::vector<std::uint64_t> values) {
  std::sort(values.begin(), values.end());
  CounterAggregate aggregate;
  for (const std::uint64_t value : values) {
    aggregate.sum += value;
    aggregate.violating_seeds += value > 0 ? 1 : 0;
  }
  if (values.empty()) return aggregate;
  aggregate.min = values.front();
  aggregate.median = values[(values.size() - 1) / 2];
  aggregate.max = values.back();
  return aggregate;
}

ModeAggregate aggregate_mode(const std::vector<RunFigures>& runs, const std::string& mode) {
  ModeAggregate aggregate;
  aggregate.mode = mode;
  std::vector<const RunFigures*> of_mode;
  for (const RunFigures& run : runs) {
    if (run.mode == mode) of_mode.push_back(&run);
  }
  for (const std::string& counter : aggregated_counters()) {
    std::vector<std::uint64_t> values;
    for (const RunFigures* run : of_mode) values.push_back(run->counter(counter));
    aggregate.counters.emplace_back(counter, aggregate_values(std::move(values)));
  }
  for (const RunFigures* run : of_mode) {
    aggregate.guarantee_violations += run->verdict == RunVerdict::broken ? 1 : 0;
    aggregate.inconclusive_runs += run->verdict == RunVerdict::inconclusive ? 1 : 0;
    for (std::size_t k = 0; k < kLatencyKindCount && run->latency; ++k) {
      aggregate.latency.histograms[k].merge(run->latency->histograms[k]);
    }
    if (run->throughput) {
      aggregate.throughput.acknowledged_in_workload += run->throughput->acknowledged_in_workload;
      aggregate.throughput.workload_ns += run->throughput->workload_ns;
    }
  }
  return aggregate;
}

namespace {

std::uint64_t badness(const RunFigures& run) {
  return run.counter("lost") + run.counter("duplicated") + run.counter("reordered_within_key");
}

}  // namespace

std::vector<WorstSeed> worst_seeds(const std::vector<RunFigures>& runs, std::size_t limit) {
  std::vector<const RunFigures*> worst;
  for (const RunFigures& run : runs) {
    if (badness(run) > 0) worst.push_back(&run);
  }
  std::stable_sort(worst.begin(), worst.end(),
                   [](const RunFigures* a, const RunFigures* b) { return badness(*a) > badness(*b); });
  std::vector<WorstSeed> shown;
  for (std::size_t i = 0; i < worst.size() && i < limit; ++i) {
    const RunFigures& run = *worst[i];
    shown.push_back({run.mode, run.seed, run.counter("lost"), run.counter("duplicated"),
                     run.counter("reordered_within_key"), run.verdict, run.replay});
  }
  return shown;
}

std::vector<CauseCount> cause_totals(const std::vector<RunFigures>& runs, const std::string& mode, CauseMap map) {
  std::map<std::string, std::uint64_t> totals;
  for (const RunFigures& run : runs) {
    if (!mode.empty() && run.mode != mode) continue;
    for (const auto& [cause, count] : map == CauseMap::lost ? run.lost_by_cause : run.duplicated_by_cause) {
      totals[cause] += count;
    }
  }
  std::vector<CauseCount> sorted;
  for (const auto& [cause, count] : totals) {
    if (count > 0) sorted.push_back({cause, count});
  }
  std::stable_sort(sorted.begin(), sorted.end(), [](const CauseCount& a, const CauseCount& b) { return a.count > b.count; });
  return sorted;
}

}  // namespace ksim::run
