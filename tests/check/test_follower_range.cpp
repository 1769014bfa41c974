#define BOOST_TEST_MODULE follower_range
#include <boost/test/unit_test.hpp>

#include <functional>
#include <string>
#include <vector>

#include "sim/check/checker.h"
#include "sim/check/counter_names.h"
#include "tests/check/history_builder.h"

// A follower_append_range record must tell the checker exactly what one `append` per copied
// message would: each history below is built twice, with the follower's copies as ranges
// and as single appends, and both must give the same outcome.

using namespace ksim::check;
using namespace ksim::check::testing;

namespace {

// Writes a follower's copy of `ids` at offsets first.. either as one range from `source`
// or as one append per message.
using Copy = std::function<void(HistoryBuilder&, std::uint32_t follower, std::uint32_t p, std::int64_t first,
                                std::vector<std::uint64_t> ids, std::uint32_t source)>;

const Copy kAsRange = [](HistoryBuilder& b, std::uint32_t follower, std::uint32_t p, std::int64_t first,
                         std::vector<std::uint64_t> ids, std::uint32_t source) {
  b.replicate(follower, p, first, ids.size(), source, 1);
};
const Copy kAsAppends = [](HistoryBuilder& b, std::uint32_t follower, std::uint32_t p, std::int64_t first,
                           std::vector<std::uint64_t> ids, std::uint32_t source) {
  (void)source;
  for (std::size_t i = 0; i < ids.size(); ++i) b.append(follower, p, first + static_cast<std::int64_t>(i), ids[i], 1, false);
};

HistoryBuilder cluster() {
  HistoryBuilder b;
  b.group("billing", "after-processing");
  b.at(0).elect(kBroker1, 0, 1).assign(kConsumer1, 0, 0);
  return b;
}

void require_same_outcome(const Outcome& ranges, const Outcome& appends) {
  for (const std::string& name : ksim::check::counter_names()) {
    BOOST_TEST_INFO(name);
    BOOST_TEST(ksim::check::counter_value(ranges, name).value_or(~0ULL) == ksim::check::counter_value(appends, name).value_or(~0ULL));
  }
  BOOST_REQUIRE(ranges.lost.size() == appends.lost.size());
  for (std::size_t i = 0; i < ranges.lost.size(); ++i) {
    BOOST_TEST(ranges.lost[i].message_id == appends.lost[i].message_id);
    BOOST_TEST(ranges.lost[i].explanation == appends.lost[i].explanation);
  }
  BOOST_REQUIRE(ranges.duplicated.size() == appends.duplicated.size());
  for (std::size_t i = 0; i < ranges.duplicated.size(); ++i) {
    BOOST_TEST(ranges.duplicated[i].explanation == appends.duplicated[i].explanation);
  }
  BOOST_REQUIRE(ranges.partitions.size() == appends.partitions.size());
  for (std::size_t p = 0; p < ranges.partitions.size(); ++p) {
    BOOST_TEST(ranges.partitions[p].final_leader == appends.partitions[p].final_leader);
    BOOST_TEST(ranges.partitions[p].final_log_end == appends.partitions[p].final_log_end);
    BOOST_TEST(ranges.partitions[p].final_high_watermark == appends.partitions[p].final_high_watermark);
  }
}

// Both forms of one history; returns the outcome of the range form.
Outcome check_both(const std::function<void(HistoryBuilder&, const Copy&)>& history) {
  HistoryBuilder ranges = cluster();
  history(ranges, kAsRange);
  HistoryBuilder appends = cluster();
  history(appends, kAsAppends);
  const Outcome outcome = check(ranges.build());
  require_same_outcome(outcome, check(appends.build()));
  return outcome;
}

void leader_writes(HistoryBuilder& b, std::uint32_t leader, std::int64_t offset, std::uint64_t id, std::int32_t epoch) {
  b.send(id, 0).attempt(id, 0, 0).append(leader, 0, offset, id, epoch, true);
}

}  // namespace

BOOST_AUTO_TEST_CASE(healthy_replication_by_ranges) {
  const Outcome o = check_both([](HistoryBuilder& b, const Copy& copy) {
    b.at(10);
    leader_writes(b, kBroker1, 0, 1, 1);
    leader_writes(b, kBroker1, 1, 2, 1);
    copy(b, kBroker2, 0, 0, {1, 2}, kBroker1);
    copy(b, kBroker3, 0, 0, {1}, kBroker1);
    copy(b, kBroker3, 0, 1, {2}, kBroker1);
    b.hw(kBroker1, 0, 2).ack(1, 0, 0).ack(2, 0, 1);
    b.at(20).read(kConsumer1, 0, 0, 0, 1).read(kConsumer1, 0, 0, 1, 2);
  });
  BOOST_TEST(o.counters.delivered == 2U);
  BOOST_TEST(o.counters.lost == 0U);
  BOOST_TEST(o.counters.divergent_replicas_below_hw == 0U);
}

