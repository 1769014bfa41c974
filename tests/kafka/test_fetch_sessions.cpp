#define BOOST_TEST_MODULE fetch sessions
#include <boost/test/unit_test.hpp>

#include <bit>
#include <cstdint>
#include <map>

#include "sim/check/checker.h"
#include "sim/history/records.h"
#include "sim/kafka/world.h"

// Replication's KIP-227 fetch sessions (broker_replica_fetcher.cpp, broker_fetch_session.cpp):
// one fetch per (follower, leader) whatever the partitions, and partitions skipped while
// quiet without changing what the ISR makes of their followers.

using namespace ksim;
using namespace ksim::kafka;

namespace {

// Three brokers, `partitions` partitions of replication factor 3, a producer that writes a
// little at the start and then nothing for `idle` seconds, and no consumer.
WorldConfig mostly_idle_cluster(std::uint32_t partitions, TimeNs idle_ns) {
  WorldConfig config;
  config.seed = 3;
  config.cluster.brokers = 3;
  config.cluster.topics = {TopicConfig{"events", partitions, 3, 2}};
  config.cluster.broker.replica_lag_time_max_ns = seconds(1);
  config.producers.front().messages = 50;
  config.producers.front().rate_per_second = 500;
  config.consumer_groups.clear();
  config.workload_duration_ns = milliseconds(100) + idle_ns;
  config.drain_max_ns = seconds(5);
  return config;
}

// The ISR records of one broker's memberships: per partition, the times its bit was cleared
// and set again (after the bootstrap, where every ISR is full).
struct Membership {
  std::map<std::uint32_t, TimeNs> left_ns;    // partition -> when the broker left its ISR
  std::map<std::uint32_t, TimeNs> rejoined_ns;  // partition -> when it came back after that
};

Membership membership_of(const history::History& history, NodeId broker) {
  Membership membership;
  for (const history::Record& record : history.records) {
    if (record.kind != history::RecordKind::isr_changed) continue;
    const history::IsrChangedRecord isr = history::as_isr_changed(record);
    const auto& replicas = history.replication.at(isr.partition.index()).replicas;
    std::uint64_t bit = 0;
    for (std::size_t i = 0; i < replicas.size(); ++i) {
      if (replicas[i] == broker) bit = std::uint64_t{1} << i;
    }
    BOOST_TEST_REQUIRE(bit != 0u);
    const std::uint32_t p = isr.partition.value();
    if ((isr.isr_mask & bit) == 0 && !membership.left_ns.contains(p)) membership.left_ns[p] = isr.time_ns;
    if ((isr.isr_mask & bit) != 0 && membership.left_ns.contains(p) && !membership.rejoined_ns.contains(p)) {
      membership.rejoined_ns[p] = isr.time_ns;
    }
  }
  return membership;
}

NodeId node_named(const history::History& history, const std::string& name) {
  for (std::size_t n = 0; n < history.nodes.size(); ++n) {
    if (history.nodes[n].name == name) return NodeId{static_cast<std::uint32_t>(n)};
  }
  BOOST_FAIL("no node " << name);
  return NodeId{};
}

}  // namespace

// Before sessions every follower replica long-polled on its own, so an idle cluster's
// traffic grew with its partitions. Now a follower sends one fetch per leader per
// replica.fetch.wait.max.ms, and the controller's heartbeat answers carry a broker's
// decisions in one request: 100 times the partitions, about the same messages. (What grows
// is the start, one decision per replica, and the producer's first requests.)
BOOST_AUTO_TEST_CASE(an_idle_cluster_sends_as_many_messages_for_300_partitions_as_for_3) {
  World small(mostly_idle_cluster(3, seconds(10)));
  World large(mostly_idle_cluster(300, seconds(10)));
  const RunOutput small_output = small.run();
  const RunOutput large_output = large.run();
  BOOST_TEST_MESSAGE("messages on the wire: " << small_output.wire.messages << " for 3 partitions, "
                                             << large_output.wire.messages << " for 300");
  // Six (follower, leader) pairs, a fetch each per 500 ms over about 11 s: some 130 fetches
  // and their answers, plus heartbeats; 10% over the small cluster's is the bound.
  BOOST_TEST(small_output.wire.messages > 200u);
  BOOST_TEST(large_output.wire.messages * 10 <= small_output.wire.messages * 11);
}

// A quiet partition is not looked at by its leader at each fetch; its follower's caught-up
// time is the session's last fetch. Ten seconds idle with replica.lag.time.max.ms at 1 s:
// no follower leaves any ISR.
BOOST_AUTO_TEST_CASE(followers_of_idle_partitions_stay_in_the_isr) {
  World world(mostly_idle_cluster(30, seconds(10)));
  const RunOutput output = world.run();
  BOOST_TEST(output.drain_completed);
  std::size_t changes = 0;
  for (const history::Record& record : output.history.records) {
    if (record.kind != history::RecordKind::isr_changed) continue;
    const history::IsrChangedRecord isr = history::as_isr_changed(record);
    ++changes;
    BOOST_TEST(std::popcount(isr.isr_mask) == 3, "partition " << isr.partition << " shrank at " << isr.time_ns);
  }
  BOOST_TEST(changes >= 30u);  // the bootstrap's
}

