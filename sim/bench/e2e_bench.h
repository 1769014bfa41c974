#pragma once
// End-to-end speed of the Kafka model: a fixed, realistic cluster (3 brokers, one topic of
// 12 partitions, replication factor 3, min.insync.replicas 2), 3 idempotent producers with
// acks=all at 100k messages/s each (linger.ms=5, batch.size=16384: the defaults), 1% loss
// on every link (TCP-like: retransmitted), and optionally one consumer group with an
// idempotent sink. Runs the world, then the checker, and reports simulated messages per
// wall-clock second, memory per message, the checker's sanity counters and the latencies
// and acknowledged throughput it measured in simulated time.
#include <cstdint>
#include <string>

#include "sim/check/outcome.h"
#include "sim/kafka/config/world_config.h"
#include "sim/run/run_once.h"

namespace ksim {

struct E2eBenchResult {
  // With the streaming checker (run::CheckerKind::stream), its gathering is part of the
  // run's wall time and checker_seconds is its finish; no history is kept.
  run::CheckerKind checker = run::CheckerKind::batch;
  std::uint64_t records_kept = 0;  // stream: records kept for the stages that read records again
  std::uint64_t kept_bytes = 0;    // their encoded size
  std::uint64_t messages = 0;          // produced (distinct messages with a send record)
  std::uint32_t consumers = 0;
  std::uint64_t seed = 0;
  double wall_seconds = 0;             // World construction and run() (the simulation only)
  double messages_per_second = 0;      // messages / wall_seconds
  std::uint64_t events = 0;
  double events_per_second = 0;
  std::uint64_t fingerprint = 0;       // the run's fingerprint: same code, same seed, same value
  double simulated_seconds = 0;
  bool drain_completed = false;
  std::uint64_t peak_rss_bytes = 0;
  std::uint64_t rss_before_bytes = 0;  // resident set before the world was built
  double bytes_per_message = 0;        // (peak RSS after the run - RSS before) / messages
  std::uint64_t history_records = 0;
  double records_per_message = 0;
  double checker_seconds = 0;
  double checker_seconds_per_message = 0;
  // The whole process's peak resident set (VmHWM) after the checker: world, history and
  // checker together, and that divided by the messages (issue 19's RSS per message).
  std::uint64_t process_peak_rss_bytes = 0;
  double process_peak_rss_per_message = 0;
  // Where the bytes go: the history's encoded records, the resident set once the world is
  // destroyed (history and what the C library keeps), and the peak while checking.
  std::uint64_t history_bytes = 0;
  std::uint64_t history_resident_bytes = 0;  // of history_bytes, those in memory (the rest on disk)
  std::uint64_t rss_before_checker_bytes = 0;
  std::uint64_t checker_peak_rss_bytes = 0;
  std::uint64_t offered = 0;           // arrived in the applications
  std::uint64_t not_sent = 0;          // offered, never handed to a producer (buffer.memory full for max.block.ms)
  std::uint64_t acknowledged = 0;
  double acknowledged_per_simulated_second = 0;  // over the workload phase
  std::uint64_t lost = 0;              // sanity: 0
  std::uint64_t duplicated = 0;        // sanity: 0
  check::Latencies latency;            // the checker's, in simulated time (produce, end to end)
};

// The bench's world, built in code (exposed for tests). `history_directory`: where the
// history's records go as the run writes them (issue 19 item 3); empty keeps them in memory.
kafka::WorldConfig e2e_bench_config(std::uint64_t messages, std::uint32_t consumers, std::uint64_t seed,
                                    const std::string& history_directory = {});

E2eBenchResult run_e2e_bench(std::uint64_t messages, std::uint32_t consumers, std::uint64_t seed,
                             const std::string& history_directory = {},
                             run::CheckerKind checker = run::CheckerKind::batch);

}  // namespace ksim
