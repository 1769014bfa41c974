#include "sim/kafka/log/replica_log.h"

#include <algorithm>
#include <iterator>
#include <limits>

#include "sim/core/assert.h"

namespace ksim::kafka {

LogEntry ReplicaLog::at(Offset offset) const {
  KSIM_ASSERT(offset >= Offset{} && offset < log_end_offset(), "offset {} outside log [0, {})", offset, log_end_offset());
  const Run& run = runs_[run_of(offset)];
  const std::int64_t k = offset.value() - run.first_offset;
  const std::int32_t sequence = run.first_sequence < 0 ? run.first_sequence : static_cast<std::int32_t>(run.first_sequence + k);
  return LogEntry{run.first_message_id + id_distance_[offset.index()],
                  epoch_at(offset),
                  sequence,
                  run.producer_id,
                  run.producer_epoch,
                  static_cast<std::uint16_t>(run.first_index_in_batch + k),
                  run.batch_records,
                  run.flags};
}

std::size_t ReplicaLog::run_of(Offset offset) const {
  const auto holds = [&](std::size_t r) {
    const std::int64_t end = r + 1 < runs_.size() ? runs_[r + 1].first_offset : log_end_offset().value();
    return runs_[r].first_offset <= offset.value() && offset.value() < end;
  };
  if (last_run_ < runs_.size() && holds(last_run_)) return last_run_;
  if (last_run_ + 1 < runs_.size() && holds(last_run_ + 1)) return ++last_run_;
  const auto after = std::upper_bound(runs_.begin(), runs_.end(), offset.value(),
                                      [](std::int64_t o, const Run& run) { return o < run.first_offset; });
  last_run_ = static_cast<std::size_t>(std::prev(after) - runs_.begin());
  return last_run_;
}

bool ReplicaLog::continues_last_run(const LogEntry& entry) const {
  if (runs_.empty()) return false;
  const Run& run = runs_.back();
  const std::int64_t k = log_end_offset().value() - run.first_offset;
  const std::int64_t sequence = run.first_sequence < 0 ? run.first_sequence : run.first_sequence + k;
  return entry.message_id >= run.first_message_id &&
         entry.message_id - run.first_message_id <= std::numeric_limits<std::uint32_t>::max() &&
         entry.sequence == sequence && entry.stored_producer_id == run.producer_id &&
         entry.stored_producer_epoch == run.producer_epoch && entry.index_in_batch == run.first_index_in_batch + k &&
         entry.batch_records == run.batch_records && entry.flags == run.flags;
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
  if (!continues_last_run(entry)) {
    runs_.push_back(Run{log_end_offset().value(), entry.message_id, entry.sequence, entry.stored_producer_id,
                        entry.stored_producer_epoch, entry.index_in_batch, entry.batch_records, entry.flags});
  }
  id_distance_.push_back(static_cast<std::uint32_t>(entry.message_id - runs_.back().first_message_id));
  return log_end_offset() - 1;
}

void ReplicaLog::truncate_to(Offset offset) {
  KSIM_ASSERT(offset >= Offset{}, "truncation to negative offset {}", offset);
  if (offset >= log_end_offset()) return;
  id_distance_.resize(offset.index());
  while (!runs_.empty() && runs_.back().first_offset >= offset.value()) runs_.pop_back();
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
