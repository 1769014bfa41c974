// A broker as the transaction coordinator's host (KIP-98; Kafka's TransactionCoordinator
// runs on every broker and serves the transactional ids of the __transaction_state
// partitions it leads): routing of the coordinator's requests and marker answers, its
// appends to a state partition (acks=all, refused below transaction.state.log.min.isr), and
// the broker's metadata cache (metadata_cache.h) as the coordinator reads it: the
// partitions' leaders the markers go to (Kafka's TransactionMarkerChannelManager looks them
// up in the broker's own cache), and the coordinators a leader's KIP-890 verification asks.
#include <algorithm>

#include "sim/core/assert.h"
#include "sim/kafka/broker/broker.h"

namespace ksim::kafka {

void Broker::host_transaction_state(std::vector<TransactionalIdSettings> ids, std::uint32_t state_partitions,
                                    std::uint32_t min_insync_replicas) {
  KSIM_ASSERT(partition_count_ >= state_partitions + 2, "broker {}: {} partitions cannot hold {} state partitions",
              index_, partition_count_, state_partitions);
  offsets_partition_ = PartitionId{partition_count_ - 1 - state_partitions};
  state_min_insync_replicas_ = min_insync_replicas;
  state_partition_of_id_.clear();
  for (const TransactionalIdSettings& id : ids) state_partition_of_id_.push_back(id.state_partition);
  transactions_ = TransactionCoordinator(node_, std::move(ids), offsets_partition_, state_partitions, index_, brokers_);
}

TransactionCoordinator::AppendStateEntry Broker::state_appender(NodeContext& context) {
  return [this, &context](std::uint32_t state_partition, const LogEntry& entry) {
    return append_state_entry(context, state_partition, entry);
  };
}

Offset Broker::append_state_entry(NodeContext& context, std::uint32_t state_partition, LogEntry entry) {
  const PartitionId partition{offsets_partition_.value() + 1 + state_partition};
  PartitionReplica& replica = hosted(partition);
  KSIM_ASSERT(replica.leader == index_, "broker {} appends a transaction state entry without leading partition {}",
              index_, partition);
  if (replica.isr.size() < min_isr(partition)) return kNoOffsetPosition;  // NOT_ENOUGH_REPLICAS: COORDINATOR_NOT_AVAILABLE
  return append_as_coordinator(context, partition, entry);
}

bool Broker::on_transaction_message(NodeContext& context, NodeId from, const Payload& payload) {
  if (TransactionCoordinator::is_transaction_request(payload)) {
    transactions_.on_request(context, from, payload, state_appender(context));
  } else if (const auto* written = std::get_if<WriteTxnMarkersResponse>(&payload)) {
    // A refused marker (the leader moved) is sent again to the leader the cache names at
    // the next metadata update or tick, not at once to the same stale leader.
    transactions_.on_marker_written(context, *written, state_appender(context));
  } else {
    return false;
  }
  return true;
}

void Broker::on_metadata_update(NodeContext& context, const MetadataUpdate& update, NodeId from) {
  if (update.image == nullptr || !controller_.accept(context, from, update.image->version.controller_epoch)) return;
  if (metadata_.update(update.image) && !state_partition_of_id_.empty()) route_markers(context);
}

void Broker::route_markers(NodeContext& context) {
  // The user partitions' leaders, then the offsets partition's.
  transactions_.on_leaders(context, metadata_.leaders(0, offsets_partition_.value() + 1));
}

void Broker::transaction_tick(NodeContext& context) {
  if (state_partition_of_id_.empty()) return;
  transactions_.tick(context, state_appender(context));
  if (transactions_.needs_leaders() || transactions_.completing()) route_markers(context);
}

BrokerId Broker::transaction_coordinator_of(std::uint32_t transactional_id) const {
  if (transactional_id >= state_partition_of_id_.size()) return kNoBroker;
  return metadata_.leader(PartitionId{offsets_partition_.value() + 1 + state_partition_of_id_[transactional_id]});
}

// The coordinator asked by a verification is gone (its connection reset): the produce
// waiting on it fails with a retriable error, as below.
void Broker::fail_verifications_to(NodeContext& context, BrokerId coordinator) {
  replicas_.for_each([&](PartitionId p, PartitionReplica& replica) {
    std::erase_if(replica.pending_verifications, [&](const PendingVerification& pending) {
      if (pending.coordinator != coordinator) return false;
      if (pending.request.acks != Acks::none) {
        answer_produce(context, pending.producer,
                       ProduceResponse{p, pending.request.request_id, ErrorCode::not_enough_replicas, kNoOffsetPosition});
      }
      return true;
    });
  });
}

}  // namespace ksim::kafka
