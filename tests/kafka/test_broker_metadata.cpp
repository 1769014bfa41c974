#define BOOST_TEST_MODULE kafka_broker_metadata
#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

#include "sim/history/records.h"
#include "sim/kafka/broker/broker.h"
#include "sim/kafka/broker/metadata_cache.h"
#include "sim/kafka/client/metadata_refresh.h"
#include "sim/kafka/world.h"
#include "tests/kafka/quiet_context.h"
#include "tests/kafka/run_text.h"

// Issue 18 item 1: clients ask brokers, not the controller, for metadata; each broker
// answers from the metadata cache the controller's pushes fill; a client ignores an answer
// older than the leader epoch it has seen (KAFKA-7738, Kafka 2.2).

using namespace ksim;
using namespace ksim::kafka;
using ksim::testing::records_of;

namespace {

// Node 0 is the controller, brokers are nodes 1..3; records what is sent where.
class RecordingContext final : public ksim::testing::RecordingContext {
 public:
  std::vector<NodeId> metadata_requests_to() const {
    std::vector<NodeId> to;
    for (const Sent& message : sent) {
      if (std::holds_alternative<MetadataRequest>(message.payload)) to.push_back(message.to);
    }
    return to;
  }
  timers::MetadataRetry last_retry() const {
    return std::get<timers::MetadataRetry>(std::get<ProducerTimer>(timers.back()));
  }
};

NodeTimer as_producer_timer(timers::MetadataRetry retry) { return ProducerTimer{retry}; }
constexpr NodeId kSelf{9};

std::shared_ptr<const MetadataImage> image(std::int32_t controller_epoch, std::uint64_t number,
                                           std::vector<std::uint32_t> leaders, std::int32_t leader_epoch,
                                           std::vector<std::uint8_t> fenced = {0, 0, 0}) {
  auto made = std::make_shared<MetadataImage>();
  made->version = MetadataVersion{controller_epoch, number};
  for (const std::uint32_t leader : leaders) {
    PartitionState state;
    state.leader = BrokerId{leader};
    state.leader_epoch = LeaderEpoch{leader_epoch};
    made->partitions.push_back(state);
  }
  made->fenced = std::move(fenced);
  return made;
}

MetadataResponse answer(std::vector<std::uint32_t> leaders, std::vector<LeaderEpoch> epochs) {
  MetadataResponse response;
  for (const std::uint32_t leader : leaders) response.leaders.push_back(BrokerId{leader});
  response.leader_epochs = std::move(epochs);
  response.live_brokers = {BrokerId{0}, BrokerId{1}, BrokerId{2}};
  return response;
}

}  // namespace

BOOST_AUTO_TEST_CASE(metadata_requests_go_to_brokers_and_move_on_after_a_failure) {
  RecordingContext context;
  MetadataRefresh refresh(as_producer_timer, milliseconds(100));
  refresh.request(context, kSelf);
  std::vector<NodeId> to = context.metadata_requests_to();
  BOOST_REQUIRE(to.size() == 1u);
  BOOST_TEST(to[0] != context.controller_node());  // before issue 18: always the controller
  const NodeId first = to[0];

  // No answer in time: the next request, after the backoff, goes to another broker.
  context.now_ns = kMetadataTimeoutNs;
  refresh.on_timer(context, kSelf, context.last_retry());
  context.now_ns += milliseconds(100);
  refresh.on_timer(context, kSelf, context.last_retry());
  to = context.metadata_requests_to();
  BOOST_REQUIRE(to.size() == 2u);
  BOOST_TEST(to[1] != first);
  BOOST_TEST(to[1] != context.controller_node());

  // That broker's host resets the connection: the request goes to the third broker.
  refresh.on_disconnect(context, kSelf, context.broker_index(to[1]));
  context.now_ns += milliseconds(100);
  refresh.on_timer(context, kSelf, context.last_retry());
  to = context.metadata_requests_to();
  BOOST_REQUIRE(to.size() == 3u);
  BOOST_TEST(to[2] != first);
  BOOST_TEST(to[2] != to[1]);
}

