#define BOOST_TEST_MODULE consumer fetch
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <vector>

#include "sim/kafka/client/consumer.h"
#include "tests/kafka/quiet_context.h"

// A group member's fetching, driven message by message (consumer_fetch.cpp): one fetch in
// flight per broker for the partitions it leads, in a KIP-227 session; a partition leaves
// the session while it cannot be fetched, and with auto.offset.reset=none an
// OFFSET_OUT_OF_RANGE stops it for good.

using namespace ksim;
using namespace ksim::kafka;

namespace {

using ksim::testing::RecordingContext;

constexpr NodeId kMember{10};
const BrokerId kFirst{0};   // leads partitions 0 and 1, and the offsets partition
const BrokerId kSecond{1};  // leads partition 2

ConsumerGroupConfig group_config() {
  ConsumerGroupConfig config;
  config.commit_strategy = CommitStrategy::after_processing;
  config.config.auto_offset_reset = OffsetReset::none;
  return config;
}

// The member's fetches sent to `broker`, in order.
std::vector<SessionFetchRequest> fetches_to(const RecordingContext& context, BrokerId broker) {
  std::vector<SessionFetchRequest> fetches;
  for (const RecordingContext::Sent& message : context.sent) {
    const auto* fetch = std::get_if<SessionFetchRequest>(&message.payload);
    if (fetch != nullptr && message.to == context.broker_node(broker)) fetches.push_back(*fetch);
  }
  return fetches;
}

std::vector<std::uint32_t> listed(const SessionFetchRequest& fetch) {
  std::vector<std::uint32_t> partitions;
  for (const FetchPosition& position : fetch.partitions) partitions.push_back(position.partition.value());
  return partitions;
}

// A member of three partitions, their committed offsets 5, 7 and 0 read back: it has sent
// its first fetch to each broker.
struct Member {
  RecordingContext context;
  Sink sink{SinkKind::plain};
  Consumer consumer;

  explicit Member(const ConsumerGroupConfig& config = group_config()) : consumer{0, kMember, 0, config, sink} {
    context.brokers = 2;
    consumer.start(context);
    MetadataResponse metadata;
    metadata.leaders = {kFirst, kFirst, kSecond};
    metadata.leader_epochs = {LeaderEpoch{1}, LeaderEpoch{1}, LeaderEpoch{1}};
    metadata.coordinator = kFirst;
    metadata.live_brokers = {kFirst, kSecond};
    consumer.on_message(context, context.broker_node(kFirst), Payload{metadata});
    consumer.on_message(context, context.broker_node(kFirst),
                        Payload{GroupAssignment{0, Generation{1}, {PartitionId{0}, PartitionId{1}, PartitionId{2}}}});
    const auto asked = context.sent_of<MultiOffsetFetchRequest>();
    BOOST_TEST_REQUIRE(asked.size() == 1u);
    BOOST_TEST_REQUIRE(asked[0].partitions.size() == 3u);  // the whole assignment, in one request
    MultiOffsetFetchResponse committed{asked[0].request_id, ErrorCode::none, {}};
    committed.partitions = {OffsetFetchResponse{PartitionId{0}, Offset{5}, false, kNoLeaderEpoch},
                            OffsetFetchResponse{PartitionId{1}, Offset{7}, false, kNoLeaderEpoch},
                            OffsetFetchResponse{PartitionId{2}, Offset{0}, false, kNoLeaderEpoch}};
    consumer.on_message(context, context.broker_node(kFirst), Payload{committed});
  }

  void answer(BrokerId broker, const SessionFetchRequest& fetch, std::vector<FetchResponse> parts) {
    consumer.on_message(context, context.broker_node(broker),
                        Payload{SessionFetchResponse{.request_id = fetch.request_id, .session_error = false,
                                                     .partitions = std::move(parts)}});
  }
};

// `count` records of `partition` from `offset` on, as a fetch answer's part.
FetchResponse records(PartitionId partition, std::int64_t offset, std::uint64_t count) {
  FetchResponse part;
  part.partition = partition;
  part.fetch_offset = Offset{offset};
  part.high_watermark = Offset{offset + static_cast<std::int64_t>(count)};
  for (std::uint64_t i = 0; i < count; ++i) {
    part.entries.push_back(LogEntry{.message_id = 1000 * partition.value() + i, .leader_epoch = LeaderEpoch{1}});
  }
  return part;
}

// The member processes the next record of its poll (its processing timer fires).
void process_one(Member& member) { member.consumer.on_timer(member.context, ConsumerTimer{timers::RecordProcessed{}}); }

FetchResponse out_of_range(PartitionId partition, std::int64_t offset) {
  FetchResponse part;
  part.partition = partition;
  part.fetch_offset = Offset{offset};
  part.error = ErrorCode::offset_out_of_range;
  return part;
}

}  // namespace

