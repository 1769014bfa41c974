// Pipelines (issue 15 item 6): a consumer group member with an output topic is a processor.
// For each input record it writes one output record to the output topic through its own
// producer and finishes the input record once that write is acknowledged, as an
// application calling send().get() (or Kafka Streams flushing its producer before it
// commits offsets, StreamTask.commit) would: its offsets are then committed as its commit
// strategy says, so they never run ahead of the output it wrote.
//
// The producer takes the delivery mode's settings (acks, retries, enable.idempotence;
// ProducerConfig): with acks=0 the write is done once it is on the wire; otherwise it is
// retried on errors, timeouts and connection resets until delivery.timeout.ms, under the
// same sequence number when idempotent (the broker drops the duplicate, [PSE]) and as a
// new copy when not (A7). Under commit: transactional the output partition is added to
// the member's transaction (AddPartitionsToTxn) before the first write, the writes are
// transactional, and a failed write aborts the transaction (the input is then processed
// again after the seek); the writes are answered when the transaction ends (KIP-98,
// KIP-447: the offsets go in with sendOffsetsToTransaction, consumer_transaction.cpp). A
// poll over several input partitions writes to as many output partitions, each added to
// the transaction before its first write.
//
// Simplifications: one record per produce request, one request in flight (the
// application waits for each); the output partition is the input partition's number
// modulo the output topic's partition count (a keyed transform keeps per-partition order).
#include <algorithm>

#include "sim/core/assert.h"
#include "sim/history/records.h"
#include "sim/kafka/client/consumer.h"

