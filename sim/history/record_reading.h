#pragma once
// Reading packed history records as the typed struct of their kind (record_types.h): the
// other half of records.h, which builds them. The checker reads records only through these
// and `visit`, so no reader decodes a raw field whose meaning depends on the kind, and every
// raw value becomes its strong id here (sim/core/ids.h).
#include <algorithm>

#include "sim/history/record_types.h"

namespace ksim::history {

// A 32-bit index (a node, a group) kept in a 64-bit field: a corrupt value past 32 bits
// reads as the largest index, which every table bound rejects, not as a wrapped small one.
inline std::uint32_t saturated_index(std::uint64_t stored) {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(stored, kNoNode));
}

inline SendRecord as_send(const Record& r) {
  return {.producer = NodeId{r.node},
          .message_id = r.message_id,
          .partition = PartitionId{r.partition},
          .key = r.extra,
          .producer_epoch = ProducerEpoch{r.epoch},
          .transaction = r.offset,
          .time_ns = r.time_ns};
}

inline SendAttemptRecord as_send_attempt(const Record& r) {
  return {.producer = NodeId{r.node},
          .message_id = r.message_id,
          .partition = PartitionId{r.partition},
          .attempt = r.detail,
          .producer_id = ProducerId{r.extra},
          .producer_epoch = ProducerEpoch{r.epoch},
          .transaction = r.offset,
          .time_ns = r.time_ns};
}

inline SendAcknowledgedRecord as_send_acknowledged(const Record& r) {
  return {.producer = NodeId{r.node},
          .message_id = r.message_id,
          .partition = PartitionId{r.partition},
          .offset = Offset{r.offset},
          .time_ns = r.time_ns};
}

inline SendFailedRecord as_send_failed(const Record& r) {
  return {.producer = NodeId{r.node},
          .message_id = r.message_id,
          .partition = PartitionId{r.partition},
          .error = static_cast<ErrorCode>(r.detail),
          .time_ns = r.time_ns};
}

inline ArrivalQueuedRecord as_arrival_queued(const Record& r) {
  return {.producer = NodeId{r.node},
          .message_id = r.message_id,
          .key = r.extra,
          .arrival_ns = r.offset,
          .time_ns = r.time_ns};
}

inline NotSentRecord as_not_sent(const Record& r) {
  return {.producer = NodeId{r.node},
          .message_id = r.message_id,
          .reason = static_cast<NotSentReason>(r.detail),
          .arrival_ns = r.offset,
          .time_ns = r.time_ns};
}

inline AppendRecord as_append(const Record& r) {
  return {.broker = NodeId{r.node},
          .partition = PartitionId{r.partition},
          .offset = Offset{r.offset},
          .message_id = r.message_id,
          .leader_epoch = LeaderEpoch{r.epoch},
          .source = static_cast<AppendSource>(r.detail),
          .producer_id = ProducerId{r.extra},
          .time_ns = r.time_ns};
}

inline FollowerAppendRangeRecord as_follower_append_range(const Record& r) {
  return {.follower = NodeId{r.node},
          .partition = PartitionId{r.partition},
          .first_offset = Offset{r.offset},
          .count = r.extra,
          .source_broker = NodeId{saturated_index(r.message_id)},
          .leader_epoch = LeaderEpoch{r.epoch},
          .time_ns = r.time_ns};
}

inline TruncateRecord as_truncate(const Record& r) {
  return {.broker = NodeId{r.node},
          .partition = PartitionId{r.partition},
          .offset = Offset{r.offset},
          .leader_epoch = LeaderEpoch{r.epoch},
          .reason = static_cast<TruncationReason>(r.detail),
          .time_ns = r.time_ns};
}

template <RecordKind Kind>
WatermarkRecord<Kind> as_watermark(const Record& r) {
  return {.broker = NodeId{r.node},
          .partition = PartitionId{r.partition},
          .high_watermark = Offset{r.offset},
          .leader_epoch = LeaderEpoch{r.epoch},
          .time_ns = r.time_ns};
}

inline LeaderElectedRecord as_leader_elected(const Record& r) {
  return {.leader = NodeId{r.node},
          .partition = PartitionId{r.partition},
          .leader_epoch = LeaderEpoch{r.epoch},
          .unclean = r.detail == 1,
          .time_ns = r.time_ns};
}

inline FaultRecord as_fault(const Record& r) {
  return {.node = NodeId{r.node},
          .fault = static_cast<FaultKind>(r.detail),
          .duration_ns = r.extra,
          .role = static_cast<FaultRole>(r.epoch),
          .argument = r.partition,
          .effects = r.message_id,
          .time_ns = r.time_ns};
}

template <RecordKind Kind>
ConsumedRecord<Kind> as_consumed(const Record& r) {
  return {.consumer = NodeId{r.node},
          .group = GroupIndex{saturated_index(r.extra)},
          .partition = PartitionId{r.partition},
          .offset = Offset{r.offset},
          .message_id = r.message_id,
          .time_ns = r.time_ns};
}

inline EffectInTransactionRecord as_effect_in_transaction(const Record& r) {
  return {.consumer = NodeId{r.node},
          .group = GroupIndex{saturated_index(r.extra)},
          .partition = PartitionId{r.partition},
          .offset = Offset{r.offset},
          .message_id = r.message_id,
          .transaction = r.epoch,
          .time_ns = r.time_ns};
}