BOOST_AUTO_TEST_CASE(the_least_loaded_broker_is_asked) {
  RecordingContext context;
  MetadataRefresh refresh(as_producer_timer, milliseconds(100));
  // Brokers 0 and 2 have produce requests in flight; broker 1 has none.
  const MetadataRefresh::BrokerLoad load = [](BrokerId broker) { return broker == BrokerId{1} ? 0U : 3U; };
  for (int i = 0; i < 3; ++i) {
    refresh.request(context, kSelf, load);
    refresh.on_response(context, context.metadata_requests_to().back(), answer({0}, {LeaderEpoch{1}}));
    context.now_ns += milliseconds(200);
  }
  for (const NodeId to : context.metadata_requests_to()) BOOST_TEST(to == context.broker_node(BrokerId{1}));
}

BOOST_AUTO_TEST_CASE(an_answer_older_than_the_leader_epoch_seen_is_ignored_from_2_2) {
  for (const bool check : {true, false}) {
    BOOST_TEST_CONTEXT("metadata.leader.epoch.check " << check) {
      RecordingContext context;
      MetadataRefresh refresh(as_producer_timer, milliseconds(100), check);
      std::vector<BrokerId> leaders(1, kNoBroker);
      refresh.merge_leaders(answer({1}, {LeaderEpoch{2}}), leaders, 1);  // a fresh broker: broker 1 leads at epoch 2
      BOOST_TEST(leaders[0] == BrokerId{1});
      leaders[0] = kNoBroker;  // NOT_LEADER_OR_FOLLOWER from somewhere: unknown again
      refresh.merge_leaders(answer({0}, {LeaderEpoch{1}}), leaders, 1);  // a lagging broker's cache: broker 0, epoch 1
      // 2.2+ keeps what it had and asks again; before, the stale leader is taken.
      BOOST_TEST(leaders[0] == (check ? kNoBroker : BrokerId{0}));
      BOOST_TEST(refresh.stale_answers_ignored() == (check ? 1u : 0u));
      refresh.merge_leaders(answer({2}, {LeaderEpoch{3}}), leaders, 1);
      BOOST_TEST(leaders[0] == BrokerId{2});
    }
  }
}

BOOST_AUTO_TEST_CASE(a_broker_cache_keeps_the_newest_image) {
  MetadataCache cache;
  BOOST_TEST(!cache.ready());
  BOOST_TEST(cache.update(image(1, 2, {0, 1}, 3, {0, 1, 0})));
  BOOST_TEST(!cache.update(image(1, 1, {2, 2}, 2)));  // a delayed push
  BOOST_TEST(cache.leader(PartitionId{0}) == BrokerId{0});
  BOOST_TEST(cache.update(image(2, 1, {1, 1}, 4)));  // a new controller's first image
  BOOST_TEST(cache.leader(PartitionId{0}) == BrokerId{1});
  const MetadataResponse response = cache.answer(PartitionId{1});  // partition 0 user, 1 the offsets partition
  BOOST_TEST(response.leaders.size() == 1u);
  BOOST_TEST(response.leader_epochs.front() == LeaderEpoch{4});
  BOOST_TEST(response.coordinator == BrokerId{1});
  BOOST_TEST(response.live_brokers.size() == 3u);
  MetadataCache fenced;
  fenced.update(image(1, 1, {0, 0}, 1, {0, 1, 0}));
  BOOST_TEST((fenced.answer(PartitionId{1}).live_brokers == std::vector<BrokerId>{BrokerId{0}, BrokerId{2}}));
}

BOOST_AUTO_TEST_CASE(a_broker_answers_metadata_from_its_cache_once_it_has_one) {
  RecordingContext context;
  Broker broker({.index = BrokerId{0}, .node = context.broker_node(BrokerId{0}), .partition_count = 2, .broker_count = 3}, BrokerConfig{});
  broker.on_message(context, kSelf, MetadataRequest{});
  BOOST_TEST(context.sent.empty());  // just started: nothing to answer from yet
  broker.on_message(context, context.controller_node(), MetadataUpdate{image(1, 1, {2, 1}, 5)});
  broker.on_message(context, kSelf, MetadataRequest{});
  BOOST_REQUIRE(context.sent.size() == 1u);
  BOOST_TEST(context.sent[0].to == kSelf);
  const auto* response = std::get_if<MetadataResponse>(&context.sent[0].payload);
  BOOST_REQUIRE(response != nullptr);
  BOOST_TEST(response->leaders.front() == BrokerId{2});
  BOOST_TEST(response->leader_epochs.front() == LeaderEpoch{5});
  BOOST_TEST(response->coordinator == BrokerId{1});
}

