// A broker as the transaction coordinator's host (KIP-98; Kafka's TransactionCoordinator
// runs on every broker and serves the transactional ids of the __transaction_state
// partitions it leads): routing of the coordinator's requests and marker answers, its
// appends to a state partition (acks=all, refused below transaction.state.log.min.isr), and
// the metadata the broker asks the controller for: the partitions' leaders the markers go
// to, and the coordinators a leader's KIP-890 verification asks.
#include <algorithm>

#include "sim/core/assert.h"
#include "sim/kafka/broker/broker.h"

namespace ksim::kafka {

namespace {
// retry.backoff.ms's default: the broker asks the controller for metadata at most this often.
constexpr TimeNs kMetadataBackoffNs = milliseconds(100);
}  // namespace

void Broker::host_transaction_state(std::vector<TransactionalIdSettings> ids, std::uint32_t state_partitions,
                                    std::uint32_t min_insync_replicas) {
  KSIM_ASSERT(partition_count_ >= state_partitions + 2, "broker {}: {} partitions cannot hold {} state partitions",
              index_, partition_count_, state_partitions);
  offsets_partition_ = partition_count_ - 1 - state_partitions;
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
  const std::uint32_t partition = offsets_partition_ + 1 + state_partition;
  PartitionReplica& replica = hosted(partition);
  KSIM_ASSERT(replica.leader == index_, "broker {} appends a transaction state entry without leading partition {}",
              index_, partition);
  if (replica.isr.size() < min_isr(partition)) return -1;  // NOT_ENOUGH_REPLICAS: COORDINATOR_NOT_AVAILABLE
  return append_as_coordinator(context, partition, entry);
}

bool Broker::on_transaction_message(NodeContext& context, NodeIndex from, const Payload& payload) {
  if (TransactionCoordinator::is_transaction_request(payload)) {
    transactions_.on_request(context, from, payload, state_appender(context));
  } else if (const auto* written = std::get_if<WriteTxnMarkersResponse>(&payload)) {
    transactions_.on_marker_written(context, *written, state_appender(context));
    if (written->error != ErrorCode::none) request_metadata(context);  // the leader moved
  } else if (const auto* metadata = std::get_if<MetadataResponse>(&payload)) {
    on_metadata(context, *metadata);
  } else {
    return false;
  }
  return true;
}

void Broker::on_metadata(NodeContext& context, const MetadataResponse& metadata) {
  transaction_coordinators_ = metadata.transaction_coordinators;
  std::vector<std::uint32_t> leaders = metadata.leaders;  // the user partitions', then the offsets partition's
  leaders.push_back(metadata.coordinator);
  transactions_.on_leaders(context, std::move(leaders));
}

void Broker::request_metadata(NodeContext& context) {
  const TimeNs now = context.now();
  if (metadata_requested_ns_ >= 0 && now - metadata_requested_ns_ < kMetadataBackoffNs) return;
  metadata_requested_ns_ = now;
  context.send(node_, context.controller_node(), MetadataRequest{});
}

void Broker::transaction_tick(NodeContext& context) {
  if (state_partition_of_id_.empty()) return;
  transactions_.tick(context, state_appender(context));
  const bool coordinator_unknown =
      transaction_coordinators_.empty() ||
      std::find(transaction_coordinators_.begin(), transaction_coordinators_.end(), history::kNoNode) !=
          transaction_coordinators_.end();
  if (coordinator_unknown || transactions_.needs_leaders() || transactions_.completing()) request_metadata(context);
}

std::uint32_t Broker::transaction_coordinator_of(std::uint32_t transactional_id) const {
  if (transactional_id >= state_partition_of_id_.size()) return history::kNoNode;
  const std::uint32_t partition = state_partition_of_id_[transactional_id];
  return partition < transaction_coordinators_.size() ? transaction_coordinators_[partition] : history::kNoNode;
}

// The coordinator asked by a verification is gone (its connection reset): the produce
// waiting on it fails with a retriable error, as below.
void Broker::fail_verifications_to(NodeContext& context, std::uint32_t coordinator) {
  bool failed = false;
  replicas_.for_each([&](std::uint32_t p, PartitionReplica& replica) {
    std::erase_if(replica.pending_verifications, [&](const PendingVerification& pending) {
      if (pending.coordinator != coordinator) return false;
      failed = true;
      if (pending.request.acks != Acks::none) {
        context.send(node_, pending.producer,
                     ProduceResponse{p, pending.request.request_id, ErrorCode::not_enough_replicas, -1});
      }
      return true;
    });
  });
  if (failed) request_metadata(context);
}

}  // namespace ksim::kafka