// The follower keeps what it copied after its source diverges: an unclean election makes
// broker-3 leader, broker-1 truncates and takes broker-3's entries, broker-2 still holds the
// old ones.
BOOST_AUTO_TEST_CASE(range_from_a_leader_that_later_diverges) {
  const Outcome o = check_both([](HistoryBuilder& b, const Copy& copy) {
    b.at(100);
    leader_writes(b, kBroker1, 0, 1, 1);
    leader_writes(b, kBroker1, 1, 3, 1);
    copy(b, kBroker2, 0, 0, {1, 3}, kBroker1);
    b.hw(kBroker1, 0, 2).ack(1, 0, 0).ack(3, 0, 1);
    b.at(300).read(kConsumer1, 0, 0, 0, 1);
    b.at(3000).fault(kBroker1, FaultKind::crash).elect(kBroker3, 0, 2, true);
    b.at(3100);
    leader_writes(b, kBroker3, 0, 2, 2);
    b.at(3500).truncate(kBroker1, 0, 0, TruncationReason::divergent_epoch, 2);
    copy(b, kBroker1, 0, 0, {2}, kBroker3);
    b.hw(kBroker3, 0, 1).ack(2, 0, 0);
    b.at(3600).read(kConsumer1, 0, 0, 0, 2);
  });
  BOOST_TEST(o.counters.committed_missing_after_election == 2U);
  BOOST_TEST(o.counters.divergent_replicas_below_hw == 1U);  // broker-2 holds 1 where the final log holds 2
  BOOST_REQUIRE(o.lost.size() == 1U);
  BOOST_TEST(o.lost[0].message_id == 3U);
  BOOST_TEST(to_string(o.lost[0].category) == "unclean-election");
}

// A range copies what the source holds at that point of the history: after the source lost
// its tail and appended anew, a later range from it carries the new message, and a range
// recorded before carries the old one.
BOOST_AUTO_TEST_CASE(range_copies_the_source_as_it_stands_then) {
  const Outcome o = check_both([](HistoryBuilder& b, const Copy& copy) {
    b.at(100);
    leader_writes(b, kBroker1, 0, 1, 1);
    leader_writes(b, kBroker1, 1, 2, 1);
    copy(b, kBroker2, 0, 0, {1, 2}, kBroker1);
    b.hw(kBroker1, 0, 1).ack(1, 0, 0);
    b.at(200).fault(kBroker1, FaultKind::power_failure).fault(kBroker1, FaultKind::restart);
    b.truncate(kBroker1, 0, 1, TruncationReason::power_failure, 1);
    b.at(300);
    leader_writes(b, kBroker1, 1, 5, 1);
    copy(b, kBroker3, 0, 0, {1, 5}, kBroker1);
    b.truncate(kBroker2, 0, 1, TruncationReason::divergent_epoch, 1);
    copy(b, kBroker2, 0, 1, {5}, kBroker1);
    b.hw(kBroker1, 0, 2).ack(5, 0, 1);
    b.at(400).read(kConsumer1, 0, 0, 0, 1).read(kConsumer1, 0, 0, 1, 5);
  });
  BOOST_TEST(o.counters.delivered == 2U);
  BOOST_TEST(o.counters.divergent_replicas_below_hw == 0U);
  BOOST_TEST(o.counters.committed_missing_after_election == 0U);
}

// Messages a range brought to a follower are marked by that follower's own truncations.
BOOST_AUTO_TEST_CASE(power_failure_of_followers_after_a_range) {
  const Outcome o = check_both([](HistoryBuilder& b, const Copy& copy) {
    b.at(100);
    leader_writes(b, kBroker1, 0, 1, 1);
    copy(b, kBroker2, 0, 0, {1}, kBroker1);
    copy(b, kBroker3, 0, 0, {1}, kBroker1);
    b.hw(kBroker1, 0, 1).ack(1, 0, 0);
    b.at(3000).fault(kBroker1, FaultKind::power_failure);
    b.at(3100).truncate(kBroker1, 0, 0, TruncationReason::power_failure, 1);
    b.truncate(kBroker2, 0, 0, TruncationReason::power_failure, 1);
    b.truncate(kBroker3, 0, 0, TruncationReason::power_failure, 1);
    b.at(3200).elect(kBroker2, 0, 2);
  });
  BOOST_REQUIRE(o.lost.size() == 1U);
  BOOST_TEST(to_string(o.lost[0].category) == "power-loss-unflushed");
}

// Malformed ranges copy nothing they cannot: from an unknown source, past the source's end.
BOOST_AUTO_TEST_CASE(malformed_ranges_copy_only_what_the_source_holds) {
  HistoryBuilder b = cluster();
  b.at(10);
  leader_writes(b, kBroker1, 0, 1, 1);
  b.replicate(kBroker2, 0, 0, 1, kConsumer2, 1);   // no such replica
  b.replicate(kBroker3, 0, 0, 1'000'000, kBroker1, 1);  // only offset 0 exists
  b.replicate(kBroker2, 0, 0, 1, kNoNode, 1);
  b.hw(kBroker1, 0, 1).ack(1, 0, 0);
  b.at(20).elect(kBroker3, 0, 2);
  b.at(30).read(kConsumer1, 0, 0, 0, 1);
  const Outcome o = check(b.build());
  BOOST_TEST(o.counters.lost == 0U);
  BOOST_TEST(o.partitions[0].final_log_end == 1);
  BOOST_TEST(o.counters.committed_missing_after_election == 0U);
}
