#define BOOST_TEST_MODULE checker
#include <boost/test/unit_test.hpp>

#include <vector>

#include "sim/check/checker.h"
#include "tests/check/history_builder.h"


using namespace ksim::check;
using namespace ksim::check::testing;
using Examples = std::vector<std::uint64_t>;

namespace {

std::uint64_t lost_by(const Outcome& o, CauseCategory c) { return o.lost_by_cause[static_cast<std::size_t>(c)]; }
std::uint64_t duplicated_by(const Outcome& o, CauseCategory c) { return o.duplicated_by_cause[static_cast<std::size_t>(c)]; }

void require_no_jepsen_anomaly(const Outcome& o) {
  for (const NamedAnomaly& a : named(o.jepsen)) {
    BOOST_TEST_INFO(a.name);
    BOOST_TEST(a.anomaly->count == 0U);
  }
}

// One group reading every partition, consumer-1 assigned both, broker-1 leads both (epoch 1).
HistoryBuilder cluster(const std::string& strategy = "after-processing", bool idempotent_sink = false) {
  HistoryBuilder b;
  b.group("billing", strategy, idempotent_sink);
  b.at(0).elect(kBroker1, 0, 1).elect(kBroker1, 1, 1).assign(kConsumer1, 0, 0).assign(kConsumer1, 0, 1);
  return b;
}

}  // namespace

BOOST_AUTO_TEST_CASE(healthy_run_has_no_anomaly) {
  HistoryBuilder b = cluster();
  b.at(10).write(1, 0, 0, 7).write(2, 1, 0, 8).write(3, 0, 1, 7);
  b.at(20).read(kConsumer1, 0, 0, 0, 1).read(kConsumer1, 0, 1, 0, 2).read(kConsumer1, 0, 0, 1, 3);
  b.commit(kConsumer1, 0, 0, 2).commit(kConsumer1, 0, 1, 1);
  const Outcome o = check(b.build());
  const Counters& c = o.counters;
  BOOST_TEST(c.produced == 3U);
  BOOST_TEST(c.acknowledged == 3U);
  BOOST_TEST(c.failed == 0U);
  BOOST_TEST(c.indeterminate == 0U);
  BOOST_TEST(c.delivered == 3U);
  BOOST_TEST(c.lost == 0U);
  BOOST_TEST(c.duplicated == 0U);
  BOOST_TEST(c.duplicate_applications == 0U);
  BOOST_TEST(c.redelivered_absorbed == 0U);
  BOOST_TEST(c.log_duplicates == 0U);
  BOOST_TEST(c.leader_append_duplicates == 0U);
  BOOST_TEST(c.reordered_within_key == 0U);
  BOOST_TEST(c.reordered_within_producer_partition == 0U);
  BOOST_TEST(c.reordered_within_producer == 0U);
  BOOST_TEST(c.failed_but_delivered == 0U);
  BOOST_TEST(c.aborted_but_delivered == 0U);
  BOOST_TEST(c.out_of_order_sequence_errors == 0U);
  BOOST_TEST(c.committed_missing_after_election == 0U);
  BOOST_TEST(c.divergent_replicas_below_hw == 0U);
  require_no_jepsen_anomaly(o);
  BOOST_TEST(o.verdicts.exactly_once);
  BOOST_TEST(o.verdicts.at_most_once);
  BOOST_TEST(o.verdicts.at_least_once);
  BOOST_TEST(o.verdicts.per_key_order);
  BOOST_TEST(o.verdicts.replication_ok);
  BOOST_TEST(o.lost.empty());
  BOOST_TEST(o.duplicated.empty());
  BOOST_REQUIRE(o.groups.size() == 1U);
  BOOST_TEST(o.groups[0].name == "billing");
  BOOST_TEST(o.groups[0].delivered == 3U);
  BOOST_REQUIRE(o.partitions.size() == 2U);
  BOOST_TEST(o.partitions[0].name == "orders-0");
  BOOST_TEST(o.partitions[0].produced == 2U);
  BOOST_TEST(o.partitions[0].final_leader == kBroker1);
  BOOST_TEST(o.partitions[0].final_log_end == 2);
  BOOST_TEST(o.partitions[0].final_high_watermark == 2);
  BOOST_TEST(o.partitions[1].final_log_end == 1);
}

