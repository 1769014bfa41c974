// consume-transform-produce, as an application writes it with a transactional producer
// (KIP-98, KIP-447): initTransactions(); then per poll: beginTransaction(), process each
// record (its output record is produced inside the transaction), sendOffsetsToTransaction
// with the position after the poll of each partition it read (one TxnOffsetCommit) and the
// group's generation, commitTransaction(). An abort drops the output and the offsets; the
// application then seeks back to the committed offsets of those partitions, or, without
// seek_on_abort, keeps its positions and skips the aborted input (A15). One transaction is
// open at a time: the next poll waits for it.
//
// A member without an output topic records each processed record as an effect inside the
// transaction, visible exactly when the coordinator decides commit, as a read_committed
// reader of an output topic would see it. A processor (`output:`, consumer_output.cpp)
// really writes its output records to the output topic inside the transaction: the offsets
// partition is added first, then each output partition before its first write (the
// producer's maybeAddPartition; one AddPartitionsToTxn per partition here, since the
// application waits for each send), so a poll over several input partitions writes to
// several output partitions in one transaction.
#include <algorithm>

#include "sim/core/assert.h"
#include "sim/kafka/client/consumer.h"

namespace ksim::kafka {

void Consumer::send_transaction_request(NodeContext& context, Payload request) {
  transaction_.request_id = next_request_id_++;
  std::visit([&](auto& message) {
    if constexpr (requires { message.request_id; }) message.request_id = transaction_.request_id;
  }, request);
  transaction_.request = request;
  send_transaction_payload(context, request);
  const bool to_transaction_coordinator = !std::holds_alternative<TxnOffsetCommitRequest>(request);
  context.set_timer(node_,
                    to_transaction_coordinator && !transaction_coordinator_.known() ? config_.config.retry_backoff_ns
                                                                                    : config_.config.request_timeout_ns,
                    ConsumerTimer{timers::TransactionRetry{transaction_.request_id}});
}

void Consumer::send_transaction_payload(NodeContext& context, const Payload& request) {
  if (std::holds_alternative<TxnOffsetCommitRequest>(request)) {
    send_to_coordinator(context, request);  // none known: the retry timer sends it again
  } else if (transaction_coordinator_.known()) {
    context.send(node_, context.broker_node(transaction_coordinator_.broker()), request);
  } else {
    request_metadata(context);  // the retry timer sends it once metadata names the coordinator
  }
}

void Consumer::retry_transaction_request(NodeContext& context) {
  transaction_.request_id = next_request_id_++;
  std::visit([&](auto& message) {
    if constexpr (requires { message.request_id; }) message.request_id = transaction_.request_id;
  }, transaction_.request);
  context.set_timer(node_, config_.config.retry_backoff_ns,
                    ConsumerTimer{timers::TransactionRetry{transaction_.request_id}});
}

void Consumer::init_transactions(NodeContext& context) {
  transaction_ = ProcessorTransaction{};
  send_transaction_request(context, InitProducerIdRequest{transactional_id_, 0});
}

// The transaction of the poll just taken (poll_parts_).
void Consumer::begin_transaction(NodeContext& context) {
  KSIM_ASSERT(transaction_.phase == TransactionPhase::ready, "consumer {} begins a transaction in phase {}", index_,
              static_cast<int>(transaction_.phase));
  KSIM_ASSERT(!poll_parts_.empty(), "consumer {} begins a transaction for an empty poll", index_);
  transaction_.phase = TransactionPhase::open;
  transaction_.number = next_transaction_number_++;
  transaction_.inputs = poll_parts_;
  transaction_.offsets_added = false;
  transaction_.batch_done = false;
  transaction_.outputs_added.clear();
  transaction_.output_add_out = false;
  transaction_.outputs.clear();
  send_transaction_request(context, AddPartitionsToTxnRequest{transactional_id_, producer_id_, producer_epoch_,
                                                              transaction_.number, kOffsetsPartition, 0});
}

void Consumer::on_transactional_batch_done(NodeContext& context) {
  if (transaction_.phase != TransactionPhase::open) return;
  transaction_.batch_done = true;
  if (!transaction_.offsets_added) return;  // sent once AddOffsetsToTxn is answered
  TxnOffsetCommitRequest request{group_, {}, producer_id_, producer_epoch_, generation_, 0};
  for (const auto& [partition, end] : transaction_.inputs) {
    request.offsets.push_back(TxnOffset{partition, end.offset, end.leader_epoch});
  }
  send_transaction_request(context, std::move(request));
}

PartitionId Consumer::output_partition(PartitionId input) const {
  return PartitionId{output_first_ + input.value() % std::max<std::uint32_t>(1, output_count_)};
}

void Consumer::end_transaction(NodeContext& context, bool commit) {
  if (transaction_.phase != TransactionPhase::open) return;
  transaction_.phase = TransactionPhase::ending;
  const double abort_probability = config_.transaction_abort_probability;
  transaction_.commit = commit && !(abort_probability > 0 && context.random(node_).uniform01() < abort_probability);
  send_transaction_request(context, EndTxnRequest{transactional_id_, producer_id_, producer_epoch_, transaction_.number,
                                                  transaction_.commit, 0});
}

bool Consumer::on_transaction_message(NodeContext& context, const Payload& payload) {
  const auto not_coordinator = [&](ErrorCode error) {
    // NOT_COORDINATOR: find the transaction coordinator again, then retry after
    // retry.backoff.ms; COORDINATOR_LOAD_IN_PROGRESS: retry the same one then
    // (TransactionManager's handlers, 0.11 to 4.1: lookupCoordinator and reenqueue, or reenqueue).
    if (error == ErrorCode::not_coordinator) {
      transaction_coordinator_.lose();
      request_metadata(context);
    } else if (error != ErrorCode::coordinator_load_in_progress) {
      return false;
    }
    retry_transaction_request(context);
    return true;
  };
  if (const auto* init = std::get_if<InitProducerIdResponse>(&payload)) {
    if (transaction_.phase != TransactionPhase::uninitialized || init->request_id != transaction_.request_id) return true;
    if (not_coordinator(init->error)) return true;
    if (init->error == ErrorCode::concurrent_transactions) {
      retry_transaction_request(context);
      return true;
    }
    transaction_.request_id = 0;
    producer_id_ = init->producer_id;
    producer_epoch_ = init->producer_epoch;
    output_sequences_.clear();  // a new epoch numbers its writes from 0
    transaction_.phase = TransactionPhase::ready;
    for (AssignedPartition& assigned : assigned_) advance(context, assigned);
    poll_buffered(context);  // records fetched before a fenced session ended wait to be polled
  } else if (const auto* added = std::get_if<AddPartitionsToTxnResponse>(&payload)) {
    if (transaction_.phase != TransactionPhase::open || added->request_id != transaction_.request_id) return true;
    if (not_coordinator(added->error)) return true;
    on_partitions_added(context, *added);
  } else if (const auto* offsets = std::get_if<TxnOffsetCommitResponse>(&payload)) {
    if (transaction_.phase != TransactionPhase::open || offsets->request_id != transaction_.request_id) return true;
    if (offsets->error == ErrorCode::not_coordinator || offsets->error == ErrorCode::not_enough_replicas ||
        offsets->error == ErrorCode::coordinator_load_in_progress) {
      // Retriable: find the coordinator (or wait for its ISR or its load), then send the
      // offsets again (TxnOffsetCommitHandler, 0.11 to 4.1).
      if (offsets->error == ErrorCode::not_coordinator) lose_coordinator(context);
      transaction_.request_id = next_request_id_++;
      std::get<TxnOffsetCommitRequest>(transaction_.request).request_id = transaction_.request_id;
      context.set_timer(node_, config_.config.retry_backoff_ns,
                        ConsumerTimer{timers::TransactionRetry{transaction_.request_id}});
      return true;
    }
    transaction_.request_id = 0;
    // A refused offset commit (a newer generation: this member is a zombie) must abort.
    end_transaction(context, offsets->error == ErrorCode::none);
  } else if (const auto* ended = std::get_if<EndTxnResponse>(&payload)) {
    if (transaction_.phase != TransactionPhase::ending || ended->request_id != transaction_.request_id) return true;
    if (not_coordinator(ended->error)) return true;
    transaction_.request_id = 0;
    on_transaction_ended(context, ended->error == ErrorCode::none && ended->committed, ended->error);
  } else {
    return false;
  }
  return true;
}

// AddPartitionsToTxn answered (the offsets partition, or one of a processor's output partitions).
void Consumer::on_partitions_added(NodeContext& context, const AddPartitionsToTxnResponse& added) {
  transaction_.request_id = 0;
  if (added.error == ErrorCode::concurrent_transactions) {
    // The previous transaction is still completing: ask again shortly.
    transaction_.request_id = next_request_id_++;
    std::get<AddPartitionsToTxnRequest>(transaction_.request).request_id = transaction_.request_id;
    context.set_timer(node_, config_.config.retry_backoff_ns,
                      ConsumerTimer{timers::TransactionRetry{transaction_.request_id}});
    return;
  }
  if (added.error != ErrorCode::none) {
    end_transaction(context, false);
    return;
  }
  if (transaction_.output_add_out) {
    KSIM_ASSERT(added.partition == output_.partition && output_.active,
                "consumer {} had output partition {} added while writing to {}", index_, added.partition.value(),
                output_.partition.value());
    transaction_.output_add_out = false;
    transaction_.outputs_added.push_back(added.partition);
    send_output(context);
    return;
  }
  transaction_.offsets_added = true;
  send_output(context);
  if (transaction_.batch_done) on_transactional_batch_done(context);
}

void Consumer::on_transaction_ended(NodeContext& context, bool committed, ErrorCode error) {
  const bool fenced = error == ErrorCode::producer_fenced;
  if (fenced) context.probe(history::Probe::producer_fenced);
  if (output_.active) {
    // An output record not yet written (its partition was not added): dropped with the abort.
    transaction_.outputs.push_back({output_.message_id, output_.partition, kNoOffsetPosition});
    output_ = PendingOutput{};
    processing_ = false;
  }
  answer_transaction_outputs(context, committed);
  transaction_.phase = TransactionPhase::ready;
  if (!committed && config_.seek_on_abort) {
    // seek() to the committed offsets: the output was dropped, so the input is processed again.
    for (const auto& [partition, end] : transaction_.inputs) {
      AssignedPartition* assigned = find(partition);
      if (assigned == nullptr) continue;
      std::erase_if(queue_, [&, p = partition](const RecordToProcess& r) { return r.partition == p; });
      assigned->position = kNoOffsetPosition;
      set_buffered(*assigned, std::nullopt);  // fetched after the seek point: thrown away with the seek
      assigned->processed_end = kNoOffsetPosition;  // nothing is processed for sure until the committed offset is known
      set_batch_in_processing(*assigned, false);
    }
  }
  // A new session (epoch) before the next transaction: after fencing, and for a processor
  // after an abort (KIP-360, as a transactional producer does), so no later output record
  // reuses the sequence number of one the abort left unresolved (the broker would take it
  // for a retry of that one and drop it).
  if (fenced || (processor() && !committed)) {
    init_transactions(context);
    return;
  }
  for (AssignedPartition& assigned : assigned_) advance(context, assigned);
  poll_buffered(context);
}

}  // namespace ksim::kafka
