#include "sim/kafka/coordinator/transaction_coordinator.h"

#include <algorithm>

#include "sim/core/assert.h"
#include "sim/history/records.h"

namespace ksim::kafka {

namespace {
// A marker request without an answer for this long is sent again (to the current leader).
constexpr TimeNs kMarkerRetryNs = milliseconds(1'000);
}  // namespace

TransactionCoordinator::TransactionCoordinator(NodeId node, std::vector<TransactionalIdSettings> ids,
                                               PartitionId offsets_partition, std::uint32_t state_partitions,
                                               BrokerId broker, std::uint32_t brokers)
    : node_(node), offsets_partition_(offsets_partition), broker_(broker), brokers_(brokers) {
  ids_.resize(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    KSIM_ASSERT(ids[i].state_partition < state_partitions, "transactional id {} in state partition {} of {}", i,
                ids[i].state_partition, state_partitions);
    ids_[i].settings = ids[i];
  }
  active_.assign(state_partitions, false);
  loading_.assign(state_partitions, false);
  high_watermarks_.assign(state_partitions, Offset{});
}

// Kafka's producer ids come in durable blocks from the controller (ProducerIdManager); here
// a transactional id's own block of 2^16 (world_build.cpp) is dealt from its top downwards,
// interleaved by broker, with a counter that survives the broker's crashes (it stands in for
// the controller's durable blocks), so no two allocations anywhere give the same id.
ProducerId TransactionCoordinator::allocate_producer_id(const TransactionalIdSettings& settings) {
  const std::uint32_t step = allocations_++ * brokers_ + broker_.value();
  KSIM_ASSERT(step < 0x8000U, "producer id allocation {} leaves the upper half of the transactional id's block",
              step);
  return ProducerId{settings.producer_id.value() - step};
}

bool TransactionCoordinator::is_transaction_request(const Payload& payload) {
  return std::holds_alternative<InitProducerIdRequest>(payload) ||
         std::holds_alternative<AddPartitionsToTxnRequest>(payload) || std::holds_alternative<EndTxnRequest>(payload);
}

bool TransactionCoordinator::completing() const {
  return std::any_of(ids_.begin(), ids_.end(), [&](const TransactionalId& id) {
    return active_[id.settings.state_partition] && id.state != State::empty && id.state != State::ongoing;
  });
}

bool TransactionCoordinator::needs_leaders() const {
  return std::any_of(ids_.begin(), ids_.end(), [&](const TransactionalId& id) {
    return id.state == State::completing &&
           std::any_of(id.markers.begin(), id.markers.end(), [](const PendingMarker& m) { return m.sent_ns < 0; });
  });
}

void TransactionCoordinator::on_request(NodeContext& context, NodeId from, const Payload& payload,
                                        const AppendStateEntry& append) {
  std::uint32_t id_index = 0;
  std::visit([&](const auto& request) {
    if constexpr (requires { request.transactional_id; }) id_index = request.transactional_id;
  }, payload);
  KSIM_ASSERT(id_index < ids_.size(), "unknown transactional id {}", id_index);
  const std::uint32_t partition = ids_[id_index].settings.state_partition;
  if (loading_[partition]) {
    context.probe(history::Probe::coordinator_load_in_progress);
    refuse(context, from, payload, ErrorCode::coordinator_load_in_progress);
  } else if (!active_[partition]) {
    refuse(context, from, payload, ErrorCode::not_coordinator);
  } else if (const auto* init = std::get_if<InitProducerIdRequest>(&payload)) {
    on_init(context, from, *init, append);
  } else if (const auto* add = std::get_if<AddPartitionsToTxnRequest>(&payload)) {
    on_add_partitions(context, from, *add, append);
  } else if (const auto* end = std::get_if<EndTxnRequest>(&payload)) {
    on_end(context, from, *end, append);
  }
}

// NOT_COORDINATOR (Kafka 0.11 to 4.1): the client finds the coordinator again and retries.
// COORDINATOR_LOAD_IN_PROGRESS: it retries the same coordinator after retry.backoff.ms.
void TransactionCoordinator::refuse(NodeContext& context, NodeId from, const Payload& payload,
                                    ErrorCode error) const {
  if (const auto* init = std::get_if<InitProducerIdRequest>(&payload)) {
    context.send(node_, from, InitProducerIdResponse{init->request_id, error, kNoProducerId, ProducerEpoch{0}});
  } else if (const auto* add = std::get_if<AddPartitionsToTxnRequest>(&payload)) {
    context.send(node_, from, AddPartitionsToTxnResponse{add->request_id, add->partition, error});
  } else if (const auto* end = std::get_if<EndTxnRequest>(&payload)) {
    context.send(node_, from, EndTxnResponse{end->request_id, error, false});
  }
}

bool TransactionCoordinator::write(NodeContext& context, std::uint32_t id_index, const TransactionLogValue& value,
                                   const AppendStateEntry& append) {
  TransactionalId& id = ids_[id_index];
  const Offset offset = append(id.settings.state_partition, transaction_log_entry(value));
  if (offset < Offset{}) return false;
  id.replicated_at = offset + 1;
  apply(id, value, context.now());
  // Replicated already (a partition whose ISR is this broker alone): the append advanced the
  // high watermark before the transition was applied, so it takes effect now.
  if (id.replicated_at <= high_watermarks_[id.settings.state_partition]) {
    settle(context, id.settings.state_partition, append);
  }
  return true;
}

// One transition, as the log's replay and the live path both apply it. A Prepare leaves the
// id preparing and a Complete finishing: they take effect once replicated (or loaded).
void TransactionCoordinator::apply(TransactionalId& id, const TransactionLogValue& value, TimeNs now) {
  switch (value.kind) {
    case TransactionLogKind::init:
      id.initialized = true;
      id.epoch = value.epoch;
      id.producer_id = value.producer_id;
      break;
    case TransactionLogKind::ongoing:
      if (id.state != State::ongoing) {
        id.state = State::ongoing;
        id.transaction = value.transaction;
        id.transaction_epoch = value.epoch;
        id.started_ns = now;
        id.partitions.clear();
      }
      if (std::find(id.partitions.begin(), id.partitions.end(), value.partition) == id.partitions.end()) {
        id.partitions.push_back(value.partition);
      }
      break;
    case TransactionLogKind::prepare:
      id.state = State::preparing;
      id.committed = value.commit;
      id.marker_epoch = value.epoch;
      id.epoch = std::max(id.epoch, value.epoch);  // a coordinator's abort on timeout bumps it
      break;
    case TransactionLogKind::complete:
      id.state = State::finishing;
      id.markers.clear();
      break;
  }
}

void TransactionCoordinator::answer(NodeContext& context, std::uint32_t id_index, NodeId to, Payload payload) {
  const TransactionalId& id = ids_[id_index];
  const std::uint32_t partition = id.settings.state_partition;
  if (id.replicated_at <= high_watermarks_[partition]) {
    context.send(node_, to, std::move(payload));
    return;
  }
  pending_answers_.push_back(PendingAnswer{partition, id.replicated_at, to, std::move(payload)});
}

void TransactionCoordinator::on_init(NodeContext& context, NodeId from, const InitProducerIdRequest& request,
                                     const AppendStateEntry& append) {
  const std::uint32_t index = request.transactional_id;
  TransactionalId& id = ids_[index];
  InitProducerIdResponse response{request.request_id, ErrorCode::none, kNoProducerId, ProducerEpoch{0}};
  if (id.state != State::empty && id.state != State::ongoing) {
    // The previous transaction's markers are still going out (Kafka answers the same).
    response.error = ErrorCode::concurrent_transactions;
    context.send(node_, from, response);
    return;
  }
  // A new session fences the old one: its epoch is bumped, and whatever the old session
  // left open is aborted under the new epoch, so no zombie write of it can commit.
  // An id this coordinator holds no state for (its first session, or a state lost with the
  // unflushed tail of every replica) gets a new producer id at epoch 0, as Kafka's
  // handleInitProducerId asks its ProducerIdManager: the new session's sequences can never
  // be taken for an old session's (same id and epoch) on any partition.
  const ProducerId producer_id = id.initialized ? id.producer_id : allocate_producer_id(id.settings);
  // Kafka's producer epoch is an int16 on the wire and in the log.
  const ProducerEpoch epoch{static_cast<std::int16_t>(id.initialized ? id.epoch.value() + 1 : 0)};
  if (!write(context, index, TransactionLogValue{TransactionLogKind::init, index, epoch, 0, PartitionId{}, false, producer_id},
             append)) {
    refuse(context, from, request, ErrorCode::not_coordinator);
    return;
  }
  response.producer_id = producer_id;
  if (id.state == State::ongoing) {
    write(context, index, TransactionLogValue{TransactionLogKind::prepare, index, epoch, id.transaction, PartitionId{}, false},
          append);
  }
  response.producer_epoch = epoch;
  answer(context, index, from, response);
}

void TransactionCoordinator::on_add_partitions(NodeContext& context, NodeId from,
                                               const AddPartitionsToTxnRequest& request,
                                               const AppendStateEntry& append) {
  AddPartitionsToTxnResponse response{request.request_id, request.partition, ErrorCode::none};
  const std::uint32_t index = request.transactional_id;
  TransactionalId& id = ids_[index];
  if (request.verify_only) {
    response.error = verify(id, request);
  } else if (!id.initialized || request.producer_epoch != id.epoch || request.producer_id != id.producer_id) {
    response.error = ErrorCode::producer_fenced;
  } else if (id.state != State::empty && id.state != State::ongoing) {
    response.error = ErrorCode::concurrent_transactions;  // the previous transaction's markers are still going out
  } else if (id.state == State::ongoing && id.transaction != request.transaction) {
    response.error = ErrorCode::producer_fenced;  // cannot happen with a well-behaved client
  } else {
    const bool added = id.state == State::ongoing &&
                       std::find(id.partitions.begin(), id.partitions.end(), request.partition) != id.partitions.end();
    if (!added && !write(context, index,
                         TransactionLogValue{TransactionLogKind::ongoing, index, id.epoch, request.transaction,
                                             request.partition, false},
                         append)) {
      response.error = ErrorCode::not_coordinator;
    } else {
      answer(context, index, from, response);
      return;
    }
  }
  context.send(node_, from, response);
}

// KIP-890 part 1: a partition leader's question before a transactional write. Yes only if
// the partition was added to the ongoing transaction of this producer id and epoch
// (TransactionCoordinator.handleVerifyPartitionsInTransaction, Kafka 3.6).
ErrorCode TransactionCoordinator::verify(const TransactionalId& id, const AddPartitionsToTxnRequest& request) const {
  if (!id.initialized || request.producer_epoch != id.epoch || request.producer_id != id.producer_id) {
    return ErrorCode::producer_fenced;
  }
  const bool added = std::find(id.partitions.begin(), id.partitions.end(), request.partition) != id.partitions.end();
  return id.state == State::ongoing && added ? ErrorCode::none : ErrorCode::invalid_txn_state;
}

void TransactionCoordinator::on_end(NodeContext& context, NodeId from, const EndTxnRequest& request,
                                    const AppendStateEntry& append) {
  EndTxnResponse response{request.request_id, ErrorCode::none, false};
  const std::uint32_t index = request.transactional_id;
  TransactionalId& id = ids_[index];
  if (!id.initialized || request.producer_epoch != id.epoch || request.producer_id != id.producer_id) {
    response.error = ErrorCode::producer_fenced;  // e.g. the coordinator aborted it on timeout
  } else if (id.state == State::ongoing && id.transaction == request.transaction) {
    if (!write(context, index,
               TransactionLogValue{TransactionLogKind::prepare, index, id.epoch, id.transaction, PartitionId{}, request.commit},
               append)) {
      response.error = ErrorCode::not_coordinator;
    } else {
      response.committed = request.commit;
      answer(context, index, from, response);
      return;
    }
  } else if (id.transaction == request.transaction) {
    response.committed = id.committed;  // a retried EndTxn: the decision stands, once replicated
    answer(context, index, from, response);
    return;
  } else {
    // Nothing of this transaction reached the coordinator (no partition was added): there
    // is nothing to write, and nothing of it is visible anywhere.
    response.committed = request.commit;
  }
  context.send(node_, from, response);
}

// The Prepare entry is replicated: the decision is durable. It is recorded (a new
// coordinator that loads a prepared transaction records it again; the checker keeps the
// first) and the markers go out.
void TransactionCoordinator::start_markers(NodeContext& context, TransactionalId& id) {
  id.state = State::completing;
  context.record(history::transaction_ended({.producer = NodeId{id.settings.owner},
                                             .transaction = id.transaction,
                                             .producer_id = id.producer_id,
                                             .producer_epoch = id.transaction_epoch,
                                             .committed = id.committed}));
  id.markers.clear();
  for (const PartitionId partition : id.partitions) {
    id.markers.push_back(PendingMarker{partition == kOffsetsPartition ? offsets_partition_ : partition, 0, -1});
  }
  send_markers(context, id, true);
}

void TransactionCoordinator::send_markers(NodeContext& context, TransactionalId& id, bool resend_all) {
  const TimeNs now = context.now();
  for (PendingMarker& marker : id.markers) {
    if (!resend_all && marker.sent_ns >= 0 && now - marker.sent_ns < kMarkerRetryNs) continue;
    const BrokerId leader = marker.partition.index() < leaders_.size() ? leaders_[marker.partition.index()] : kNoBroker;
    if (leader == kNoBroker) {
      marker.sent_ns = -1;
      continue;
    }
    marker.request_id = next_request_id_++;
    marker.sent_ns = now;
    context.send(node_, context.broker_node(leader),
                 WriteTxnMarkersRequest{marker.partition, id.producer_id, id.marker_epoch, id.committed,
                                        marker.request_id});
  }
}

// Every marker is written: CompleteCommit / CompleteAbort, and the id is free once it is
// replicated (Kafka's TransactionMarkerChannelManager.tryAppendToLog).
void TransactionCoordinator::finish(NodeContext& context, std::uint32_t index, const AppendStateEntry& append) {
  TransactionalId& id = ids_[index];
  id.complete_refused =
      !write(context, index,
             TransactionLogValue{TransactionLogKind::complete, index, id.marker_epoch, id.transaction, PartitionId{}, id.committed},
             append);
}

void TransactionCoordinator::on_marker_written(NodeContext& context, const WriteTxnMarkersResponse& response,
                                               const AppendStateEntry& append) {
  for (std::uint32_t index = 0; index < ids_.size(); ++index) {
    TransactionalId& id = ids_[index];
    if (id.state != State::completing) continue;
    const auto done = [&](const PendingMarker& m) {
      return m.request_id == response.request_id && m.partition == response.partition;
    };
    const auto found = std::find_if(id.markers.begin(), id.markers.end(), done);
    if (found == id.markers.end()) continue;
    if (response.error != ErrorCode::none) {
      found->sent_ns = -1;  // the next tick retries through the current leader
      return;
    }
    id.markers.erase(found);
    if (id.markers.empty()) finish(context, index, append);
    return;
  }
}

void TransactionCoordinator::begin_load(std::uint32_t partition) {
  deactivate(partition);
  loading_[partition] = true;
}

void TransactionCoordinator::activate(NodeContext& context, std::uint32_t partition, const ReplicaLog& log) {
  deactivate(partition);
  active_[partition] = true;
  // To the log end, as Kafka's loadTransactionMetadata reads __transaction_state.
  for (Offset offset{}; offset < log.log_end_offset(); ++offset) {
    const LogEntry entry = log.at(offset);
    if (!is_transaction_state_entry(entry)) continue;
    const TransactionLogValue value = decode_transaction_log(entry);
    KSIM_ASSERT(value.transactional_id < ids_.size(), "state entry of unknown transactional id {}",
                value.transactional_id);
    apply(ids_[value.transactional_id], value, context.now());
  }
  high_watermarks_[partition] = log.log_end_offset();
  for (TransactionalId& id : ids_) {
    if (id.settings.state_partition != partition) continue;
    id.replicated_at = Offset{};
    if (id.state == State::finishing) id.state = State::empty;
    // A transaction prepared but not complete: its markers are written (again), as
    // TransactionStateManager.loadTransactionsForTxnTopicPartition hands PrepareCommit and
    // PrepareAbort transactions to the marker channel once loaded (0.11 to 4.1).
    if (id.state == State::preparing) {
      context.probe(history::Probe::transaction_coordinator_failover);
      start_markers(context, id);
    }
  }
}

void TransactionCoordinator::deactivate(std::uint32_t partition) {
  active_[partition] = false;
  loading_[partition] = false;
  std::erase_if(pending_answers_, [&](const PendingAnswer& pending) { return pending.state_partition == partition; });
  for (TransactionalId& id : ids_) {
    if (id.settings.state_partition != partition) continue;
    TransactionalId fresh;
    fresh.settings = id.settings;
    id = std::move(fresh);
  }
}

void TransactionCoordinator::deactivate_all() {
  for (std::uint32_t partition = 0; partition < active_.size(); ++partition) deactivate(partition);
}

void TransactionCoordinator::on_high_watermark(NodeContext& context, std::uint32_t partition, const ReplicaLog& log,
                                               const AppendStateEntry& append) {
  if (!active_[partition]) return;
  high_watermarks_[partition] = std::max(high_watermarks_[partition], log.high_watermark());
  settle(context, partition, append);
}

// Transitions the high watermark passed take effect, and their answers go out.
void TransactionCoordinator::settle(NodeContext& context, std::uint32_t partition, const AppendStateEntry& append) {
  for (std::uint32_t index = 0; index < ids_.size(); ++index) {
    TransactionalId& id = ids_[index];
    if (id.settings.state_partition != partition || id.replicated_at > high_watermarks_[partition]) continue;
    if (id.state == State::preparing) {
      start_markers(context, id);
      if (id.markers.empty()) finish(context, index, append);
    } else if (id.state == State::finishing) {
      id.state = State::empty;
    }
  }
  std::erase_if(pending_answers_, [&](PendingAnswer& pending) {
    if (pending.state_partition != partition || pending.end_offset > high_watermarks_[partition]) return false;
    context.send(node_, pending.to, std::move(pending.answer));
    return true;
  });
}

void TransactionCoordinator::on_leaders(NodeContext& context, std::vector<BrokerId> leaders) {
  leaders_ = std::move(leaders);
  for (TransactionalId& id : ids_) {
    if (id.state == State::completing) send_markers(context, id, false);
  }
}

void TransactionCoordinator::tick(NodeContext& context, const AppendStateEntry& append) {
  const TimeNs now = context.now();
  for (std::uint32_t index = 0; index < ids_.size(); ++index) {
    TransactionalId& id = ids_[index];
    if (!active_[id.settings.state_partition]) continue;
    if (id.state == State::ongoing && now - id.started_ns > id.settings.transaction_timeout_ns) {
      // transaction.timeout.ms: abort it under a new epoch, fencing the producer that let it hang.
      const ProducerEpoch epoch{static_cast<std::int16_t>(id.epoch.value() + 1)};  // an int16 in Kafka
      if (write(context, index,
                TransactionLogValue{TransactionLogKind::prepare, index, epoch, id.transaction, PartitionId{}, false}, append)) {
        context.probe(history::Probe::transaction_aborted_by_timeout);
      }
    } else if (id.state == State::completing && id.complete_refused) {
      finish(context, index, append);
    } else if (id.state == State::completing) {
      send_markers(context, id, false);
    }
  }
}

}  // namespace ksim::kafka
