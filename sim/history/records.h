#pragma once
// Named constructors and typed reading for history records. A packed `Record` (history.h)
// reuses its fields for different things by kind; this file is the one place that maps
// them. The model builds each record with the constructor of its kind, arguments by name:
//   context.record(history::send({.producer = node_, .message_id = id, .partition = p}));
// The checker reads records through `visit`, which hands each one to the visitor as the
// typed struct of its kind (record_types.h documents every field), so no reader decodes a
// raw field whose meaning depends on the kind.
#include <algorithm>

#include "sim/history/record_types.h"

namespace ksim::history {

// A 32-bit index (a node, a group) kept in a 64-bit field: a corrupt value past 32 bits
// reads as the largest index, which every table bound rejects, not as a wrapped small one.
inline std::uint32_t saturated_index(std::uint64_t stored) {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(stored, kNoNode));
}

inline Record send(const SendRecord& s) {
  return {.time_ns = s.time_ns, .message_id = s.message_id, .offset = s.transaction, .extra = s.key,
          .node = s.producer, .partition = s.partition, .epoch = s.producer_epoch, .kind = RecordKind::send};
}
inline SendRecord as_send(const Record& r) {
  return {.producer = r.node, .message_id = r.message_id, .partition = r.partition, .key = r.extra,
          .producer_epoch = r.epoch, .transaction = r.offset, .time_ns = r.time_ns};
}

inline Record send_attempt(const SendAttemptRecord& s) {
  return {.time_ns = s.time_ns, .message_id = s.message_id, .offset = s.transaction, .extra = s.producer_id,
          .node = s.producer, .partition = s.partition, .epoch = s.producer_epoch, .kind = RecordKind::send_attempt,
          .detail = s.attempt};
}
inline SendAttemptRecord as_send_attempt(const Record& r) {
  return {.producer = r.node, .message_id = r.message_id, .partition = r.partition, .attempt = r.detail,
          .producer_id = r.extra, .producer_epoch = r.epoch, .transaction = r.offset, .time_ns = r.time_ns};
}

inline Record send_acknowledged(const SendAcknowledgedRecord& s) {
  return {.time_ns = s.time_ns, .message_id = s.message_id, .offset = s.offset, .node = s.producer,
          .partition = s.partition, .kind = RecordKind::send_acknowledged};
}
inline SendAcknowledgedRecord as_send_acknowledged(const Record& r) {
  return {.producer = r.node, .message_id = r.message_id, .partition = r.partition, .offset = r.offset,
          .time_ns = r.time_ns};
}

inline Record send_failed(const SendFailedRecord& s) {
  return {.time_ns = s.time_ns, .message_id = s.message_id, .node = s.producer, .partition = s.partition,
          .kind = RecordKind::send_failed, .detail = static_cast<std::uint8_t>(s.error)};
}
inline SendFailedRecord as_send_failed(const Record& r) {
  return {.producer = r.node, .message_id = r.message_id, .partition = r.partition,
          .error = static_cast<ErrorCode>(r.detail), .time_ns = r.time_ns};
}

inline Record arrival_queued(const ArrivalQueuedRecord& a) {
  return {.time_ns = a.time_ns, .message_id = a.message_id, .offset = a.arrival_ns, .extra = a.key,
          .node = a.producer, .kind = RecordKind::arrival_queued};
}
inline ArrivalQueuedRecord as_arrival_queued(const Record& r) {
  return {.producer = r.node, .message_id = r.message_id, .key = r.extra, .arrival_ns = r.offset,
          .time_ns = r.time_ns};
}

inline Record not_sent(const NotSentRecord& n) {
  return {.time_ns = n.time_ns, .message_id = n.message_id, .offset = n.arrival_ns, .node = n.producer,
          .kind = RecordKind::not_sent, .detail = static_cast<std::uint8_t>(n.reason)};
}
inline NotSentRecord as_not_sent(const Record& r) {
  return {.producer = r.node, .message_id = r.message_id, .reason = static_cast<NotSentReason>(r.detail),
          .arrival_ns = r.offset, .time_ns = r.time_ns};
}

