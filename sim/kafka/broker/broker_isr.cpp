// A leader's high watermark, acks=all completions and ISR changes: the half of a broker
// that waits on its followers (split from broker.cpp, which keeps produce and the
// controller's decisions).
#include <algorithm>

#include "sim/core/assert.h"
#include "sim/history/records.h"
#include "sim/kafka/broker/broker.h"

namespace ksim::kafka {

// --- high watermark and acks=all ------------------------------------------------------

void Broker::maybe_advance_high_watermark(NodeContext& context, PartitionId partition) {
  PartitionReplica& replica = hosted(partition);
  if (replica.leader != index_) return;
  if (config_.strict_min_isr && replica.isr.size() < min_isr(partition)) return;  // KIP-966
  Offset candidate = replica.log.log_end_offset();
  // Kafka's "maximal ISR" (KIP-497, Partition.scala PendingExpandIsr): while an expansion
  // is in flight the HW already waits for the follower being added, since the controller
  // may have committed it; a pending shrink keeps the current, larger ISR.
  const auto lower_to = [&](BrokerId member) {
    if (member != index_) candidate = std::min(candidate, replica.followers[member.index()].log_end_offset);
  };
  for (const BrokerId member : replica.isr) lower_to(member);
  if (replica.alter_partition_in_flight) {
    for (const BrokerId member : replica.proposed_isr) lower_to(member);
  }
  if (candidate <= replica.log.high_watermark()) return;
  replica.log.set_high_watermark(candidate);
  if (recorded(partition)) {
    context.record(history::high_watermark({.broker = NodeId{node_},
                                            .partition = partition,
                                            .high_watermark = candidate,
                                            .leader_epoch = replica.leader_epoch}));
  } else if (partition == offsets_partition()) {
    coordinator_.on_high_watermark(context, replica.log);
  } else {
    transactions_.on_high_watermark(context, state_index(partition), replica.log, state_appender(context));
  }
  complete_pending_produces(context, partition);
  wake_sessions(context, partition);
}

void Broker::complete_pending_produces(NodeContext& context, PartitionId partition) {
  PartitionReplica& replica = hosted(partition);
  const Offset high_watermark = replica.log.high_watermark();
  auto done = [&](const PendingProduce& pending) {
    if (pending.end_offset > high_watermark) return false;
    if (pending.marker) {
      context.send(node_, pending.producer, WriteTxnMarkersResponse{partition, pending.request_id, ErrorCode::none});
    } else {
      answer_produce(context, pending.producer,
                     ProduceResponse{partition, pending.request_id, ErrorCode::none, pending.base_offset});
    }
    return true;
  };
  std::erase_if(replica.pending_produces, done);
}

void Broker::fail_pending_produces(NodeContext& context, PartitionId partition, ErrorCode error) {
  PartitionReplica& replica = hosted(partition);
  for (const PendingProduce& pending : replica.pending_produces) {
    if (pending.marker) {
      context.send(node_, pending.producer, WriteTxnMarkersResponse{partition, pending.request_id, error});
    } else {
      answer_produce(context, pending.producer, ProduceResponse{partition, pending.request_id, error, kNoOffsetPosition});
    }
  }
  replica.pending_produces.clear();
}

// --- ISR --------------------------------------------------------------------------------

void Broker::check_isr(NodeContext& context, PartitionId partition) {
  PartitionReplica& replica = hosted(partition);
  if (replica.leader != index_ || !replica.has_state) return;
  if (replica.alter_partition_in_flight) {
    // The request or its answer may have been lost: ask again.
    if (context.now() - replica.alter_partition_sent_ns >= config_.replica_lag_time_max_ns / 2) {
      replica.alter_partition_in_flight = false;
    } else {
      return;
    }
  }
  std::vector<BrokerId> kept;
  const TimeNs now = context.now();
  for (const BrokerId member : replica.isr) {
    const FollowerProgress& progress = replica.followers[member.index()];
    const bool lagging = member != index_ && now - last_caught_up_ns(progress, member) > config_.replica_lag_time_max_ns;
    if (!lagging) kept.push_back(member);
  }
  if (kept.size() != replica.isr.size()) request_isr_change(context, partition, std::move(kept));
}

void Broker::request_isr_change(NodeContext& context, PartitionId partition, std::vector<BrokerId> new_isr) {
  PartitionReplica& replica = hosted(partition);
  if (replica.alter_partition_in_flight) return;
  replica.alter_partition_in_flight = true;
  replica.alter_partition_sent_ns = context.now();
  replica.proposed_isr = new_isr;
  context.send(node_, controller_.target(context),
               AlterPartition{partition, replica.leader_epoch, replica.partition_epoch, std::move(new_isr)});
}

}  // namespace ksim::kafka
