// Kafka's safety invariants (sim/check/invariants.h) on hand-built histories: for each, a
// history where it fires and one where it holds, and where a configuration or fault voids
// the promise, one where it is seen but not held against Kafka.
#define BOOST_TEST_MODULE invariants
#include <boost/test/unit_test.hpp>

#include "sim/check/checker.h"
#include "tests/check/history_builder.h"

using namespace ksim::check;
using namespace ksim::check::testing;

namespace {

constexpr std::uint64_t kAllThree = 0b111, kBrokers1And2 = 0b011, kBrokers1And3 = 0b101, kBroker1Only = 0b001;

// Partition 0 on broker-1..3, min.insync.replicas=2, broker-1 leads epoch 1, full ISR.
HistoryBuilder replicated(bool unclean = false, bool truncate_to_hw = false) {
  HistoryBuilder b;
  b.replication(0, 2, unclean, truncate_to_hw);
  b.at(0).isr(0, kAllThree, 1).elect(kBroker1, 0, 1);
  return b;
}

void require_broken(const Outcome& o, std::uint64_t broken) {
  BOOST_TEST(o.counters.kafka_promises_broken == broken);
  BOOST_TEST(o.verdicts.kafka_promises_kept == (broken == 0));
}

// The invariant's counter saw `seen` violations, `broken` of them where Kafka promised it.
void require_counts(const Outcome& o, std::uint64_t Counters::*invariant, std::uint64_t seen,
                    std::uint64_t broken) {
  const std::uint64_t counted = o.counters.*invariant;
  BOOST_TEST(counted == seen);
  require_broken(o, broken);
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_ack_with_only_the_leader_holding_the_record_fires) {
  HistoryBuilder b = replicated();
  b.at(10).send(1, 0).append(kBroker1, 0, 0, 1, 1, true).ack(1, 0, 0);
  require_counts(check(b.build()), &Counters::acked_below_min_insync, 1, 1);
}

// After broker-3 lost an unflushed tail of the partition, an ack below min.insync.replicas is
// seen but not held against Kafka (power loss voids the promise, as for (c) to (f)).
BOOST_AUTO_TEST_CASE(a_after_an_unflushed_power_loss_is_seen_not_promised) {
  HistoryBuilder b = replicated();
  b.at(1).truncate(kBroker3, 0, 0, TruncationReason::power_failure, 1);
  b.at(10).send(1, 0).append(kBroker1, 0, 0, 1, 1, true).ack(1, 0, 0);
  require_counts(check(b.build()), &Counters::acked_below_min_insync, 1, 0);
}

BOOST_AUTO_TEST_CASE(a_ack_after_replication_holds) {
  HistoryBuilder b = replicated();
  b.at(10).send(1, 0).append(kBroker1, 0, 0, 1, 1, true).replicate(kBroker2, 0, 0, 1, kBroker1, 1);
  b.replicate(kBroker3, 0, 0, 1, kBroker1, 1).hw(kBroker1, 0, 1, 1).ack(1, 0, 0);
  require_counts(check(b.build()), &Counters::acked_below_min_insync, 0, 0);
}

BOOST_AUTO_TEST_CASE(b_leader_from_outside_the_isr_fires_when_unclean_is_disabled) {
  HistoryBuilder b = replicated();
  b.at(10).isr(0, kBroker1Only, 1).at(20).elect(kBroker2, 0, 2);  // not marked unclean: judged from the ISR
  require_counts(check(b.build()), &Counters::unclean_election_when_disabled, 1, 1);
}

BOOST_AUTO_TEST_CASE(b_leader_from_the_isr_or_unclean_enabled_holds) {
  HistoryBuilder clean = replicated();
  clean.at(10).isr(0, kBrokers1And2, 1).at(20).elect(kBroker2, 0, 2);
  BOOST_TEST(check(clean.build()).counters.unclean_election_when_disabled == 0U);
  HistoryBuilder allowed = replicated(/*unclean=*/true);
  allowed.at(10).isr(0, kBroker1Only, 1).at(20).elect(kBroker2, 0, 2, true);
  require_counts(check(allowed.build()), &Counters::unclean_election_when_disabled, 0, 0);
}

namespace {
// broker-2 left the ISR; the leader and broker-3 hold offsets 0..2 and the HW is 3; then
// broker-2 copies offsets [1, 1 + copied) and the ISR takes it back.
Outcome rejoin_after_copying(std::uint64_t copied) {
  HistoryBuilder b = replicated();
  b.at(5)
      .append(kBroker1, 0, 0, 1, 1, true)
      .replicate(kBroker2, 0, 0, 1, kBroker1, 1)
      .isr(0, kBrokers1And3, 1);
  b.at(10)
      .append(kBroker1, 0, 1, 2, 1, true)
      .append(kBroker1, 0, 2, 3, 1, true)
      .replicate(kBroker3, 0, 0, 3, kBroker1, 1);
  b.hw(kBroker1, 0, 3, 1).at(20).replicate(kBroker2, 0, 1, copied, kBroker1, 1).isr(0, kAllThree, 1);
  return check(b.build());
}
}  // namespace

BOOST_AUTO_TEST_CASE(c_isr_join_below_the_high_watermark_fires) {
  require_counts(rejoin_after_copying(1), &Counters::isr_joined_before_caught_up, 1, 1);
}

BOOST_AUTO_TEST_CASE(c_isr_join_at_the_high_watermark_holds) {
  require_counts(rejoin_after_copying(2), &Counters::isr_joined_before_caught_up, 0, 0);
}

namespace {
// The leader and broker-3 hold offset 0, broker-2 does not, and the HW moves to 1.
Outcome hw_past_broker_2(std::uint64_t isr, bool power_loss_first) {
  HistoryBuilder b = replicated();
  if (power_loss_first) b.at(1).truncate(kBroker3, 0, 0, TruncationReason::power_failure, 1);
  b.at(5).isr(0, isr, 1).append(kBroker1, 0, 0, 1, 1, true).replicate(kBroker3, 0, 0, 1, kBroker1, 1);
  b.at(10).hw(kBroker1, 0, 1, 1);
  return check(b.build());
}
}  // namespace

BOOST_AUTO_TEST_CASE(d_hw_above_an_isr_member_fires) {
  require_counts(hw_past_broker_2(kAllThree, false), &Counters::hw_above_isr_member_log, 1, 1);
}

BOOST_AUTO_TEST_CASE(d_hw_above_a_replica_outside_the_isr_holds) {
  require_counts(hw_past_broker_2(kBrokers1And3, false), &Counters::hw_above_isr_member_log, 0, 0);
}

BOOST_AUTO_TEST_CASE(d_after_an_unflushed_power_loss_is_seen_not_promised) {
  // A4/A5: Kafka relies on replication, not fsync
  require_counts(hw_past_broker_2(kAllThree, true), &Counters::hw_above_isr_member_log, 1, 0);
}

namespace {
// broker-1 (leader) and broker-2 hold different records at offset 0; broker-2's own HW
// passes it when `follower_hw_passes`, then the leader's does.
Outcome different_records_at_0(bool follower_hw_passes, bool truncate_to_hw = false) {
  HistoryBuilder b = replicated(false, truncate_to_hw);
  b.at(5).isr(0, kBrokers1And2, 1).append(kBroker1, 0, 0, 1, 1, true).append(kBroker2, 0, 0, 2, 1, false);
  if (follower_hw_passes) b.follower_hw(kBroker2, 0, 1);
  b.at(10).hw(kBroker1, 0, 1, 1);
  return check(b.build());
}
}  // namespace

BOOST_AUTO_TEST_CASE(e_replicas_differing_below_both_hws_fires) {
  require_counts(different_records_at_0(true), &Counters::replicas_diverged_below_both_hw, 1, 1);
}

BOOST_AUTO_TEST_CASE(e_difference_above_one_replicas_hw_holds) {
  require_counts(different_records_at_0(false), &Counters::replicas_diverged_below_both_hw, 0, 0);
}

BOOST_AUTO_TEST_CASE(e_with_pre_kip_101_truncation_is_seen_not_promised) {
  // A6: followers truncating to their HW (pre-KIP-101) void the promise
  require_counts(different_records_at_0(true, /*truncate_to_hw=*/true),
                 &Counters::replicas_diverged_below_both_hw, 1, 0);
}

namespace {
// A committed record on all three brokers; broker-2 becomes leader (epoch 2) and, when
// `lose_it`, drops it first for `reason`.
Outcome committed_then_broker_2_leads(bool lose_it,
                                      TruncationReason reason = TruncationReason::divergent_epoch,
                                      bool unclean = false) {
  HistoryBuilder b = replicated(unclean);
  b.at(10).write(1, 0, 0);
  if (lose_it) b.at(20).truncate(kBroker2, 0, 0, reason, 1);
  if (unclean) b.isr(0, kBroker1Only, 1);
  b.at(30).elect(kBroker2, 0, 2, unclean);
  return check(b.build());
}
}  // namespace

BOOST_AUTO_TEST_CASE(f_committed_record_missing_after_a_clean_election_fires) {
  require_counts(committed_then_broker_2_leads(true), &Counters::committed_lost_after_clean_election, 1, 1);
}

BOOST_AUTO_TEST_CASE(f_committed_record_kept_holds) {
  require_counts(committed_then_broker_2_leads(false), &Counters::committed_lost_after_clean_election, 0, 0);
}

BOOST_AUTO_TEST_CASE(f_after_an_unclean_election_or_a_power_loss_is_not_promised) {
  // A3: after an unclean election the loss is not counted at all
  require_counts(committed_then_broker_2_leads(true, TruncationReason::divergent_epoch, true),
                 &Counters::committed_lost_after_clean_election, 0, 0);
  // A4/A5
  require_counts(committed_then_broker_2_leads(true, TruncationReason::power_failure),
                 &Counters::committed_lost_after_clean_election, 1, 0);
}

namespace {
// A transactional record at offset 0 on all three brokers; a read_committed group polls it
// before or after the HW passes it and its transaction is decided.
Outcome poll_transactional(bool after_hw, bool after_decision) {
  HistoryBuilder b = replicated();
  b.group("audit", "after-processing", false, {}, /*read_committed=*/true);
  b.at(10).send_in_transaction(1, 0, 4).append(kBroker1, 0, 0, 1, 1, true);
  b.replicate(kBroker2, 0, 0, 1, kBroker1, 1).replicate(kBroker3, 0, 0, 1, kBroker1, 1);
  if (after_hw) b.hw(kBroker1, 0, 1, 1);
  if (after_decision) b.transaction_ended(4, true);
  b.at(20).poll(kConsumer1, 0, 0, 0, 1);
  return check(b.build());
}
}  // namespace

BOOST_AUTO_TEST_CASE(g_poll_above_the_hw_or_the_lso_fires) {
  require_counts(poll_transactional(false, true), &Counters::read_above_hw_or_lso, 1, 1);
  require_counts(poll_transactional(true, false), &Counters::read_above_hw_or_lso, 1, 1);
}

BOOST_AUTO_TEST_CASE(g_poll_below_the_hw_and_the_lso_holds) {
  require_counts(poll_transactional(true, true), &Counters::read_above_hw_or_lso, 0, 0);
}

namespace {
// The no-unknown nemesis sweep, seed 4 on kafka.version 0.11 and 2.1: the producer crashed
// with its EndTxn in flight; transaction 1 committed, the restarted application resent the
// message in transaction 2 under a new epoch (epoch-bump-duplicate), and a read_committed
// poll read transaction 1's copy while transaction 2 was still open. The LSO bound is the
// polled copy's transaction (the one the message was in when the leader appended that
// copy), not the message's last; the copy of the open transaction still fires.
Outcome poll_copy_of_a_resent_transactional_message(std::int64_t polled_offset) {
  HistoryBuilder b = replicated();
  b.group("audit", "after-processing", false, {}, /*read_committed=*/true);
  b.at(10).send_in_transaction(1, 0, 1).append(kBroker1, 0, 0, 1, 1, true);
  b.replicate(kBroker2, 0, 0, 1, kBroker1, 1).replicate(kBroker3, 0, 0, 1, kBroker1, 1);
  b.at(20).transaction_ended(1, true);
  b.resend_in_transaction(1, 0, 2, 2);
  b.at(30).append(kBroker1, 0, 1, 1, 1, true);
  b.replicate(kBroker2, 0, 1, 1, kBroker1, 1).replicate(kBroker3, 0, 1, 1, kBroker1, 1);
  b.hw(kBroker1, 0, 2, 1);
  b.at(40).poll(kConsumer1, 0, 0, polled_offset, 1);
  b.at(50).transaction_ended(2, true);
  return check(b.build());
}
}  // namespace

BOOST_AUTO_TEST_CASE(g_poll_of_a_decided_copy_of_a_message_resent_in_an_open_transaction_holds) {
  require_counts(poll_copy_of_a_resent_transactional_message(0), &Counters::read_above_hw_or_lso, 0, 0);
  require_counts(poll_copy_of_a_resent_transactional_message(1), &Counters::read_above_hw_or_lso, 1, 1);
}

BOOST_AUTO_TEST_CASE(histories_without_replication_settings_judge_no_promise) {
  HistoryBuilder b;
  b.at(0).elect(kBroker1, 0, 1).at(10).send(1, 0).append(kBroker1, 0, 0, 1, 1, true).ack(1, 0, 0);
  b.poll(kConsumer1, 0, 0, 0, 1);
  const Outcome o = check(b.build());
  BOOST_TEST(o.counters.acked_below_min_insync == 0U);
  BOOST_TEST(o.counters.read_above_hw_or_lso == 0U);
  require_broken(o, 0);
}
