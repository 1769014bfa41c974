// How a producer's batches end: acknowledged, failed (delivery.timeout.ms, fatal errors),
// and the idempotent producer's epoch bumps after an unresolved failure (KIP-360).
#include <algorithm>

#include "sim/history/records.h"
#include "sim/kafka/client/producer.h"

namespace ksim::kafka {

// KIP-360: the epoch bump waits until nothing of the partition is in flight (Kafka drains
// in-flight requests first), so no request of the old epoch is answered after it.
// A transactional producer's epoch belongs to the coordinator: the failed transaction
// aborts, and the producer asks for a new epoch before the next one (KIP-360).
void Producer::bump_epoch(PartitionId partition) {
  if (transactional()) {
    transaction_.abortable = true;
    return;
  }
  epoch_bump_pending_[partition.index()] = true;
  busy_partitions_.insert(partition.value());
}

void Producer::maybe_bump_epoch(NodeContext& context, PartitionId partition) {
  if (!epoch_bump_pending_[partition.index()]) return;
  for (const ProducerBatch& queued : queues_[partition.index()]) {
    if (queued.in_flight) return;
  }
  epoch_bump_pending_[partition.index()] = false;
  context.probe(history::Probe::producer_epoch_bump);
  ++producer_epochs_[partition.index()];
  std::int32_t sequence = 0;
  for (ProducerBatch& queued : queues_[partition.index()]) {
    queued.producer_epoch = producer_epochs_[partition.index()];
    queued.base_sequence = sequence;
    sequence += static_cast<std::int32_t>(queued.message_ids.size());
  }
  next_sequences_[partition.index()] = sequence;
}

void Producer::expire_batches(NodeContext& context) {
  const TimeNs now = context.now();
  for (const PartitionId partition : ids_below<PartitionId>(static_cast<std::uint32_t>(queues_.size()))) {
    auto& queue = queues_[partition.index()];
    const auto expired = [&](const ProducerBatch& b) {
      return !b.in_flight && now - b.created_ns >= workload_.config.delivery_timeout_ns;
    };
    for (const ProducerBatch& batch : queue) {
      if (expired(batch)) fail_batch(context, batch, ErrorCode::delivery_timeout);
    }
    erase_batches(queue, expired);
  }
}

void Producer::acknowledge(NodeContext& context, const ProducerBatch& batch, Offset base_offset) {
  for (std::size_t i = 0; i < batch.message_ids.size(); ++i) {
    const std::uint64_t id = batch.message_ids[i];
    if (transactional()) {
      // Written, but the application's answer is the transaction's outcome.
      transaction_.acknowledged.push_back(AcknowledgedSend{id, batch.partition, base_offset + static_cast<std::int64_t>(i)});
      continue;
    }
    if (outbox_.erase(sequence_number(id)) == 0) continue;  // already answered (a resend's twin)
    context.record(history::send_acknowledged(
        {.producer = NodeId{node_},
         .message_id = id,
         .partition = batch.partition,
         .offset =
             base_offset >= Offset{} ? base_offset + static_cast<std::int64_t>(i) : kNoOffsetPosition}));
  }
}

void Producer::fail_batch(NodeContext& context, const ProducerBatch& batch, ErrorCode error) {
  if (transactional()) transaction_.abortable = true;
  for (const std::uint64_t id : batch.message_ids) {
    if (outbox_.erase(sequence_number(id)) == 0) continue;
    context.record(history::send_failed({.producer = NodeId{node_},
                                         .message_id = id,
                                         .partition = batch.partition,
                                         .error = error}));
  }
}

}  // namespace ksim::kafka