// A delivery timeout leaves the write indeterminate (Jepsen's :info): reading it is A10
// (failed_but_delivered) but no G1a, which needs a definite failure.
BOOST_AUTO_TEST_CASE(failed_send_that_was_written_and_read_is_a10_not_g1a) {
  HistoryBuilder b = cluster();
  b.at(10).send(1, 0).attempt(1, 0, 0).append(kBroker1, 0, 0, 1, 1, true).append(kBroker2, 0, 0, 1, 1, false).hw(kBroker1, 0, 1);
  b.at(130'000).fail(1, 0, ErrorCode::delivery_timeout);
  b.at(130'010).read(kConsumer1, 0, 0, 0, 1);
  const Outcome o = check(b.build());
  BOOST_TEST(o.counters.produced == 1U);
  BOOST_TEST(o.counters.acknowledged == 0U);
  BOOST_TEST(o.counters.failed == 1U);
  BOOST_TEST(o.counters.indeterminate == 0U);
  BOOST_TEST(o.counters.delivered == 1U);
  BOOST_TEST(o.counters.failed_but_delivered == 1U);
  BOOST_TEST(o.counters.lost == 0U);
  BOOST_TEST(o.jepsen.g1a.count == 0U);
  BOOST_TEST(o.jepsen.unseen.count == 0U);
}

// The same write, but the application's final answer was a definite refusal
// (NOT_ENOUGH_REPLICAS, after an earlier attempt had been appended): reading it is G1a.
BOOST_AUTO_TEST_CASE(definitely_failed_send_that_was_read_is_g1a) {
  HistoryBuilder b = cluster();
  b.at(10).send(1, 0).attempt(1, 0, 0).append(kBroker1, 0, 0, 1, 1, true).append(kBroker2, 0, 0, 1, 1, false).hw(kBroker1, 0, 1);
  b.at(500).fail(1, 0, ErrorCode::not_enough_replicas);
  b.at(510).read(kConsumer1, 0, 0, 0, 1);
  const Outcome o = check(b.build());
  BOOST_TEST(o.counters.failed_but_delivered == 1U);
  BOOST_TEST(o.jepsen.g1a.count == 1U);
  BOOST_TEST(o.jepsen.g1a.examples == Examples{1}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(retry_duplicate_and_failover_loss_on_another_partition) {
  HistoryBuilder b;
  b.acks(ksim::history::Acks::leader).group("billing", "after-processing");
  b.at(0).elect(kBroker1, 0, 1).elect(kBroker2, 1, 1).assign(kConsumer1, 0, 0).assign(kConsumer1, 0, 1);
  // Partition 0: the first attempt lands but its answer is lost; the retry lands again.
  b.at(1000).send(1, 0).attempt(1, 0, 0).append(kBroker1, 0, 0, 1, 1, true);
  b.at(2003).attempt(1, 0, 1).append(kBroker1, 0, 1, 1, 1, true).append(kBroker2, 0, 0, 1, 1, false).append(kBroker2, 0, 1, 1, 1, false);
  b.at(2004).hw(kBroker1, 0, 2).ack(1, 0, 1);
  b.at(2100).read(kConsumer1, 0, 0, 0, 1).read(kConsumer1, 0, 0, 1, 1);
  // Partition 1: acks=1 write on broker-2 only, which fails over to broker-3.
  b.at(3000).send(2, 1).attempt(2, 1, 0).append(kBroker2, 1, 0, 2, 1, true).ack(2, 1, 0);
  b.at(4000).fault(kBroker2, FaultKind::crash).elect(kBroker3, 1, 2);
  b.at(4500).fault(kBroker2, FaultKind::restart).truncate(kBroker2, 1, 0, TruncationReason::divergent_epoch, 2);
  const Outcome o = check(b.build());
  BOOST_TEST(o.counters.produced == 2U);
  BOOST_TEST(o.counters.acknowledged == 2U);
  BOOST_TEST(o.counters.delivered == 1U);
  BOOST_TEST(o.counters.lost == 1U);
  BOOST_TEST(o.counters.duplicated == 1U);
  BOOST_TEST(o.counters.duplicate_applications == 1U);
  BOOST_TEST(o.counters.log_duplicates == 1U);
  BOOST_TEST(o.counters.leader_append_duplicates == 1U);
  BOOST_TEST(o.partitions[0].log_duplicates == 1U);
  BOOST_TEST(o.partitions[0].duplicated == 1U);
  BOOST_TEST(o.partitions[1].lost == 1U);
  BOOST_TEST(o.partitions[1].final_leader == kBroker3);
  BOOST_TEST(o.jepsen.duplicate.count == 1U);
  BOOST_TEST(o.jepsen.unseen.count == 1U);
  BOOST_TEST(o.jepsen.unseen.examples == Examples{2}, boost::test_tools::per_element());
  BOOST_REQUIRE(o.duplicated.size() == 1U);
  BOOST_TEST(o.duplicated[0].message_id == 1U);
  BOOST_TEST(o.duplicated[0].group == 0U);
  BOOST_TEST(to_string(o.duplicated[0].category) == "producer-retry-duplicate");
  BOOST_TEST(o.duplicated[0].explanation == "orders-0: appended twice (offsets 0 and 1): retried at 2.003 s (attempt 1), idempotence off");
  BOOST_REQUIRE(o.lost.size() == 1U);
  BOOST_TEST(o.lost[0].message_id == 2U);
  BOOST_TEST(to_string(o.lost[0].category) == "leader-failover-truncation");
  BOOST_TEST(o.lost[0].explanation ==
             "orders-1: acknowledged by leader broker-2 at offset 0 (epoch 1) with acks=1; truncated at 4.500 s when broker-3 became leader (epoch 2)");
  BOOST_TEST(duplicated_by(o, CauseCategory::producer_retry_duplicate) == 1U);
  BOOST_TEST(lost_by(o, CauseCategory::leader_failover_truncation) == 1U);
  BOOST_TEST(!o.verdicts.at_most_once);
  BOOST_TEST(!o.verdicts.at_least_once);
  BOOST_TEST(!o.verdicts.exactly_once);
}

BOOST_AUTO_TEST_CASE(message_in_flight_at_the_end_is_indeterminate_not_lost) {
  HistoryBuilder b = cluster();
  b.at(10).write(1, 0, 0).read(kConsumer1, 0, 0, 0, 1);
  b.at(20).send(2, 0).attempt(2, 0, 0);
  const Outcome o = check(b.build());
  BOOST_TEST(o.counters.produced == 2U);
  BOOST_TEST(o.counters.acknowledged == 1U);
  BOOST_TEST(o.counters.indeterminate == 1U);
  BOOST_TEST(o.counters.lost == 0U);
  BOOST_TEST(o.jepsen.unseen.count == 0U);
  BOOST_TEST(o.verdicts.exactly_once);
}

BOOST_AUTO_TEST_CASE(acks0_sends_dropped_on_the_network_are_lost) {
  HistoryBuilder b = cluster();
  b.acks(ksim::history::Acks::none);
  b.at(10).send(1, 0).attempt(1, 0, 0).ack(1, 0, kNoOffset);  // told success, dropped
  b.at(11).send(2, 0).attempt(2, 0, 0);                        // no ack record: still a success for acks=0
  b.at(12).send(3, 0).attempt(3, 0, 0).ack(3, 0, kNoOffset).append(kBroker1, 0, 0, 3, 1, true).hw(kBroker1, 0, 1);
  b.at(20).read(kConsumer1, 0, 0, 0, 3);
  const Outcome o = check(b.build());
  BOOST_TEST(o.counters.produced == 3U);
  BOOST_TEST(o.counters.acknowledged == 3U);
  BOOST_TEST(o.counters.indeterminate == 0U);
  BOOST_TEST(o.counters.delivered == 1U);
  BOOST_TEST(o.counters.lost == 2U);
  BOOST_TEST(lost_by(o, CauseCategory::network_drop_unacked_send) == 2U);
  BOOST_REQUIRE(o.lost.size() == 2U);
  BOOST_TEST(o.lost[0].message_id == 1U);
  BOOST_TEST(o.lost[1].message_id == 2U);
  BOOST_TEST(to_string(o.lost[1].category) == "network-drop-unacked-send");
  BOOST_TEST(o.lost[0].explanation == "orders-0: dropped on the network with acks=0 (never appended to any replica)");
  // Message 3 sits at offset 0 and was read: 1 and 2 have no offset, so they are unseen.
  BOOST_TEST(o.jepsen.unseen.count == 2U);
  BOOST_TEST(o.jepsen.lost_write.count == 0U);
}

BOOST_AUTO_TEST_CASE(idempotent_sink_absorbs_a_redelivery) {
  HistoryBuilder b = cluster("after-processing", true);
  b.at(10).write(1, 0, 0);
  b.at(1000).read(kConsumer1, 0, 0, 0, 1);
  b.at(2000).revoke(kConsumer1, 0, 0).assign(kConsumer1, 0, 0);  // no commit: offset 0 comes again
  b.at(2500).poll(kConsumer1, 0, 0, 0, 1).skip(kConsumer1, 0, 0, 0, 1).commit(kConsumer1, 0, 0, 1);
  const Outcome o = check(b.build());
  BOOST_TEST(o.counters.redelivered_absorbed == 1U);
  BOOST_TEST(o.groups[0].redelivered_absorbed == 1U);
  BOOST_TEST(o.counters.duplicated == 0U);
  BOOST_TEST(o.counters.duplicate_applications == 0U);
  BOOST_TEST(o.counters.delivered == 1U);
  BOOST_TEST(o.verdicts.exactly_once);
  require_no_jepsen_anomaly(o);  // the new assignment resets the poll cursor
}

BOOST_AUTO_TEST_CASE(reordering_across_partitions_is_not_a_per_key_violation) {
  HistoryBuilder b = cluster();
  b.at(10).write(1, 0, 0, 1).write(2, 1, 0, 2);
  b.at(20).read(kConsumer1, 0, 1, 0, 2).read(kConsumer1, 0, 0, 0, 1);
  const Outcome o = check(b.build());
  BOOST_TEST(o.counters.reordered_within_key == 0U);
  BOOST_TEST(o.counters.reordered_within_producer_partition == 0U);
  BOOST_TEST(o.counters.reordered_within_producer == 1U);
  BOOST_TEST(o.verdicts.per_key_order);
}

BOOST_AUTO_TEST_CASE(reordering_within_a_key_is_a_violation) {
  HistoryBuilder b = cluster("async");
  b.at(10).write(1, 0, 0, 7).write(2, 0, 1, 7).write(3, 0, 2, 8);
  b.at(20).poll(kConsumer1, 0, 0, 0, 1).poll(kConsumer1, 0, 0, 1, 2).poll(kConsumer1, 0, 0, 2, 3);
  b.at(30).apply(kConsumer1, 0, 0, 1, 2).apply(kConsumer1, 0, 0, 0, 1).apply(kConsumer1, 0, 0, 2, 3);
  const Outcome o = check(b.build());
  BOOST_TEST(o.counters.reordered_within_key == 1U);
  BOOST_TEST(o.groups[0].reordered_within_key == 1U);
  BOOST_TEST(o.reordered == (std::vector<std::uint64_t>{1}), boost::test_tools::per_element());  // applied after 2
  BOOST_TEST(o.counters.reordered_within_producer_partition == 1U);
  BOOST_TEST(o.counters.reordered_within_producer == 1U);
  BOOST_TEST(!o.verdicts.per_key_order);
  BOOST_TEST(o.verdicts.exactly_once);
}

namespace {
// A2: acks=1, the leader acknowledges, dies before followers fetch, a clean election picks
// broker-2, the old leader truncates on return.
HistoryBuilder acks1_failover(bool with_group) {
  HistoryBuilder b;
  b.acks(ksim::history::Acks::leader);
  if (with_group) b.group("billing", "after-processing");
  b.at(0).elect(kBroker1, 0, 3);
  if (with_group) b.assign(kConsumer1, 0, 0);
  b.at(1000).send(100, 0).attempt(100, 0, 0).append(kBroker1, 0, 17, 100, 3, true).ack(100, 0, 17);
  b.at(2000).fault(kBroker1, FaultKind::crash);
  b.at(5000).elect(kBroker2, 0, 4);
  b.at(5210).fault(kBroker1, FaultKind::restart).truncate(kBroker1, 0, 17, TruncationReason::divergent_epoch, 4);
  return b;
}
constexpr const char* kA2Explanation =
    "orders-0: acknowledged by leader broker-1 at offset 17 (epoch 3) with acks=1; truncated at 5.210 s when broker-2 became leader (epoch 4)";
}  // namespace

BOOST_AUTO_TEST_CASE(acks1_leader_failover_truncation_is_explained) {
  const Outcome o = check(acks1_failover(true).build());
  BOOST_TEST(o.counters.lost == 1U);
  BOOST_TEST(o.groups[0].lost == 1U);
  BOOST_TEST(lost_by(o, CauseCategory::leader_failover_truncation) == 1U);
  BOOST_REQUIRE(o.lost.size() == 1U);
  BOOST_TEST(o.lost[0].message_id == 100U);
  BOOST_TEST(o.lost[0].group == 0U);
  BOOST_TEST(o.lost[0].explanation == kA2Explanation);
  BOOST_TEST(o.counters.committed_missing_after_election == 0U);  // never below a HW
  BOOST_TEST(o.jepsen.unseen.count == 1U);
  BOOST_TEST(o.partitions[0].final_leader == kBroker2);
}

BOOST_AUTO_TEST_CASE(without_groups_loss_is_judged_on_the_final_log) {
  const Outcome o = check(acks1_failover(false).build());
  BOOST_TEST(o.groups.empty());
  BOOST_TEST(o.counters.lost == 1U);
  BOOST_REQUIRE(o.lost.size() == 1U);
  BOOST_TEST(o.lost[0].group == kNoGroup);
  BOOST_TEST(o.lost[0].explanation == kA2Explanation);
  BOOST_TEST(o.jepsen.unseen.count == 0U);  // nobody was meant to read
}

BOOST_AUTO_TEST_CASE(commit_before_process_crash_loses_the_message) {
  HistoryBuilder b = cluster("before-processing");
  b.at(100).write(1, 0, 0).write(2, 0, 1);
  b.at(7000).poll(kConsumer1, 0, 0, 0, 1).commit(kConsumer1, 0, 0, 1);
  b.at(7300).fault(kConsumer1, FaultKind::crash);
  b.at(9000).assign(kConsumer2, 0, 0).poll(kConsumer2, 0, 0, 1, 2).commit(kConsumer2, 0, 0, 2).apply(kConsumer2, 0, 0, 1, 2);
  const Outcome o = check(b.build());
  BOOST_TEST(o.counters.lost == 1U);
  BOOST_TEST(o.counters.delivered == 1U);
  BOOST_TEST(lost_by(o, CauseCategory::commit_before_process) == 1U);
  BOOST_REQUIRE(o.lost.size() == 1U);
  BOOST_TEST(o.lost[0].message_id == 1U);
  BOOST_TEST(to_string(o.lost[0].category) == "commit-before-process");
  BOOST_TEST(o.lost[0].explanation == "orders-0: offset 0 skipped: consumer-1 committed offset 1 before processing, crashed at 7.300 s");
  require_no_jepsen_anomaly(o);  // it was polled: Jepsen sees nothing wrong
  BOOST_TEST(o.verdicts.at_most_once);
  BOOST_TEST(!o.verdicts.at_least_once);
}

BOOST_AUTO_TEST_CASE(auto_commit_ahead_of_processing_loses_the_message) {
  HistoryBuilder b = cluster("auto");
  b.at(100).write(1, 0, 0).write(2, 0, 1);
  b.at(1000).poll(kConsumer1, 0, 0, 0, 1).poll(kConsumer1, 0, 0, 1, 2);
  b.at(1500).commit(kConsumer1, 0, 0, 2);
  b.at(1600).apply(kConsumer1, 0, 0, 0, 1);
  b.at(1700).fault(kConsumer1, FaultKind::crash);
  b.at(3000).assign(kConsumer2, 0, 0);
  const Outcome o = check(b.build());
  BOOST_REQUIRE(o.lost.size() == 1U);
  BOOST_TEST(o.lost[0].message_id == 2U);
  BOOST_TEST(to_string(o.lost[0].category) == "auto-commit-ahead");
  BOOST_TEST(o.lost[0].explanation ==
             "orders-0: offset 1 skipped: consumer-1 auto-committed offset 2 at 1.500 s before processing it, crashed at 1.700 s");
}

// KIP-320 not in force: the group read offset 1 (message 2) from broker-1, broker-2 won an
// unclean election with a log ending at offset 1 and wrote message 3 there, and the consumer
// read on from offset 2: message 3 is skipped (message 2 was applied, so it is not lost).
BOOST_AUTO_TEST_CASE(a_consumer_reading_on_after_a_truncation_skips_undetected) {
  HistoryBuilder b = cluster();
  b.at(100).write(1, 0, 0);
  b.at(200).send(2, 0).attempt(2, 0, 0).append(kBroker1, 0, 1, 2, 1, true).hw(kBroker1, 0, 2).ack(2, 0, 1);
  b.at(1000).read(kConsumer1, 0, 0, 0, 1).read(kConsumer1, 0, 0, 1, 2).commit(kConsumer1, 0, 0, 2);
  b.at(2000).elect(kBroker2, 0, 2, true);
  b.at(2100).send(3, 0).attempt(3, 0, 0).append(kBroker2, 0, 1, 3, 2, true).ack(3, 0, 1);
  b.at(2200).send(4, 0).attempt(4, 0, 0).append(kBroker2, 0, 2, 4, 2, true).hw(kBroker2, 0, 3, 2).ack(4, 0, 2);
  b.at(2500).truncate(kBroker1, 0, 1, TruncationReason::divergent_epoch, 2).append(kBroker1, 0, 1, 3, 2, false);
  b.at(3000).read(kConsumer1, 0, 0, 2, 4).commit(kConsumer1, 0, 0, 3);
  const Outcome o = check(b.build());
  BOOST_REQUIRE(o.lost.size() == 1U);
  BOOST_TEST(o.lost[0].message_id == 3U);
  BOOST_TEST(to_string(o.lost[0].category) == "undetected-truncation");
  BOOST_TEST(o.lost[0].explanation ==
             "orders-0: offset 1: written there at 2.100 s (leader epoch 2); group billing had read up to offset 1 by "
             "1.000 s, before broker-2 was elected leader (epoch 2) at 2.000 s in an unclean election, and none of "
             "its polls went back to offset 1 or below: its consumer read on above it: the log's rewrite went "
             "undetected (no leader epoch in its fetches or resumed position: KIP-320, Java client 2.3)");
}

// KIP-320 not in force, rule c: broker-2 wins an unclean election and writes message 3 at
// offset 1; the consumer then reads offsets 0 to 2 in one poll from broker-1, not yet fenced,
// whose log holds message 2 there. The group read offset 1 itself (not only 2) at that poll:
// the frontier keeps the poll's offsets as one run, and the explanation names offset 1.
BOOST_AUTO_TEST_CASE(a_consumer_reading_a_stale_leader_after_the_rewrite_names_the_offset_it_read) {
  HistoryBuilder b = cluster();
  b.at(100).write(1, 0, 0);
  b.at(200).send(2, 0).attempt(2, 0, 0).append(kBroker1, 0, 1, 2, 1, true);
  b.at(300).send(5, 0).attempt(5, 0, 0).append(kBroker1, 0, 2, 5, 1, true);
  b.at(2000).elect(kBroker2, 0, 2, true);
  b.at(2100).send(3, 0).attempt(3, 0, 0).append(kBroker2, 0, 1, 3, 2, true).hw(kBroker2, 0, 2, 2).ack(3, 0, 1);
  b.at(2300).read(kConsumer1, 0, 0, 0, 1).read(kConsumer1, 0, 0, 1, 2).read(kConsumer1, 0, 0, 2, 5);
  const Outcome o = check(b.build());
  BOOST_REQUIRE(o.lost.size() == 1U);
  BOOST_TEST(o.lost[0].message_id == 3U);
  BOOST_TEST(to_string(o.lost[0].category) == "undetected-truncation");
  BOOST_TEST(o.lost[0].explanation.find("group billing read up to offset 1 by 2.300 s") != std::string::npos,
             o.lost[0].explanation);
}

BOOST_AUTO_TEST_CASE(reset_latest_skips_earlier_records) {
  HistoryBuilder b;
  b.group("billing", "after-processing");
  b.at(0).elect(kBroker1, 0, 1);
  b.at(100).write(1, 0, 0);
  b.at(1000).assign(kConsumer1, 0, 0).write(2, 0, 1);
  b.at(1100).read(kConsumer1, 0, 0, 1, 2);
  const Outcome o = check(b.build());
  BOOST_REQUIRE(o.lost.size() == 1U);
  BOOST_TEST(to_string(o.lost[0].category) == "reset-latest-skip");
  BOOST_TEST(o.lost[0].explanation ==
             "orders-0: written at offset 0, but group billing first read the partition at offset 1 (1.100 s): "
             "auto.offset.reset=latest started past it");
  BOOST_TEST(o.jepsen.lost_write.count == 1U);
  BOOST_TEST(o.jepsen.lost_write.examples == Examples{1}, boost::test_tools::per_element());
}

// A member that rejoins gives its partition up and gets it back at the instant it applied
// a record (the rebalance ran in the same event, after the application): the revocation's
// processed end says the record came first, so the rebalance explains the second
// application. Without that (processed end at the record), nothing explains it.
BOOST_AUTO_TEST_CASE(rebalance_at_the_instant_of_the_first_application_redelivers) {
  for (const std::int64_t processed_end : {1, 0}) {
    HistoryBuilder b = cluster();
    b.at(100).write(1, 0, 0);
    b.at(1000).read(kConsumer1, 0, 0, 0, 1).revoke(kConsumer1, 0, 0, processed_end).assign(kConsumer1, 0, 0);
    b.at(2500).read(kConsumer1, 0, 0, 0, 1).commit(kConsumer1, 0, 0, 1);
    const Outcome o = check(b.build());
    BOOST_TEST(o.counters.duplicated == 1U);
    const auto expected = processed_end == 1 ? CauseCategory::rebalance_redelivery : CauseCategory::unknown;
    BOOST_TEST(duplicated_by(o, expected) == 1U);
    if (processed_end == 1 && o.duplicated.size() == 1U) {
      BOOST_TEST(o.duplicated[0].explanation ==
                 "orders-0: applied by consumer-1 at 1.000 s; reassigned to consumer-1 at 1.000 s; applied again by "
                 "consumer-1 at 2.500 s");
    }
  }
}

BOOST_AUTO_TEST_CASE(rebalance_redelivery_duplicates_an_effect) {
  HistoryBuilder b = cluster();
  b.at(100).write(1, 0, 0);
  b.at(1000).read(kConsumer1, 0, 0, 0, 1);
  b.at(2000).revoke(kConsumer1, 0, 0).assign(kConsumer2, 0, 0);
  b.at(2500).read(kConsumer2, 0, 0, 0, 1).commit(kConsumer2, 0, 0, 1);
  const Outcome o = check(b.build());
  BOOST_TEST(o.counters.duplicated == 1U);
  BOOST_TEST(o.counters.duplicate_applications == 1U);
  BOOST_TEST(o.counters.log_duplicates == 0U);
  BOOST_TEST(o.counters.lost == 0U);
  BOOST_TEST(duplicated_by(o, CauseCategory::rebalance_redelivery) == 1U);
  BOOST_REQUIRE(o.duplicated.size() == 1U);
  BOOST_TEST(to_string(o.duplicated[0].category) == "rebalance-redelivery");
  BOOST_TEST(o.duplicated[0].explanation ==
             "orders-0: applied by consumer-1 at 1.000 s; reassigned to consumer-2 at 2.000 s; applied again by consumer-2 at 2.500 s");
  require_no_jepsen_anomaly(o);
  BOOST_TEST(!o.verdicts.at_most_once);
  BOOST_TEST(o.verdicts.at_least_once);
}

// A bound stopped the run before its drain completed: what the group had not read yet is
// counted lost (the run is inconclusive), with a cause that says so rather than unknown.
BOOST_AUTO_TEST_CASE(unread_when_a_bound_stopped_the_run) {
  HistoryBuilder b = cluster();
  b.at(100).write(1, 0, 0).write(2, 0, 1);
  b.at(1000).read(kConsumer1, 0, 0, 0, 1);
  History stopped = b.at(2000).build();
  stopped.drain_completed = false;
  const Outcome o = check(stopped);
  BOOST_REQUIRE(o.lost.size() == 1U);
  BOOST_TEST(to_string(o.lost[0].category) == "unread-when-stopped");
  BOOST_TEST(o.lost[0].explanation ==
             "orders-0: offset 1 not read yet by group billing (read up to offset 0) when a bound stopped the run at "
             "2.000 s, before the drain completed");
  // The same history with its drain completed: nothing explains the loss.
  const Outcome completed = check(b.build());
  BOOST_REQUIRE(completed.lost.size() == 1U);
  BOOST_TEST(to_string(completed.lost[0].category) == "unknown");
}

// At-most-once on a ZooKeeper-era cluster: the group commits before processing, the offsets
// partition loses the commit (a bounced leader's unflushed log), the coordinator's reload
// finds nothing and the group reads the partition again from the start.
HistoryBuilder commit_then_reload(std::vector<std::tuple<std::uint32_t, std::uint32_t, std::int64_t>> found) {
  HistoryBuilder b = cluster("before-processing");
  b.at(100).write(1, 0, 0);
  b.at(1000).poll(kConsumer1, 0, 0, 0, 1).commit(kConsumer1, 0, 0, 1);
  b.at(1010).commit_acknowledged(kConsumer1, 0, 0, 1);
  b.at(1020).apply(kConsumer1, 0, 0, 0, 1);
  b.at(3000).coordinator_load(kBroker1, 1, std::move(found));
  b.at(4000).revoke(kConsumer1, 0, 0).assign(kConsumer1, 0, 0);
  b.at(4100).read(kConsumer1, 0, 0, 0, 1);
  return b;
}

BOOST_AUTO_TEST_CASE(a_lost_commit_redelivers_with_its_own_cause) {
  const Outcome o = check(commit_then_reload({}).build());
  BOOST_TEST(o.counters.duplicated == 1U);
  BOOST_TEST(duplicated_by(o, CauseCategory::committed_offset_lost) == 1U);
  BOOST_REQUIRE(o.duplicated.size() == 1U);
  BOOST_TEST(o.duplicated[0].explanation ==
             "orders-0: applied by consumer-1 at 1.020 s; consumer-1 committed offset 1 at 1.010 s (acknowledged); broker-1 "
             "loaded the group's offsets as coordinator at 3.000 s (offsets partition epoch 1) and found no committed "
             "offset: the offsets partition had lost the commit; applied again by consumer-1 at 4.100 s");
  // Found, but below the commit: lost too.
  const Outcome below = check(commit_then_reload({{0, 0, 0}}).build());
  BOOST_TEST(duplicated_by(below, CauseCategory::committed_offset_lost) == 1U);
}

BOOST_AUTO_TEST_CASE(a_reload_that_finds_the_commit_is_not_a_lost_commit) {
  const Outcome o = check(commit_then_reload({{0, 0, 1}}).build());
  BOOST_TEST(o.counters.duplicated == 1U);
  BOOST_TEST(duplicated_by(o, CauseCategory::committed_offset_lost) == 0U);
  BOOST_TEST(duplicated_by(o, CauseCategory::rebalance_redelivery) == 1U);
}

BOOST_AUTO_TEST_CASE(epoch_bump_resend_duplicates_under_idempotence) {
  HistoryBuilder b = cluster();
  b.idempotence(true);
  b.at(1000).send(1, 0).attempt(1, 0, 0, 0).append(kBroker1, 0, 0, 1, 1, true);
  b.at(2000).attempt(1, 0, 1, 1).append(kBroker1, 0, 1, 1, 1, true).hw(kBroker1, 0, 2).ack(1, 0, 1);
  b.at(3000).read(kConsumer1, 0, 0, 0, 1).read(kConsumer1, 0, 0, 1, 1);
  const Outcome o = check(b.build());
  BOOST_REQUIRE(o.duplicated.size() == 1U);
  BOOST_TEST(to_string(o.duplicated[0].category) == "epoch-bump-duplicate");
  BOOST_TEST(o.duplicated[0].explanation == "orders-0: appended twice (offsets 0 and 1): resent at 2.000 s under producer epoch 1 (was 0)");
}

BOOST_AUTO_TEST_CASE(unclean_election_loses_committed_records_and_leaves_divergent_replicas) {
  HistoryBuilder b = cluster();
  b.at(100).send(1, 0).attempt(1, 0, 0).append(kBroker1, 0, 0, 1, 1, true).append(kBroker2, 0, 0, 1, 1, false);
  b.hw(kBroker1, 0, 1).ack(1, 0, 0);
  b.at(200).send(3, 0).attempt(3, 0, 0).append(kBroker1, 0, 1, 3, 1, true).append(kBroker2, 0, 1, 3, 1, false);
  b.hw(kBroker1, 0, 2).ack(3, 0, 1);
  b.at(300).read(kConsumer1, 0, 0, 0, 1);
  b.at(3000).fault(kBroker1, FaultKind::crash).elect(kBroker3, 0, 2, true);
  b.at(3100).send(2, 0).attempt(2, 0, 0).append(kBroker3, 0, 0, 2, 2, true).hw(kBroker3, 0, 1).ack(2, 0, 0);
  b.at(3200).read(kConsumer1, 0, 0, 0, 2);
  b.at(3500).truncate(kBroker1, 0, 0, TruncationReason::divergent_epoch, 2);
  const Outcome o = check(b.build());
  BOOST_TEST(o.counters.committed_missing_after_election == 2U);  // messages 1 and 3
  BOOST_TEST(o.counters.divergent_replicas_below_hw == 1U);       // broker-2 still holds 1 at offset 0
  BOOST_TEST(!o.verdicts.replication_ok);
  BOOST_TEST(o.counters.lost == 1U);  // 1 was applied before the election
  BOOST_REQUIRE(o.lost.size() == 1U);
  BOOST_TEST(o.lost[0].message_id == 3U);
  BOOST_TEST(to_string(o.lost[0].category) == "unclean-election");
  BOOST_TEST(o.lost[0].explanation ==
             "orders-0: acknowledged by leader broker-1 at offset 1 (epoch 1) with acks=all; truncated at 3.500 s when broker-3 became "
             "leader (epoch 2) in an unclean election");
  BOOST_TEST(o.jepsen.inconsistent_offsets.count == 1U);
  BOOST_TEST(o.jepsen.inconsistent_offsets.examples == (Examples{1, 2}), boost::test_tools::per_element());
  BOOST_TEST(o.jepsen.nonmonotonic_poll.count == 1U);
  BOOST_TEST(o.jepsen.nonmonotonic_poll.examples == Examples{2}, boost::test_tools::per_element());
  BOOST_TEST(o.jepsen.unseen.count == 1U);
  BOOST_TEST(o.jepsen.unseen.examples == Examples{3}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(power_loss_of_the_unflushed_tail) {
  HistoryBuilder b = cluster();
  b.at(100).write(1, 0, 0);
  b.at(3000).fault(kBroker1, FaultKind::power_failure);
  b.at(3100).truncate(kBroker1, 0, 0, TruncationReason::power_failure, 1).truncate(kBroker2, 0, 0, TruncationReason::power_failure, 1);
  b.truncate(kBroker3, 0, 0, TruncationReason::power_failure, 1);
  b.at(3200).elect(kBroker1, 0, 2);
  const Outcome o = check(b.build());
  BOOST_REQUIRE(o.lost.size() == 1U);
  BOOST_TEST(to_string(o.lost[0].category) == "power-loss-unflushed");
  BOOST_TEST(o.lost[0].explanation ==
             "orders-0: acknowledged by leader broker-1 at offset 0 (epoch 1) with acks=all; unflushed tail lost in broker-1's power "
             "failure (truncated at 3.100 s)");
  BOOST_TEST(o.counters.committed_missing_after_election == 1U);
}

// A5 seen from the read side (issue 11, bug 8): the group read and committed offset 0,
// then every replica lost power with its tail unflushed, broker-2 became leader of an
// empty log and a new message landed at offset 0, behind the group's committed position.
// Before rule 3.b0 its loss was `unknown` (a commit past it by an after-processing group).
BOOST_AUTO_TEST_CASE(offsets_written_again_after_overlapping_power_failures) {
  HistoryBuilder b = cluster();
  b.at(10).write(1, 0, 0);
  b.at(20).read(kConsumer1, 0, 0, 0, 1).commit(kConsumer1, 0, 0, 1);
  b.at(1000).fault(kBroker1, FaultKind::power_failure).truncate(kBroker1, 0, 0, TruncationReason::power_failure, 1);
  b.at(1400).fault(kBroker2, FaultKind::power_failure).truncate(kBroker2, 0, 0, TruncationReason::power_failure, 1);
  b.at(1500).fault(kBroker3, FaultKind::power_failure).truncate(kBroker3, 0, 0, TruncationReason::power_failure, 1);
  b.at(2200).elect(kBroker2, 0, 2);
  b.at(2300).send(2, 0).attempt(2, 0, 0).append(kBroker2, 0, 0, 2, 2, true).append(kBroker1, 0, 0, 2, 2, false);
  b.hw(kBroker2, 0, 1).ack(2, 0, 0);
  const Outcome o = check(b.build());
  BOOST_REQUIRE(o.lost.size() == 1U);
  BOOST_TEST(o.lost[0].message_id == 2U);
  BOOST_TEST(to_string(o.lost[0].category) == "power-loss-unflushed");
  BOOST_TEST(lost_by(o, CauseCategory::unknown) == 0U);
  BOOST_TEST(o.lost[0].explanation ==
             "orders-0: offset 0 written again after power failures lost the replicas' unflushed tails (broker-1 lost power "
             "at 1.000 s (log cut to offset 0), broker-2 lost power at 1.400 s (log cut to offset 0), broker-3 lost power at "
             "1.500 s (log cut to offset 0)); broker-2 became leader (epoch 2) at 2.200 s; group billing had committed past "
             "offset 0 at 0.020 s, before this message was written there, so it never read it");
}

// The same rewind when the message was sent before the group's commit but a leader appended
// it only after the power failures (a retry into the rewound log): without a new election
// (a ZooKeeper-era controller that missed the bounces) it was `unknown` before.
BOOST_AUTO_TEST_CASE(a_message_sent_before_the_commit_but_written_after_the_rewind) {
  HistoryBuilder b = cluster();
  b.at(10).write(1, 0, 0);
  b.at(15).send(2, 0);
  b.at(20).read(kConsumer1, 0, 0, 0, 1).commit(kConsumer1, 0, 0, 1);
  b.at(1000).fault(kBroker1, FaultKind::power_failure).truncate(kBroker1, 0, 0, TruncationReason::power_failure, 1);
  b.at(2300).attempt(2, 0, 1).append(kBroker1, 0, 0, 2, 1, true).hw(kBroker1, 0, 1).ack(2, 0, 0);
  const Outcome o = check(b.build());
  BOOST_REQUIRE(o.lost.size() == 1U);
  BOOST_TEST(o.lost[0].message_id == 2U);
  BOOST_TEST(to_string(o.lost[0].category) == "power-loss-unflushed");
  BOOST_TEST(o.lost[0].explanation.find("no election on record after them") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(hw_truncation_before_kip101) {
  HistoryBuilder b = cluster();
  b.at(100).send(1, 0).attempt(1, 0, 0).append(kBroker1, 0, 0, 1, 1, true).append(kBroker2, 0, 0, 1, 1, false);
  b.hw(kBroker1, 0, 1).ack(1, 0, 0);
  b.at(500).truncate(kBroker2, 0, 0, TruncationReason::high_watermark, 1);  // broker-2 restarted with a stale HW of 0
  b.at(600).fault(kBroker1, FaultKind::crash).elect(kBroker2, 0, 2);
  const Outcome o = check(b.build());
  BOOST_REQUIRE(o.lost.size() == 1U);
  BOOST_TEST(to_string(o.lost[0].category) == "hw-truncation");
  BOOST_TEST(o.lost[0].explanation ==
             "orders-0: acknowledged by leader broker-1 at offset 0 (epoch 1) with acks=all; broker-2 truncated to its high watermark "
             "(offset 0) at 0.500 s, then broker-2 became leader (epoch 2) at 0.600 s");
}

BOOST_AUTO_TEST_CASE(poll_skip_lost_write_and_nonmonotonic_send) {
  HistoryBuilder b = cluster();
  b.at(10).write(1, 0, 0).write(2, 0, 1).write(3, 0, 2);
  // Sent 4 then 5, but 5 lands first.
  b.at(20).send(4, 0).attempt(4, 0, 0).send(5, 0).attempt(5, 0, 0);
  b.append(kBroker1, 0, 3, 5, 1, true).append(kBroker1, 0, 4, 4, 1, true).hw(kBroker1, 0, 5).ack(5, 0, 3).ack(4, 0, 4);
  b.at(30).read(kConsumer1, 0, 0, 0, 1).read(kConsumer1, 0, 0, 2, 3);
  b.fail(6, 0, ErrorCode::out_of_order_sequence);
  const Outcome o = check(b.build());
  BOOST_TEST(o.jepsen.poll_skip.count == 1U);
  BOOST_TEST(o.jepsen.poll_skip.examples == Examples{3}, boost::test_tools::per_element());
  BOOST_TEST(o.jepsen.lost_write.count == 1U);
  BOOST_TEST(o.jepsen.lost_write.examples == Examples{2}, boost::test_tools::per_element());
  // Jepsen's unseen includes the lost-write (2).
  BOOST_TEST(o.jepsen.unseen.count == 3U);
  BOOST_TEST(o.jepsen.unseen.examples == (Examples{2, 4, 5}), boost::test_tools::per_element());
  BOOST_TEST(o.jepsen.nonmonotonic_send.count == 1U);
  BOOST_TEST(o.jepsen.nonmonotonic_send.examples == Examples{5}, boost::test_tools::per_element());
  BOOST_TEST(o.counters.out_of_order_sequence_errors == 1U);
  BOOST_TEST(o.counters.lost == 3U);
  BOOST_TEST(o.counters.produced == 5U);  // 6 has no send record
}

// Two sends of one producer acknowledged at the same offset (the second overwrote the
// first after a truncation): Jepsen's nonmonotonic-send flags equal positions too.
BOOST_AUTO_TEST_CASE(nonmonotonic_send_flags_an_equal_offset) {
  HistoryBuilder b = cluster();
  b.at(10).send(1, 0).attempt(1, 0, 0).append(kBroker1, 0, 0, 1, 1, true).hw(kBroker1, 0, 1).ack(1, 0, 0);
  b.at(20).truncate(kBroker1, 0, 0, TruncationReason::divergent_epoch, 2);
  b.at(30).send(2, 0).attempt(2, 0, 0).append(kBroker1, 0, 0, 2, 2, true).hw(kBroker1, 0, 1).ack(2, 0, 0);
  const Outcome o = check(b.build());
  BOOST_TEST(o.jepsen.nonmonotonic_send.count == 1U);
  BOOST_TEST(o.jepsen.nonmonotonic_send.examples == Examples{2}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(examples_are_capped_and_sorted) {
  HistoryBuilder b = cluster();
  for (std::uint64_t id = 30; id > 0; --id) b.at(10).write(id, 0, static_cast<std::int64_t>(30 - id));
  const Outcome o = check(b.build(), CheckOptions{.max_examples = 3});
  BOOST_TEST(o.jepsen.unseen.count == 30U);
  BOOST_TEST(o.jepsen.unseen.examples == (Examples{1, 2, 3}), boost::test_tools::per_element());
  BOOST_REQUIRE(o.lost.size() == 30U);
  BOOST_TEST(o.lost.front().message_id == 1U);
  BOOST_TEST(o.lost.back().message_id == 30U);
}

BOOST_AUTO_TEST_CASE(sparse_message_ids_are_indexed) {
  HistoryBuilder b = cluster();
  b.at(10).write(1ULL << 60, 0, 0).write(5, 0, 1).write(~0ULL - 1, 0, 2);
  b.at(20).read(kConsumer1, 0, 0, 0, 1ULL << 60).read(kConsumer1, 0, 0, 2, ~0ULL - 1);
  const Outcome o = check(b.build());
  BOOST_TEST(o.counters.delivered == 2U);
  BOOST_REQUIRE(o.lost.size() == 1U);
  BOOST_TEST(o.lost[0].message_id == 5U);
}

BOOST_AUTO_TEST_CASE(cause_category_names) {
  const std::vector<std::string_view> expected = {
      "network-drop-unacked-send", "leader-failover-truncation", "unclean-election", "power-loss-unflushed", "hw-truncation",
      "producer-retry-duplicate", "epoch-bump-duplicate", "commit-before-process", "auto-commit-ahead", "rebalance-redelivery",
      "reset-latest-skip", "aborted-read", "abort-without-seek",
      "power-lost-leader-elected", "hanging-transaction", "committed-offset-lost", "undetected-truncation", "unread-when-stopped", "unknown"};
  BOOST_REQUIRE(expected.size() == kCauseCategoryCount);
  for (std::size_t i = 0; i < kCauseCategoryCount; ++i) BOOST_TEST(to_string(static_cast<CauseCategory>(i)) == expected[i]);
}

BOOST_AUTO_TEST_CASE(empty_history) {
  const Outcome o = check(History{});
  BOOST_TEST(o.counters.produced == 0U);
  BOOST_TEST(o.verdicts.exactly_once);
  BOOST_TEST(o.partitions.empty());
}

namespace {
// Groups "uncommitted" (0) and "committed" (1, read_committed) on one partition: transaction
// 0 commits message 1 (offset 0, marker at 1), transaction 1 aborts message 2 (offset 2,
// marker at 3), transaction 2 commits message 3 (offset 4, marker at 5).
HistoryBuilder transactions_with_one_abort() {
  HistoryBuilder b;
  b.group("uncommitted", "after-processing").group("committed", "after-processing", false, {}, true);
  b.at(1).send_in_transaction(1, 0, 0).append(kBroker1, 0, 0, 1, 1, true);
  b.at(2).transaction_ended(0, true).marker(kBroker1, 0, 1, true).ack(1, 0, 0);
  b.at(3).send_in_transaction(2, 0, 1).append(kBroker1, 0, 2, 2, 1, true);
  b.at(4).transaction_ended(1, false).marker(kBroker1, 0, 3, false).fail(2, 0, ErrorCode::transaction_aborted);
  b.at(5).send_in_transaction(3, 0, 2).append(kBroker1, 0, 4, 3, 1, true);
  b.at(6).transaction_ended(2, true).marker(kBroker1, 0, 5, true).ack(3, 0, 4).hw(kBroker1, 0, 6);
  return b;
}
}  // namespace

// A14 on a hand-built history: transaction 0 commits message 1, transaction 1 aborts
// message 2; markers sit at offsets 1 and 3. A read_uncommitted group applies both
// messages (offsets 0 and 2): message 2 is aborted-but-delivered and G1a, not A10, and
// stepping over marker offsets is no poll-skip. A read_committed group applies only
// message 1, passing over the aborted record and both markers.
BOOST_AUTO_TEST_CASE(aborted_transaction_read_uncommitted_is_counted_markers_are_no_messages) {
  HistoryBuilder b = transactions_with_one_abort();
  b.at(7).read(kConsumer1, 0, 0, 0, 1).read(kConsumer1, 0, 0, 2, 2).read(kConsumer1, 0, 0, 4, 3);
  b.at(8).read(kConsumer2, 1, 0, 0, 1).read(kConsumer2, 1, 0, 4, 3);
  const Outcome o = check(b.build());
  BOOST_TEST(o.counters.produced == 3u);
  BOOST_TEST(o.counters.acknowledged == 2u);
  BOOST_TEST(o.counters.failed == 1u);
  BOOST_TEST(o.counters.delivered == 3u);
  BOOST_TEST(o.counters.aborted_but_delivered == 1u);
  BOOST_TEST(o.counters.failed_but_delivered == 0u);
  BOOST_TEST(o.counters.lost == 0u);
  BOOST_TEST(o.counters.duplicated == 0u);
  BOOST_TEST(o.counters.log_duplicates == 0u);  // markers are no copies of anything
  BOOST_TEST(o.jepsen.g1a.count == 1u);
  BOOST_TEST(o.jepsen.g1a.examples == Examples{2}, boost::test_tools::per_element());
  BOOST_TEST(o.jepsen.poll_skip.count == 0u);
  BOOST_TEST(o.groups[1].delivered == 2u);
}

// The same log, but the read_uncommitted group skips from offset 0 to offset 4 over the
// aborted record: that is a poll-skip for it (it should have seen offset 2), while the
// read_committed group's identical jump is not.
BOOST_AUTO_TEST_CASE(skipping_an_aborted_record_is_a_poll_skip_only_for_read_uncommitted) {
  HistoryBuilder b = transactions_with_one_abort();
  b.at(7).read(kConsumer1, 0, 0, 0, 1).read(kConsumer1, 0, 0, 4, 3);
  b.at(8).read(kConsumer2, 1, 0, 0, 1).read(kConsumer2, 1, 0, 4, 3);
  const Outcome o = check(b.build());
  BOOST_TEST(o.jepsen.poll_skip.count == 1u);
  BOOST_TEST(o.counters.aborted_but_delivered == 0u);
  BOOST_TEST(o.counters.lost == 0u);
}

// consume-transform-produce: consumer-1 processes offsets 0-1 in transaction 0, which
// aborts; it does not seek back, processes offset 2 in transaction 1 and commits offset 3
// there. Offset 0 was processed again in transaction 2 (committed): delivered once, no
// duplicate (the aborted effect never counted). Offset 1 never was: lost, abort-without-seek.
BOOST_AUTO_TEST_CASE(effects_count_only_in_committed_transactions) {
  HistoryBuilder b;
  b.group("enricher", "transactional", false, {}, true);
  b.at(1).write(1, 0, 0).write(2, 0, 1).write(3, 0, 2);
  b.at(2).poll(kConsumer1, 0, 0, 0, 1).apply_in_transaction(kConsumer1, 0, 0, 0, 1, 0);
  b.poll(kConsumer1, 0, 0, 1, 2).apply_in_transaction(kConsumer1, 0, 0, 1, 2, 0);
  b.at(3).transaction_ended(0, false, kConsumer1);
  b.at(4).poll(kConsumer1, 0, 0, 2, 3).apply_in_transaction(kConsumer1, 0, 0, 2, 3, 1);
  b.at(5).transaction_ended(1, true, kConsumer1).commit(kConsumer1, 0, 0, 3);
  b.at(6).apply_in_transaction(kConsumer1, 0, 0, 0, 1, 2).transaction_ended(2, true, kConsumer1);
  const Outcome o = check(b.build());
  BOOST_TEST(o.counters.delivered == 2u);
  BOOST_TEST(o.counters.duplicated == 0u);
  BOOST_TEST(o.counters.lost == 1u);
  BOOST_TEST(lost_by(o, CauseCategory::abort_without_seek) == 1u);
  BOOST_TEST_REQUIRE(o.lost.size() == 1u);
  BOOST_TEST(o.lost[0].message_id == 2u);
  BOOST_TEST(o.lost[0].explanation ==
             "orders-0: offset 1 processed at 0.002 s in a transaction that aborted; the consumer kept its position (no "
             "seek back), and consumer-1 committed offset 3 in a later transaction at 0.005 s");
}

// Two members at once: consumer-2 was given partition 0 while consumer-1 still processed
// what it had polled; both apply message 1. And message 2 is in the log twice because the
// application resent it after its producer restarted (attempt 0 after the send, no retry).
BOOST_AUTO_TEST_CASE(duplicates_from_two_owners_and_from_a_resend_after_restart_are_explained) {
  HistoryBuilder b;
  b.group("billing", "after-processing");
  b.at(1).write(1, 0, 0).assign(kConsumer1, 0, 0).poll(kConsumer1, 0, 0, 0, 1);
  b.at(2).assign(kConsumer2, 0, 0).poll(kConsumer2, 0, 0, 0, 1);
  b.at(3).apply(kConsumer1, 0, 0, 0, 1);
  b.at(4).apply(kConsumer2, 0, 0, 0, 1);
  b.at(5).send(2, 1).append(kBroker1, 1, 0, 2, 1, true).append(kBroker2, 1, 0, 2, 1, false);
  b.at(6).fault(kProducer, FaultKind::crash).at(7).fault(kProducer, FaultKind::restart);
  b.at(8).attempt(2, 1, 0).append(kBroker1, 1, 1, 2, 1, true).append(kBroker2, 1, 1, 2, 1, false);
  b.hw(kBroker1, 1, 2).ack(2, 1, 1).read(kConsumer1, 0, 1, 0, 2).read(kConsumer1, 0, 1, 1, 2);
  const Outcome o = check(b.build());
  BOOST_TEST(o.counters.duplicated == 2u);
  BOOST_TEST(duplicated_by(o, CauseCategory::rebalance_redelivery) == 1u);
  BOOST_TEST(duplicated_by(o, CauseCategory::producer_retry_duplicate) == 1u);
  BOOST_TEST(duplicated_by(o, CauseCategory::unknown) == 0u);
  BOOST_TEST_REQUIRE(o.duplicated.size() == 2u);
  BOOST_TEST(o.duplicated[0].explanation ==
             "orders-0: applied by consumer-1 at 0.003 s; assigned to consumer-2 at 0.002 s while consumer-1 still held it; "
             "applied again by consumer-2 at 0.004 s");
  BOOST_TEST(o.duplicated[1].explanation ==
             "orders-1: appended twice (offsets 0 and 1): resent by the application at 0.008 s after producer-0 restarted "
             "without an answer");
}

// Issue 14, KIP-966's "last replica standing": broker-1 alone in the ISR loses its tail in a
// power failure and is elected again; broker-2 and broker-3 still hold offset 0 and
// truncate it to follow it. The election decided the loss (rule 2.a0), not the power failure.
BOOST_AUTO_TEST_CASE(election_of_the_replica_that_lost_power_names_the_election) {
  HistoryBuilder b = cluster();
  b.at(100).write(1, 0, 0);
  b.at(1000).fault(kBroker1, FaultKind::power_failure).truncate(kBroker1, 0, 0, TruncationReason::power_failure, 1);
  b.at(1300).elect(kBroker1, 0, 2);
  b.at(1500).truncate(kBroker2, 0, 0, TruncationReason::divergent_epoch, 2).truncate(kBroker3, 0, 0, TruncationReason::divergent_epoch, 2);
  const Outcome o = check(b.build());
  BOOST_REQUIRE(o.lost.size() == 1U);
  BOOST_TEST(to_string(o.lost[0].category) == "power-lost-leader-elected");
  BOOST_TEST(o.lost[0].explanation ==
             "orders-0: acknowledged by leader broker-1 at offset 0 (epoch 1) with acks=all; broker-1 lost it in a power failure at "
             "1.000 s, then was elected leader (epoch 2) at 1.300 s, and broker-3, which still held it, truncated it away at 1.500 s "
             "to follow that leader");
}

// Every replica lost the record in power failures: no copy survived for the election to
// truncate, so the power failure stays the cause (rule 2.a).
BOOST_AUTO_TEST_CASE(power_failure_without_the_lossy_replica_elected_stays_power_loss) {
  HistoryBuilder b = cluster();
  b.at(100).write(1, 0, 0);
  b.at(1000).fault(kBroker1, FaultKind::power_failure).truncate(kBroker1, 0, 0, TruncationReason::power_failure, 1);
  b.truncate(kBroker2, 0, 0, TruncationReason::power_failure, 1).truncate(kBroker3, 0, 0, TruncationReason::power_failure, 1);
  b.at(1300).elect(kBroker2, 0, 2);
  const Outcome o = check(b.build());
  BOOST_REQUIRE(o.lost.size() == 1U);
  BOOST_TEST(to_string(o.lost[0].category) == "power-loss-unflushed");
}

// Issue 14, rule 3.b1: the group read offsets 0 and 1, then the leader lost power and came
// back as leader without an election (a ZooKeeper-era controller), its log cut to 0; a new
// message written at offset 1 sat below the group's position, and its commit of offset 2
// came after the rewind. It was `unknown` before (0.11 and 2.1 nemesis runs, 1 in 800).
BOOST_AUTO_TEST_CASE(log_rewound_under_the_group_position_without_an_election) {
  HistoryBuilder b = cluster();
  b.at(10).write(1, 0, 0).write(2, 0, 1);
  b.at(20).read(kConsumer1, 0, 0, 0, 1).read(kConsumer1, 0, 0, 1, 2);
  b.at(1000).fault(kBroker1, FaultKind::power_failure).truncate(kBroker1, 0, 0, TruncationReason::power_failure, 1);
  b.at(1100).write(3, 0, 0).write(4, 0, 1);
  b.at(1200).commit(kConsumer1, 0, 0, 2);
  const Outcome o = check(b.build());
  BOOST_TEST(lost_by(o, CauseCategory::unknown) == 0U);
  BOOST_REQUIRE(o.lost.size() == 2U);
  BOOST_TEST(to_string(o.lost[1].category) == "power-loss-unflushed");
  BOOST_TEST(o.lost[1].explanation ==
             "orders-0: offset 1: group billing had read up to offset 1 by 0.020 s; broker-1 lost power at 1.000 s (log cut to "
             "offset 0) and this message, sent at 1.100 s, was written at offset 1 again, below the group's position, so it never "
             "read it");
}