namespace {

std::string scenario_text(const std::string& producer_config, const std::string& faults) {
  return R"(version: 1
name: broker-metadata
duration: 6s
cluster:
  brokers: 3
  config: {min.insync.replicas: 2, replica.socket.timeout.ms: 1000, replica.fetch.wait.max.ms: 100,
           broker.session.timeout.ms: 1000, broker.heartbeat.interval.ms: 200}
  topics:
    - name: orders
      replica.assignment: "1:2:3,2:3:1,3:1:2"
producers:
  - {name: p, messages: 2000, rate: 400/s, keys: 4, config: {)" + producer_config + R"(}}
consumers:
  - {name: g, members: 1, config: {auto.offset.reset: earliest}}
modes: [at-least-once]
faults:
)" + faults;
}

std::size_t before(const std::vector<history::Record>& records, TimeNs end_ns) {
  std::size_t count = 0;
  for (const history::Record& record : records) count += record.time_ns < end_ns;
  return count;
}

}  // namespace

// The producer and the consumer cannot reach the controller at all, and the leader of
// orders-0 crashes at 2 s: both still learn the leaders (and the new one) and the group
// coordinator from the brokers. Before issue 18 they asked the controller and knew no leader
// until the drain healed the network.
BOOST_AUTO_TEST_CASE(clients_cut_from_the_controller_get_metadata_from_brokers) {
  const std::string faults = R"(  - {kind: network, at: 0s, from: [p-0, g-0], to: [controller], cut: true, duration: 60s}
  - {kind: network, at: 0s, from: [controller], to: [p-0, g-0], cut: true, duration: 60s}
  - {kind: crash, at: 2s, target: {leader-of: orders-0}, duration: 10s}
)";
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    BOOST_TEST_CONTEXT("seed " << seed) {
      const RunOutput output = ksim::testing::run_text(scenario_text("", faults), seed);
      BOOST_TEST(output.drain_completed);
      const auto acknowledged = records_of(output.history, history::RecordKind::send_acknowledged);
      const TimeNs workload_end = seconds(6);
      BOOST_TEST(before(acknowledged, workload_end) > 1'500u);
      std::size_t orders_0_after_crash = 0;
      for (const history::Record& ack : acknowledged) {
        orders_0_after_crash += ack.partition == 0 && ack.time_ns > seconds(3) && ack.time_ns < workload_end;
      }
      BOOST_TEST(orders_0_after_crash > 0u);  // the new leader, learned from a broker
      BOOST_TEST(before(records_of(output.history, history::RecordKind::effect_applied), workload_end) > 1'000u);
    }
  }
}

// broker-3 never hears from the controller: its cache keeps the bootstrap leaders. broker-1
// (leader of orders-0) crashes at 1 s and returns at 2 s as a follower, answering
// NOT_LEADER_OR_FOLLOWER; a client told by broker-3 to write there refreshes again until a
// broker with current metadata names broker-2. Both with the leader epoch check (2.2+,
// which also ignores broker-3's answer) and without it, every record is acknowledged.
BOOST_AUTO_TEST_CASE(a_stale_broker_cache_costs_a_retry_not_a_record) {
  const std::string faults = R"(  - {kind: network, at: 0s, from: [broker-3], to: [controller], cut: true, duration: 60s}
  - {kind: network, at: 0s, from: [controller], to: [broker-3], cut: true, duration: 60s}
  - {kind: crash, at: 1s, targets: [broker-1], duration: 1s}
)";
  for (const std::string check : {"true", "false"}) {
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      BOOST_TEST_CONTEXT("metadata.leader.epoch.check " << check << ", seed " << seed) {
        const RunOutput output =
            ksim::testing::run_text(scenario_text("metadata.leader.epoch.check: " + check, faults), seed);
        BOOST_TEST(output.drain_completed);
        BOOST_TEST(records_of(output.history, history::RecordKind::send_acknowledged).size() == 2'000u);
        BOOST_TEST(records_of(output.history, history::RecordKind::send_failed).empty());
      }
    }
  }
}
