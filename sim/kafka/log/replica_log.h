#pragma once
// One replica's log of one partition: its own entries (replicas diverge and truncate
// independently), its high watermark, the leader-epoch cache used for KIP-101
// truncation, and how much of it is flushed to disk (a power failure loses the rest).
#include <cstdint>
#include <deque>
#include <limits>
#include <utility>
#include <vector>

#include "sim/core/assert.h"
#include "sim/core/ids.h"

namespace ksim::kafka {

// LogEntry::flags: Kafka's batch attributes that the model needs.
inline constexpr std::uint8_t kTransactionalEntry = 1;  // written inside a transaction
inline constexpr std::uint8_t kCommitMarker = 2;        // a COMMIT control record (message_id 0)
inline constexpr std::uint8_t kAbortMarker = 4;         // an ABORT control record (message_id 0)
inline constexpr std::uint8_t kOffsetCommitEntry = 8;   // a group's offset commit (offsets_log.h)

struct LogEntry {
  std::uint64_t message_id = 0;
  LeaderEpoch leader_epoch{};
  std::int32_t sequence = -1;       // idempotent producer sequence, -1 without idempotence
  // The producer id and epoch in 4 and 2 bytes (memory per entry matters, issue 19): read
  // and written only through producer_id(), producer_epoch() and set_producer, the one place
  // they convert.
  std::uint32_t stored_producer_id = 0;  // 0 without idempotence
  std::int16_t stored_producer_epoch = 0;
  std::uint16_t index_in_batch = 0;  // position in the producer's batch, so followers can
  std::uint16_t batch_records = 1;   // rebuild the idempotence cache from replicated entries
  std::uint8_t flags = 0;

  ProducerId producer_id() const { return ProducerId{stored_producer_id}; }
  ProducerEpoch producer_epoch() const { return ProducerEpoch{stored_producer_epoch}; }
  void set_producer(ProducerId id, ProducerEpoch epoch) {
    KSIM_ASSERT(id.value() <= std::numeric_limits<std::uint32_t>::max() &&
                    epoch.value() >= std::numeric_limits<std::int16_t>::min() &&
                    epoch.value() <= std::numeric_limits<std::int16_t>::max(),
                "producer id {} or epoch {} does not fit a log entry", id, epoch);
    stored_producer_id = static_cast<std::uint32_t>(id.value());
    stored_producer_epoch = static_cast<std::int16_t>(epoch.value());
  }

  bool is_marker() const { return (flags & (kCommitMarker | kAbortMarker)) != 0; }
  bool is_transactional() const { return (flags & kTransactionalEntry) != 0; }
  // Not a producer's batch: its producer fields name a transaction, not a sequence.
  bool is_offset_commit() const { return (flags & kOffsetCommitEntry) != 0; }
  // Entries from this one to the end of its record batch, itself included (1 for an entry
  // that is no producer batch: a marker or an offset commit).
  std::int64_t entries_to_batch_end() const {
    if (is_marker() || is_offset_commit() || index_in_batch >= batch_records) return 1;
    return batch_records - index_in_batch;
  }
  bool ends_batch() const { return entries_to_batch_end() == 1; }
};

struct EpochEndOffset {
  LeaderEpoch epoch = kNoLeaderEpoch;  // the largest epoch <= the one asked about, -1 if none
  Offset end_offset{};  // where that epoch's entries end in this log
};

class ReplicaLog {
 public:
  Offset log_end_offset() const { return Offset{static_cast<std::int64_t>(id_distance_.size())}; }
  Offset high_watermark() const { return high_watermark_; }
  Offset flushed_end_offset() const { return flushed_end_offset_; }
  LogEntry at(Offset offset) const;
  LeaderEpoch last_epoch() const { return epoch_starts_.empty() ? kNoLeaderEpoch : epoch_starts_.back().first; }

  // Appends at the log end. Entries of one log never go back in epoch.
  Offset append(const LogEntry& entry);
  // Removes every entry at or above `offset`; the high watermark and flushed prefix
  // follow it down.
  void truncate_to(Offset offset);
  // The high watermark only moves within [0, log end].
  void set_high_watermark(Offset offset);

  // KIP-101's OffsetsForLeaderEpoch answer for `epoch`.
  EpochEndOffset end_offset_for_epoch(LeaderEpoch epoch) const;

  void flush() { flushed_end_offset_ = log_end_offset(); }
  // A power failure: the unflushed tail is gone. Returns the new log end.
  Offset lose_unflushed_tail();

 private:
  // Entries as runs (issue 19: the replicas' logs were most of a long run's world, 24 bytes
  // an entry each). The consecutive entries of one producer batch share producer id and
  // epoch, batch size and flags, and their sequence and index in the batch go up by one: a
  // run holds those once, and each entry only its message id's distance from the run's
  // first (4 bytes). The leader epoch is epoch_starts_'s. Any entry that does not continue
  // the last run starts one, so every entry reads back exactly as appended.
  struct Run {
    std::int64_t first_offset;
    std::uint64_t first_message_id;
    std::int32_t first_sequence;  // negative (-1: no idempotence): every entry's is the same
    std::uint32_t producer_id;
    std::int16_t producer_epoch;
    std::uint16_t first_index_in_batch;
    std::uint16_t batch_records;
    std::uint8_t flags;
  };
  static_assert(sizeof(Run) == 32);
  LeaderEpoch epoch_at(Offset offset) const;
  // Whether `entry`, appended at the log end, continues the last run.
  bool continues_last_run(const LogEntry& entry) const;
  // The index in runs_ of the run holding `offset` (< log end).
  std::size_t run_of(Offset offset) const;

  // Deques: the log grows in fixed blocks, so a long log is never copied to grow and never
  // holds the unused half of a doubled buffer.
  std::deque<Run> runs_;                   // by first_offset
  std::deque<std::uint32_t> id_distance_;  // by offset: message id - its run's first message id
  mutable std::size_t last_run_ = 0;       // the run the last lookup found (reads go forward)
  std::vector<std::pair<LeaderEpoch, Offset>> epoch_starts_;  // (epoch, first offset), ascending
  Offset high_watermark_{};
  Offset flushed_end_offset_{};
};

}  // namespace ksim::kafka
