#include "sim/kafka/broker/broker.h"

#include <algorithm>
#include <optional>
#include <tuple>
#include <utility>

#include "sim/core/assert.h"
#include "sim/history/records.h"
#include "sim/kafka/wire/append_records.h"

namespace ksim::kafka {

namespace {

bool contains(const std::vector<BrokerId>& brokers, BrokerId broker) {
  return std::find(brokers.begin(), brokers.end(), broker) != brokers.end();
}

}  // namespace

Broker::Broker(const BrokerPlacement& placement, const BrokerConfig& config, std::vector<GroupSettings> groups)
    : index_(placement.index),
      node_(placement.node),
      config_(config),
      writeback_(config.os_flush_interval_ns, 0),
      brokers_(placement.broker_count),
      min_insync_replicas_(placement.min_insync_replicas),
      offsets_min_insync_replicas_(placement.offsets_min_insync_replicas),
      coordinator_(placement.node, std::move(groups)),
      offsets_partition_(placement.partition_count - 1),
      transactions_(placement.node, {}, PartitionId{placement.partition_count - 1}, 0, placement.index, placement.broker_count),
      partition_count_(placement.partition_count),
      sessions_(placement.broker_count),
      fetchers_(placement.broker_count) {
  KSIM_ASSERT(placement.partition_count >= 2, "broker {} needs a user partition and the offsets partition, got {}",
              placement.index, placement.partition_count);
  reset_sessions();
}

bool Broker::in_isr(const PartitionReplica& replica, BrokerId broker) const { return contains(replica.isr, broker); }

const PartitionReplica& Broker::replica(PartitionId partition) const {
  static const PartitionReplica not_hosted;
  const PartitionReplica* found = replicas_.find(partition);
  return found == nullptr ? not_hosted : *found;
}

PartitionReplica* Broker::find_replica(PartitionId partition) {
  return replicas_.find(partition);
}

PartitionReplica& Broker::hosted(PartitionId partition) {
  PartitionReplica* replica = find_replica(partition);
  KSIM_ASSERT(replica != nullptr, "broker {} has no replica of partition {}", index_, partition);
  return *replica;
}

void Broker::start(NodeContext& context) {
  ++incarnation_;
  shutting_down_ = false;
  controller_.started(context.now());
  context.send(node_, controller_.target(context), BrokerHeartbeat{incarnation_, false, metadata_.version()});
  context.set_timer(node_, config_.broker_heartbeat_interval_ns, timers::BrokerHeartbeat{});
  context.set_timer(node_, writeback_.delay_after(context.now()), timers::OsFlush{});
  context.set_timer(node_, config_.replica_lag_time_max_ns / 2, timers::IsrCheck{});
  context.set_timer(node_, config_.broker_heartbeat_interval_ns / 2, timers::GroupSessions{});
}

void Broker::begin_controlled_shutdown(NodeContext& context) {
  shutting_down_ = true;
  context.send(node_, controller_.target(context), BrokerHeartbeat{incarnation_, true, metadata_.version()});
}

void Broker::crash(NodeContext& context, bool power_failure) {
  coordinator_.deactivate();
  transactions_.deactivate_all();
  metadata_.clear();
  replicas_.for_each([&](PartitionId p, PartitionReplica& replica) {
    if (power_failure && replica.log.flushed_end_offset() < replica.log.log_end_offset()) {
      truncate(context, p, replica.log.flushed_end_offset(), history::TruncationReason::power_failure);
    }
    // Everything but the log (and its checkpointed high watermark) lived in memory.
    PartitionReplica survived;
    survived.log = std::move(replica.log);
    rebuild_producer_state(survived);
    replica = std::move(survived);
  });
  reset_sessions();
  fetchers_.assign(brokers_, SessionFetcher{});
  multi_produces_.clear();
}

void Broker::on_timer(NodeContext& context, const BrokerTimer& timer) {
  std::visit(Overloaded{
                 [&](const timers::BrokerHeartbeat&) {
                   controller_.before_heartbeat(context, 2 * config_.broker_heartbeat_interval_ns);
                   context.send(node_, controller_.target(context), BrokerHeartbeat{incarnation_, shutting_down_, metadata_.version()});
                   context.set_timer(node_, config_.broker_heartbeat_interval_ns, timers::BrokerHeartbeat{});
                 },
                 [&](const timers::OsFlush&) {
                   replicas_.for_each([](PartitionId, PartitionReplica& replica) { replica.log.flush(); });
                   context.set_timer(node_, writeback_.delay_after(context.now()), timers::OsFlush{});
                 },
                 [&](const timers::IsrCheck&) {
                   replicas_.for_each([&](PartitionId p, PartitionReplica&) { check_isr(context, p); });
                   context.set_timer(node_, config_.replica_lag_time_max_ns / 2, timers::IsrCheck{});
                 },
                 [&](const timers::FollowerFetchRetry& retry) {
                   const PartitionReplica* replica = find_replica(retry.partition);
                   if (replica != nullptr && replica->leader != index_ && replica->has_state) {
                     follow(context, retry.partition);
                   }
                 },
                 [&](const timers::ReplicaFetcherTimeout& timeout) { on_replica_fetcher_timeout(context, timeout); },
                 [&](const timers::ReplicaFetcherRetry& retry) { send_replica_fetch(context, retry.leader); },
                 [&](const timers::SessionFetchExpiry& expiry) { on_session_fetch_expiry(context, expiry); },
                 [&](const timers::GroupSessions&) {
                   coordinator_.check_sessions(context);
                   transaction_tick(context);
                   context.set_timer(node_, config_.broker_heartbeat_interval_ns / 2,
                                     timers::GroupSessions{});
                 },
                 [&](const timers::CoordinatorLoad& load) { on_coordinator_loaded(context, load); },
             },
             timer);
}

void Broker::on_message(NodeContext& context, NodeId from, const Payload& payload) {
  if (const auto* request = std::get_if<ProduceRequest>(&payload)) {
    connection_reset_sent_ = false;
    on_produce(context, from, *request);
  } else if (const auto* requests = std::get_if<MultiProduceRequest>(&payload)) {
    on_multi_produce(context, from, *requests);
  } else if (const auto* replica_fetch = std::get_if<SessionFetchRequest>(&payload)) {
    on_session_fetch(context, from, *replica_fetch);
  } else if (const auto* replica_answer = std::get_if<SessionFetchResponse>(&payload)) {
    on_replica_fetch_response(context, from, *replica_answer);
  } else if (const auto* heartbeat = std::get_if<BrokerHeartbeatResponse>(&payload)) {
    if (heartbeat->not_controller) {
      controller_.redirected(context, heartbeat->active_controller);
    } else if (controller_.accept(context, from, heartbeat->controller_epoch) && heartbeat->should_shutdown &&
               shutting_down_) {
      // A clean shutdown writes every log to disk before the process exits (LogManager.shutdown).
      replicas_.for_each([](PartitionId, PartitionReplica& replica) { replica.log.flush(); });
      shutting_down_ = false;
      context.probe(history::Probe::controlled_shutdown);
      context.stop_after_controlled_shutdown(node_);
    }
  } else if (const auto* update = std::get_if<MetadataUpdate>(&payload)) {
    on_metadata_update(context, *update, from);
  } else if (std::holds_alternative<MetadataRequest>(payload)) {
    // Answered from this broker's cache; none yet (just restarted): no answer, and the
    // client asks another broker after its timeout.
    if (metadata_.ready()) context.send(node_, from, metadata_.answer(offsets_partition_));
  } else if (const auto* decisions = std::get_if<LeaderAndIsrRequest>(&payload)) {
    // The fetchers take the request's partitions together: they fetch once all are applied.
    adding_partitions_ = true;
    for (const LeaderAndIsr& decision : decisions->partitions) {
      if (controller_.accept(context, from, decision.controller_epoch)) on_leader_and_isr(context, decision);
    }
    adding_partitions_ = false;
    for (const BrokerId leader : ids_below<BrokerId>(brokers_)) send_replica_fetch(context, leader);
  } else if (const auto* marker = std::get_if<WriteTxnMarkersRequest>(&payload)) {
    on_write_marker(context, from, *marker);
  } else if (const auto* verification = std::get_if<AddPartitionsToTxnResponse>(&payload)) {
    on_verification(context, *verification);
  } else if (on_transaction_message(context, from, payload)) {
    // a transaction coordinator's request or answer (broker_transactions.cpp)
  } else if (GroupCoordinator::is_group_request(payload)) {
    if (coordinator_.active()) {
      coordinator_.on_message(context, from, payload,
                              [&](const LogEntry& entry) { return append_offsets_entry(context, entry); });
    } else {
      coordinator_.refuse(context, from, payload);
    }
  } else if (std::holds_alternative<ConnectionReset>(payload)) {
    // The leader's process is gone: fetch again after replica.fetch.backoff.ms.
    const BrokerId leader = context.broker_index(from);
    fail_verifications_to(context, leader);
    if (fetchers_[leader.index()].in_flight) restart_fetcher(context, leader, true);
  }
  // Heartbeat responses carry nothing the model needs.
}

// --- produce -------------------------------------------------------------------------

void Broker::on_multi_produce(NodeContext& context, NodeId from, const MultiProduceRequest& request) {
  if (!request.partitions.empty() && request.partitions.front().acks != Acks::none) {
    multi_produces_.expect(from, request.request_id, request.partitions.size());
  }
  connection_reset_sent_ = false;
  for (const ProduceRequest& part : request.partitions) on_produce(context, from, part);
}

// KIP-951 (KAFKA-15661, apache/kafka PR 14444, Kafka 3.7.0), KafkaApis.getCurrentLeader: the
// leader this broker's replica follows, or, where it holds no replica state of the
// partition, the leader in its metadata cache.
std::pair<BrokerId, LeaderEpoch> Broker::current_leader(PartitionId partition,
                                                        const PartitionReplica& local) const {
  if (local.has_state) return {local.leader, local.leader_epoch};
  return {metadata_.leader(partition), metadata_.leader_epoch(partition)};
}

void Broker::name_current_leader(ProduceResponse& response) const {
  if (!config_.current_leader_in_errors || response.error != ErrorCode::not_leader_or_follower) return;
  std::tie(response.current_leader, response.current_leader_epoch) =
      current_leader(response.partition, replica(response.partition));
}

// The same for a fetch answer (FetchResponse v16, the partition error's CurrentLeader).
void Broker::name_current_leader(FetchResponse& response, const PartitionReplica& local) const {
  if (!config_.current_leader_in_errors) return;
  std::tie(response.current_leader, response.leader_epoch) = current_leader(response.partition, local);
}

void Broker::answer_produce(NodeContext& context, NodeId producer, ProduceResponse response) {
  name_current_leader(response);
  std::optional<MultiProduceResponse> whole;
  if (!multi_produces_.take(producer, response, whole)) {
    context.send(node_, producer, response);
  } else if (whole) {
    context.send(node_, producer, std::move(*whole));
  }
}

void Broker::on_produce(NodeContext& context, NodeId from, const ProduceRequest& request, bool verified) {
  PartitionReplica* found = find_replica(request.partition);
  ProduceResponse response{request.partition, request.request_id, ErrorCode::none, kNoOffsetPosition};
  const bool answer = request.acks != Acks::none;
  if (found == nullptr || !found->has_state || found->leader != index_) {
    response.error = ErrorCode::not_leader_or_follower;
    // acks=0 has no response to carry the error: Kafka closes the connection instead, so
    // the client reconnects and refreshes its metadata.
    if (answer) {
      answer_produce(context, from, response);
    } else if (!std::exchange(connection_reset_sent_, true)) {
      context.send(node_, from, ConnectionReset{});  // once per request
    }
    return;
  }
  PartitionReplica& replica = *found;
  if (request.acks == Acks::all && replica.isr.size() < min_isr(request.partition)) {
    response.error = ErrorCode::not_enough_replicas;
    context.probe(history::Probe::not_enough_replicas);
    answer_produce(context, from, response);
    return;
  }
  if (!verified && needs_verification(replica, request)) return start_verification(context, from, request);
  if (request.producer_id != kNoProducerId) {
    const auto last_sequence = request.base_sequence + static_cast<std::int32_t>(request.records.size()) - 1;
    const SequenceCheck check =
        replica.producer_states.check(request.producer_id, request.producer_epoch, request.base_sequence, last_sequence);
    switch (check.verdict) {
      case SequenceVerdict::append:
        break;
      case SequenceVerdict::duplicate: {
        // Not appended again; answered like the original, so acks=all still waits for
        // the high watermark to pass the original's offsets.
        response.base_offset = check.duplicate_base_offset;
        const Offset end_offset = check.duplicate_base_offset + static_cast<std::int64_t>(request.records.size());
        if (request.acks == Acks::all && end_offset > replica.log.high_watermark()) {
          replica.pending_produces.push_back(
              PendingProduce{from, request.request_id, check.duplicate_base_offset, end_offset});
        } else if (answer) {
          answer_produce(context, from, response);
        }
        return;
      }
      case SequenceVerdict::duplicate_too_old:
        // DUPLICATE_SEQUENCE_NUMBER: older than the cache; the client takes it as success.
        // A client that keeps at most five unresolved batches per partition never sees it.
        if (answer) answer_produce(context, from, response);
        return;
      case SequenceVerdict::out_of_order:
        response.error = ErrorCode::out_of_order_sequence;
        context.probe(history::Probe::out_of_order_sequence);
        if (answer) answer_produce(context, from, response);
        return;
      case SequenceVerdict::fenced:
        response.error = ErrorCode::producer_fenced;
        if (answer) answer_produce(context, from, response);
        return;
    }
  }
  Offset base_offset{};
  append_as_leader(context, request.partition, request, base_offset);
  response.base_offset = base_offset;
  const Offset end_offset = base_offset + static_cast<std::int64_t>(request.records.size());
  if (request.acks == Acks::leader) {
    answer_produce(context, from, response);
  } else if (request.acks == Acks::all) {
    replica.pending_produces.push_back(PendingProduce{from, request.request_id, base_offset, end_offset});
  }
  maybe_advance_high_watermark(context, request.partition);
  wake_sessions(context, request.partition);
}

void Broker::append_as_leader(NodeContext& context, PartitionId partition, const ProduceRequest& request,
                              Offset& base_offset) {
  PartitionReplica& replica = hosted(partition);
  base_offset = replica.log.log_end_offset();
  const auto count = static_cast<std::uint16_t>(request.records.size());
  for (std::uint16_t i = 0; i < count; ++i) {
    LogEntry entry;
    entry.message_id = request.records[i].message_id;
    entry.leader_epoch = replica.leader_epoch;
    entry.set_producer(request.producer_id, request.producer_epoch);
    entry.sequence = request.producer_id != kNoProducerId ? request.base_sequence + i : -1;
    entry.index_in_batch = i;
    entry.batch_records = count;
    entry.flags = request.transactional ? kTransactionalEntry : 0;
    const Offset offset = append_entry(partition, entry);
    context.record(append_record(node_, partition, offset, entry, history::AppendSource::leader));
  }
  FollowerProgress& self = replica.followers[index_.index()];
  self.log_end_offset = replica.log.log_end_offset();
}

Offset Broker::append_entry(PartitionId partition, const LogEntry& entry) {
  PartitionReplica& replica = hosted(partition);
  const Offset offset = replica.log.append(entry);
  if (entry.is_marker()) {
    break_verification_guards(replica, entry.producer_id());
    replica.producer_states.record_marker(entry.producer_id(), entry.producer_epoch());
    replica.transactions.on_append(offset, entry);
  } else if (entry.producer_id() != kNoProducerId && entry.index_in_batch == 0 && !entry.is_offset_commit()) {
    replica.producer_states.record(entry.producer_id(), entry.producer_epoch(), entry.sequence,
                                   entry.sequence + entry.batch_records - 1, offset);
  }
  if (entry.is_transactional()) replica.transactions.on_append(offset, entry);
  ++replica.appends_since_flush;
  // Kafka checks flush.messages once per append of whole batches (UnifiedLog.append), so a
  // flush never splits a batch and a power failure never leaves part of one.
  if (entry.ends_batch()) maybe_flush(partition);
  return offset;
}

void Broker::rebuild_producer_state(PartitionReplica& replica) {
  replica.producer_states.rebuild(replica.log);
  replica.transactions.rebuild(replica.log);
}

// The coordinator's COMMIT or ABORT marker: appended like a record and answered once it is
// replicated to the ISR (Kafka appends markers with acks=all), so a marker the coordinator
// counts as written survives a clean leader change.
void Broker::on_write_marker(NodeContext& context, NodeId from, const WriteTxnMarkersRequest& request) {
  PartitionReplica* found = find_replica(request.partition);
  if (found == nullptr || !found->has_state || found->leader != index_) {
    context.send(node_, from, WriteTxnMarkersResponse{request.partition, request.request_id,
                                                      ErrorCode::not_leader_or_follower});
    return;
  }
  PartitionReplica& replica = *found;
  LogEntry marker;
  marker.message_id = history::kControlMessageId;
  marker.leader_epoch = replica.leader_epoch;
  marker.set_producer(request.producer_id, request.producer_epoch);
  marker.flags = request.commit ? kCommitMarker : kAbortMarker;
  const Offset offset = append_entry(request.partition, marker);
  if (recorded(request.partition)) {
    context.record(append_record(node_, request.partition, offset, marker,
                                 request.commit ? history::AppendSource::commit_marker : history::AppendSource::abort_marker));
  }
  replica.followers[index_.index()].log_end_offset = replica.log.log_end_offset();
  replica.pending_produces.push_back(PendingProduce{from, request.request_id, offset, offset + 1, true});
  maybe_advance_high_watermark(context, request.partition);
  wake_sessions(context, request.partition);
}

void Broker::maybe_flush(PartitionId partition) {
  PartitionReplica& replica = hosted(partition);
  // __transaction_state is written to disk at every append, leader and followers alike (a
  // simplification: Kafka flushes it as any log, so a power failure of every replica can
  // lose acknowledged transaction state; see scenarios/README.md).
  const bool always = is_state_partition(partition);
  if (always || (config_.flush_messages > 0 && replica.appends_since_flush >= config_.flush_messages)) {
    replica.log.flush();
    replica.appends_since_flush = 0;
  }
}

void Broker::truncate(NodeContext& context, PartitionId partition, Offset offset, history::TruncationReason reason) {
  PartitionReplica& replica = hosted(partition);
  if (offset >= replica.log.log_end_offset()) return;
  probe_truncation(context, replica, offset, reason);
  replica.log.truncate_to(offset);
  rebuild_producer_state(replica);
  if (!recorded(partition)) return;
  context.record(history::truncate({.broker = NodeId{node_},
                                    .partition = partition,
                                    .offset = offset,
                                    .leader_epoch = replica.leader_epoch,
                                    .reason = reason}));
}

void Broker::probe_truncation(NodeContext& context, const PartitionReplica& replica, Offset offset,
                              history::TruncationReason reason) {
  if (offset < replica.log.high_watermark()) context.probe(history::Probe::truncation_below_high_watermark);
  switch (reason) {
    case history::TruncationReason::divergent_epoch:
      context.probe(history::Probe::divergence_truncation);
      break;
    case history::TruncationReason::high_watermark:
      context.probe(history::Probe::high_watermark_truncation);
      break;
    case history::TruncationReason::power_failure:
      context.probe(history::Probe::power_failure_truncation);
      break;
    case history::TruncationReason::leader_log_end:
      context.probe(history::Probe::leader_log_end_truncation);
      break;
  }
}

// --- controller decisions -----------------------------------------------------------------

void Broker::on_leader_and_isr(NodeContext& context, const LeaderAndIsr& decision) {
  PartitionReplica& replica = replicas_[decision.partition];
  if (replica.has_state && (decision.leader_epoch < replica.leader_epoch ||
                            (decision.leader_epoch == replica.leader_epoch &&
                             decision.partition_epoch <= replica.partition_epoch))) {
    return;  // stale or repeated decision
  }
  const bool new_epoch = !replica.has_state || decision.leader_epoch != replica.leader_epoch;
  replica.has_state = true;
  replica.leader = decision.leader;
  replica.leader_epoch = decision.leader_epoch;
  replica.partition_epoch = decision.partition_epoch;
  replica.replicas = decision.replicas;
  const bool isr_changed = replica.isr != decision.isr;
  replica.isr = decision.isr;
  replica.alter_partition_in_flight = false;
  if (decision.leader == index_) {
    if (new_epoch) become_leader(context, decision.partition);
    // A follower taken out of the ISR asks to rejoin at its next fetch: its session looks at
    // the partition again.
    if (isr_changed) wake_sessions(context, decision.partition);
    // An ISR change may let the high watermark move or leave acks=all requests unable to complete.
    if (replica.isr.size() < min_isr(decision.partition)) {
      if (!replica.pending_produces.empty()) context.probe(history::Probe::not_enough_replicas_after_append);
      fail_pending_produces(context, decision.partition, ErrorCode::not_enough_replicas_after_append);
    }
    maybe_advance_high_watermark(context, decision.partition);
  } else if (new_epoch) {
    become_follower(context, decision.partition);
  }
}

void Broker::become_leader(NodeContext& context, PartitionId partition) {
  PartitionReplica& replica = hosted(partition);
  replica.followers.assign(brokers_, FollowerProgress{});
  const TimeNs now = context.now();
  for (FollowerProgress& progress : replica.followers) {
    progress.last_caught_up_ns = now;  // Kafka gives new followers a full lag window
    progress.last_fetch_ns = now;
  }
  replica.followers[index_.index()].log_end_offset = replica.log.log_end_offset();
  unfollow(partition);
  replica.pending_produces.clear();
  replica.pending_verifications.clear();
  wake_sessions(context, partition);
  if (partition == offsets_partition() || is_state_partition(partition)) begin_coordinator_load(context, partition);
}

Offset Broker::append_offsets_entry(NodeContext& context, LogEntry entry) {
  const PartitionId partition = offsets_partition();
  PartitionReplica& replica = hosted(partition);
  KSIM_ASSERT(replica.leader == index_, "broker {} appends an offset commit without leading the offsets partition",
              index_);
  if (replica.isr.size() < min_isr(partition)) return GroupCoordinator::kOffsetsEntryRefused;  // NOT_ENOUGH_REPLICAS
  // A transaction's offset commit is that producer's append to this partition: from an
  // epoch older than the one its markers carry, it is fenced, as the producer state of every
  // partition fences it (ProducerStateManager, Kafka 0.11+). Without this, a zombie's late
  // TxnOffsetCommit, appended after the abort marker of its transaction, waited under the
  // producer id and was committed by the next session's COMMIT marker (input skipped).
  if (entry.is_transactional() && replica.producer_states.fenced(entry.producer_id(), entry.producer_epoch())) {
    return GroupCoordinator::kOffsetsEntryFenced;
  }
  return append_as_coordinator(context, partition, entry);
}

Offset Broker::append_as_coordinator(NodeContext& context, PartitionId partition, LogEntry entry) {
  PartitionReplica& replica = hosted(partition);
  entry.leader_epoch = replica.leader_epoch;
  const Offset offset = append_entry(partition, entry);
  replica.followers[index_.index()].log_end_offset = replica.log.log_end_offset();
  maybe_advance_high_watermark(context, partition);
  wake_sessions(context, partition);
  return offset;
}

void Broker::become_follower(NodeContext& context, PartitionId partition) {
  PartitionReplica& replica = hosted(partition);
  if (partition == offsets_partition()) coordinator_.deactivate();
  if (is_state_partition(partition)) transactions_.deactivate(state_index(partition));
  fail_pending_produces(context, partition, ErrorCode::not_leader_or_follower);
  drop_verifications(context, partition);
  wake_sessions(context, partition);
  if (config_.log_truncation == LogTruncation::high_watermark) {
    // Pre-KIP-101: drop everything above the follower's own (possibly stale) high watermark.
    truncate(context, partition, replica.log.high_watermark(), history::TruncationReason::high_watermark);
  }
  follow(context, partition);
}

}  // namespace ksim::kafka
