#include "sim/bench/e2e_bench.h"

#include <algorithm>
#include <chrono>
#include <fmt/format.h>
#include <optional>

#include "sim/bench/peak_memory.h"
#include "sim/check/checker.h"
#include "sim/check/streaming_checker.h"
#include "sim/core/release_memory.h"
#include "sim/kafka/world.h"

namespace ksim {

namespace {

constexpr std::uint32_t kProducers = 3;
constexpr double kRatePerProducer = 100'000;  // messages per simulated second

}  // namespace

kafka::WorldConfig e2e_bench_config(std::uint64_t messages, std::uint32_t consumers, std::uint64_t seed,
                                    const std::string& history_directory) {
  using namespace kafka;
  WorldConfig config;
  config.seed = seed;
  config.history_spill_directory = history_directory;
  config.cluster.brokers = 3;
  config.cluster.topics = {TopicConfig{"events", 12, 3, 2}};
  config.producers.clear();
  // Messages split evenly; the first `messages % 3` producers send one more.
  std::uint64_t most = 0;
  for (std::uint32_t p = 0; p < kProducers; ++p) {
    ProducerWorkload workload;
    workload.name = fmt::format("producer-{}", p);  // nodes "producer-0-0", "producer-1-0", ...
    workload.messages = messages / kProducers + (p < messages % kProducers ? 1 : 0);
    workload.rate_per_second = kRatePerProducer;
    workload.config.acks = Acks::all;
    workload.config.enable_idempotence = true;
    workload.config.enable_idempotence_explicit = true;
    // linger.ms=5 and batch.size=16384: Kafka's defaults (config.h).
    most = std::max(most, workload.messages);
    config.producers.push_back(workload);
  }
  config.consumer_groups.clear();
  if (consumers > 0) {
    ConsumerGroupConfig group;
    group.members = consumers;
    group.sink = SinkKind::idempotent;
    group.commit_strategy = CommitStrategy::after_processing;
    group.config.auto_offset_reset = OffsetReset::earliest;
    config.consumer_groups.push_back(group);
  }
  config.link_profile.loss.loss_probability = 0.01;  // tcp_link_profile(): lost packets are retransmitted
  // The workload phase: long enough for every message at the mean rate, plus a margin.
  const double expected_seconds = static_cast<double>(most) / kRatePerProducer;
  config.workload_duration_ns = static_cast<TimeNs>(expected_seconds * 1.2 * 1e9) + seconds(1);
  // Consumers process 100 us per record (the default): the drain waits for them.
  config.drain_max_ns = seconds(600) + static_cast<TimeNs>(static_cast<double>(messages) * 200e-6 * 1e9);
  config.limits = RunLimits{~std::uint64_t{0}, kTimeNeverNs};
  return config;
}

E2eBenchResult run_e2e_bench(std::uint64_t messages, std::uint32_t consumers, std::uint64_t seed,
                             const std::string& history_directory, run::CheckerKind checker) {
  const kafka::WorldConfig config = e2e_bench_config(messages, consumers, seed, history_directory);
  E2eBenchResult result;
  result.checker = checker;
  result.consumers = consumers;
  result.seed = seed;
  // Memory: the resident set just before the world is built, and the peak resident set
  // (VmHWM) right after run() returns, with the history still held. Their difference is
  // what the simulation needed at its peak (nodes, logs, queue, history), divided by the
  // messages. The checker runs afterwards and is not counted there; process_peak_rss_bytes
  // (VmHWM after the checker) counts everything.
  // A fixed mmap threshold (glibc adjusts it upwards as large blocks are freed otherwise):
  // the history's 256 KiB blocks are then mapped apart from the world's heap, and the
  // world's freed memory is not held between them while the checker runs (issue 19).
  return_large_blocks_to_os();
  result.rss_before_bytes = current_rss_bytes();
  // The benchmark reads the wall clock: it measures, it does not simulate.
  const auto start = std::chrono::steady_clock::now();
  kafka::RunOutput output;
  std::optional<check::StreamingChecker> streaming;
  {
    kafka::World world(config);
    if (checker == run::CheckerKind::stream) world.stream_history_to(streaming.emplace(world.history_header(), check::CheckOptions{}, kafka::offered_messages(config)), false);
    output = world.run();
  }
  const auto stop = std::chrono::steady_clock::now();
  result.peak_rss_bytes = peak_rss_bytes();
  // The destroyed world's heap pages back to the system: the checker's tables are mapped
  // apart, so they would stay resident, unused, for the whole check.
  return_free_memory_to_os();
  // The checker's phase on its own: what stays resident once the world is gone (the history,
  // and what the C library keeps), then the peak while checking above it.
  result.history_bytes = output.history.records.encoded_bytes();
  result.history_resident_bytes = output.history.records.resident_bytes();
  result.rss_before_checker_bytes = current_rss_bytes();
  reset_peak_rss();
  std::uint64_t records = output.history.records.size();
  const check::Outcome outcome = [&] {
    if (!streaming) return check::check(output.history);
    check::StreamOutcome streamed = streaming->finish(output.history);
    records = streamed.records;
    result.records_kept = streamed.records_kept;
    result.kept_bytes = streamed.kept_bytes;
    return std::move(streamed.outcome);
  }();
  const auto checked = std::chrono::steady_clock::now();
  result.checker_peak_rss_bytes = peak_rss_bytes();
  result.process_peak_rss_bytes = std::max(result.peak_rss_bytes, result.checker_peak_rss_bytes);

  result.messages = outcome.counters.produced;
  result.wall_seconds = std::chrono::duration<double>(stop - start).count();
  result.checker_seconds = std::chrono::duration<double>(checked - stop).count();
  result.checker_seconds_per_message = result.checker_seconds / static_cast<double>(std::max<std::uint64_t>(result.messages, 1));
  result.process_peak_rss_per_message =
      static_cast<double>(result.process_peak_rss_bytes) / static_cast<double>(std::max<std::uint64_t>(result.messages, 1));
  result.events = output.run.events_executed;
  result.fingerprint = output.run.fingerprint;
  result.simulated_seconds = to_seconds(output.run.end_time_ns);
  result.drain_completed = output.drain_completed;
  const double wall = result.wall_seconds > 0 ? result.wall_seconds : 1e-9;
  result.messages_per_second = static_cast<double>(result.messages) / wall;
  result.events_per_second = static_cast<double>(result.events) / wall;
  const double produced = result.messages > 0 ? static_cast<double>(result.messages) : 1;
  const std::uint64_t growth =
      result.peak_rss_bytes > result.rss_before_bytes ? result.peak_rss_bytes - result.rss_before_bytes : 0;
  result.bytes_per_message = static_cast<double>(growth) / produced;
  result.history_records = records;
  result.records_per_message = static_cast<double>(result.history_records) / produced;
  result.offered = outcome.counters.offered;
  result.not_sent = outcome.counters.not_sent;
  result.acknowledged = outcome.counters.acknowledged;
  const double workload_seconds = to_seconds(output.history.workload_end_ns);
  result.acknowledged_per_simulated_second =
      workload_seconds > 0 ? static_cast<double>(result.acknowledged) / workload_seconds : 0;
  result.lost = outcome.counters.lost;
  result.duplicated = outcome.counters.duplicated;
  result.latency = outcome.latency;
  return result;
}

}  // namespace ksim