BOOST_AUTO_TEST_CASE(one_full_fetch_per_broker_lists_the_partitions_it_leads) {
  Member member;
  const auto first = fetches_to(member.context, kFirst);
  const auto second = fetches_to(member.context, kSecond);
  BOOST_TEST_REQUIRE(first.size() == 1u);
  BOOST_TEST_REQUIRE(second.size() == 1u);
  BOOST_TEST(first[0].session_epoch == 0u);  // full: it opens the session
  BOOST_TEST(!first[0].from_follower);
  BOOST_TEST(listed(first[0]) == (std::vector<std::uint32_t>{0, 1}), boost::test_tools::per_element());
  BOOST_TEST(first[0].partitions[0].fetch_offset == Offset{5});
  BOOST_TEST(first[0].partitions[1].fetch_offset == Offset{7});
  BOOST_TEST(listed(second[0]) == (std::vector<std::uint32_t>{2}), boost::test_tools::per_element());
  // Nothing more goes to a broker while its fetch is out, whatever else happens.
  member.consumer.on_message(member.context, member.context.broker_node(kSecond),
                             Payload{GroupHeartbeatResponse{0, false, ErrorCode::none}});
  BOOST_TEST(fetches_to(member.context, kFirst).size() == 1u);
}

BOOST_AUTO_TEST_CASE(an_answer_with_nothing_is_followed_by_an_incremental_fetch_listing_nothing) {
  Member member;
  const auto first = fetches_to(member.context, kFirst);
  member.answer(kFirst, first[0], {});  // fetch.max.wait.ms passed with no record
  const auto after = fetches_to(member.context, kFirst);
  BOOST_TEST_REQUIRE(after.size() == 2u);
  BOOST_TEST(after[1].session_id == first[0].session_id);
  BOOST_TEST(after[1].session_epoch == 1u);
  BOOST_TEST(after[1].partitions.empty());
  BOOST_TEST(after[1].forgotten.empty());
}

// auto.offset.reset=none: NoOffsetForPartitionException-like, the application stops reading
// the partition. Its fetcher forgets it and never lists it again (before sessions, the
// partition simply sent no more fetches; listing it again would ask the same question at
// every round trip).
BOOST_AUTO_TEST_CASE(offset_out_of_range_with_reset_none_forgets_the_partition) {
  Member member;
  const auto first = fetches_to(member.context, kFirst);
  member.answer(kFirst, first[0], {out_of_range(PartitionId{0}, 5)});
  auto after = fetches_to(member.context, kFirst);
  BOOST_TEST_REQUIRE(after.size() == 2u);
  BOOST_TEST(after[1].partitions.empty());
  BOOST_TEST(after[1].forgotten == (std::vector<PartitionId>{PartitionId{0}}), boost::test_tools::per_element());
  member.answer(kFirst, after[1], {});
  after = fetches_to(member.context, kFirst);
  BOOST_TEST_REQUIRE(after.size() == 3u);
  BOOST_TEST(after[2].partitions.empty());
  BOOST_TEST(after[2].forgotten.empty());
}

// KIP-41: one poll() returns up to max.poll.records records over all the partitions with
// fetched data, one partition's records after another in the order the data arrived, what
// the last poll left unfinished first (Fetcher.collectFetch); the
// application commits the poll's positions together once it has processed them all
// (commitSync() after the loop). Until issue 19 a poll held one partition's records, so a
// member of thousands of partitions with a record each polled and committed once per
// partition.
BOOST_AUTO_TEST_CASE(a_poll_takes_records_of_several_partitions_up_to_max_poll_records) {
  ConsumerGroupConfig config = group_config();
  config.config.max_poll_records = 3;
  Member member(config);
  const auto first = fetches_to(member.context, kFirst);
  member.answer(kFirst, first[0], {records(PartitionId{0}, 5, 2), records(PartitionId{1}, 7, 2)});
  // The poll took the answer's partitions in order: partition 0's two records and partition
  // 1's first. Partition 1 keeps one record in the buffer and leaves the next fetch;
  // partition 0 is fetched on from 7.
  const auto after = fetches_to(member.context, kFirst);
  BOOST_TEST_REQUIRE(after.size() == 2u);
  BOOST_TEST(listed(after[1]) == (std::vector<std::uint32_t>{0}), boost::test_tools::per_element());
  BOOST_TEST(after[1].partitions[0].fetch_offset == Offset{7});
  BOOST_TEST(after[1].forgotten == (std::vector<PartitionId>{PartitionId{1}}), boost::test_tools::per_element());
  // Partition 2's data arrives while the poll is processed: it waits behind what the poll
  // left unfinished.
  const auto second = fetches_to(member.context, kSecond);
  member.answer(kSecond, second[0], {records(PartitionId{2}, 0, 2)});
  for (int i = 0; i < 2; ++i) process_one(member);
  BOOST_TEST(member.context.sent_of<MultiOffsetCommitRequest>().empty());  // not before the poll's last record
  process_one(member);
  auto commits = member.context.sent_of<MultiOffsetCommitRequest>();
  BOOST_TEST_REQUIRE(commits.size() == 1u);
  BOOST_TEST_REQUIRE(commits[0].partitions.size() == 2u);  // one request for the whole poll
  BOOST_TEST(commits[0].partitions[0].partition == PartitionId{0});
  BOOST_TEST(commits[0].partitions[0].offset == Offset{7});
  BOOST_TEST(commits[0].partitions[1].partition == PartitionId{1});
  BOOST_TEST(commits[0].partitions[1].offset == Offset{8});
  // The next poll returns partition 1's last record first, then partition 2's two.
  for (int i = 0; i < 3; ++i) process_one(member);
  commits = member.context.sent_of<MultiOffsetCommitRequest>();
  BOOST_TEST_REQUIRE(commits.size() == 2u);
  BOOST_TEST_REQUIRE(commits[1].partitions.size() == 2u);
  BOOST_TEST(commits[1].partitions[0].partition == PartitionId{1});
  BOOST_TEST(commits[1].partitions[0].offset == Offset{9});
  BOOST_TEST(commits[1].partitions[1].partition == PartitionId{2});
  BOOST_TEST(commits[1].partitions[1].offset == Offset{2});
}

