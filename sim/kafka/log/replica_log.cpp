#include "sim/kafka/log/replica_log.h"

#include <algorithm>
#include <iterator>

#include "sim/core/assert.h"

namespace ksim::kafka {

LogEntry ReplicaLog::at(Offset offset) const {
  KSIM_ASSERT(offset >= Offset{} && offset < log_end_offset(), "offset {} outside log [0, {})", offset, log_end_offset());
  const StoredEntry& stored = entries_[offset.index()];
  return LogEntry{stored.message_id, epoch_at(offset), stored.sequence, stored.producer_id, stored.producer_epoch,
                  stored.index_in_batch, stored.batch_records, stored.flags};
}

// The epoch of the last epoch start at or below `offset`; -1 (an entry appended with epoch
// -1 to an empty log opens no start) if none.
LeaderEpoch ReplicaLog::epoch_at(Offset offset) const {
  const auto after = std::upper_bound(epoch_starts_.begin(), epoch_starts_.end(), offset,
                                      [](Offset o, const std::pair<LeaderEpoch, Offset>& start) { return o < start.second; });
  return after == epoch_starts_.begin() ? kNoLeaderEpoch : std::prev(after)->first;
}

Offset ReplicaLog::append(const LogEntry& entry) {
  KSIM_ASSERT(entry.leader_epoch >= last_epoch(), "append of epoch {} after epoch {}", entry.leader_epoch,
              last_epoch());
  if (entry.leader_epoch > last_epoch()) epoch_starts_.emplace_back(entry.leader_epoch, log_end_offset());
  entries_.push_back(StoredEntry{entry.message_id, entry.sequence, entry.stored_producer_id, entry.stored_producer_epoch,
                                 entry.index_in_batch, entry.batch_records, entry.flags});
  return log_end_offset() - 1;
}

void ReplicaLog::truncate_to(Offset offset) {
  KSIM_ASSERT(offset >= Offset{}, "truncation to negative offset {}", offset);
  if (offset >= log_end_offset()) return;
  entries_.resize(offset.index());
  while (!epoch_starts_.empty() && epoch_starts_.back().second >= offset) epoch_starts_.pop_back();
  if (high_watermark_ > offset) high_watermark_ = offset;
  if (flushed_end_offset_ > offset) flushed_end_offset_ = offset;
}

void ReplicaLog::set_high_watermark(Offset offset) {
  KSIM_ASSERT(offset >= Offset{} && offset <= log_end_offset(), "high watermark {} outside [0, {}]", offset,
              log_end_offset());
  high_watermark_ = offset;
}

EpochEndOffset ReplicaLog::end_offset_for_epoch(LeaderEpoch epoch) const {
  // Find the last epoch <= `epoch`; its entries end where the next epoch starts.
  for (std::size_t i = epoch_starts_.size(); i-- > 0;) {
    if (epoch_starts_[i].first <= epoch) {
      const Offset end = i + 1 < epoch_starts_.size() ? epoch_starts_[i + 1].second : log_end_offset();
      return EpochEndOffset{epoch_starts_[i].first, end};
    }
  }
  return EpochEndOffset{kNoLeaderEpoch, Offset{}};
}

Offset ReplicaLog::lose_unflushed_tail() {
  truncate_to(flushed_end_offset_);
  return log_end_offset();
}

}  // namespace ksim::kafka
