// KIP-890's late transactional writes, judged on hand-built histories: a record appended
// after the marker that ended its own transaction, which the next transaction's commit
// marker ends (committed with the wrong transaction) or no marker ever ends (a hanging
// transaction, whose last stable offset hides every later record from read_committed).
#define BOOST_TEST_MODULE late_transaction_writes
#include <boost/test/unit_test.hpp>

#include "sim/check/checker.h"
#include "tests/check/history_builder.h"

using namespace ksim::check;
using namespace ksim::check::testing;

namespace {
std::uint64_t lost_by(const Outcome& o, CauseCategory c) { return o.lost_by_cause[static_cast<std::size_t>(c)]; }

// Transaction 0 (message 1, offset 0) commits; transaction 1 (message 2) aborts: its abort
// marker lands at offset 1 and message 2 only afterwards, at offset 2.
HistoryBuilder late_write_after_abort() {
  HistoryBuilder b;
  b.group("committed", "after-processing", false, {}, true);
  b.at(1).send_in_transaction(1, 0, 0).transactional_append(kBroker1, 0, 0, 1);
  b.at(2).transaction_ended(0, true).marker(kBroker1, 0, 1, true).ack(1, 0, 0);
  b.at(3).send_in_transaction(2, 0, 1);
  b.at(4).transaction_ended(1, false).fail(2, 0, ErrorCode::delivery_timeout);
  b.at(5).marker(kBroker1, 0, 2, false);
  b.at(6).transactional_append(kBroker1, 0, 3, 2);
  return b;
}
}  // namespace

BOOST_AUTO_TEST_CASE(a_late_write_committed_by_the_next_transaction) {
  HistoryBuilder b = late_write_after_abort();
  b.at(7).send_in_transaction(3, 0, 2).transactional_append(kBroker1, 0, 4, 3);
  b.at(8).transaction_ended(2, true).marker(kBroker1, 0, 5, true).ack(3, 0, 4).hw(kBroker1, 0, 6);
  b.at(9).read(kConsumer1, 0, 0, 0, 1).read(kConsumer1, 0, 0, 3, 2).read(kConsumer1, 0, 0, 4, 3);
  const Outcome o = check(b.build());
  BOOST_TEST(o.counters.late_transaction_writes == 1u);
  BOOST_TEST(o.counters.late_writes_committed == 1u);
  BOOST_TEST(o.counters.hanging_transaction_records == 0u);
  BOOST_TEST(o.counters.aborted_but_delivered == 1u);  // its transaction aborted, yet read
  BOOST_TEST(o.counters.lost == 0u);
}

BOOST_AUTO_TEST_CASE(a_late_write_no_marker_ends_hides_later_records_from_read_committed) {
  HistoryBuilder b = late_write_after_abort();
  // An acknowledged record after the hanging one, never read by the read_committed group.
  b.at(7).send(4, 0).append(kBroker1, 0, 4, 4, 1, true).hw(kBroker1, 0, 5).ack(4, 0, 4);
  b.at(9).read(kConsumer1, 0, 0, 0, 1);
  const Outcome o = check(b.build());
  BOOST_TEST(o.counters.late_transaction_writes == 1u);
  BOOST_TEST(o.counters.hanging_transaction_records == 1u);
  BOOST_TEST(o.counters.late_writes_committed == 0u);
  BOOST_TEST(o.counters.lost == 1u);
  BOOST_TEST(lost_by(o, CauseCategory::hanging_transaction) == 1u);
}

// A record of an open transaction appended before its marker, although after the
// coordinator's decision (a write still in flight when the coordinator aborted on
// timeout): the abort marker comes after it and ends it. Not a late write.
BOOST_AUTO_TEST_CASE(a_write_before_its_marker_is_not_late) {
  HistoryBuilder b;
  b.group("committed", "after-processing", false, {}, true);
  b.at(1).send_in_transaction(1, 0, 0).transactional_append(kBroker1, 0, 0, 1);
  b.at(2).transaction_ended(0, true).marker(kBroker1, 0, 1, true).ack(1, 0, 0);
  b.at(3).send_in_transaction(2, 0, 1);
  b.at(4).transaction_ended(1, false).fail(2, 0, ErrorCode::transaction_aborted);
  b.at(5).transactional_append(kBroker1, 0, 2, 2);
  b.at(6).marker(kBroker1, 0, 3, false).hw(kBroker1, 0, 4);
  b.at(9).read(kConsumer1, 0, 0, 0, 1);
  const Outcome o = check(b.build());
  BOOST_TEST(o.counters.late_transaction_writes == 0u);
  BOOST_TEST(o.counters.hanging_transaction_records == 0u);
  BOOST_TEST(o.counters.lost == 0u);
}