// A follower paused for 4 s leaves the ISR of every partition it follows, idle or not,
// replica.lag.time.max.ms after its last fetch (checked every half of it), and rejoins each
// once it fetches again: the quiet partitions' caught-up time stops with the session's
// fetches.
BOOST_AUTO_TEST_CASE(a_paused_follower_leaves_the_isr_of_its_idle_partitions_and_rejoins) {
  WorldConfig config = mostly_idle_cluster(30, seconds(10));
  const TimeNs pause_at = seconds(3);
  config.faults.push_back(FaultSpec{pause_at, FaultAction::pause, {"broker-2"}, {}, false, seconds(4)});
  World world(config);
  const RunOutput output = world.run();
  BOOST_TEST(output.drain_completed);
  const Membership membership = membership_of(output.history, node_named(output.history, "broker-2"));
  std::size_t followed = 0;
  for (std::uint32_t p = 0; p < 30; ++p) {
    if (!membership.left_ns.contains(p)) continue;  // led by broker-2: it stayed its own ISR
    ++followed;
    const TimeNs left = membership.left_ns.at(p);
    BOOST_TEST(left >= pause_at + seconds(1) - milliseconds(500), "partition " << p << " left at " << left);
    BOOST_TEST(left <= pause_at + seconds(1) + milliseconds(600), "partition " << p << " left at " << left);
    BOOST_TEST_REQUIRE(membership.rejoined_ns.contains(p), "partition " << p << " never rejoined");
    BOOST_TEST(membership.rejoined_ns.at(p) >= pause_at + seconds(4));
    BOOST_TEST(membership.rejoined_ns.at(p) <= pause_at + seconds(4) + seconds(2));
  }
  BOOST_TEST(followed >= 15u);  // broker-2 follows about two thirds of the partitions
}

// A consumer fetches as the Java consumer does: one fetch per broker in a session, whatever
// the partitions it reads there (consumer_fetch.cpp). Before, each partition long-polled
// on its own, and an idle group's traffic grew with its partitions; now 100 times the
// partitions read by a group of two send about the same messages.
BOOST_AUTO_TEST_CASE(an_idle_group_sends_as_many_messages_for_300_partitions_as_for_3) {
  WorldConfig small_config = mostly_idle_cluster(3, seconds(10));
  WorldConfig large_config = mostly_idle_cluster(300, seconds(10));
  for (WorldConfig* config : {&small_config, &large_config}) {
    config->consumer_groups.push_back(ConsumerGroupConfig{});
    config->consumer_groups.back().members = 2;
  }
  World small(small_config);
  World large(large_config);
  const RunOutput small_output = small.run();
  const RunOutput large_output = large.run();
  BOOST_TEST(small_output.drain_completed);
  BOOST_TEST(large_output.drain_completed);
  BOOST_TEST_MESSAGE("messages on the wire with a group: " << small_output.wire.messages << " for 3 partitions, "
                                                           << large_output.wire.messages << " for 300");
  // Two members, a fetch each per broker per 500 ms over about 11 s, on top of replication:
  // some 250 more fetches and answers than without the group. What grows is the start: the
  // 50 records land on up to 50 partitions instead of 3, and more of them come in answers
  // of their own (measured: 639 messages for 3 partitions, 768 for 300). 300 partitions
  // read one at a time would send some 13,000 fetches and answers; 30% over is the bound.
  BOOST_TEST(small_output.wire.messages > 400u);
  BOOST_TEST(large_output.wire.messages * 10 <= small_output.wire.messages * 13);
}

// The wire tally (sim/kafka/wire/wire_tally.h) sorts requests by the work they stand for:
// one broker with a group sends consumer fetches and commits but no replica fetch; three
// replicas without a group send replica fetches but no consumer fetch or commit.
BOOST_AUTO_TEST_CASE(the_wire_tally_counts_each_kind_of_request_where_it_is_sent) {
  WorldConfig alone = mostly_idle_cluster(3, seconds(1));
  alone.cluster.brokers = 1;
  alone.cluster.topics = {TopicConfig{"events", 3, 1, 1}};
  alone.consumer_groups.push_back(ConsumerGroupConfig{});
  alone.consumer_groups.back().members = 2;
  const WireTally single = World(alone).run().wire;
  BOOST_TEST(single.produce_requests > 0u);
  BOOST_TEST(single.replica_fetches == 0u);
  BOOST_TEST(single.consumer_fetches > 0u);
  BOOST_TEST(single.offset_commits > 0u);

  const WireTally replicated = World(mostly_idle_cluster(3, seconds(1))).run().wire;
  BOOST_TEST(replicated.produce_requests > 0u);
  BOOST_TEST(replicated.replica_fetches > 0u);
  BOOST_TEST(replicated.consumer_fetches == 0u);
  BOOST_TEST(replicated.offset_commits == 0u);
  // Every request has its answer beside it on the wire, and there are other messages too.
  for (const WireTally& tally : {single, replicated}) {
    const std::uint64_t requests =
        tally.produce_requests + tally.replica_fetches + tally.consumer_fetches + tally.offset_commits;
    BOOST_TEST(2 * requests < tally.messages);
  }
}
