#define BOOST_TEST_MODULE coordinator_failover
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "sim/check/checker.h"
#include "sim/kafka/coordinator/offsets_log.h"
#include "sim/kafka/world.h"

// The group coordinator runs on the leader of __consumer_offsets-0. These scenario tests
// crash that broker (process crash, then power failure) and read from the history alone
// that the coordinator moved, that every commit it had acknowledged was loaded by its
// successor, and that what the group saw twice is bounded by what was not committed yet.

using namespace ksim;
using namespace ksim::kafka;
using history::RecordKind;

namespace {

constexpr TimeNs kCrashAtNs = milliseconds(1'500);

WorldConfig group_with_commits(std::uint64_t seed) {
  WorldConfig config;
  config.seed = seed;
  config.cluster.brokers = 3;
  config.cluster.broker.min_insync_replicas = 2;
  config.cluster.broker.replica_socket_timeout_ns = milliseconds(1'000);
  config.cluster.broker.replica_fetch_wait_max_ns = milliseconds(100);
  config.cluster.topics = {TopicConfig{"events", 3, 3, 2}};
  config.producers.front().messages = 3'000;
  config.producers.front().rate_per_second = 1'000;
  config.producers.front().key_space = 10;
  config.producers.front().config.request_timeout_ns = milliseconds(200);
  config.producers.front().config.retry_backoff_ns = milliseconds(20);
  ConsumerGroupConfig& group = config.consumer_groups.front();
  group.members = 2;
  group.commit_strategy = CommitStrategy::after_processing;
  group.config.auto_offset_reset = OffsetReset::earliest;
  config.workload_duration_ns = seconds(4);
  config.drain_max_ns = seconds(120);
  return config;
}

// The broker that is the group coordinator when the run starts.
std::string first_coordinator(std::uint64_t seed) {
  WorldConfig config = group_with_commits(seed);
  config.producers.front().messages = 1;
  World world(config);
  const RunOutput output = world.run();
  for (const history::Record& r : output.history.records) {
    if (r.kind == RecordKind::coordinator_loaded) return output.history.nodes[r.node].name;
  }
  return {};
}

struct Figures {
  std::uint64_t runs = 0, failovers = 0, acknowledged_commits_checked = 0, acknowledged_commits_lost = 0;
  std::uint64_t lost = 0, log_duplicates = 0, duplicated = 0, uncommitted_at_failover = 0, incomplete_drains = 0;
};

void run_failover(std::uint64_t seed, FaultAction action, Figures& figures) {
  const std::string coordinator = first_coordinator(seed);
  BOOST_REQUIRE(!coordinator.empty());
  WorldConfig config = group_with_commits(seed);
  config.faults.push_back(FaultSpec{kCrashAtNs, action, {coordinator}, {}, false, seconds(3)});
  World world(config);
  const RunOutput output = world.run();
  const check::Outcome outcome = check::check(output.history);
  ++figures.runs;
  figures.incomplete_drains += output.drain_completed ? 0 : 1;
  figures.lost += outcome.counters.lost;
  figures.log_duplicates += outcome.counters.log_duplicates;
  figures.duplicated += outcome.counters.duplicated;

  // Acknowledged commits and processed ends per partition until the successor loaded.
  std::map<std::uint32_t, std::int64_t> acknowledged, processed_end, loaded;
  bool failed_over = false;
  TimeNs failover_ns = 0;
  for (const history::Record& r : output.history.records) {
    if (r.kind == RecordKind::coordinator_loaded && r.time_ns > kCrashAtNs && !failed_over) {
      failed_over = output.history.nodes[r.node].name != coordinator;
      failover_ns = r.time_ns;
      continue;
    }
    if (failed_over) {
      if (r.kind == RecordKind::committed_offset_loaded && r.time_ns == failover_ns) loaded[r.partition] = r.offset;
      continue;
    }
    if (r.kind == RecordKind::offset_committed && r.detail == 2 && r.time_ns < kCrashAtNs) {
      acknowledged[r.partition] = std::max(acknowledged[r.partition], r.offset);
    } else if (r.kind == RecordKind::effect_applied) {
      processed_end[r.partition] = std::max(processed_end[r.partition], r.offset + 1);
    }
  }
  BOOST_TEST(failed_over, "seed " << seed << ": the coordinator did not move off " << coordinator);
  figures.failovers += failed_over ? 1 : 0;
  for (const auto& [partition, offset] : acknowledged) {
    ++figures.acknowledged_commits_checked;
    const auto found = loaded.find(partition);
    if (found == loaded.end() || found->second < offset) ++figures.acknowledged_commits_lost;
  }
  for (const auto& [partition, end] : processed_end) {
    const auto committed = acknowledged.find(partition);
    figures.uncommitted_at_failover += static_cast<std::uint64_t>(end - (committed == acknowledged.end() ? 0 : committed->second));
  }
}

void check_figures(const Figures& figures, const char* what) {
  BOOST_TEST_MESSAGE(what << ": " << figures.runs << " runs, " << figures.failovers << " failovers, "
                          << figures.acknowledged_commits_checked << " acknowledged commits checked, "
                          << figures.acknowledged_commits_lost << " lost; lost " << figures.lost << ", duplicated "
                          << figures.duplicated << " (uncommitted at failover " << figures.uncommitted_at_failover
                          << "), log duplicates " << figures.log_duplicates);
  BOOST_TEST(figures.failovers == figures.runs);
  BOOST_TEST(figures.incomplete_drains == 0u);  // members rejoined and processed everything
  BOOST_TEST(figures.acknowledged_commits_checked > 0u);
  BOOST_TEST(figures.acknowledged_commits_lost == 0u);
  BOOST_TEST(figures.lost == 0u);
  BOOST_TEST(figures.log_duplicates == 0u);
  BOOST_TEST(figures.duplicated <= figures.uncommitted_at_failover);
}

}  // namespace

// A process crash of the coordinator's broker: a clean election moves the offsets
// partition to an in-sync follower, which loads every commit the old one acknowledged.
BOOST_AUTO_TEST_CASE(committed_offsets_survive_a_coordinator_crash) {
  Figures figures;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) run_failover(seed, FaultAction::crash, figures);
  check_figures(figures, "crash");
}

// A power failure loses the broker's unflushed tail, but an acknowledged commit was
// replicated to min.insync.replicas brokers first: the successor has it.
BOOST_AUTO_TEST_CASE(committed_offsets_survive_a_coordinator_power_failure) {
  Figures figures;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) run_failover(seed, FaultAction::power_failure, figures);
  check_figures(figures, "power failure");
}