// A fetch made while a poll's records are processed may bring only entries that are no
// records (here a transaction's commit marker): the consumer passes over them, and once the
// poll's records are processed the member has handled its partition up to the log's end.
// Before issue 19's last step the passed-over marker never counted as handled, and the
// drain of a run waited for it forever (seen once transactional members fetched ahead).
BOOST_AUTO_TEST_CASE(entries_passed_over_while_a_poll_is_processed_count_as_handled) {
  Member member;
  const auto second = fetches_to(member.context, kSecond);
  member.answer(kSecond, second[0], {records(PartitionId{2}, 0, 2)});
  auto after = fetches_to(member.context, kSecond);
  BOOST_TEST_REQUIRE(after.size() == 2u);  // fetched on from 2 while offsets 0 and 1 are processed
  BOOST_TEST(after[1].partitions[0].fetch_offset == Offset{2});
  FetchResponse marker = records(PartitionId{2}, 2, 1);
  marker.entries[0].flags = kCommitMarker;
  marker.entries[0].message_id = 0;
  member.answer(kSecond, after[1], {marker});
  process_one(member);
  BOOST_TEST(!member.consumer.caught_up(PartitionId{2}, Offset{3}));  // offset 1 is not processed yet
  process_one(member);
  BOOST_TEST(member.consumer.caught_up(PartitionId{2}, Offset{3}));
}

namespace {

// Partition 0's answer from its old leader: NOT_LEADER_OR_FOLLOWER naming kSecond at epoch 2.
FetchResponse moved_to_second(std::int64_t offset) {
  FetchResponse part;
  part.partition = PartitionId{0};
  part.fetch_offset = Offset{offset};
  part.error = ErrorCode::not_leader_or_follower;
  part.current_leader = kSecond;
  part.leader_epoch = LeaderEpoch{2};
  return part;
}

bool lists_partition_0(const SessionFetchRequest& fetch) {
  return std::any_of(fetch.partitions.begin(), fetch.partitions.end(),
                     [](const FetchPosition& position) { return position.partition == PartitionId{0}; });
}

}  // namespace

// KIP-951 (clients 3.7+, FetchResponse v16): the leader a NOT_LEADER_OR_FOLLOWER answer names,
// with a newer epoch than the member's metadata has (1), takes the partition at once: the
// next fetch to kSecond (once its fetch out returns) lists partition 0, before any metadata
// answer. A 3.6 member waits for metadata (after retry.backoff.ms) and does not fetch
// partition 0 from kSecond yet.
BOOST_AUTO_TEST_CASE(a_fetch_error_naming_the_new_leader_moves_the_partition_there_from_3_7) {
  for (const bool discovery : {true, false}) {
    BOOST_TEST_CONTEXT(discovery) {
      ConsumerGroupConfig config = group_config();
      config.config.leader_from_error_answers = discovery;
      Member member(config);
      const auto first = fetches_to(member.context, kFirst);
      const auto second = fetches_to(member.context, kSecond);
      member.answer(kFirst, first[0], {moved_to_second(5)});
      // kSecond's fetch, out meanwhile, comes back empty: the next lists what joined.
      member.answer(kSecond, second[0], {});
      const auto later = fetches_to(member.context, kSecond);
      const bool moved = std::any_of(later.begin(), later.end(), lists_partition_0);
      BOOST_TEST(moved == discovery);
    }
  }
}
