#include "sim/kafka/coordinator/transaction_coordinator.h"

#include <algorithm>

#include "sim/core/assert.h"
#include "sim/history/records.h"
#include "sim/kafka/wire/partition_state.h"

namespace ksim::kafka {

namespace {
// A marker request without an answer for this long is sent again (to the current leader).
constexpr TimeNs kMarkerRetryNs = milliseconds(1'000);
}  // namespace

TransactionCoordinator::TransactionCoordinator(NodeIndex node, std::vector<TransactionalIdSettings> ids,
                                               std::uint32_t offsets_partition)
    : node_(node), offsets_partition_(offsets_partition) {
  ids_.resize(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) ids_[i].settings = ids[i];
}

bool TransactionCoordinator::completing() const {
  return std::any_of(ids_.begin(), ids_.end(), [](const TransactionalId& id) { return id.state == State::completing; });
}

bool TransactionCoordinator::on_message(NodeContext& context, NodeIndex from, const Payload& payload,
                                        const std::vector<PartitionState>& partitions) {
  if (const auto* init = std::get_if<InitProducerIdRequest>(&payload)) {
    on_init(context, from, *init, partitions);
  } else if (const auto* add = std::get_if<AddPartitionsToTxnRequest>(&payload)) {
    on_add_partitions(context, from, *add);
  } else if (const auto* end = std::get_if<EndTxnRequest>(&payload)) {
    on_end(context, from, *end, partitions);
  } else if (const auto* written = std::get_if<WriteTxnMarkersResponse>(&payload)) {
    on_marker_written(*written);
  } else {
    return false;
  }
  return true;
}

void TransactionCoordinator::on_init(NodeContext& context, NodeIndex from, const InitProducerIdRequest& request,
                                     const std::vector<PartitionState>& partitions) {
  KSIM_ASSERT(request.transactional_id < ids_.size(), "unknown transactional id {}", request.transactional_id);
  TransactionalId& id = ids_[request.transactional_id];
  // A new session fences the old one: its epoch is bumped, and whatever the old session
  // left open is aborted under the new epoch, so no zombie write of it can commit.
  ++id.epoch;
  id.initialized = true;
  if (id.state == State::ongoing) decide(context, id, false, id.epoch, partitions);
  context.send(node_, from, InitProducerIdResponse{request.request_id, ErrorCode::none, id.settings.producer_id, id.epoch});
}

void TransactionCoordinator::on_add_partitions(NodeContext& context, NodeIndex from,
                                               const AddPartitionsToTxnRequest& request) {
  AddPartitionsToTxnResponse response{request.request_id, request.partition, ErrorCode::none};
  TransactionalId& id = ids_[request.transactional_id];
  if (request.verify_only) {
    response.error = verify(id, request);
  } else if (!id.initialized || request.producer_epoch != id.epoch || request.producer_id != id.settings.producer_id) {
    response.error = ErrorCode::producer_fenced;
  } else if (id.state == State::completing) {
    response.error = ErrorCode::concurrent_transactions;  // the previous transaction's markers are still going out
  } else if (id.state == State::ongoing && id.transaction != request.transaction) {
    response.error = ErrorCode::producer_fenced;  // cannot happen with a well-behaved client
  } else {
    if (id.state == State::empty) {
      id.state = State::ongoing;
      id.transaction = request.transaction;
      id.transaction_epoch = id.epoch;
      id.started_ns = context.now();
      id.partitions.clear();
    }
    if (std::find(id.partitions.begin(), id.partitions.end(), request.partition) == id.partitions.end()) {
      id.partitions.push_back(request.partition);
    }
  }
  context.send(node_, from, response);
}

// KIP-890 part 1: a partition leader's question before a transactional write. Yes only if
// the partition was added to the ongoing transaction of this producer id and epoch
// (TransactionCoordinator.handleVerifyPartitionsInTransaction, Kafka 3.6).
ErrorCode TransactionCoordinator::verify(const TransactionalId& id, const AddPartitionsToTxnRequest& request) const {
  if (!id.initialized || request.producer_epoch != id.epoch || request.producer_id != id.settings.producer_id) {
    return ErrorCode::producer_fenced;
  }
  const bool added = std::find(id.partitions.begin(), id.partitions.end(), request.partition) != id.partitions.end();
  return id.state == State::ongoing && added ? ErrorCode::none : ErrorCode::invalid_txn_state;
}

void TransactionCoordinator::on_end(NodeContext& context, NodeIndex from, const EndTxnRequest& request,
                                    const std::vector<PartitionState>& partitions) {
  EndTxnResponse response{request.request_id, ErrorCode::none, false};
  TransactionalId& id = ids_[request.transactional_id];
  if (!id.initialized || request.producer_epoch != id.epoch || request.producer_id != id.settings.producer_id) {
    response.error = ErrorCode::producer_fenced;  // e.g. the coordinator aborted it on timeout
  } else if (id.state == State::ongoing && id.transaction == request.transaction) {
    decide(context, id, request.commit, id.epoch, partitions);
    response.committed = request.commit;
  } else if (id.transaction == request.transaction) {
    response.committed = id.committed;  // a retried EndTxn: the decision stands
  } else {
    // Nothing of this transaction reached the coordinator (no partition was added): there
    // is nothing to write, and nothing of it is visible anywhere.
    response.committed = request.commit;
  }
  context.send(node_, from, response);
}

void TransactionCoordinator::decide(NodeContext& context, TransactionalId& id, bool commit, std::int16_t marker_epoch,
                                    const std::vector<PartitionState>& partitions) {
  id.state = State::completing;
  id.committed = commit;
  id.marker_epoch = marker_epoch;
  context.record(history::transaction_ended({.producer = id.settings.owner,
                                             .transaction = id.transaction,
                                             .producer_id = id.settings.producer_id,
                                             .producer_epoch = id.transaction_epoch,
                                             .committed = commit}));
  id.markers.clear();
  for (const std::uint32_t partition : id.partitions) {
    id.markers.push_back(PendingMarker{partition == kOffsetsPartition ? offsets_partition_ : partition, 0, -1});
  }
  send_markers(context, id, partitions, true);
}

void TransactionCoordinator::send_markers(NodeContext& context, TransactionalId& id,
                                          const std::vector<PartitionState>& partitions, bool resend_all) {
  if (id.markers.empty()) {
    id.state = State::empty;
    return;
  }
  const TimeNs now = context.now();
  for (PendingMarker& marker : id.markers) {
    if (!resend_all && marker.sent_ns >= 0 && now - marker.sent_ns < kMarkerRetryNs) continue;
    const std::uint32_t leader = partitions[marker.partition].leader;
    if (leader == history::kNoNode) {
      marker.sent_ns = -1;
      continue;
    }
    marker.request_id = next_request_id_++;
    marker.sent_ns = now;
    context.send(node_, context.broker_node(leader),
                 WriteTxnMarkersRequest{marker.partition, id.settings.producer_id, id.marker_epoch, id.committed,
                                        marker.request_id});
  }
}

void TransactionCoordinator::on_marker_written(const WriteTxnMarkersResponse& response) {
  for (TransactionalId& id : ids_) {
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
    if (id.markers.empty()) id.state = State::empty;
    return;
  }
}

void TransactionCoordinator::tick(NodeContext& context, const std::vector<PartitionState>& partitions) {
  const TimeNs now = context.now();
  for (TransactionalId& id : ids_) {
    if (id.state == State::ongoing && now - id.started_ns > id.settings.transaction_timeout_ns) {
      // transaction.timeout.ms: abort it and fence the producer that let it hang.
      context.probe(history::Probe::transaction_aborted_by_timeout);
      ++id.epoch;
      decide(context, id, false, id.epoch, partitions);
    } else if (id.state == State::completing) {
      send_markers(context, id, partitions, false);
    }
  }
}

}  // namespace ksim::kafka