namespace ksim::kafka {

namespace {

// Output message ids: a block of 2^40 per member above every producer's
// (Producer::message_id), so they never collide with an input message's id.
constexpr std::uint64_t kOutputIdBlock = 0x8000;

}  // namespace

void Consumer::produce_output(NodeContext& context, const RecordToProcess& input) {
  KSIM_ASSERT(!output_.active, "consumer {} processes a record while its previous output is unwritten", index_);
  processing_ = true;  // nothing else is processed until this write is acknowledged
  output_ = PendingOutput{};
  output_.active = true;
  output_.input = input;
  output_.message_id = ((kOutputIdBlock + index_ + 1) << 40) | next_output_id_++;
  output_.partition = output_partition(input.partition);
  output_.first_sent_ns = context.now();
  const bool in_transaction = transactional();
  context.record(history::output_produced({.consumer = NodeId{node_},
                                           .group = GroupIndex{group_},
                                           .partition = input.partition,
                                           .offset = input.offset,
                                           .input_message_id = input.message_id,
                                           .output_message_id = output_.message_id}));
  context.record(history::send({.producer = NodeId{node_},
                                .message_id = output_.message_id,
                                .partition = output_.partition,
                                .producer_epoch = in_transaction ? producer_epoch_ : ProducerEpoch{0},
                                .transaction = in_transaction ? transaction_.number : history::kNoOffset}));
  if (in_transaction) record_effect(context, input);  // visible iff the transaction commits
  send_output(context);
}

void Consumer::send_output(NodeContext& context) {
  if (!output_.active || output_.in_flight) return;
  const bool in_transaction = transactional();
  const PartitionId partition = output_.partition;
  // Transactional writes wait until the coordinator has the output partition in the transaction.
  if (in_transaction && !output_partition_added(context)) return;
  if (partition.index() >= leaders_.size() || leaders_[partition.index()] == kNoBroker) {
    request_metadata(context);
    retry_output(context, config_.output.producer.retry_backoff_ns);
    return;
  }
  const ProducerConfig& producer = config_.output.producer;
  const bool idempotent = in_transaction || producer.enable_idempotence;
  if (idempotent && output_.sequence < 0) output_.sequence = output_sequences_[partition];
  ProduceRequest request;
  request.partition = partition;
  request.request_id = output_.request_id = next_request_id_++;
  request.acks = in_transaction ? history::Acks::all : producer.acks;
  if (in_transaction) {
    request.producer_id = producer_id_;
    request.producer_epoch = producer_epoch_;
    request.transactional = true;
    request.transactional_id = transactional_id_;
  } else if (idempotent) {
    request.producer_id = ProducerId{((transactional_id_ + 1) << 16) | (output_session_ & 0x7FFFU)};
  }
  request.base_sequence = idempotent ? output_.sequence : -1;
  request.records.push_back(ProducedRecord{output_.message_id});
  if (output_.attempts++ > 0) {
    // A retry (the first attempt is implied by the send record), so the checker can tell
    // a retried copy (A7) from an unexplained one.
    context.record(history::send_attempt(
        {.producer = NodeId{node_},
         .message_id = output_.message_id,
         .partition = partition,
         .attempt = static_cast<std::uint8_t>(std::min<std::uint32_t>(output_.attempts - 1, 255)),
         .producer_id = request.producer_id,
         .producer_epoch = request.producer_epoch,
         .transaction = in_transaction ? transaction_.number : history::kNoOffset}));
  }
  context.send(node_, context.broker_node(leaders_[partition.index()]), request);
  if (request.acks == history::Acks::none) {
    on_output_written(context, kNoOffsetPosition);  // acks=0: done once handed to the network
    return;
  }
  output_.in_flight = true;
  context.set_timer(node_, producer.request_timeout_ns, ConsumerTimer{timers::OutputRetry{++output_.generation}});
}

// Whether the pending write's partition is in the open transaction; if not, asks for it
// (after the offsets partition, one add at a time) and the answer sends the write.
bool Consumer::output_partition_added(NodeContext& context) {
  if (transaction_.phase != TransactionPhase::open || !transaction_.offsets_added) return false;
  const auto& added = transaction_.outputs_added;
  if (std::find(added.begin(), added.end(), output_.partition) != added.end()) return true;
  if (!transaction_.output_add_out) {
    transaction_.output_add_out = true;
    send_transaction_request(context, AddPartitionsToTxnRequest{transactional_id_, producer_id_, producer_epoch_,
                                                                transaction_.number, output_.partition, 0});
  }
  return false;
}

void Consumer::retry_output(NodeContext& context, TimeNs after_ns) {
  output_.in_flight = false;
  if (!transactional() && context.now() - output_.first_sent_ns >= config_.output.producer.delivery_timeout_ns) {
    // delivery.timeout.ms: the application is told the write failed, and moves on without it.
    // The write may still have landed: the next ones go under a new producer id, or the
    // broker would take a new record under the unresolved sequence number for this one.
    ++output_session_;
    output_sequences_.clear();
    context.record(history::send_failed({.producer = NodeId{node_},
                                         .message_id = output_.message_id,
                                         .partition = output_.partition,
                                         .error = ErrorCode::delivery_timeout}));
    finish_output(context, false);
    return;
  }
  context.set_timer(node_, after_ns, ConsumerTimer{timers::OutputRetry{++output_.generation}});
}

void Consumer::on_output_timer(NodeContext& context, const timers::OutputRetry& retry) {
  if (!output_.active || retry.generation != output_.generation) return;
  if (output_.in_flight) {
    retry_output(context, 0);  // request.timeout.ms: the answer is overdue; send it again
    return;
  }
  send_output(context);
}

void Consumer::on_output_connection_reset(NodeContext& context, BrokerId broker) {
  if (!output_.active || !output_.in_flight || output_.partition.index() >= leaders_.size() ||
      leaders_[output_.partition.index()] != broker) {
    return;
  }
  leaders_[output_.partition.index()] = kNoBroker;
  retry_output(context, config_.output.producer.retry_backoff_ns);
}

void Consumer::on_output_response(NodeContext& context, const ProduceResponse& response) {
  if (!output_.active || !output_.in_flight || response.request_id != output_.request_id) return;
  output_.in_flight = false;
  ++output_.generation;  // the request's timeout is stale now
  if (response.error == ErrorCode::none) {
    on_output_written(context, response.base_offset);
    return;
  }
  if (transactional()) {
    // A failed transactional write makes the transaction abortable: abort it; its input is
    // processed again after the seek back to the committed offsets.
    transaction_.outputs.push_back({output_.message_id, output_.partition, kNoOffsetPosition});
    output_ = PendingOutput{};
    processing_ = false;
    end_transaction(context, false);
    return;
  }
  if (response.error == ErrorCode::not_leader_or_follower) {
    leaders_[output_.partition.index()] = kNoBroker;
    request_metadata(context);
  }
  if (response.error == ErrorCode::out_of_order_sequence || response.error == ErrorCode::producer_fenced) {
    // The broker lost this producer's state: a new session (producer id), sequences from 0.
    ++output_session_;
    output_sequences_.clear();
    output_.sequence = -1;
  }
  retry_output(context, config_.output.producer.retry_backoff_ns);
}

void Consumer::on_output_written(NodeContext& context, Offset offset) {
  if (output_.sequence >= 0) output_sequences_[output_.partition] = output_.sequence + 1;
  if (transactional()) {
    transaction_.outputs.push_back({output_.message_id, output_.partition, offset});
  } else if (config_.output.producer.acks != history::Acks::none) {
    context.record(history::send_acknowledged({.producer = NodeId{node_},
                                               .message_id = output_.message_id,
                                               .partition = output_.partition,
                                               .offset = offset}));
  }
  finish_output(context, true);
}

// The write is over (written, or given up): the input record is finished, unless its
// partition was revoked meanwhile (its next owner processes it again from the committed
// offset; the written output stays in the output topic).
void Consumer::finish_output(NodeContext& context, bool written) {
  const RecordToProcess input = output_.input;
  const bool revoked = output_.revoked;
  // Outside a transaction the processor's effect is its output record written.
  if (written && !revoked && !transactional()) record_effect(context, input);
  output_ = PendingOutput{};
  processing_ = false;
  if (revoked) {
    start_processing(context);
  } else {
    after_record(context, input);
  }
}

// The transaction's output records learn its fate, as a transactional producer's sends do.
void Consumer::answer_transaction_outputs(NodeContext& context, bool committed) {
  for (const auto& [message_id, partition, offset] : transaction_.outputs) {
    if (committed) {
      context.record(history::send_acknowledged({.producer = NodeId{node_},
                                                 .message_id = message_id,
                                                 .partition = partition,
                                                 .offset = offset}));
    } else {
      context.record(history::send_failed({.producer = NodeId{node_},
                                           .message_id = message_id,
                                           .partition = partition,
                                           .error = ErrorCode::transaction_aborted}));
    }
  }
  transaction_.outputs.clear();
}

}  // namespace ksim::kafka