// KIP-320: a commit keeps the leader epoch of the last record read, through the log entry
// of the offsets partition and its replay, so that a consumer resuming from it can check
// its position; a commit without one (-1) stays without one.
BOOST_AUTO_TEST_CASE(committed_offsets_keep_their_leader_epoch) {
  CommittedOffsets committed;
  const OffsetCommitValue with_epoch{2, PartitionId{5}, Offset{1'234'567}, NodeId{9}, LeaderEpoch{7}};
  const OffsetCommitValue without_epoch{2, PartitionId{6}, Offset{0}, NodeId{9}, kNoLeaderEpoch};
  for (const OffsetCommitValue& value : {with_epoch, without_epoch}) {
    const LogEntry entry = offset_commit_entry(value, LeaderEpoch{3}, kNoProducerId, ProducerEpoch{0});
    const OffsetCommitValue decoded = decode_offset_commit(entry);
    BOOST_TEST(decoded.offset == value.offset);
    BOOST_TEST(decoded.leader_epoch == value.leader_epoch);
    BOOST_TEST(decoded.partition == value.partition);
    committed.apply(entry);
  }
  BOOST_TEST(committed.offsets().at({2, PartitionId{5}}).leader_epoch == LeaderEpoch{7});
  BOOST_TEST(committed.offsets().at({2, PartitionId{5}}).offset == Offset{1'234'567});
  BOOST_TEST(committed.offsets().at({2, PartitionId{6}}).leader_epoch == kNoLeaderEpoch);
}
