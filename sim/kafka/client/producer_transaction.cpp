// A transactional producer (transactional.id), as KafkaProducer's TransactionManager
// drives it: initTransactions() gets the producer id and a new epoch from the
// coordinator; the first send of a transaction begins it; each partition is added to the
// transaction (AddPartitionsToTxn) before a batch goes there; the application commits
// after `transaction_messages` sends (or aborts, with `transaction_abort_probability`);
// commitTransaction() flushes, waits for every batch, then sends EndTxn. The application
// is blocked meanwhile: what arrives waits in its backlog. Sends are answered with the outcome of
// their transaction: success when it committed, transaction_aborted when it aborted.
// A failed batch makes the transaction abortable; after an abort the producer asks for a
// new epoch before the next transaction (KIP-360).
#include <algorithm>

#include "sim/core/assert.h"
#include "sim/history/records.h"
#include "sim/kafka/client/producer.h"

namespace ksim::kafka {


bool Producer::send_to_transaction_coordinator(NodeContext& context, Payload request) {
  if (!transaction_coordinator_.known()) {
    request_metadata(context);
    return false;
  }
  context.send(node_, context.broker_node(transaction_coordinator_.broker()), std::move(request));
  return true;
}

// Every transaction request outstanding is sent again after retry.backoff.ms, to the
// coordinator the next metadata names (TransactionManager.lookupCoordinator).
void Producer::lose_transaction_coordinator(NodeContext& context) {
  transaction_coordinator_.lose();
  request_metadata(context);
  if (transaction_.request_id != 0) {
    context.set_timer(node_, workload_.config.retry_backoff_ns,
                      ProducerTimer{timers::TransactionRetry{transaction_.request_id}});
  }
  for (auto& [partition, attempt] : transaction_.adding) {
    attempt = ++transaction_.add_attempts;
    context.set_timer(node_, workload_.config.retry_backoff_ns, timers::AddPartitionRetry{partition, attempt});
  }
}

void Producer::init_transactions(NodeContext& context) {
  transaction_ = Transaction{};
  transaction_.request_id = next_request_id_++;
  const bool sent = send_to_transaction_coordinator(context, InitProducerIdRequest{index_, transaction_.request_id});
  context.set_timer(node_, sent ? workload_.config.request_timeout_ns : workload_.config.retry_backoff_ns,
                    ProducerTimer{timers::TransactionRetry{transaction_.request_id}});
}

bool Producer::may_send() const {
  return transaction_.phase == TransactionPhase::ready || transaction_.phase == TransactionPhase::open;
}

void Producer::begin_transaction_if_needed() {
  KSIM_ASSERT(may_send(), "producer {} sends outside a transaction (phase {})", index_,
              static_cast<int>(transaction_.phase));
  if (transaction_.phase == TransactionPhase::open) return;
  transaction_.phase = TransactionPhase::open;
  transaction_.number = next_transaction_number_++;
  transaction_.sends = 0;
  transaction_.abortable = false;
  transaction_.end_sent = false;
  transaction_.added.clear();
  transaction_.adding.clear();
  transaction_.acknowledged.clear();
}

void Producer::count_transactional_send(NodeContext& context) {
  if (++transaction_.sends >= workload_.transaction_messages) end_transaction(context);
}

void Producer::end_transaction(NodeContext& context) {
  if (transaction_.phase != TransactionPhase::open) return;
  transaction_.phase = TransactionPhase::ending;
  const double abort_probability = workload_.transaction_abort_probability;
  const bool abort_chosen = abort_probability > 0 && context.random(node_).uniform01() < abort_probability;
  transaction_.commit = !abort_chosen && !transaction_.abortable;
  for (const PartitionId partition : ids_below<PartitionId>(partitions_)) close_batch(context, partition);
  // abortTransaction(): batches not yet sent are dropped; those in flight are waited for.
  if (!transaction_.commit) abort_undrained_batches(context, ErrorCode::transaction_aborted);
  run_sender(context);
}

// Sender.maybeSendAndPollTransactionalRequest (Kafka 0.11 to 4.1): while the transaction
// has an abortable error or is aborting, RecordAccumulator.abortUndrainedBatches fails
// every batch not yet sent, with the error that caused the abort; batches in flight are
// waited for. Each message is answered (send_failed), never silently dropped.
void Producer::abort_undrained_batches(NodeContext& context, ErrorCode error) {
  for (auto& queue : queues_) {
    for (const ProducerBatch& batch : queue) {
      if (!batch.in_flight) fail_batch(context, batch, error);
    }
    erase_batches(queue, [](const ProducerBatch& b) { return !b.in_flight; });
  }
}

// A commit that became abortable while flushing (a batch failed, or AddPartitionsToTxn was
// fenced because the coordinator aborted the transaction at transaction.timeout.ms and
// bumped the epoch) can only abort: the batches not yet sent fail at once, so no partition
// is added with the stale epoch again, and EndTxn(abort) goes out once nothing is in flight.
// Without this the queued batch of a never-added partition kept its queue non-empty and
// AddPartitionsToTxn was re-sent, fenced, forever.
void Producer::abort_ending_transaction_if_abortable(NodeContext& context) {
  if (transaction_.phase != TransactionPhase::ending || !transaction_.abortable) return;
  transaction_.commit = false;
  abort_undrained_batches(context,
                          transaction_.fenced ? ErrorCode::producer_fenced : ErrorCode::transaction_aborted);
}

bool Producer::partition_added_to_transaction(PartitionId partition) const {
  if (transaction_.phase != TransactionPhase::open && transaction_.phase != TransactionPhase::ending) return false;
  const std::vector<PartitionId>& added = transaction_.added;
  return std::find(added.begin(), added.end(), partition) != added.end();
}

bool Producer::partition_in_transaction(NodeContext& context, PartitionId partition) {
  if (transaction_.phase != TransactionPhase::open && transaction_.phase != TransactionPhase::ending) return false;
  if (partition_added_to_transaction(partition)) return true;
  if (!transaction_.adding.contains(partition)) {
    const std::uint32_t attempt = ++transaction_.add_attempts;
    transaction_.adding[partition] = attempt;
    const std::uint64_t request_id = next_request_id_++;
    const bool sent = send_to_transaction_coordinator(
        context, AddPartitionsToTxnRequest{index_, producer_id_, transactional_epoch_, transaction_.number, partition,
                                           request_id});
    context.set_timer(node_, sent ? workload_.config.request_timeout_ns : workload_.config.retry_backoff_ns,
                      timers::AddPartitionRetry{partition, attempt});
  }
  return false;
}

void Producer::maybe_send_end_transaction(NodeContext& context) {
  if (transaction_.phase != TransactionPhase::ending || transaction_.end_sent) return;
  for (const PartitionId partition : ids_below<PartitionId>(partitions_)) {
    if (!queues_[partition.index()].empty() || open_batches_[partition.index()]) return;
  }
  transaction_.end_sent = true;
  send_end_transaction(context);
}

void Producer::send_end_transaction(NodeContext& context) {
  transaction_.request_id = next_request_id_++;
  const bool sent = send_to_transaction_coordinator(
      context, EndTxnRequest{index_, producer_id_, transactional_epoch_, transaction_.number,
                             transaction_.commit && !transaction_.abortable, transaction_.request_id});
  context.set_timer(node_, sent ? workload_.config.request_timeout_ns : workload_.config.retry_backoff_ns,
                    ProducerTimer{timers::TransactionRetry{transaction_.request_id}});
}

void Producer::on_add_partition_retry(NodeContext& context, const timers::AddPartitionRetry& retry) {
  // Answered, or a stale timer:
  const auto pending = transaction_.adding.find(retry.partition);
  if (pending == transaction_.adding.end() || pending->second != retry.attempt) return;
  transaction_.adding.erase(pending);
  run_sender(context);  // asks again
}

void Producer::on_transaction_retry(NodeContext& context, std::uint64_t request_id) {
  if (request_id != transaction_.request_id) return;  // answered meanwhile
  // Unanswered (the request, its answer or the coordinator lost): ask metadata where it is.
  request_metadata(context);
  if (transaction_.phase == TransactionPhase::uninitialized) {
    init_transactions(context);
  } else if (transaction_.phase == TransactionPhase::ending && transaction_.end_sent) {
    send_end_transaction(context);
  }
}

void Producer::on_init_producer_id(NodeContext& context, const InitProducerIdResponse& response) {
  if (transaction_.phase != TransactionPhase::uninitialized || response.request_id != transaction_.request_id) return;
  if (response.error != ErrorCode::none) {
    // NOT_COORDINATOR: find it again; CONCURRENT_TRANSACTIONS: the previous transaction's
    // markers are still going out; COORDINATOR_LOAD_IN_PROGRESS: the coordinator is still
    // loading its partition, ask it again. Either way, again after retry.backoff.ms
    // (TransactionManager.InitProducerIdHandler, 0.11 to 4.1: reenqueue()).
    if (response.error == ErrorCode::not_coordinator) transaction_coordinator_.lose();
    context.set_timer(node_, workload_.config.retry_backoff_ns,
                      ProducerTimer{timers::TransactionRetry{transaction_.request_id}});
    return;
  }
  transaction_.request_id = 0;
  producer_id_ = response.producer_id;
  transactional_epoch_ = response.producer_epoch;
  // A new epoch: sequence numbers start again at 0 on every partition.
  producer_epochs_.assign(partitions_, response.producer_epoch);
  next_sequences_.assign(partitions_, 0);
  transaction_.phase = TransactionPhase::ready;
  // Unanswered messages go first in the application's backlog; on_message's drain sends
  // them, and the backlog's drain ends the transaction they open once nothing else waits.
  resend_after_restart(context);
}

void Producer::on_add_partitions(NodeContext& context, const AddPartitionsToTxnResponse& response) {
  auto& adding = transaction_.adding;
  if (!adding.contains(response.partition)) return;
  adding.erase(response.partition);
  if (response.error == ErrorCode::none) {
    transaction_.added.push_back(response.partition);
  } else if (response.error == ErrorCode::producer_fenced) {
    // Another session took over this transactional id, or the coordinator aborted the
    // transaction on timeout and bumped the epoch. TransactionManager.AddPartitionsToTxnHandler
    // (Kafka 0.11 to 4.1) makes PRODUCER_FENCED (and INVALID_PRODUCER_EPOCH) fatal: every
    // unsent batch fails with it, and the application must close the producer and create a
    // new one, whose initTransactions() gets a new epoch. ksim's application does the same
    // as for a fenced EndTxn: the transaction aborts and the producer re-initialises.
    context.probe(history::Probe::producer_fenced);
    transaction_.abortable = true;
    transaction_.fenced = true;
  } else {
    // NOT_COORDINATOR: find the coordinator again, then ask it (TransactionManager, 0.11 to 4.1);
    // COORDINATOR_LOAD_IN_PROGRESS: ask the same coordinator again, as below.
    if (response.error == ErrorCode::not_coordinator) {
      transaction_coordinator_.lose();
      request_metadata(context);
    }
    // CONCURRENT_TRANSACTIONS: the previous transaction's markers are still being written;
    // ask again after retry.backoff.ms, or after 20 ms while no partition of this
    // transaction was added yet (TransactionManager's ADD_PARTITIONS_RETRY_BACKOFF_MS, since
    // Kafka 0.11.0.1: KAFKA-5477, a stopgap for KAFKA-5482), so back-to-back transactions do
    // not each wait a whole retry.backoff.ms.
    constexpr TimeNs kFirstAddRetryBackoffNs = milliseconds(20);
    const std::uint32_t attempt = ++transaction_.add_attempts;
    adding[response.partition] = attempt;
    context.set_timer(node_, transaction_.added.empty() ? kFirstAddRetryBackoffNs : workload_.config.retry_backoff_ns,
                      timers::AddPartitionRetry{response.partition, attempt});
    return;
  }
  run_sender(context);
}

void Producer::on_end_transaction(NodeContext& context, const EndTxnResponse& response) {
  if (transaction_.phase != TransactionPhase::ending || response.request_id != transaction_.request_id) return;
  transaction_.request_id = 0;
  if (response.error == ErrorCode::none) {
    finish_transaction(context, response.committed, ErrorCode::transaction_aborted);
  } else if (response.error == ErrorCode::producer_fenced) {
    context.probe(history::Probe::producer_fenced);
    finish_transaction(context, false, ErrorCode::producer_fenced);
  } else {
    // NOT_COORDINATOR: find it again and retry after retry.backoff.ms; COORDINATOR_LOAD_IN_PROGRESS
    // (and CONCURRENT_TRANSACTIONS): retry the same coordinator then (EndTxnHandler, 0.11 to 4.1).
    if (response.error == ErrorCode::not_coordinator) transaction_coordinator_.lose();
    transaction_.request_id = next_request_id_++;
    context.set_timer(node_, workload_.config.retry_backoff_ns,
                      ProducerTimer{timers::TransactionRetry{transaction_.request_id}});
  }
}

void Producer::finish_transaction(NodeContext& context, bool committed, ErrorCode error) {
  for (const AcknowledgedSend& sent : transaction_.acknowledged) {
    if (outbox_.erase(sequence_number(sent.message_id)) == 0) continue;
    if (committed) {
      context.record(history::send_acknowledged({.producer = NodeId{node_},
                                                 .message_id = sent.message_id,
                                                 .partition = sent.partition,
                                                 .offset = sent.offset}));
    } else {
      context.record(history::send_failed({.producer = NodeId{node_},
                                           .message_id = sent.message_id,
                                           .partition = sent.partition,
                                           .error = error}));
    }
  }
  const bool new_epoch_needed = !committed && (transaction_.abortable || error == ErrorCode::producer_fenced);
  transaction_ = Transaction{};
  if (new_epoch_needed) {
    context.probe(history::Probe::producer_epoch_bump);
    init_transactions(context);
    return;
  }
  transaction_.phase = TransactionPhase::ready;  // on_message's drain sends what waited
}

}  // namespace ksim::kafka
