#define BOOST_TEST_MODULE replica_log
#include <boost/test/unit_test.hpp>

#include <limits>
#include <ostream>
#include <vector>

#include "sim/core/assert.h"
#include "sim/kafka/wire/append_records.h"
#include "sim/kafka/broker/producer_state.h"
#include "sim/kafka/log/replica_log.h"
#include "sim/random/random_stream.h"

using namespace ksim;
using namespace ksim::kafka;

namespace ksim::kafka {
std::ostream& operator<<(std::ostream& out, SequenceVerdict verdict) { return out << static_cast<int>(verdict); }
}  // namespace ksim::kafka

namespace {
ReplicaLog log_with_epochs(std::initializer_list<std::int32_t> epochs) {
  ReplicaLog log;
  std::uint64_t id = 1;
  for (const std::int32_t epoch : epochs)
    log.append(LogEntry{.message_id = id++, .leader_epoch = LeaderEpoch{epoch}});
  return log;
}
}  // namespace

BOOST_AUTO_TEST_CASE(offsets_are_contiguous_and_epochs_tracked) {
  const ReplicaLog log = log_with_epochs({1, 1, 2, 2, 2, 4});
  BOOST_TEST(log.log_end_offset() == Offset{6});
  BOOST_TEST(log.at(Offset{3}).message_id == 4u);
  BOOST_TEST(log.last_epoch() == LeaderEpoch{4});
}

// The log keeps no epoch per entry; at() rebuilds it from the epoch starts, through
// truncations and new epochs.
BOOST_AUTO_TEST_CASE(entries_keep_their_leader_epochs) {
  ReplicaLog log = log_with_epochs({1, 1, 2, 2, 2, 4});
  const std::vector<std::int32_t> expected = {1, 1, 2, 2, 2, 4};
  for (Offset o{}; o < Offset{6}; ++o)
    BOOST_TEST(log.at(o).leader_epoch.value() == expected[o.index()]);
  log.truncate_to(Offset{3});
  log.append(LogEntry{.message_id = 10, .leader_epoch = LeaderEpoch{3}, .sequence = 7, .stored_producer_id = 9, .stored_producer_epoch = 2,
                      .index_in_batch = 1, .batch_records = 4});
  BOOST_TEST(log.at(Offset{2}).leader_epoch == LeaderEpoch{2});
  const LogEntry entry = log.at(Offset{3});
  BOOST_TEST(entry.leader_epoch == LeaderEpoch{3});
  BOOST_TEST(entry.message_id == 10U);
  BOOST_TEST(entry.sequence == 7);
  BOOST_TEST(entry.producer_id() == ProducerId{9});
  BOOST_TEST(entry.producer_epoch() == ProducerEpoch{2});
  BOOST_TEST(entry.index_in_batch == 1U);
  BOOST_TEST(entry.batch_records == 4U);
  ReplicaLog unnumbered;
  unnumbered.append(LogEntry{.message_id = 1, .leader_epoch = LeaderEpoch{-1}});
  BOOST_TEST(unnumbered.at(Offset{0}).leader_epoch == LeaderEpoch{-1});
}

// KIP-101: the end offset of an epoch is where the next epoch starts; an epoch the log
// never had answers with the largest epoch below it.
BOOST_AUTO_TEST_CASE(end_offset_for_epoch_follows_kip_101) {
  const ReplicaLog log = log_with_epochs({1, 1, 2, 2, 2, 4});
  BOOST_TEST(log.end_offset_for_epoch(LeaderEpoch{1}).end_offset == Offset{2});
  BOOST_TEST(log.end_offset_for_epoch(LeaderEpoch{2}).end_offset == Offset{5});
  BOOST_TEST(log.end_offset_for_epoch(LeaderEpoch{3}).epoch == LeaderEpoch{2});
  BOOST_TEST(log.end_offset_for_epoch(LeaderEpoch{3}).end_offset == Offset{5});
  BOOST_TEST(log.end_offset_for_epoch(LeaderEpoch{4}).end_offset == Offset{6});
  BOOST_TEST(log.end_offset_for_epoch(LeaderEpoch{9}).end_offset == Offset{6});
  BOOST_TEST(log.end_offset_for_epoch(LeaderEpoch{0}).epoch == LeaderEpoch{-1});
}

BOOST_AUTO_TEST_CASE(truncation_drops_suffix_epochs_and_lowers_watermarks) {
  ReplicaLog log = log_with_epochs({1, 1, 2, 2, 3});
  log.set_high_watermark(Offset{4});
  log.flush();
  log.truncate_to(Offset{2});
  BOOST_TEST(log.log_end_offset() == Offset{2});
  BOOST_TEST(log.high_watermark() == Offset{2});
  BOOST_TEST(log.flushed_end_offset() == Offset{2});
  BOOST_TEST(log.last_epoch() == LeaderEpoch{1});
  log.append(LogEntry{.message_id = 99, .leader_epoch = LeaderEpoch{5}});
  BOOST_TEST(log.end_offset_for_epoch(LeaderEpoch{2}).epoch == LeaderEpoch{1});
}

