// The application in front of the producer: it takes in the messages that arrive
// (arrivals.h) and hands them to KafkaProducer.send() in arrival order. send() cannot take
// a message while the transactional producer is in initTransactions() or
// commitTransaction() (the application's one thread is in that call), or while
// buffer.memory has no room for the batch the record needs: send() then blocks, up to
// max.block.ms, and throws TimeoutException (KafkaProducer.send -> RecordAccumulator.append
// -> BufferPool.allocate; Kafka 0.9+, max.block.ms since KIP-19). Whatever arrives
// meanwhile waits in the application's backlog, bounded by the scenario's
// `application_queue` if it sets one. At the workload's end the backlog is still sent, and
// the drain waits for it. Every arrival is accounted for in the history: sent (SendRecord),
// waiting first (ArrivalQueuedRecord) or given up (NotSentRecord, with its reason).
#include <algorithm>

#include "sim/core/assert.h"
#include "sim/history/records.h"
#include "sim/kafka/client/partitioner.h"
#include "sim/kafka/client/producer.h"

namespace ksim::kafka {

void Producer::on_arrival(NodeContext& context) {
  const TimeNs now = context.now();
  while (!arrivals_.done() && arrivals_.next_arrival_ns() <= now) take_arrival(context, arrivals_.take());
  if (!arrivals_.done()) context.set_timer(node_, arrivals_.next_arrival_ns() - now, timers::Arrival{});
}

void Producer::take_arrival(NodeContext& context, PendingMessage message) {
  // Sent the moment it arrives: its SendRecord's time is its arrival time. An arrival
  // taken in late (the process was down) waits first, so its arrival time is recorded.
  if (backlog_.empty() && message.arrival_ns == context.now() && offer_to_send(context, message) == SendStep::taken) {
    return;
  }
  const std::uint64_t bound = workload_.application_queue_max_messages;
  if (bound > 0 && backlog_.size() >= bound) {
    give_up(context, message, history::NotSentReason::application_queue_full);
    return;
  }
  context.record(history::arrival_queued({.producer = NodeId{node_},
                                          .message_id = message_id(index_, message.sequence),
                                          .key = message.key_id(),
                                          .arrival_ns = message.arrival_ns}));
  backlog_.push_back(message);
}

void Producer::drain_backlog(NodeContext& context) {
  while (!backlog_.empty()) {
    if (offer_to_send(context, backlog_.front()) == SendStep::blocked) return;
    backlog_.pop_front();
  }
  if (!arrivals_.done()) return;
  sending_done_ = true;
  // The workload is over and nothing waits: the open transaction is the last one.
  if (transactional() && transaction_.phase == TransactionPhase::open) end_transaction(context);
}

// Kafka's RecordAccumulator appends a record to the last batch of its partition's deque
// while that batch has room and the Sender has not drained it (RecordAccumulator.tryAppend;
// a drained batch is closed for appends), whatever linger.ms says: linger.ms only decides
// when a batch may be sent. So under load records batch "regardless of the linger
// configuration", linger.ms=0 included (producer configs, linger.ms, all versions). A batch
// never sent (no attempt, not in flight) with room for one more record, built in the open
// transaction, and for an idempotent producer the last one sequenced under the current epoch
// (its sequence numbers are assigned when it closes here, so the record takes the next one).
const ProducerBatch* Producer::queued_batch_taking_records(PartitionId partition) const {
  const auto& queue = queues_[partition.index()];
  if (queue.empty()) return nullptr;
  const ProducerBatch& last = queue.back();
  if (last.in_flight || last.attempts > 0) return nullptr;
  if (last.bytes + record_bytes() > workload_.config.batch_size_bytes) return nullptr;
  if (transactional() && last.transaction != transaction_.number) return nullptr;
  if (idempotent() && (last.producer_epoch != producer_epochs_[partition.index()] ||
                       last.base_sequence + static_cast<std::int32_t>(last.message_ids.size()) != next_sequences_[partition.index()])) {
    return nullptr;
  }
  return &last;
}

Producer::SendStep Producer::offer_to_send(NodeContext& context, PendingMessage& message) {
  if (transactional() && !may_send()) return SendStep::blocked;  // in initTransactions()/commitTransaction()
  // KafkaProducer.ensureValidRecordSize (all versions): a record larger than
  // max.request.size or buffer.memory fails at once.
  const std::uint64_t record_limit_bytes =
      std::min<std::uint64_t>(workload_.config.buffer_memory_bytes, workload_.config.max_request_size_bytes);
  if (record_bytes() > record_limit_bytes) {
    give_up(context, message, history::NotSentReason::record_too_large);
    return SendStep::taken;
  }
  if (message.partition == PendingMessage::kUnchosen) {
    message.partition = message.key_plus_one == 0
                            ? choose_partition(context, message_id(index_, message.sequence))
                            : PartitionId{topic_first_ + partition_for_key(key_bytes(message.key_id()), topic_partition_count())};
  }
  const bool joins_a_batch = open_batches_[message.partition.index()] || queued_batch_taking_records(message.partition) != nullptr;
  const std::uint64_t needed = joins_a_batch ? 0 : batch_buffer_bytes();
  if (buffer_used_bytes_ + needed > workload_.config.buffer_memory_bytes) {
    block_on_buffer(context);
    return SendStep::blocked;
  }
  buffer_wait_.active = false;
  application_send(context, message);
  return SendStep::taken;
}

void Producer::block_on_buffer(NodeContext& context) {
  if (buffer_wait_.active) return;
  buffer_wait_.active = true;
  ++buffer_wait_.block;
  context.set_timer(node_, workload_.config.max_block_ns, timers::MaxBlockExpired{buffer_wait_.block});
}

void Producer::on_max_block_expired(NodeContext& context, const timers::MaxBlockExpired& expired) {
  if (!buffer_wait_.active || expired.block != buffer_wait_.block || backlog_.empty()) return;
  buffer_wait_.active = false;
  const PendingMessage message = backlog_.front();
  backlog_.pop_front();
  if (!message.resend) {
    give_up(context, message, history::NotSentReason::max_block_timeout);
    return;
  }
  // A resend had been sent before: the application is told this send failed.
  if (outbox_.erase(message.sequence) == 0) return;
  context.record(history::send_failed({.producer = NodeId{node_},
                                       .message_id = message_id(index_, message.sequence),
                                       .partition = message.partition,
                                       .error = ErrorCode::max_block_timeout}));
}

void Producer::give_up(NodeContext& context, const PendingMessage& message, history::NotSentReason reason) {
  ++given_up_;
  context.record(history::not_sent({.producer = NodeId{node_},
                                    .message_id = message_id(index_, message.sequence),
                                    .reason = reason,
                                    .arrival_ns = message.arrival_ns}));
}

// After a restart the application sends again what the old client never answered, before
// anything that arrived since (or gives up on it, if the scenario says so).
void Producer::resend_after_restart(NodeContext&) {
  if (incarnation_ <= 1) return;
  // Resends still waiting from an earlier restart are taken again from the outbox below.
  std::erase_if(backlog_, [](const PendingMessage& waiting) { return waiting.resend; });
  if (!workload_.resend_unacknowledged_after_restart) {
    outbox_.clear();  // the application gives up on them: they stay without an answer
    return;
  }
  const std::vector<std::uint64_t> unanswered = outbox_.sequences();
  for (auto sequence = unanswered.rbegin(); sequence != unanswered.rend(); ++sequence) {
    PendingMessage resend;
    resend.sequence = *sequence;
    resend.key_plus_one = outbox_.at(*sequence);
    resend.resend = true;
    backlog_.push_front(resend);
  }
}

void Producer::check_accounting() const {
  const auto waiting = static_cast<std::uint64_t>(
      std::count_if(backlog_.begin(), backlog_.end(), [](const PendingMessage& m) { return !m.resend; }));
  KSIM_ASSERT(arrivals_.arrived() == handed_to_client_ + given_up_ + waiting,
              "producer {}: {} messages arrived, but {} were sent, {} given up and {} wait", index_, arrivals_.arrived(),
              handed_to_client_, given_up_, waiting);
}

}  // namespace ksim::kafka