inline OffsetCommittedRecord as_offset_committed(const Record& r) {
  return {.consumer = NodeId{r.node},
          .group = GroupIndex{saturated_index(r.extra)},
          .partition = PartitionId{r.partition},
          .offset = Offset{r.offset},
          .stage = static_cast<CommitStage>(r.detail),
          .time_ns = r.time_ns};
}

template <RecordKind Kind>
PartitionOwnershipRecord<Kind> as_partition_ownership(const Record& r) {
  return {.consumer = NodeId{r.node},
          .group = GroupIndex{saturated_index(r.extra)},
          .partition = PartitionId{r.partition},
          .processed_end = Offset{r.offset},
          .time_ns = r.time_ns};
}

inline TransactionEndedRecord as_transaction_ended(const Record& r) {
  return {.producer = NodeId{r.node},
          .transaction = r.offset,
          .producer_id = ProducerId{r.extra},
          .producer_epoch = ProducerEpoch{r.epoch},
          .committed = r.detail == 1,
          .time_ns = r.time_ns};
}

inline CoordinatorLoadedRecord as_coordinator_loaded(const Record& r) {
  return {.broker = NodeId{r.node},
          .leader_epoch = LeaderEpoch{r.epoch},
          .entries_replayed = r.offset,
          .offsets_loaded = r.extra,
          .time_ns = r.time_ns};
}

inline CommittedOffsetLoadedRecord as_committed_offset_loaded(const Record& r) {
  return {.broker = NodeId{r.node},
          .group = GroupIndex{saturated_index(r.extra)},
          .partition = PartitionId{r.partition},
          .offset = Offset{r.offset},
          .leader_epoch = LeaderEpoch{r.epoch},
          .time_ns = r.time_ns};
}

inline IsrChangedRecord as_isr_changed(const Record& r) {
  return {.leader = NodeId{r.node},
          .partition = PartitionId{r.partition},
          .leader_epoch = LeaderEpoch{r.epoch},
          .isr_mask = r.extra,
          .time_ns = r.time_ns};
}

inline PollCallRecord as_poll_call(const Record& r) {
  return {.consumer = NodeId{r.node},
          .group = GroupIndex{static_cast<std::uint32_t>(r.extra)},
          .partition = PartitionId{r.partition},
          .first_offset = Offset{r.offset},
          .record_count = static_cast<std::uint64_t>(r.epoch),
          .time_ns = r.time_ns};
}

inline OutputProducedRecord as_output_produced(const Record& r) {
  return {.consumer = NodeId{r.node},
          .group = GroupIndex{static_cast<std::uint32_t>(r.epoch)},
          .partition = PartitionId{r.partition},
          .offset = Offset{r.offset},
          .input_message_id = r.extra,
          .output_message_id = r.message_id,
          .time_ns = r.time_ns};
}

inline ControllerElectedRecord as_controller_elected(const Record& r) {
  return {.controller = NodeId{r.node}, .epoch = r.epoch, .time_ns = r.time_ns};
}

// Calls visitor(typed) with the typed struct of the record's kind. A record of an unknown
// kind (a corrupt history) is skipped.
template <class Visitor>
void visit(const Record& r, Visitor&& visitor) {
  switch (r.kind) {
    case RecordKind::send:
      return visitor(as_send(r));
    case RecordKind::send_acknowledged:
      return visitor(as_send_acknowledged(r));
    case RecordKind::send_failed:
      return visitor(as_send_failed(r));
    case RecordKind::send_attempt:
      return visitor(as_send_attempt(r));
    case RecordKind::append:
      return visitor(as_append(r));
    case RecordKind::follower_append_range:
      return visitor(as_follower_append_range(r));
    case RecordKind::truncate:
      return visitor(as_truncate(r));
    case RecordKind::high_watermark:
      return visitor(as_watermark<RecordKind::high_watermark>(r));
    case RecordKind::leader_elected:
      return visitor(as_leader_elected(r));
    case RecordKind::fault:
      return visitor(as_fault(r));
    case RecordKind::poll:
      return visitor(as_consumed<RecordKind::poll>(r));
    case RecordKind::effect_applied:
      return visitor(as_consumed<RecordKind::effect_applied>(r));
    case RecordKind::effect_skipped:
      return visitor(as_consumed<RecordKind::effect_skipped>(r));
    case RecordKind::effect_in_transaction:
      return visitor(as_effect_in_transaction(r));
    case RecordKind::offset_committed:
      return visitor(as_offset_committed(r));
    case RecordKind::partition_assigned:
      return visitor(as_partition_ownership<RecordKind::partition_assigned>(r));
    case RecordKind::partition_revoked:
      return visitor(as_partition_ownership<RecordKind::partition_revoked>(r));
    case RecordKind::transaction_ended:
      return visitor(as_transaction_ended(r));
    case RecordKind::coordinator_loaded:
      return visitor(as_coordinator_loaded(r));
    case RecordKind::committed_offset_loaded:
      return visitor(as_committed_offset_loaded(r));
    case RecordKind::isr_changed:
      return visitor(as_isr_changed(r));
    case RecordKind::follower_high_watermark:
      return visitor(as_watermark<RecordKind::follower_high_watermark>(r));
    case RecordKind::arrival_queued:
      return visitor(as_arrival_queued(r));
    case RecordKind::not_sent:
      return visitor(as_not_sent(r));
    case RecordKind::poll_call:
      return visitor(as_poll_call(r));
    case RecordKind::controller_elected:
      return visitor(as_controller_elected(r));
    case RecordKind::output_produced:
      return visitor(as_output_produced(r));
  }
}

}  // namespace ksim::history