BOOST_AUTO_TEST_CASE(power_failure_loses_only_the_unflushed_tail) {
  ReplicaLog log = log_with_epochs({1, 1, 1});
  log.flush();
  log.append(LogEntry{.message_id = 4, .leader_epoch = LeaderEpoch{1}});
  log.append(LogEntry{.message_id = 5, .leader_epoch = LeaderEpoch{1}});
  BOOST_TEST(log.lose_unflushed_tail() == Offset{3});
  BOOST_TEST(log.log_end_offset() == Offset{3});
}

BOOST_AUTO_TEST_CASE(invariants_are_asserted) {
  ReplicaLog log = log_with_epochs({2});
  BOOST_CHECK_THROW(log.append(LogEntry{.message_id = 1, .leader_epoch = LeaderEpoch{1}}), InvariantViolation);
  BOOST_CHECK_THROW(log.set_high_watermark(Offset{5}), InvariantViolation);
  BOOST_CHECK_THROW(log.at(Offset{1}), InvariantViolation);
}

// The idempotence window: the last five batches answer duplicates with their offset.
BOOST_AUTO_TEST_CASE(idempotence_window_keeps_five_batches) {
  ProducerStateTable table;
  BOOST_TEST(table.check(ProducerId{7}, ProducerEpoch{0}, 0, 9).verdict == SequenceVerdict::append);
  for (int batch = 0; batch < 7; ++batch) table.record(ProducerId{7}, ProducerEpoch{0}, batch * 10, batch * 10 + 9, Offset{batch * 10});
  const SequenceCheck recent = table.check(ProducerId{7}, ProducerEpoch{0}, 60, 69);
  BOOST_TEST(recent.verdict == SequenceVerdict::duplicate);
  BOOST_TEST(recent.duplicate_base_offset == Offset{60});
  BOOST_TEST(table.check(ProducerId{7}, ProducerEpoch{0}, 20, 29).verdict == SequenceVerdict::duplicate);
  BOOST_TEST(table.check(ProducerId{7}, ProducerEpoch{0}, 10, 19).verdict == SequenceVerdict::duplicate_too_old);
  BOOST_TEST(table.check(ProducerId{7}, ProducerEpoch{0}, 70, 79).verdict == SequenceVerdict::append);
  BOOST_TEST(table.check(ProducerId{7}, ProducerEpoch{0}, 80, 89).verdict == SequenceVerdict::out_of_order);
  // A bumped epoch restarts at 0 and forgets the cache: an old batch resent under it is new.
  BOOST_TEST(table.check(ProducerId{7}, ProducerEpoch{1}, 0, 9).verdict == SequenceVerdict::append);
  BOOST_TEST(table.check(ProducerId{7}, ProducerEpoch{1}, 5, 9).verdict == SequenceVerdict::out_of_order);
  table.record(ProducerId{7}, ProducerEpoch{1}, 0, 9, Offset{100});
  BOOST_TEST(table.check(ProducerId{7}, ProducerEpoch{0}, 70, 79).verdict == SequenceVerdict::fenced);
}

BOOST_AUTO_TEST_CASE(idempotence_state_rebuilds_from_replicated_entries) {
  ReplicaLog log;
  for (std::uint16_t i = 0; i < 3; ++i) {
    log.append(LogEntry{.message_id = i, .leader_epoch = LeaderEpoch{1}, .sequence = i, .stored_producer_id = 9, .stored_producer_epoch = 0,
                        .index_in_batch = i, .batch_records = 3});
  }
  ProducerStateTable table;
  table.rebuild(log);
  const SequenceCheck check = table.check(ProducerId{9}, ProducerEpoch{0}, 0, 2);
  BOOST_TEST(check.verdict == SequenceVerdict::duplicate);
  BOOST_TEST(check.duplicate_base_offset == Offset{0});
}

// A follower's fetch is recorded as one range only while its source still holds exactly
// the fetched entries (append_records.h).
BOOST_AUTO_TEST_CASE(log_holds_only_the_same_ids_at_the_same_offsets) {
  ReplicaLog source = log_with_epochs({1, 1, 1});  // ids 1, 2, 3
  const std::vector<LogEntry> fetched = {source.at(Offset{1}), source.at(Offset{2})};
  BOOST_TEST(log_holds(source, Offset{1}, fetched));
  BOOST_TEST(!log_holds(source, Offset{0}, fetched));
  BOOST_TEST(!log_holds(source, Offset{2}, fetched));  // past the log end
  BOOST_TEST(!log_holds(source, Offset{-1}, fetched));
  source.truncate_to(Offset{2});
  BOOST_TEST(!log_holds(source, Offset{1}, fetched));
  source.append(LogEntry{.message_id = 9, .leader_epoch = LeaderEpoch{2}});
  BOOST_TEST(!log_holds(source, Offset{1}, fetched));  // offset 2 now holds another message
}

