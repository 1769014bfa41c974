#define BOOST_TEST_MODULE latency
#include <boost/test/unit_test.hpp>

#include "sim/check/checker.h"
#include "tests/check/history_builder.h"

using namespace ksim::check;
using namespace ksim::check::testing;

namespace {

constexpr std::uint64_t kMs = 1'000'000;

bool same_bucket(std::uint64_t a, std::uint64_t b) { return LatencyHistogram::bucket_of(a) == LatencyHistogram::bucket_of(b); }

}  // namespace

// Group 0 applies directly; group 1 is a consume-transform-produce member whose effect is
// visible when its transaction commits. Message 1: sent at 10 ms, acknowledged at 13,
// applied by group 0 at 20 (and again at 25: a duplicate, the first one counts), processed
// by group 1 in transaction 0 at 30, committed at 40. Message 2: sent at 10, acknowledged
// at 17, processed in transaction 1 (aborted at 45), again in transaction 2 at 50,
// committed at 60. Message 3: sent at 70, acknowledged at 100, after the workload's end
// (90): not in the throughput.
BOOST_AUTO_TEST_CASE(latencies_come_from_send_ack_effect_and_commit_records) {
  HistoryBuilder b;
  b.group("billing", "after-processing").group("enricher", "transactional", false, {}, true);
  b.at(10).send(1, 0).send(2, 1);
  b.at(13).ack(1, 0, 0).at(17).ack(2, 1, 0);
  b.at(20).apply(kConsumer1, 0, 0, 0, 1).at(25).apply(kConsumer1, 0, 0, 0, 1);
  b.at(30).apply_in_transaction(kConsumer2, 1, 0, 0, 1, 0).at(32).apply_in_transaction(kConsumer2, 1, 1, 0, 2, 1);
  b.at(40).transaction_ended(0, true, kConsumer2).at(45).transaction_ended(1, false, kConsumer2);
  b.at(50).apply_in_transaction(kConsumer2, 1, 1, 0, 2, 2).at(60).transaction_ended(2, true, kConsumer2);
  b.at(70).send(3, 0).at(100).ack(3, 0, 1);
  ksim::history::History h = b.build();
  h.workload_end_ns = 90 * kMs;
  const Latencies l = check(h).latency;

  BOOST_TEST(l.produce_ns.count() == 3u);  // 3, 7 and 30 ms
  BOOST_TEST(l.produce_ns.min_ns() == 3 * kMs);
  BOOST_TEST(l.produce_ns.max_ns() == 30 * kMs);
  BOOST_TEST(l.produce_ns.sum_ns() == 40 * kMs);
  BOOST_TEST(same_bucket(l.produce_ns.percentile_ns(500), 7 * kMs));

  // 10 ms (group 0, message 1), 30 ms (group 1, message 1: commit at 40), 50 ms (group 1,
  // message 2: the aborted transaction's effect never became visible; commit at 60).
  BOOST_TEST(l.end_to_end_ns.count() == 3u);
  BOOST_TEST(l.end_to_end_ns.min_ns() == 10 * kMs);
  BOOST_TEST(l.end_to_end_ns.max_ns() == 50 * kMs);
  BOOST_TEST(l.end_to_end_ns.sum_ns() == 90 * kMs);
  BOOST_TEST(same_bucket(l.end_to_end_ns.percentile_ns(500), 30 * kMs));
  BOOST_TEST(l.end_to_end_ns.percentile_ns(999) == 50 * kMs);  // the top bucket, clamped to max

  // Arrival is the send until the history records arrivals: nothing was held back.
  BOOST_TEST(l.blocked_ns.count() == 3u);
  BOOST_TEST(l.blocked_ns.max_ns() == 0u);

  BOOST_TEST(l.acknowledged_in_workload == 2u);
  BOOST_TEST(l.workload_ns == static_cast<std::int64_t>(90 * kMs));
}

// acks=0: the producer acknowledges when it hands the batch to the network (message 1, a
// record at 7 ms: 2 ms). Message 2 has no record but did not fail: the checker counts it
// acknowledged (promised at its send), so it counts for throughput, with no produce latency.
// Message 3 failed: neither.
BOOST_AUTO_TEST_CASE(acks_zero_latency_comes_from_its_acknowledgement_record) {
  HistoryBuilder b;
  b.acks(ksim::history::Acks::none).group("billing", "after-processing");
  b.at(5).send(1, 0).send(2, 0).send(3, 1).at(7).ack(1, 0, kNoOffset).at(8).fail(3, 1, ErrorCode::delivery_timeout).at(9);
  const Latencies l = check(b.build()).latency;
  BOOST_TEST(l.produce_ns.count() == 1u);
  BOOST_TEST(l.produce_ns.max_ns() == 2 * kMs);
  BOOST_TEST(l.acknowledged_in_workload == 2u);
  BOOST_TEST(l.end_to_end_ns.count() == 0u);
}