inline Record append(const AppendRecord& a) {
  return {.time_ns = a.time_ns, .message_id = a.message_id, .offset = a.offset, .extra = a.producer_id,
          .node = a.broker, .partition = a.partition, .epoch = a.leader_epoch, .kind = RecordKind::append,
          .detail = static_cast<std::uint8_t>(a.source)};
}
inline AppendRecord as_append(const Record& r) {
  return {.broker = r.node, .partition = r.partition, .offset = r.offset, .message_id = r.message_id,
          .leader_epoch = r.epoch, .source = static_cast<AppendSource>(r.detail), .producer_id = r.extra,
          .time_ns = r.time_ns};
}

inline Record follower_append_range(const FollowerAppendRangeRecord& f) {
  return {.time_ns = f.time_ns, .message_id = f.source_broker, .offset = f.first_offset, .extra = f.count,
          .node = f.follower, .partition = f.partition, .epoch = f.leader_epoch,
          .kind = RecordKind::follower_append_range};
}
inline FollowerAppendRangeRecord as_follower_append_range(const Record& r) {
  return {.follower = r.node, .partition = r.partition, .first_offset = r.offset, .count = r.extra,
          .source_broker = saturated_index(r.message_id), .leader_epoch = r.epoch, .time_ns = r.time_ns};
}

inline Record truncate(const TruncateRecord& t) {
  return {.time_ns = t.time_ns, .offset = t.offset, .node = t.broker, .partition = t.partition,
          .epoch = t.leader_epoch, .kind = RecordKind::truncate, .detail = static_cast<std::uint8_t>(t.reason)};
}
inline TruncateRecord as_truncate(const Record& r) {
  return {.broker = r.node, .partition = r.partition, .offset = r.offset, .leader_epoch = r.epoch,
          .reason = static_cast<TruncationReason>(r.detail), .time_ns = r.time_ns};
}

template <RecordKind Kind>
Record watermark(const WatermarkRecord<Kind>& w) {
  return {.time_ns = w.time_ns, .offset = w.high_watermark, .node = w.broker, .partition = w.partition,
          .epoch = w.leader_epoch, .kind = Kind};
}
inline Record high_watermark(const HighWatermarkRecord& w) { return watermark(w); }
inline Record follower_high_watermark(const FollowerHighWatermarkRecord& w) { return watermark(w); }
template <RecordKind Kind>
WatermarkRecord<Kind> as_watermark(const Record& r) {
  return {.broker = r.node, .partition = r.partition, .high_watermark = r.offset, .leader_epoch = r.epoch,
          .time_ns = r.time_ns};
}

inline Record leader_elected(const LeaderElectedRecord& l) {
  return {.time_ns = l.time_ns, .node = l.leader, .partition = l.partition, .epoch = l.leader_epoch,
          .kind = RecordKind::leader_elected, .detail = static_cast<std::uint8_t>(l.unclean ? 1 : 0)};
}
inline LeaderElectedRecord as_leader_elected(const Record& r) {
  return {.leader = r.node, .partition = r.partition, .leader_epoch = r.epoch, .unclean = r.detail == 1,
          .time_ns = r.time_ns};
}

inline Record fault(const FaultRecord& f) {
  return {.time_ns = f.time_ns, .message_id = f.effects, .extra = f.duration_ns, .node = f.node,
          .partition = f.argument, .epoch = static_cast<std::int32_t>(f.role), .kind = RecordKind::fault,
          .detail = static_cast<std::uint8_t>(f.fault)};
}
inline FaultRecord as_fault(const Record& r) {
  return {.node = r.node, .fault = static_cast<FaultKind>(r.detail), .duration_ns = r.extra,
          .role = static_cast<FaultRole>(r.epoch), .argument = r.partition, .effects = r.message_id,
          .time_ns = r.time_ns};
}

template <RecordKind Kind>
Record consumed(const ConsumedRecord<Kind>& c) {
  return {.time_ns = c.time_ns, .message_id = c.message_id, .offset = c.offset, .extra = c.group,
          .node = c.consumer, .partition = c.partition, .kind = Kind};
}
inline Record poll(const PollRecord& p) { return consumed(p); }
inline Record effect_applied(const EffectAppliedRecord& e) { return consumed(e); }
inline Record effect_skipped(const EffectSkippedRecord& e) { return consumed(e); }
template <RecordKind Kind>
ConsumedRecord<Kind> as_consumed(const Record& r) {
  return {.consumer = r.node, .group = saturated_index(r.extra), .partition = r.partition,
          .offset = r.offset, .message_id = r.message_id, .time_ns = r.time_ns};
}