// The log keeps a producer batch's entries as one run (replica_log.h): whatever entries come,
// batches, single records, markers, entries of no idempotence, ids far apart, a sequence
// that wraps, truncations inside a run, each reads back exactly as appended.
namespace {
LogEntry next_entry(RandomStream& random, const LogEntry& previous) {
  LogEntry entry = previous;
  entry.message_id = previous.message_id + 1;
  // Kafka's sequence wraps from the largest int32 to 0 (DefaultRecordBatch.incrementSequence).
  constexpr std::int32_t kLargest = std::numeric_limits<std::int32_t>::max();
  entry.sequence = previous.sequence < 0 ? previous.sequence : previous.sequence == kLargest ? 0 : previous.sequence + 1;
  entry.index_in_batch = static_cast<std::uint16_t>(previous.index_in_batch + 1);
  switch (random.uniform_below(12)) {
    case 0:  // a new batch of another producer
      entry.set_producer(ProducerId{random.uniform_below(4)}, ProducerEpoch{static_cast<std::int32_t>(random.uniform_below(3))});
      entry.sequence = static_cast<std::int32_t>(random.uniform_below(100)) - 2;  // -2, -1: constant sequences
      entry.index_in_batch = 0;
      entry.batch_records = static_cast<std::uint16_t>(1 + random.uniform_below(6));
      break;
    case 1: entry.message_id = previous.message_id + 1 + random.uniform_below(1000); break;  // keyed: ids apart
    case 2: entry.message_id = previous.message_id + (std::uint64_t{1} << 33); break;    // beyond 32 bits
    case 3: entry.message_id = 0; entry.flags = kCommitMarker; break;
    case 4: entry.flags = static_cast<std::uint8_t>(random.uniform_below(2) == 0 ? 0 : kTransactionalEntry); break;
    case 5: entry.sequence = kLargest; break;  // the next wraps to 0
    default: break;
  }
  return entry;
}

bool same_entry(const LogEntry& a, const LogEntry& b) {
  return a.message_id == b.message_id && a.leader_epoch == b.leader_epoch && a.sequence == b.sequence &&
         a.stored_producer_id == b.stored_producer_id && a.stored_producer_epoch == b.stored_producer_epoch &&
         a.index_in_batch == b.index_in_batch && a.batch_records == b.batch_records && a.flags == b.flags;
}
}  // namespace

BOOST_AUTO_TEST_CASE(every_entry_reads_back_as_appended) {
  RandomStream random(42);
  ReplicaLog log;
  std::vector<LogEntry> expected;
  LogEntry previous{.message_id = 1, .leader_epoch = LeaderEpoch{0}, .sequence = 0, .batch_records = 4};
  for (int step = 0; step < 20'000; ++step) {
    if (random.uniform_below(200) == 0 && !expected.empty()) {
      const auto keep = static_cast<std::int64_t>(random.uniform_below(expected.size() + 1));
      log.truncate_to(Offset{keep});
      expected.resize(static_cast<std::size_t>(keep));
      if (random.uniform_below(2) == 0) previous.leader_epoch = LeaderEpoch{previous.leader_epoch.value() + 1};
    }
    LogEntry entry = next_entry(random, previous);
    entry.leader_epoch = previous.leader_epoch;
    BOOST_REQUIRE(log.append(entry) == Offset{static_cast<std::int64_t>(expected.size())});
    expected.push_back(entry);
    previous = entry;
    // Reads out of order as well as forward: the run lookup's cache must not matter.
    const auto probe = static_cast<std::size_t>(random.uniform_below(expected.size()));
    BOOST_REQUIRE(same_entry(log.at(Offset{static_cast<std::int64_t>(probe)}), expected[probe]));
  }
  BOOST_REQUIRE(log.log_end_offset() == Offset{static_cast<std::int64_t>(expected.size())});
  for (std::size_t o = 0; o < expected.size(); ++o)
    BOOST_REQUIRE_MESSAGE(same_entry(log.at(Offset{static_cast<std::int64_t>(o)}), expected[o]), "offset " << o);
  for (std::size_t o = expected.size(); o-- > 0;)
    BOOST_REQUIRE(same_entry(log.at(Offset{static_cast<std::int64_t>(o)}), expected[o]));
}
