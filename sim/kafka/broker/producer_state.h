#pragma once
// Broker-side idempotence (ProducerStateEntry/ProducerAppendInfo): per producer id and
// partition, the producer epoch and the last five batches' sequence ranges and offsets.
// A retried batch that matches a cached one is answered with its original offset
// instead of being appended twice.
#include <cstdint>
#include <deque>
#include <map>

#include "sim/kafka/wire/protocol.h"
#include "sim/kafka/log/replica_log.h"

namespace ksim::kafka {

struct CachedBatch {
  std::int32_t first_sequence = 0;
  std::int32_t last_sequence = 0;
  Offset base_offset{};
};

struct ProducerEntry {
  ProducerEpoch epoch{0};
  std::deque<CachedBatch> batches;  // oldest first, at most kBatchesKept
};

enum class SequenceVerdict : std::uint8_t {
  append,             // new and in order
  duplicate,          // matches a cached batch: answer with its offset, do not append
  duplicate_too_old,  // older than the cache: DUPLICATE_SEQUENCE_NUMBER, which the client takes as success
  out_of_order,       // OutOfOrderSequence
  fenced,             // an older producer epoch
};

struct SequenceCheck {
  SequenceVerdict verdict = SequenceVerdict::append;
  Offset duplicate_base_offset = kNoOffsetPosition;
};

class ProducerStateTable {
 public:
  static constexpr std::size_t kBatchesKept = 5;

  SequenceCheck check(ProducerId producer_id, ProducerEpoch epoch, std::int32_t first_sequence,
                      std::int32_t last_sequence) const;
  // Records an appended batch (as leader, or replicated to a follower).
  void record(ProducerId producer_id, ProducerEpoch epoch, std::int32_t first_sequence, std::int32_t last_sequence,
              Offset base_offset);
  // An append under `epoch` would be refused: a later epoch of the producer is known.
  bool fenced(ProducerId producer_id, ProducerEpoch epoch) const;
  // A transaction marker written under `epoch`: a newer epoch fences the older one.
  void record_marker(ProducerId producer_id, ProducerEpoch epoch);
  // Rebuilds the table from a log after a truncation (Kafka reloads producer state).
  void rebuild(const ReplicaLog& log);
  void clear() { producers_.clear(); }

 private:
  std::map<ProducerId, ProducerEntry> producers_;  // ordered: deterministic if ever iterated
};

}  // namespace ksim::kafka
