#pragma once
// Named constructors for history records. A packed `Record` (history.h) reuses its fields
// for different things by kind; this file and record_reading.h are the one place that maps
// them, and the one place where strong ids (sim/core/ids.h) become raw fields and back. The
// model builds each record with the constructor of its kind, arguments by name:
//   context.record(history::send({.producer = NodeId{node_}, .message_id = id, .partition = p}));
// The checker reads records through `visit` (record_reading.h), which hands each one to the
// visitor as the typed struct of its kind (record_types.h documents every field), so no
// reader decodes a raw field whose meaning depends on the kind.
#include "sim/history/record_types.h"

namespace ksim::history {

inline Record send(const SendRecord& s) {
  return {.time_ns = s.time_ns,
          .message_id = s.message_id,
          .offset = s.transaction,
          .extra = s.key,
          .node = s.producer.value(),
          .partition = s.partition.value(),
          .epoch = s.producer_epoch.value(),
          .kind = RecordKind::send};
}

inline Record send_attempt(const SendAttemptRecord& s) {
  return {.time_ns = s.time_ns,
          .message_id = s.message_id,
          .offset = s.transaction,
          .extra = s.producer_id.value(),
          .node = s.producer.value(),
          .partition = s.partition.value(),
          .epoch = s.producer_epoch.value(),
          .kind = RecordKind::send_attempt,
          .detail = s.attempt};
}

inline Record send_acknowledged(const SendAcknowledgedRecord& s) {
  return {.time_ns = s.time_ns,
          .message_id = s.message_id,
          .offset = s.offset.value(),
          .node = s.producer.value(),
          .partition = s.partition.value(),
          .kind = RecordKind::send_acknowledged};
}

inline Record send_failed(const SendFailedRecord& s) {
  return {.time_ns = s.time_ns,
          .message_id = s.message_id,
          .node = s.producer.value(),
          .partition = s.partition.value(),
          .kind = RecordKind::send_failed,
          .detail = static_cast<std::uint8_t>(s.error)};
}

inline Record arrival_queued(const ArrivalQueuedRecord& a) {
  return {.time_ns = a.time_ns,
          .message_id = a.message_id,
          .offset = a.arrival_ns,
          .extra = a.key,
          .node = a.producer.value(),
          .kind = RecordKind::arrival_queued};
}

inline Record not_sent(const NotSentRecord& n) {
  return {.time_ns = n.time_ns,
          .message_id = n.message_id,
          .offset = n.arrival_ns,
          .node = n.producer.value(),
          .kind = RecordKind::not_sent,
          .detail = static_cast<std::uint8_t>(n.reason)};
}

inline Record append(const AppendRecord& a) {
  return {.time_ns = a.time_ns,
          .message_id = a.message_id,
          .offset = a.offset.value(),
          .extra = a.producer_id.value(),
          .node = a.broker.value(),
          .partition = a.partition.value(),
          .epoch = a.leader_epoch.value(),
          .kind = RecordKind::append,
          .detail = static_cast<std::uint8_t>(a.source)};
}

inline Record follower_append_range(const FollowerAppendRangeRecord& f) {
  return {.time_ns = f.time_ns,
          .message_id = f.source_broker.value(),
          .offset = f.first_offset.value(),
          .extra = f.count,
          .node = f.follower.value(),
          .partition = f.partition.value(),
          .epoch = f.leader_epoch.value(),
          .kind = RecordKind::follower_append_range};
}

inline Record truncate(const TruncateRecord& t) {
  return {.time_ns = t.time_ns,
          .offset = t.offset.value(),
          .node = t.broker.value(),
          .partition = t.partition.value(),
          .epoch = t.leader_epoch.value(),
          .kind = RecordKind::truncate,
          .detail = static_cast<std::uint8_t>(t.reason)};
}

template <RecordKind Kind>

Record watermark(const WatermarkRecord<Kind>& w) {
  return {.time_ns = w.time_ns,
          .offset = w.high_watermark.value(),
          .node = w.broker.value(),
          .partition = w.partition.value(),
          .epoch = w.leader_epoch.value(),
          .kind = Kind};
}

inline Record high_watermark(const HighWatermarkRecord& w) {
  return watermark(w);
}

inline Record follower_high_watermark(const FollowerHighWatermarkRecord& w) {
  return watermark(w);
}

inline Record leader_elected(const LeaderElectedRecord& l) {
  return {.time_ns = l.time_ns,
          .node = l.leader.value(),
          .partition = l.partition.value(),
          .epoch = l.leader_epoch.value(),
          .kind = RecordKind::leader_elected,
          .detail = static_cast<std::uint8_t>(l.unclean ? 1 : 0)};
}

inline Record fault(const FaultRecord& f) {
  return {.time_ns = f.time_ns,
          .message_id = f.effects,
          .extra = f.duration_ns,
          .node = f.node.value(),
          .partition = f.argument,
          .epoch = static_cast<std::int32_t>(f.role),
          .kind = RecordKind::fault,
          .detail = static_cast<std::uint8_t>(f.fault)};
}

template <RecordKind Kind>

Record consumed(const ConsumedRecord<Kind>& c) {
  return {.time_ns = c.time_ns,
          .message_id = c.message_id,
          .offset = c.offset.value(),
          .extra = c.group.value(),
          .node = c.consumer.value(),
          .partition = c.partition.value(),
          .kind = Kind};
}

inline Record poll(const PollRecord& p) {
  return consumed(p);
}

inline Record effect_applied(const EffectAppliedRecord& e) {
  return consumed(e);
}

inline Record effect_skipped(const EffectSkippedRecord& e) {
  return consumed(e);
}

inline Record effect_in_transaction(const EffectInTransactionRecord& e) {
  return {.time_ns = e.time_ns,
          .message_id = e.message_id,
          .offset = e.offset.value(),
          .extra = e.group.value(),
          .node = e.consumer.value(),
          .partition = e.partition.value(),
          .epoch = e.transaction,
          .kind = RecordKind::effect_in_transaction};
}

inline Record offset_committed(const OffsetCommittedRecord& o) {
  return {.time_ns = o.time_ns,
          .offset = o.offset.value(),
          .extra = o.group.value(),
          .node = o.consumer.value(),
          .partition = o.partition.value(),
          .kind = RecordKind::offset_committed,
          .detail = static_cast<std::uint8_t>(o.stage)};
}

template <RecordKind Kind>

Record partition_ownership(const PartitionOwnershipRecord<Kind>& p) {
  return {.time_ns = p.time_ns,
          .offset = p.processed_end.value(),
          .extra = p.group.value(),
          .node = p.consumer.value(),
          .partition = p.partition.value(),
          .kind = Kind};
}

inline Record partition_assigned(const PartitionAssignedRecord& p) {
  return partition_ownership(p);
}

inline Record partition_revoked(const PartitionRevokedRecord& p) {
  return partition_ownership(p);
}

inline Record transaction_ended(const TransactionEndedRecord& t) {
  return {.time_ns = t.time_ns,
          .offset = t.transaction,
          .extra = t.producer_id.value(),
          .node = t.producer.value(),
          .epoch = t.producer_epoch.value(),
          .kind = RecordKind::transaction_ended,
          .detail = static_cast<std::uint8_t>(t.committed ? 1 : 0)};
}

inline Record coordinator_loaded(const CoordinatorLoadedRecord& c) {
  return {.time_ns = c.time_ns,
          .offset = c.entries_replayed,
          .extra = c.offsets_loaded,
          .node = c.broker.value(),
          .epoch = c.leader_epoch.value(),
          .kind = RecordKind::coordinator_loaded};
}

inline Record committed_offset_loaded(const CommittedOffsetLoadedRecord& c) {
  return {.time_ns = c.time_ns,
          .offset = c.offset.value(),
          .extra = c.group.value(),
          .node = c.broker.value(),
          .partition = c.partition.value(),
          .epoch = c.leader_epoch.value(),
          .kind = RecordKind::committed_offset_loaded};
}

inline Record isr_changed(const IsrChangedRecord& i) {
  return {.time_ns = i.time_ns,
          .extra = i.isr_mask,
          .node = i.leader.value(),
          .partition = i.partition.value(),
          .epoch = i.leader_epoch.value(),
          .kind = RecordKind::isr_changed};
}

inline Record poll_call(const PollCallRecord& c) {
  // The count in `epoch` (bounded by max.poll.records), not in message_id: no message is named.
  return {.time_ns = c.time_ns,
          .offset = c.first_offset.value(),
          .extra = c.group.value(),
          .node = c.consumer.value(),
          .partition = c.partition.value(),
          .epoch = static_cast<std::int32_t>(std::min<std::uint64_t>(c.record_count, 0x7fffffff)),
          .kind = RecordKind::poll_call};
}

inline Record output_produced(const OutputProducedRecord& o) {
  return {.time_ns = o.time_ns,
          .message_id = o.output_message_id,
          .offset = o.offset.value(),
          .extra = o.input_message_id,
          .node = o.consumer.value(),
          .partition = o.partition.value(),
          .epoch = static_cast<std::int32_t>(o.group.value()),
          .kind = RecordKind::output_produced};
}

inline Record controller_elected(const ControllerElectedRecord& c) {
  return {.time_ns = c.time_ns,
          .node = c.controller.value(),
          .epoch = c.epoch,
          .kind = RecordKind::controller_elected};
}

}  // namespace ksim::history

#include "sim/history/record_reading.h"  // IWYU pragma: export
