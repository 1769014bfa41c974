#define BOOST_TEST_MODULE kafka_broker_requests
#include <boost/test/unit_test.hpp>

#include <vector>

#include "sim/kafka/broker/broker.h"
#include "tests/kafka/quiet_context.h"

// A broker's requests of several partitions, driven message by message: a produce request
// answered once all its partitions are (DelayedProduce), and a follower's fetch session
// (KIP-227) answering only what changed.

using namespace ksim;
using namespace ksim::kafka;

namespace {

using ksim::testing::RecordingContext;

constexpr NodeId kProducer{7};
const PartitionId kAlone{0};     // replicas {broker 0}: acks=all is answered at once
const PartitionId kFollowed{1};  // replicas {0, 1}: acks=all waits for broker 1's fetch

// Broker 0 (node 1) of two, leading both user partitions and the offsets partition.
Broker leader_of_both(RecordingContext& context) {
  context.brokers = 2;
  Broker broker(BrokerPlacement{.index = BrokerId{0},
                                .node = NodeId{1},
                                .partition_count = 3,
                                .broker_count = 2,
                                .min_insync_replicas = 1,
                                .offsets_min_insync_replicas = 1},
                BrokerConfig{});
  LeaderAndIsrRequest decisions;
  decisions.partitions.push_back(LeaderAndIsr{kAlone, BrokerId{0}, LeaderEpoch{1}, 1, {BrokerId{0}}, {BrokerId{0}}});
  decisions.partitions.push_back(LeaderAndIsr{kFollowed, BrokerId{0}, LeaderEpoch{1}, 1, {BrokerId{0}, BrokerId{1}},
                                              {BrokerId{0}, BrokerId{1}}});
  decisions.partitions.push_back(LeaderAndIsr{PartitionId{2}, BrokerId{0}, LeaderEpoch{1}, 1, {BrokerId{0}}, {BrokerId{0}}});
  broker.on_message(context, context.controller_node(), Payload{decisions});
  return broker;
}

ProduceRequest part(PartitionId partition, std::uint64_t request_id, std::uint64_t message_id) {
  ProduceRequest request;
  request.partition = partition;
  request.request_id = request_id;
  request.acks = history::Acks::all;
  request.records.push_back(ProducedRecord{message_id});
  return request;
}

ReplicaFetchRequest follower_fetch(std::uint32_t epoch, std::uint64_t request_id, std::vector<FetchPosition> listed) {
  ReplicaFetchRequest request;
  request.session_id = 42;
  request.session_epoch = epoch;
  request.request_id = request_id;
  request.partitions = std::move(listed);
  request.max_wait_ns = milliseconds(500);
  return request;
}

FetchPosition at(PartitionId partition, std::int64_t offset) {
  return FetchPosition{partition, Offset{offset}, LeaderEpoch{1}, kNoLeaderEpoch};
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_produce_request_of_two_partitions_is_answered_once_both_are_replicated) {
  RecordingContext context;
  Broker broker = leader_of_both(context);
  const NodeId follower = context.broker_node(BrokerId{1});
  broker.on_message(context, kProducer, Payload{MultiProduceRequest{5, {part(kAlone, 5, 100), part(kFollowed, 5, 101)}}});
  // kAlone's part is answered (its ISR is the leader alone), but the request waits for kFollowed.
  BOOST_TEST(context.sent_of<MultiProduceResponse>().empty());
  BOOST_TEST(context.sent_of<ProduceResponse>().empty());
  // The follower's first fetch finds the record; its next one, past it, moves the high watermark.
  broker.on_message(context, follower, Payload{follower_fetch(0, 1, {at(kFollowed, 0)})});
  BOOST_TEST(context.sent_of<MultiProduceResponse>().empty());
  broker.on_message(context, follower, Payload{follower_fetch(1, 2, {at(kFollowed, 1)})});
  const std::vector<MultiProduceResponse> answers = context.sent_of<MultiProduceResponse>();
  BOOST_TEST_REQUIRE(answers.size() == 1u);
  BOOST_TEST(answers[0].request_id == 5u);
  BOOST_TEST_REQUIRE(answers[0].partitions.size() == 2u);
  for (const ProduceResponse& answer : answers[0].partitions) {
    BOOST_TEST((answer.error == ErrorCode::none));
    BOOST_TEST(answer.base_offset == Offset{0});
  }
  BOOST_TEST(context.sent_of<ProduceResponse>().empty());
}

BOOST_AUTO_TEST_CASE(a_fetch_session_answers_only_what_changed_and_waits_for_records) {
  RecordingContext context;
  Broker broker = leader_of_both(context);
  const NodeId follower = context.broker_node(BrokerId{1});
  // A full fetch of the one partition broker 1 follows, caught up: nothing to send, it waits.
  broker.on_message(context, follower, Payload{follower_fetch(0, 1, {at(kFollowed, 0)})});
  BOOST_TEST(context.sent_of<ReplicaFetchResponse>().empty());
  // A record for kAlone, which the session does not hold, does not answer it.
  broker.on_message(context, kProducer, Payload{MultiProduceRequest{6, {part(kAlone, 6, 200)}}});
  BOOST_TEST(context.sent_of<ReplicaFetchResponse>().empty());
  // One for kFollowed does: the answer lists kFollowed alone, with its record.
  broker.on_message(context, kProducer, Payload{MultiProduceRequest{7, {part(kFollowed, 7, 201)}}});
  std::vector<ReplicaFetchResponse> answers = context.sent_of<ReplicaFetchResponse>();
  BOOST_TEST_REQUIRE(answers.size() == 1u);
  BOOST_TEST(answers[0].request_id == 1u);
  BOOST_TEST_REQUIRE(answers[0].partitions.size() == 1u);
  BOOST_TEST(answers[0].partitions[0].partition == kFollowed);
  BOOST_TEST_REQUIRE(answers[0].partitions[0].entries.size() == 1u);
  BOOST_TEST(answers[0].partitions[0].entries[0].message_id == 201u);
  // An incremental fetch that skips an epoch is refused: the follower must start over.
  broker.on_message(context, follower, Payload{follower_fetch(5, 2, {})});
  answers = context.sent_of<ReplicaFetchResponse>();
  BOOST_TEST_REQUIRE(answers.size() == 2u);
  BOOST_TEST(answers[1].session_error);
  // The next epoch, listing kFollowed past the record: the high watermark moved, which the
  // answer carries at once only with records; it waits (the leader tells it later).
  broker.on_message(context, follower, Payload{follower_fetch(1, 3, {at(kFollowed, 1)})});
  BOOST_TEST(context.sent_of<ReplicaFetchResponse>().size() == 2u);
  BOOST_TEST(broker.replica(kFollowed).log.high_watermark() == Offset{1});
}
