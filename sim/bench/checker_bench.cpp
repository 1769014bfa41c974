#include "sim/bench/checker_bench.h"

#include <chrono>

#include "sim/bench/peak_memory.h"
#include "sim/check/checker.h"
#include "sim/history/records.h"

namespace ksim {

namespace {

constexpr std::uint32_t kPartitions = 3;
constexpr std::uint32_t kProducer = 3;
constexpr std::uint32_t kConsumer = 4;

history::History synthetic_history(std::uint64_t messages) {
  history::History h;
  h.nodes = {{"broker-1", "broker"}, {"broker-2", "broker"}, {"broker-3", "broker"}, {"producer-0", "producer"},
             {"consumer-1", "consumer"}};
  for (std::uint32_t p = 0; p < kPartitions; ++p) h.partitions.push_back({"bench", p});
  h.producers = {{NodeId{kProducer}, history::Acks::all, true, 5}};
  h.groups = {{"bench", "after-processing", false, {}, false, {}}};
  for (std::uint32_t p = 0; p < kPartitions; ++p) {
    h.add(history::leader_elected(
        {.leader = NodeId{p}, .partition = PartitionId{p}, .leader_epoch = ksim::LeaderEpoch{1}}));
    h.add(history::partition_assigned(
        {.consumer = NodeId{kConsumer}, .group = GroupIndex{0}, .partition = PartitionId{p}}));
  }
  TimeNs now = 0;
  for (std::uint64_t id = 0; id < messages; ++id) {
    const auto p = static_cast<std::uint32_t>(id % kPartitions);
    const auto offset = static_cast<std::int64_t>(id / kPartitions);
    const std::uint32_t leader = p;
    now += 1000;
    h.add(history::send({.producer = NodeId{kProducer},
                         .message_id = id,
                         .partition = PartitionId{p},
                         .key = id % 1024,
                         .time_ns = now}));
    for (std::uint32_t b = 0; b < 3; ++b) {
      h.add(
          history::append({.broker = NodeId{(leader + b) % 3},
                           .partition = PartitionId{p},
                           .offset = ksim::Offset{offset},
                           .message_id = id,
                           .leader_epoch = ksim::LeaderEpoch{1},
                           .source = b == 0 ? history::AppendSource::leader : history::AppendSource::follower,
                           .producer_id = ProducerId{1},
                           .time_ns = now}));
    }
    h.add(history::high_watermark({.broker = NodeId{leader},
                                   .partition = PartitionId{p},
                                   .high_watermark = ksim::Offset{offset + 1},
                                   .time_ns = now}));
    h.add(history::send_acknowledged({.producer = NodeId{kProducer},
                                      .message_id = id,
                                      .partition = PartitionId{p},
                                      .offset = ksim::Offset{offset},
                                      .time_ns = now}));
    h.add(history::poll({.consumer = NodeId{kConsumer},
                         .group = GroupIndex{0},
                         .partition = PartitionId{p},
                         .offset = ksim::Offset{offset},
                         .message_id = id,
                         .time_ns = now}));
    h.add(history::effect_applied({.consumer = NodeId{kConsumer},
                                   .group = GroupIndex{0},
                                   .partition = PartitionId{p},
                                   .offset = ksim::Offset{offset},
                                   .message_id = id,
                                   .time_ns = now}));
  }
  h.end_ns = now;
  h.workload_end_ns = now;
  h.drain_completed = true;
  return h;
}

}  // namespace

CheckerBenchResult run_checker_bench(std::uint64_t messages) {
  // The benchmark reads the wall clock: it measures, it does not simulate.
  const auto built = std::chrono::steady_clock::now();
  const history::History h = synthetic_history(messages);
  const auto start = std::chrono::steady_clock::now();
  const check::Outcome outcome = check::check(h);
  const auto stop = std::chrono::steady_clock::now();
  CheckerBenchResult result;
  result.messages = messages;
  result.records = h.records.size();
  result.build_seconds = std::chrono::duration<double>(start - built).count();
  result.check_seconds = std::chrono::duration<double>(stop - start).count();
  result.messages_per_second = result.check_seconds > 0 ? static_cast<double>(messages) / result.check_seconds : 0;
  result.peak_rss_bytes = peak_rss_bytes();
  result.delivered = outcome.counters.delivered;
  result.lost = outcome.counters.lost;
  return result;
}

}  // namespace ksim
