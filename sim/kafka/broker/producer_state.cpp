#include "sim/kafka/broker/producer_state.h"

namespace ksim::kafka {

bool ProducerStateTable::fenced(ProducerId producer_id, ProducerEpoch epoch) const {
  const auto found = producers_.find(producer_id);
  return found != producers_.end() && epoch < found->second.epoch;
}

SequenceCheck ProducerStateTable::check(ProducerId producer_id, ProducerEpoch epoch, std::int32_t first_sequence,
                                        std::int32_t last_sequence) const {
  const auto found = producers_.find(producer_id);
  if (found == producers_.end() || epoch > found->second.epoch) {
    // A new producer, or a bumped epoch: sequences restart at 0 and nothing is cached.
    return first_sequence == 0 ? SequenceCheck{} : SequenceCheck{SequenceVerdict::out_of_order, kNoOffsetPosition};
  }
  const ProducerEntry& entry = found->second;
  if (epoch < entry.epoch) return SequenceCheck{SequenceVerdict::fenced, kNoOffsetPosition};
  for (const CachedBatch& batch : entry.batches) {
    if (batch.first_sequence == first_sequence && batch.last_sequence == last_sequence) {
      return SequenceCheck{SequenceVerdict::duplicate, batch.base_offset};
    }
  }
  if (entry.batches.empty()) return SequenceCheck{};
  const std::int32_t expected = entry.batches.back().last_sequence + 1;
  if (first_sequence == expected) return SequenceCheck{};
  if (first_sequence < entry.batches.front().first_sequence) {
    return SequenceCheck{SequenceVerdict::duplicate_too_old, kNoOffsetPosition};
  }
  return SequenceCheck{SequenceVerdict::out_of_order, kNoOffsetPosition};
}

void ProducerStateTable::record(ProducerId producer_id, ProducerEpoch epoch, std::int32_t first_sequence,
                                std::int32_t last_sequence, Offset base_offset) {
  ProducerEntry& entry = producers_[producer_id];
  if (epoch != entry.epoch) {
    entry.epoch = epoch;
    entry.batches.clear();
  }
  entry.batches.push_back(CachedBatch{first_sequence, last_sequence, base_offset});
  if (entry.batches.size() > kBatchesKept) entry.batches.pop_front();
}

void ProducerStateTable::record_marker(ProducerId producer_id, ProducerEpoch epoch) {
  ProducerEntry& entry = producers_[producer_id];
  if (epoch > entry.epoch) {
    entry.epoch = epoch;
    entry.batches.clear();
  }
}

void ProducerStateTable::rebuild(const ReplicaLog& log) {
  producers_.clear();
  for (Offset offset{}; offset < log.log_end_offset(); ++offset) {
    const LogEntry entry = log.at(offset);
    if (entry.producer_id() == kNoProducerId || entry.index_in_batch != 0 || entry.is_offset_commit()) continue;
    if (entry.is_marker()) {
      record_marker(entry.producer_id(), entry.producer_epoch());
      continue;
    }
    record(entry.producer_id(), entry.producer_epoch(), entry.sequence, entry.sequence + entry.batch_records - 1, offset);
  }
}

}  // namespace ksim::kafka