inline Record effect_in_transaction(const EffectInTransactionRecord& e) {
  return {.time_ns = e.time_ns, .message_id = e.message_id, .offset = e.offset, .extra = e.group,
          .node = e.consumer, .partition = e.partition, .epoch = e.transaction,
          .kind = RecordKind::effect_in_transaction};
}
inline EffectInTransactionRecord as_effect_in_transaction(const Record& r) {
  return {.consumer = r.node, .group = saturated_index(r.extra), .partition = r.partition,
          .offset = r.offset, .message_id = r.message_id, .transaction = r.epoch, .time_ns = r.time_ns};
}

inline Record offset_committed(const OffsetCommittedRecord& o) {
  return {.time_ns = o.time_ns, .offset = o.offset, .extra = o.group, .node = o.consumer, .partition = o.partition,
          .kind = RecordKind::offset_committed, .detail = static_cast<std::uint8_t>(o.stage)};
}
inline OffsetCommittedRecord as_offset_committed(const Record& r) {
  return {.consumer = r.node, .group = saturated_index(r.extra), .partition = r.partition,
          .offset = r.offset, .stage = static_cast<CommitStage>(r.detail), .time_ns = r.time_ns};
}

template <RecordKind Kind>
Record partition_ownership(const PartitionOwnershipRecord<Kind>& p) {
  return {.time_ns = p.time_ns, .offset = p.processed_end, .extra = p.group, .node = p.consumer,
          .partition = p.partition, .kind = Kind};
}
inline Record partition_assigned(const PartitionAssignedRecord& p) { return partition_ownership(p); }
inline Record partition_revoked(const PartitionRevokedRecord& p) { return partition_ownership(p); }
template <RecordKind Kind>
PartitionOwnershipRecord<Kind> as_partition_ownership(const Record& r) {
  return {.consumer = r.node, .group = saturated_index(r.extra), .partition = r.partition,
          .processed_end = r.offset, .time_ns = r.time_ns};
}

inline Record transaction_ended(const TransactionEndedRecord& t) {
  return {.time_ns = t.time_ns, .offset = t.transaction, .extra = t.producer_id, .node = t.producer,
          .epoch = t.producer_epoch, .kind = RecordKind::transaction_ended,
          .detail = static_cast<std::uint8_t>(t.committed ? 1 : 0)};
}
inline TransactionEndedRecord as_transaction_ended(const Record& r) {
  return {.producer = r.node, .transaction = r.offset, .producer_id = r.extra, .producer_epoch = r.epoch,
          .committed = r.detail == 1, .time_ns = r.time_ns};
}

inline Record coordinator_loaded(const CoordinatorLoadedRecord& c) {
  return {.time_ns = c.time_ns, .offset = c.entries_replayed, .extra = c.offsets_loaded, .node = c.broker,
          .epoch = c.leader_epoch, .kind = RecordKind::coordinator_loaded};
}
inline CoordinatorLoadedRecord as_coordinator_loaded(const Record& r) {
  return {.broker = r.node, .leader_epoch = r.epoch, .entries_replayed = r.offset, .offsets_loaded = r.extra,
          .time_ns = r.time_ns};
}

inline Record committed_offset_loaded(const CommittedOffsetLoadedRecord& c) {
  return {.time_ns = c.time_ns, .offset = c.offset, .extra = c.group, .node = c.broker, .partition = c.partition,
          .epoch = c.leader_epoch, .kind = RecordKind::committed_offset_loaded};
}
inline CommittedOffsetLoadedRecord as_committed_offset_loaded(const Record& r) {
  return {.broker = r.node, .group = saturated_index(r.extra), .partition = r.partition,
          .offset = r.offset, .leader_epoch = r.epoch, .time_ns = r.time_ns};
}

inline Record isr_changed(const IsrChangedRecord& i) {
  return {.time_ns = i.time_ns, .extra = i.isr_mask, .node = i.leader, .partition = i.partition,
          .epoch = i.leader_epoch, .kind = RecordKind::isr_changed};
}
inline IsrChangedRecord as_isr_changed(const Record& r) {
  return {.leader = r.node, .partition = r.partition, .leader_epoch = r.epoch, .isr_mask = r.extra,
          .time_ns = r.time_ns};
}

