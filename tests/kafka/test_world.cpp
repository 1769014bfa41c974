#define BOOST_TEST_MODULE world
#include <boost/test/unit_test.hpp>

#include <bit>
#include <set>
#include <string>

#include "sim/check/checker.h"
#include "sim/history/records.h"
#include "sim/kafka/world.h"

// Scenario tests: a small world with a scripted fault, run over several seeds, judged
// by the checker from the history alone. Each anomaly test asserts that the anomaly
// appears AND that the checker names the mechanism the model is supposed to produce.

using namespace ksim;
using namespace ksim::kafka;

namespace {

WorldConfig small_cluster(std::uint64_t seed) {
  WorldConfig config;
  config.seed = seed;
  config.cluster.brokers = 3;
  config.cluster.topics = {TopicConfig{"events", 3, 3, 2}};
  config.producers.front().messages = 2'000;
  config.producers.front().rate_per_second = 1'000;
  config.producers.front().key_space = 10;
  config.consumer_groups.front().config.auto_offset_reset = OffsetReset::earliest;
  config.workload_duration_ns = seconds(3);
  config.drain_max_ns = seconds(120);
  return config;
}

// The leader of some partitions (broker-1) crashes mid-workload and returns 5 s later,
// on a network that loses 1% of packets (retransmitted, TCP-like).
WorldConfig with_leader_crash(WorldConfig config, Acks acks, bool idempotence) {
  ProducerConfig& producer = config.producers.front().config;
  producer.acks = acks;
  producer.enable_idempotence = idempotence;
  producer.request_timeout_ns = milliseconds(200);
  producer.retry_backoff_ns = milliseconds(20);
  config.link_profile.loss.loss_probability = 0.01;
  config.cluster.broker.replica_socket_timeout_ns = milliseconds(1'000);
  config.cluster.broker.replica_fetch_wait_max_ns = milliseconds(100);
  config.faults.push_back(FaultSpec{milliseconds(1'500), FaultAction::crash, {"broker-1"}, {}, false, seconds(5)});
  return config;
}

struct Totals {
  std::uint64_t runs = 0, lost = 0, duplicated = 0, log_duplicates = 0, reordered_within_key = 0;
  std::uint64_t incomplete_drains = 0;
  std::uint64_t lost_by_cause[check::kCauseCategoryCount] = {};
  std::uint64_t duplicated_by_cause[check::kCauseCategoryCount] = {};
};

Totals run_seeds(std::uint64_t first_seed, std::uint64_t last_seed, WorldConfig (*make)(std::uint64_t)) {
  Totals totals;
  for (std::uint64_t seed = first_seed; seed <= last_seed; ++seed) {
    World world(make(seed));
    const RunOutput output = world.run();
    const check::Outcome outcome = check::check(output.history);
    ++totals.runs;
    totals.lost += outcome.counters.lost;
    totals.duplicated += outcome.counters.duplicated;
    totals.log_duplicates += outcome.counters.log_duplicates;
    totals.reordered_within_key += outcome.counters.reordered_within_key;
    totals.incomplete_drains += output.drain_completed ? 0 : 1;
    for (std::size_t c = 0; c < outcome.lost_by_cause.size(); ++c) {
      totals.lost_by_cause[c] += outcome.lost_by_cause[c];
      totals.duplicated_by_cause[c] += outcome.duplicated_by_cause[c];
    }
    if (!output.drain_completed) BOOST_TEST_MESSAGE("seed " << seed << ": drain incomplete: " << output.drain_blocker);
    if (outcome.counters.duplicated > 0) BOOST_TEST_MESSAGE("seed " << seed << ": duplicated " << outcome.counters.duplicated);
  }
  return totals;
}

std::uint64_t by_cause(const std::uint64_t (&counts)[check::kCauseCategoryCount],
                       check::CauseCategory category) {
  return counts[static_cast<std::size_t>(category)];
}

}  // namespace

BOOST_AUTO_TEST_CASE(fault_free_run_delivers_every_message_once) {
  World world(small_cluster(1));
  const RunOutput output = world.run();
  const check::Outcome outcome = check::check(output.history);
  BOOST_TEST(output.drain_completed);
  BOOST_TEST(outcome.counters.produced == 2'000u);
  BOOST_TEST(outcome.counters.acknowledged == 2'000u);
  BOOST_TEST(outcome.counters.delivered == 2'000u);
  BOOST_TEST(outcome.counters.lost == 0u);
  BOOST_TEST(outcome.counters.duplicated == 0u);
  BOOST_TEST(outcome.counters.reordered_within_key == 0u);
  BOOST_TEST(outcome.verdicts.exactly_once);
}

BOOST_AUTO_TEST_CASE(same_seed_same_run_other_seed_other_run) {
  World first(small_cluster(5));
  World second(small_cluster(5));
  World other(small_cluster(6));
  const auto a = first.run();
  const auto b = second.run();
  const auto c = other.run();
  BOOST_TEST(a.run.fingerprint == b.run.fingerprint);
  BOOST_TEST(a.run.events_executed == b.run.events_executed);
  BOOST_TEST(a.history.records.size() == b.history.records.size());
  BOOST_TEST(a.run.fingerprint != c.run.fingerprint);
}

// S1: acks=all, RF=3, min.insync.replicas=2, clean elections, idempotence, commit after
// processing: a leader crash on a lossy network loses nothing, duplicates nothing in the
// log, and keeps per-key order, on every one of 200 seeds.
BOOST_AUTO_TEST_CASE(s1_safe_configuration_survives_a_leader_crash_on_200_seeds) {
  const Totals totals = run_seeds(1, 200, [](std::uint64_t seed) {
    return with_leader_crash(small_cluster(seed), Acks::all, true);
  });
  BOOST_TEST(totals.incomplete_drains == 0u);
  BOOST_TEST(totals.lost == 0u);
  BOOST_TEST(totals.log_duplicates == 0u);
  // Also when broker-1 leads __consumer_offsets-0: the new coordinator adopts the member,
  // which keeps its partitions, so nothing is redelivered.
  BOOST_TEST(totals.duplicated == 0u);
  BOOST_TEST(totals.reordered_within_key == 0u);
}

// A1: acks=0 is told success at once; what the crashed leader never got is lost.
BOOST_AUTO_TEST_CASE(a1_acks_0_loses_acknowledged_messages_on_leader_crash) {
  const Totals totals = run_seeds(1, 10, [](std::uint64_t seed) {
    return with_leader_crash(small_cluster(seed), Acks::none, false);
  });
  BOOST_TEST(totals.lost > 0u);
  BOOST_TEST(totals.duplicated == 0u);
  BOOST_TEST(by_cause(totals.lost_by_cause, check::CauseCategory::network_drop_unacked_send) > 0u);
}

// A2: acks=1 is answered by the leader alone; a clean election of a follower that had
// not fetched the tail truncates it on the old leader's return. A race: with fast
// retransmit (issue 11) a lost fetch no longer stalls a follower for a 200 ms timeout,
// so only the tail appended in the last round trip before the crash is at risk: about one
// seed in twenty loses it (10 of seeds 1..200 since the application's arrivals have their
// own stream; 4 of these 60: 33, 40, 42, 53), where 10 seeds used to be enough.
BOOST_AUTO_TEST_CASE(a2_acks_1_loses_acknowledged_messages_on_failover) {
  const Totals totals = run_seeds(1, 60, [](std::uint64_t seed) {
    return with_leader_crash(small_cluster(seed), Acks::leader, false);
  });
  BOOST_TEST(totals.lost > 0u);
  BOOST_TEST(by_cause(totals.lost_by_cause, check::CauseCategory::leader_failover_truncation) > 0u);
}

// A7: without idempotence, a retry after a late answer appends the batch again.
BOOST_AUTO_TEST_CASE(a7_retries_without_idempotence_duplicate_in_the_log) {
  const Totals totals = run_seeds(1, 5, [](std::uint64_t seed) {
    return with_leader_crash(small_cluster(seed), Acks::all, false);
  });
  BOOST_TEST(totals.log_duplicates > 0u);
  BOOST_TEST(totals.duplicated > 0u);
  BOOST_TEST(by_cause(totals.duplicated_by_cause, check::CauseCategory::producer_retry_duplicate) > 0u);
}

// acks=0 without faults: batches that queue up before the first leader is known (the
// controller's first elections wait one liveness period) must all go out once it is
// known. The sender used to send one acks=0 batch per run, so the backlog never drained:
// the drain phase ended with hundreds of messages still in the client's queue.
BOOST_AUTO_TEST_CASE(acks_0_backlog_drains_without_faults) {
  WorldConfig config = small_cluster(1);
  config.producers.front().config.acks = Acks::none;
  config.producers.front().config.retries = 0;
  config.producers.front().config.enable_idempotence = false;
  config.drain_max_ns = seconds(30);
  World world(config);
  const RunOutput output = world.run();
  const check::Outcome outcome = check::check(output.history);
  BOOST_TEST(output.drain_completed, output.drain_blocker);
  BOOST_TEST(outcome.counters.acknowledged == 2'000u);
  BOOST_TEST(outcome.counters.delivered == 2'000u);
  BOOST_TEST(outcome.counters.lost == 0u);
  BOOST_TEST(output.run.end_time_ns < seconds(10));
}

// The drain heals the partitions still in force. A partition that had already healed, or
// whose own end comes after the drain began, used to be healed twice (an invariant
// violation in net::Partitions::heal: "heal of cut N which is not in force").
BOOST_AUTO_TEST_CASE(partitions_ending_before_or_after_the_drain_heal_once) {
  WorldConfig config = small_cluster(1);
  FaultSpec short_cut{milliseconds(500), FaultAction::partition, {}, {{"broker-1"}}, false, milliseconds(300)};
  FaultSpec long_cut{milliseconds(1'000), FaultAction::partition, {}, {{"broker-2"}}, false, seconds(10)};
  config.faults = {short_cut, long_cut};
  World world(config);
  const RunOutput output = world.run();
  const check::Outcome outcome = check::check(output.history);
  BOOST_TEST(output.drain_completed, output.drain_blocker);
  BOOST_TEST(outcome.counters.lost == 0u);
}

namespace {
WorldConfig two_member_group(std::uint64_t seed) {
  WorldConfig config = small_cluster(seed);
  config.consumer_groups.front().members = 2;
  config.consumer_groups.front().commit_strategy = CommitStrategy::after_processing;
  config.consumer_groups.front().config.session_timeout_ns = seconds(2);
  config.consumer_groups.front().config.heartbeat_interval_ns = milliseconds(500);
  return config;
}
}  // namespace

// A member crashes for longer than session.timeout.ms: the coordinator evicts it and its
// partitions move to the other member, which processes them while the first is down.
BOOST_AUTO_TEST_CASE(partitions_move_to_the_surviving_member_when_one_is_evicted) {
  WorldConfig config = two_member_group(3);
  config.workload_duration_ns = seconds(8);
  config.producers.front().messages = 6'000;
  config.faults.push_back(FaultSpec{milliseconds(1'200), FaultAction::crash, {"group-0"}, {}, false, seconds(10)});
  World world(config);
  const RunOutput output = world.run();
  const check::Outcome outcome = check::check(output.history);
  BOOST_TEST(output.drain_completed);
  BOOST_TEST(outcome.counters.lost == 0u);
  const std::uint32_t survivor = 1 + 3 + 1 + 1;  // controller, 3 brokers, 1 producer, then group-0, group-1
  BOOST_REQUIRE(output.history.nodes[survivor].name == "group-1");
  // group-1 was assigned more partitions after the crash than before it, and applied
  // effects on all three partitions while group-0 was down.
  std::set<std::uint32_t> applied_while_down;
  int assignments_after_crash = 0;
  for (const history::Record& r : output.history.records) {
    if (r.node != survivor) continue;
    if (r.kind == history::RecordKind::partition_assigned && r.time_ns > milliseconds(1'200)) ++assignments_after_crash;
    if (r.kind == history::RecordKind::effect_applied && r.time_ns > seconds(5) && r.time_ns < seconds(8)) {
      applied_while_down.insert(r.partition);
    }
  }
  BOOST_TEST(assignments_after_crash > 0);
  BOOST_TEST(applied_while_down.size() == 3u);
}

// A batch that takes longer than max.poll.interval.ms to process: the member leaves the
// group, its commit after processing is refused (old generation), and the partition's next
// owner processes the batch again (A12 by eviction). A poll holds at most 50 records, 100 ms
// of processing; a 1 s GC pause of group-0 in the middle of one makes it 1.1 s, past the
// 200 ms limit. (A poll that always outlasts the limit never gets anywhere: every owner in
// turn is evicted before it commits, as Kafka's consumer is; hence the small polls.)
BOOST_AUTO_TEST_CASE(a_slow_batch_is_evicted_and_redelivered) {
  std::uint64_t duplicated = 0;
  std::uint64_t lost = 0;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    WorldConfig config = two_member_group(seed);
    ConsumerGroupConfig& group = config.consumer_groups.front();
    group.processing_time_per_record_ns = milliseconds(2);
    group.config.max_poll_records = 50;
    group.config.max_poll_interval_ns = milliseconds(200);
    config.faults.push_back(FaultSpec{milliseconds(1'500), FaultAction::pause, {"group-0"}, {}, false, seconds(1)});
    World world(config);
    const RunOutput output = world.run();
    BOOST_TEST(output.drain_completed);
    const check::Outcome outcome = check::check(output.history);
    duplicated += outcome.counters.duplicated;
    lost += outcome.counters.lost;
  }
  BOOST_TEST(lost == 0u);
  BOOST_TEST(duplicated > 0u);
}

// ISR shrink timing: with acks=all the high watermark waits for every ISR member. A paused
// follower stops fetching; the leader drops it from the ISR once it has not caught up for
// replica.lag.time.max.ms (checked every half of it), and only then does the high
// watermark move again. So the stall lasts between lag.max and 1.5 x lag.max.
BOOST_AUTO_TEST_CASE(isr_shrinks_after_replica_lag_time_max) {
  WorldConfig config = small_cluster(9);
  config.cluster.brokers = 2;
  config.cluster.topics = {TopicConfig{"events", 1, 2, 1}};
  config.cluster.broker.replica_lag_time_max_ns = seconds(2);
  config.workload_duration_ns = seconds(6);
  config.producers.front().messages = 5'000;
  // Which broker leads partition 0 depends only on the seed: ask a fault-free run.
  std::uint32_t leader = history::kNoNode;
  {
    World probe(config);
    for (const history::Record& r : probe.run().history.records) {
      if (r.kind == history::RecordKind::leader_elected && r.node != history::kNoNode) {
        leader = r.node;
        break;
      }
    }
  }
  BOOST_REQUIRE(leader == 1u || leader == 2u);
  const std::string follower = leader == 1 ? "broker-2" : "broker-1";
  const TimeNs pause_at = milliseconds(1'500);
  config.faults.push_back(FaultSpec{pause_at, FaultAction::pause, {follower}, {}, false, seconds(4)});
  World world(config);
  const RunOutput output = world.run();
  TimeNs last_before = 0;
  TimeNs first_after = 0;
  for (const history::Record& r : output.history.records) {
    if (r.kind != history::RecordKind::high_watermark || r.node != leader) continue;
    if (r.time_ns <= pause_at) last_before = r.time_ns;
    if (r.time_ns > pause_at + milliseconds(50) && first_after == 0) first_after = r.time_ns;
  }
  BOOST_TEST_MESSAGE("high watermark stalled from " << last_before << " to " << first_after);
  BOOST_TEST(last_before > pause_at - milliseconds(50));
  BOOST_TEST(first_after - pause_at >= seconds(2));
  BOOST_TEST(first_after - pause_at <= seconds(3) + milliseconds(100));
  const check::Outcome outcome = check::check(output.history);
  BOOST_TEST(outcome.counters.lost == 0u);
}

// KIP-380 / KRaft registration: a broker that restarts before its session expires is
// dropped from the ISRs it was in. ZooKeeper-era controllers before Kafka 2.2 missed such
// a bounce, and the broker kept its ISR memberships (bounced.broker.detection: false).
BOOST_AUTO_TEST_CASE(a_bounced_broker_leaves_the_isr_only_when_the_controller_notices) {
  auto isr_shrinks = [](bool detection) {
    WorldConfig config = small_cluster(1);
    config.cluster.broker.bounced_broker_detection = detection;
    config.faults.push_back(FaultSpec{milliseconds(1'000), FaultAction::crash, {"broker-2"}, {}, false, milliseconds(100)});
    World world(std::move(config));
    const RunOutput output = world.run();
    BOOST_TEST(output.drain_completed);
    std::uint32_t shrinks = 0;
    for (const history::Record& r : output.history.records) {
      if (r.kind != history::RecordKind::isr_changed) continue;
      const history::IsrChangedRecord isr = history::as_isr_changed(r);
      if (std::popcount(isr.isr_mask) < 3) ++shrinks;  // RF 3: a member left
    }
    return shrinks;
  };
  BOOST_TEST(isr_shrinks(true) > 0u);
  BOOST_TEST(isr_shrinks(false) == 0u);
}
