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

SessionFetchRequest follower_fetch(std::uint32_t epoch, std::uint64_t request_id, std::vector<FetchPosition> listed) {
  SessionFetchRequest request;
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

// The answer to request `request_id` lists `partition` alone, with one record: `message_id`.
void expect_one_record(const SessionFetchResponse& answer, std::uint64_t request_id, PartitionId partition,
                       std::uint64_t message_id) {
  BOOST_TEST(answer.request_id == request_id);
  BOOST_TEST_REQUIRE(answer.partitions.size() == 1u);
  BOOST_TEST(answer.partitions[0].partition == partition);
  BOOST_TEST_REQUIRE(answer.partitions[0].entries.size() == 1u);
  BOOST_TEST(answer.partitions[0].entries[0].message_id == message_id);
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
  BOOST_TEST(context.sent_of<SessionFetchResponse>().empty());
  // A record for kAlone, which the session does not hold, does not answer it.
  broker.on_message(context, kProducer, Payload{MultiProduceRequest{6, {part(kAlone, 6, 200)}}});
  BOOST_TEST(context.sent_of<SessionFetchResponse>().empty());
  // One for kFollowed does: the answer lists kFollowed alone, with its record.
  broker.on_message(context, kProducer, Payload{MultiProduceRequest{7, {part(kFollowed, 7, 201)}}});
  std::vector<SessionFetchResponse> answers = context.sent_of<SessionFetchResponse>();
  BOOST_TEST_REQUIRE(answers.size() == 1u);
  expect_one_record(answers[0], 1, kFollowed, 201);
  // An incremental fetch that skips an epoch is refused: the follower must start over.
  broker.on_message(context, follower, Payload{follower_fetch(5, 2, {})});
  answers = context.sent_of<SessionFetchResponse>();
  BOOST_TEST_REQUIRE(answers.size() == 2u);
  BOOST_TEST(answers[1].session_error);
  // The next epoch, listing kFollowed past the record: the high watermark moved, which the
  // answer carries at once only with records; it waits (the leader tells it later).
  broker.on_message(context, follower, Payload{follower_fetch(1, 3, {at(kFollowed, 1)})});
  BOOST_TEST(context.sent_of<SessionFetchResponse>().size() == 2u);
  BOOST_TEST(broker.replica(kFollowed).log.high_watermark() == Offset{1});
}

namespace {

constexpr NodeId kConsumer{20};

SessionFetchRequest consumer_fetch(std::uint32_t epoch, std::uint64_t request_id, std::vector<FetchPosition> listed) {
  SessionFetchRequest request = follower_fetch(epoch, request_id, std::move(listed));
  request.from_follower = false;
  for (FetchPosition& position : request.partitions) position.current_leader_epoch = kNoLeaderEpoch;
  return request;
}

std::vector<SessionFetchResponse> answers_to(const RecordingContext& context, NodeId requester) {
  std::vector<SessionFetchResponse> answers;
  for (const RecordingContext::Sent& message : context.sent) {
    const auto* answer = std::get_if<SessionFetchResponse>(&message.payload);
    if (answer != nullptr && message.to == requester) answers.push_back(*answer);
  }
  return answers;
}

}  // namespace

// A consumer's session (the Java consumer's fetch, in a KIP-227 session): it reads below the
// high watermark only, so a record waits for the follower's fetch that replicates it before
// it answers the consumer's waiting fetch; the answer lists that partition alone, and a
// fetch with nothing to read is answered empty once fetch.max.wait.ms has passed.
BOOST_AUTO_TEST_CASE(a_consumer_fetch_session_waits_for_records_below_the_high_watermark) {
  RecordingContext context;
  Broker broker = leader_of_both(context);
  const NodeId follower = context.broker_node(BrokerId{1});
  broker.on_message(context, follower, Payload{follower_fetch(0, 1, {at(kFollowed, 0)})});
  broker.on_message(context, kConsumer, Payload{consumer_fetch(0, 1, {at(kAlone, 0), at(kFollowed, 0)})});
  BOOST_TEST(answers_to(context, kConsumer).empty());
  // A record for kFollowed answers the follower (it reads to the log end), not the consumer.
  broker.on_message(context, kProducer, Payload{MultiProduceRequest{7, {part(kFollowed, 7, 201)}}});
  BOOST_TEST(answers_to(context, follower).size() == 1u);
  BOOST_TEST(answers_to(context, kConsumer).empty());
  // The follower's next fetch moves the high watermark past it: now the consumer's is answered.
  broker.on_message(context, follower, Payload{follower_fetch(1, 2, {at(kFollowed, 1)})});
  std::vector<SessionFetchResponse> answers = answers_to(context, kConsumer);
  BOOST_TEST_REQUIRE(answers.size() == 1u);
  expect_one_record(answers[0], 1, kFollowed, 201);
  // The next fetch lists kFollowed past the record (kAlone stays as it was): nothing to read,
  // so it waits, and its expiry answers it with no partition. The session's one expiry timer,
  // set when its first fetch waited, serves the second too.
  broker.on_message(context, kConsumer, Payload{consumer_fetch(1, 2, {at(kFollowed, 1)})});
  BOOST_TEST(answers_to(context, kConsumer).size() == 1u);
  std::vector<timers::SessionFetchExpiry> expiries;
  for (const NodeTimer& timer : context.timers) {
    const auto* expiry = std::get_if<timers::SessionFetchExpiry>(&std::get<BrokerTimer>(timer));
    if (expiry != nullptr && expiry->requester == kConsumer) expiries.push_back(*expiry);
  }
  BOOST_TEST_REQUIRE(expiries.size() == 1u);
  const timers::SessionFetchExpiry expiry = expiries[0];
  context.now_ns = milliseconds(500);  // fetch.max.wait.ms after the fetch came
  broker.on_timer(context, BrokerTimer{expiry});
  answers = answers_to(context, kConsumer);
  BOOST_TEST_REQUIRE(answers.size() == 2u);
  BOOST_TEST(answers[1].request_id == 2u);
  BOOST_TEST(answers[1].partitions.empty());
  // A record for kAlone (replicated at once: its only replica is the leader) is news for
  // the session's kAlone at offset 0, which it still holds.
  broker.on_message(context, kConsumer, Payload{consumer_fetch(2, 3, {})});
  broker.on_message(context, kProducer, Payload{MultiProduceRequest{8, {part(kAlone, 8, 202)}}});
  answers = answers_to(context, kConsumer);
  BOOST_TEST_REQUIRE(answers.size() == 3u);
  expect_one_record(answers[2], 3, kAlone, 202);
}

// The request timeouts and fetch waits keep one pending timer each (deadline_timer.h): a
// timer is set only when none is pending, and one that fires early is set again for the
// time left, so the expiry comes at the latest request's own deadline.
BOOST_AUTO_TEST_CASE(a_deadline_timer_meets_the_latest_deadline_with_one_pending_timer) {
  DeadlineTimer timer;
  BOOST_TEST(timer.move_to(milliseconds(500)));    // the first request: set a timer for 500 ms
  BOOST_TEST(!timer.move_to(milliseconds(800)));   // answered, a second one at 300 ms: none more
  BOOST_TEST(timer.on_timer(milliseconds(500), true) == milliseconds(300));  // early: 300 ms more
  BOOST_TEST(timer.on_timer(milliseconds(800), true) == 0);                  // due: the owner acts
  BOOST_TEST(timer.move_to(milliseconds(1'500)));  // nothing pending any more: set one
  BOOST_TEST(timer.on_timer(milliseconds(1'500), false) == 0);  // not waiting: nothing to do
  BOOST_TEST(timer.move_to(milliseconds(2'000)));  // and no timer is left pending
}