inline Record poll_call(const PollCallRecord& c) {
  // The count in `epoch` (bounded by max.poll.records), not in message_id: no message is named.
  return {.time_ns = c.time_ns, .offset = c.first_offset, .extra = c.group, .node = c.consumer, .partition = c.partition,
          .epoch = static_cast<std::int32_t>(std::min<std::uint64_t>(c.record_count, 0x7fffffff)),
          .kind = RecordKind::poll_call};
}
inline PollCallRecord as_poll_call(const Record& r) {
  return {.consumer = r.node, .group = static_cast<std::uint32_t>(r.extra), .partition = r.partition,
          .first_offset = r.offset, .record_count = static_cast<std::uint64_t>(r.epoch), .time_ns = r.time_ns};
}

inline Record output_produced(const OutputProducedRecord& o) {
  return {.time_ns = o.time_ns, .message_id = o.output_message_id, .offset = o.offset, .extra = o.input_message_id,
          .node = o.consumer, .partition = o.partition, .epoch = static_cast<std::int32_t>(o.group),
          .kind = RecordKind::output_produced};
}
inline OutputProducedRecord as_output_produced(const Record& r) {
  return {.consumer = r.node, .group = static_cast<std::uint32_t>(r.epoch), .partition = r.partition,
          .offset = r.offset, .input_message_id = r.extra, .output_message_id = r.message_id, .time_ns = r.time_ns};
}

inline Record controller_elected(const ControllerElectedRecord& c) {
  return {.time_ns = c.time_ns, .node = c.controller, .epoch = c.epoch, .kind = RecordKind::controller_elected};
}
inline ControllerElectedRecord as_controller_elected(const Record& r) {
  return {.controller = r.node, .epoch = r.epoch, .time_ns = r.time_ns};
}

// Calls visitor(typed) with the typed struct of the record's kind. A record of an unknown
// kind (a corrupt history) is skipped.
template <class Visitor>
void visit(const Record& r, Visitor&& visitor) {
  switch (r.kind) {
    case RecordKind::send: return visitor(as_send(r));
    case RecordKind::send_acknowledged: return visitor(as_send_acknowledged(r));
    case RecordKind::send_failed: return visitor(as_send_failed(r));
    case RecordKind::send_attempt: return visitor(as_send_attempt(r));
    case RecordKind::append: return visitor(as_append(r));
    case RecordKind::follower_append_range: return visitor(as_follower_append_range(r));
    case RecordKind::truncate: return visitor(as_truncate(r));
    case RecordKind::high_watermark: return visitor(as_watermark<RecordKind::high_watermark>(r));
    case RecordKind::leader_elected: return visitor(as_leader_elected(r));
    case RecordKind::fault: return visitor(as_fault(r));
    case RecordKind::poll: return visitor(as_consumed<RecordKind::poll>(r));
    case RecordKind::effect_applied: return visitor(as_consumed<RecordKind::effect_applied>(r));
    case RecordKind::effect_skipped: return visitor(as_consumed<RecordKind::effect_skipped>(r));
    case RecordKind::effect_in_transaction: return visitor(as_effect_in_transaction(r));
    case RecordKind::offset_committed: return visitor(as_offset_committed(r));
    case RecordKind::partition_assigned: return visitor(as_partition_ownership<RecordKind::partition_assigned>(r));
    case RecordKind::partition_revoked: return visitor(as_partition_ownership<RecordKind::partition_revoked>(r));
    case RecordKind::transaction_ended: return visitor(as_transaction_ended(r));
    case RecordKind::coordinator_loaded: return visitor(as_coordinator_loaded(r));
    case RecordKind::committed_offset_loaded: return visitor(as_committed_offset_loaded(r));
    case RecordKind::isr_changed: return visitor(as_isr_changed(r));
    case RecordKind::follower_high_watermark:
      return visitor(as_watermark<RecordKind::follower_high_watermark>(r));
    case RecordKind::arrival_queued: return visitor(as_arrival_queued(r));
    case RecordKind::not_sent: return visitor(as_not_sent(r));
    case RecordKind::poll_call: return visitor(as_poll_call(r));
    case RecordKind::controller_elected: return visitor(as_controller_elected(r));
    case RecordKind::output_produced: return visitor(as_output_produced(r));
  }
}

}  // namespace ksim::history
