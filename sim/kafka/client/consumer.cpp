#include "sim/kafka/client/consumer.h"

#include <algorithm>
#include <utility>

#include "sim/core/assert.h"
#include "sim/history/records.h"
#include "sim/kafka/coordinator/partition_assignor.h"

namespace ksim::kafka {

Consumer::Consumer(std::uint32_t index, NodeId node, std::uint32_t group, const ConsumerGroupConfig& config,
                   Sink& sink)
    : index_(index),
      node_(node),
      group_(group),
      config_(config),
      sink_(sink),
      metadata_([](timers::MetadataRetry retry) -> NodeTimer { return ConsumerTimer{retry}; },
                config.config.retry_backoff_ns, config.config.metadata_leader_epoch_check,
                config.config.request_timeout_ns) {}

void Consumer::start(NodeContext& context) {
  ++incarnation_;
  assigned_.clear();
  reindex_assigned();
  fetchers_.clear();
  fetch_queue_.clear();
  fetch_queued_.clear();
  offset_fetch_outbox_.clear();
  commit_outbox_.clear();
  queue_.clear();
  processing_ = false;
  metadata_.restart();
  last_auto_commit_ns_ = context.now();
  leaders_.clear();
  coordinator_ = kNoBroker;
  transaction_coordinator_.lose();
  unanswered_commits_.clear();
  rejoin_after_load_ = false;
  generation_ = kNoGeneration;
  join(context);
  context.set_timer(node_, config_.config.heartbeat_interval_ns, timers::GroupHeartbeat{});
  request_metadata(context);
  if (transactional()) init_transactions(context);
  send_fetches(context);
}

void Consumer::join(NodeContext& context) {
  in_group_ = true;
  JoinGroupRequest request{group_, generation_, {}};
  for (const AssignedPartition& assigned : assigned_) request.owned.push_back(assigned.partition);
  std::sort(request.owned.begin(), request.owned.end());
  send_to_coordinator(context, std::move(request));  // else joins once metadata names it
}

bool Consumer::send_to_coordinator(NodeContext& context, Payload payload) {
  if (coordinator_ == kNoBroker) {
    request_metadata(context);
    return false;
  }
  context.send(node_, context.broker_node(coordinator_), std::move(payload));
  return true;
}

void Consumer::lose_coordinator(NodeContext& context) {
  coordinator_ = kNoBroker;
  request_metadata(context);
}

void Consumer::on_metadata(NodeContext& context, NodeId from, const MetadataResponse& metadata) {
  metadata_.on_response(context, from, metadata);
  if (leaders_.size() < metadata.leaders.size()) leaders_.resize(metadata.leaders.size(), kNoBroker);
  metadata_.merge_leaders(metadata, leaders_, static_cast<std::uint32_t>(leaders_.size()));
  transaction_coordinator_.update(metadata);
  if (metadata.coordinator != coordinator_) {
    coordinator_ = metadata.coordinator;
    coordinator_heard_ns_ = context.now();
    if (coordinator_ != kNoBroker) {
      resend_commits(context);
      // A coordinator we have not joined yet: it knows nothing of this member.
      if (in_group_) join(context);
    }
  }
  // The offsets partition is offline: look again once retry.backoff.ms has passed.
  if (coordinator_ == kNoBroker) request_metadata(context);
  for (AssignedPartition& assigned : assigned_) advance(context, assigned);
}

void Consumer::on_group_heartbeat(NodeContext& context) {
  if (!in_group_) return;
  if (coordinator_ != kNoBroker && context.now() - coordinator_heard_ns_ > config_.config.request_timeout_ns) {
    lose_coordinator(context);  // no answer within request.timeout.ms: the coordinator is gone
    return;
  }
  send_to_coordinator(context, GroupHeartbeat{group_, generation_});
}

// A new generation: partitions no longer ours are revoked (their queued records dropped,
// nothing committed for them), new ones start from the group's committed offset. The
// eager protocol gives up every partition at each rebalance, kept ones included, and
// starts them again from their committed offsets; the cooperative one (KIP-429) gives up
// only those that move and keeps working on the rest.
void Consumer::on_assignment(NodeContext& context, const GroupAssignment& assignment) {
  if (assignment.generation <= generation_) return;
  generation_ = assignment.generation;
  const bool cooperative = is_cooperative(config_.config.partition_assignment_strategy);
  auto keep = [&](PartitionId partition) {
    return cooperative && std::find(assignment.partitions.begin(), assignment.partitions.end(), partition) !=
                              assignment.partitions.end();
  };
  bool revoked_any = false;
  for (AssignedPartition& assigned : assigned_) {
    if (!keep(assigned.partition)) {
      stop_fetching(assigned);
      context.record(history::partition_revoked({.consumer = NodeId{node_},
                                                 .group = GroupIndex{group_},
                                                 .partition = assigned.partition,
                                                 .processed_end = assigned.processed_end}));
      revoked_any = true;
    }
  }
  std::erase_if(assigned_, [&](const AssignedPartition& assigned) { return !keep(assigned.partition); });
  reindex_assigned();
  std::erase_if(queue_, [&](const RecordToProcess& pending) { return !keep(pending.partition); });
  // The poll's records left were all of revoked partitions: what it kept is processed.
  if (!poll_parts_.empty() && batches_in_processing_ == 0 &&
      config_.commit_strategy != CommitStrategy::async_processing && !transactional()) {
    end_poll(context);
  }
  // A processor's output write in progress for a revoked partition still lands, but its
  // record is no longer this member's to finish (consumer_output.cpp).
  if (output_.active && !keep(output_.input.partition)) output_.revoked = true;
  // The open transaction's input moved away: its offsets would be refused; abort it.
  const bool input_moved = std::any_of(transaction_.inputs.begin(), transaction_.inputs.end(),
                                       [&](const auto& input) { return !keep(input.first); });
  if (transactional() && transaction_.phase == TransactionPhase::open && input_moved) {
    context.probe(history::Probe::rebalance_during_transaction);
    end_transaction(context, false);
  }
  collecting_offset_fetches_ = true;  // the new partitions' offsets in one request
  for (const PartitionId partition : assignment.partitions) {
    if (find(partition) != nullptr) continue;
    append_assigned(partition);
    context.record(history::partition_assigned(
        {.consumer = NodeId{node_}, .group = GroupIndex{group_}, .partition = partition}));
    advance(context, assigned_.back());
  }
  collecting_offset_fetches_ = false;
  send_offset_fetches(context);
  poll_buffered(context);  // the batch in processing may have gone with a revoked partition
  // KIP-429: having given partitions up, the member rejoins at once, so that their new
  // owners get them in a follow-up rebalance.
  if (cooperative && revoked_any && in_group_) join(context);
}

void Consumer::crash() {
  transaction_ = ProcessorTransaction{};
  output_ = PendingOutput{};
  output_sequences_.clear();
  ++output_session_;
  assigned_.clear();
  reindex_assigned();
  fetchers_.clear();
  fetch_queue_.clear();
  fetch_queued_.clear();
  queue_.clear();
  poll_parts_.clear();
  processing_ = false;
}

void Consumer::request_metadata(NodeContext& context) { metadata_.request(context, node_, broker_load()); }

MetadataRefresh::BrokerLoad Consumer::broker_load() const {
  return [this](BrokerId broker) -> std::uint32_t {
    return broker.index() < fetchers_.size() && fetchers_[broker.index()].in_flight ? 1 : 0;
  };
}

// Moves one partition's loop forward: learn where to start, then fetch.
void Consumer::advance(NodeContext& context, AssignedPartition& assigned) {
  if (assigned.offset_fetch_in_flight || assigned.buffered) return;
  if (assigned.position < Offset{} && assigned.position != kLatestOffset) {
    stop_fetching(assigned);
    if (coordinator_ == kNoBroker) {
      request_metadata(context);  // asked for once metadata names the coordinator
      return;
    }
    assigned.offset_fetch_in_flight = true;
    assigned.offset_fetch_request = next_offset_fetch_id_;  // the id send_offset_fetches gives its request
    offset_fetch_outbox_.push_back(OffsetFetchRequest{group_, assigned.partition});
    if (!collecting_offset_fetches_) send_offset_fetches(context);
    return;
  }
  fetch_from_leader(context, assigned);
}

void Consumer::on_message(NodeContext& context, NodeId from, const Payload& payload) {
  handle_message(context, from, payload);
  send_fetches(context);
}

void Consumer::handle_message(NodeContext& context, NodeId from, const Payload& payload) {
  if (on_transaction_message(context, payload)) return;
  if (std::holds_alternative<ConnectionReset>(payload)) {
    // A fetch reached a crashed broker: its partitions need new metadata, then a retry.
    const BrokerId broker = context.broker_index(from);
    metadata_.on_disconnect(context, node_, broker, broker_load());  // a metadata request out there goes elsewhere
    if (broker == coordinator_) lose_coordinator(context);
    on_output_connection_reset(context, broker);
    if (transaction_coordinator_.known() && broker == transaction_coordinator_.broker()) {
      transaction_coordinator_.lose();
      request_metadata(context);
      if (transaction_.request_id != 0) retry_transaction_request(context);
    }
    on_fetch_reset(context, broker);
  } else if (const auto* response = std::get_if<SessionFetchResponse>(&payload)) {
    on_fetch_answer(context, from, *response);
  } else if (const auto* produced = std::get_if<ProduceResponse>(&payload)) {
    on_output_response(context, *produced);
  } else if (const auto* offsets = std::get_if<MultiOffsetFetchResponse>(&payload)) {
    on_offset_fetches(context, *offsets);
  } else if (const auto* metadata = std::get_if<MetadataResponse>(&payload)) {
    on_metadata(context, from, *metadata);
  } else if (const auto* assignment = std::get_if<GroupAssignment>(&payload)) {
    coordinator_heard_ns_ = context.now();
    on_assignment(context, *assignment);
  } else if (const auto* heartbeat = std::get_if<GroupHeartbeatResponse>(&payload)) {
    if (heartbeat->error == ErrorCode::not_coordinator) {
      lose_coordinator(context);  // joins the coordinator metadata names next
    } else if (heartbeat->error == ErrorCode::coordinator_load_in_progress) {
      // The join met a loading coordinator: "backoff and retry" the same one
      // (AbstractCoordinator.JoinGroupResponseHandler, Kafka 0.11 to 4.1).
      coordinator_heard_ns_ = context.now();
      rejoin_after_load_ = true;
      context.set_timer(node_, config_.config.retry_backoff_ns, timers::CoordinatorLoadRetry{});
    } else {
      coordinator_heard_ns_ = context.now();
      if (heartbeat->rejoin && in_group_) join(context);
    }
  } else if (const auto* committed = std::get_if<MultiOffsetCommitResponse>(&payload)) {
    on_commit_responses(context, *committed);
  }
}

void Consumer::start_processing(NodeContext& context) {
  if (processing_ || queue_.empty() || waiting_for_commit()) return;
  processing_ = true;
  context.set_timer(node_, config_.processing_time_per_record_ns, timers::RecordProcessed{});
}

void Consumer::finish_record(NodeContext& context) {
  processing_ = false;
  if (queue_.empty()) return;
  const RecordToProcess done = queue_.front();
  queue_.pop_front();
  if (processor()) {
    produce_output(context, done);  // finished once its output record is written
    return;
  }
  record_effect(context, done);
  after_record(context, done);
}

void Consumer::record_effect(NodeContext& context, const RecordToProcess& done) {
  if (transactional()) {
    // The output record joins the open transaction (its number in `epoch`): visible iff it commits.
    context.record(history::effect_in_transaction({.consumer = NodeId{node_},
                                                   .group = GroupIndex{group_},
                                                   .partition = done.partition,
                                                   .offset = done.offset,
                                                   .message_id = done.message_id,
                                                   .transaction = transaction_.number}));
  } else if (processor() || sink_.apply(done.message_id)) {
    context.record(history::effect_applied({.consumer = NodeId{node_},
                                            .group = GroupIndex{group_},
                                            .partition = done.partition,
                                            .offset = done.offset,
                                            .message_id = done.message_id}));
  } else {
    context.record(history::effect_skipped({.consumer = NodeId{node_},
                                            .group = GroupIndex{group_},
                                            .partition = done.partition,
                                            .offset = done.offset,
                                            .message_id = done.message_id}));
  }
}

// The record is processed: the partition's processed end moves, and the end of a poll's
// batch commits (or ends the transaction) and lets the application poll again.
void Consumer::after_record(NodeContext& context, const RecordToProcess& done) {
  AssignedPartition* assigned = find(done.partition);
  if (config_.commit_strategy == CommitStrategy::async_processing && queue_.size() + 1 == kMaxQueuedRecords) {
    for (AssignedPartition& waiting : assigned_) advance(context, waiting);  // room in the hand-off queue again
    poll_buffered(context);
  }
  if (assigned != nullptr) {
    // Never past the position: a rewind (KIP-320) or a reset while the record was processed
    // moved it back, and the offsets from there on are read again.
    const Offset done_end = done.last_of_batch ? done.batch_end : done.offset + 1;
    assigned->processed_end = assigned->position >= Offset{} ? std::min(done_end, assigned->position) : done_end;
    if (done.last_of_batch) {
      if (assigned->position >= done_end) assigned->processed_end = passed_over_end(*assigned, done_end);
      set_batch_in_processing(*assigned, false);
      advance(context, *assigned);
      if (batches_in_processing_ == 0) end_poll(context);  // the poll's last partition is done
    }
  }
  start_processing(context);
}

// Where the partition's handled offsets end once a batch ending at `done_end` is processed:
// the fetches made meanwhile may have passed over entries that are no records (transaction
// markers, aborted records; pass_over), up to the position (where any buffered data starts).
// Nothing passed over counts while records of the partition still wait (an asynchronous
// application's queue). Precondition: the position is not below the batch's end (no rewind).
Offset Consumer::passed_over_end(const AssignedPartition& assigned, Offset done_end) const {
  KSIM_ASSERT(!assigned.buffered || assigned.buffered->fetch_offset == assigned.position,
              "consumer {}: partition {} has data buffered from {}, not from its position {}", node_,
              assigned.partition, assigned.buffered->fetch_offset.value(), assigned.position.value());
  return has_queued_records(assigned.partition) ? done_end : assigned.position;
}

// Records of the partition handed to the application and not yet processed.
bool Consumer::has_queued_records(PartitionId partition) const {
  return std::any_of(queue_.begin(), queue_.end(),
                     [&](const RecordToProcess& r) { return r.partition == partition; });
}

// Every record of the poll is processed (an asynchronous application: handed over): the
// application commits the poll's positions or ends its transaction, and polls again.
void Consumer::end_poll(NodeContext& context) {
  if (!in_group_) join(context);  // the next poll() rejoins after leaving the group
  if (config_.commit_strategy == CommitStrategy::after_processing) {
    commit_polled(context);
  } else if (transactional()) {
    on_transactional_batch_done(context);
  }
  poll_parts_.clear();
  maybe_auto_commit(context);  // the application's next poll() commits first
  poll_buffered(context);
}

void Consumer::on_timer(NodeContext& context, const ConsumerTimer& timer) {
  handle_timer(context, timer);
  send_fetches(context);
}

void Consumer::handle_timer(NodeContext& context, const ConsumerTimer& timer) {
  std::visit(Overloaded{
                 [&](const timers::RecordProcessed&) { finish_record(context); },
                 [&](const timers::FetchTimeout& timeout) { on_fetch_timeout(context, timeout); },
                 [&](const timers::FetchRetry& retry) { on_fetch_retry(context, retry.partition); },
                 [&](const timers::MetadataRetry& retry) { metadata_.on_timer(context, node_, retry, broker_load()); },
                 [&](const timers::GroupHeartbeat&) {
                   on_group_heartbeat(context);
                   context.set_timer(node_, config_.config.heartbeat_interval_ns, timers::GroupHeartbeat{});
                 },
                 [&](const timers::PollDeadline& deadline) { on_poll_deadline(context, deadline.poll); },
                 [&](const timers::TransactionRetry& retry) {
                   // The coordinator's answer is overdue: send the same request again.
                   if (retry.request_id == transaction_.request_id && transaction_.request_id != 0) {
                     request_metadata(context);  // the transaction coordinator may have moved
                     send_transaction_request(context, transaction_.request);
                   }
                 },
                 [&](const timers::OutputRetry& retry) { on_output_timer(context, retry); },
                 [&](const timers::CoordinatorLoadRetry&) {
                   if (std::exchange(rejoin_after_load_, false) && in_group_) join(context);
                   resend_commits(context);
                   if (std::exchange(offset_fetches_after_load_, false)) {
                     ask_offsets_again(context, [](const AssignedPartition& assigned) {
                       return !assigned.offset_fetch_in_flight && assigned.position < Offset{} &&
                              assigned.position != kLatestOffset;
                     });
                   }
                 },
                 [&](const timers::OffsetFetchTimeout& timeout) { retry_offset_fetches(context, timeout.request_id); },
                 [&](const timers::CommitTimeout&) {
                   // No answer within request.timeout.ms: the commit or its answer was lost
                   // (send_commits, after this handler, sends them again with a new timer).
                   if (!unanswered_commits_.empty()) resend_commits(context);
                 },
             },
             timer);
}

void Consumer::on_fetch_retry(NodeContext& context, PartitionId partition) {
  AssignedPartition* assigned = find(partition);
  if (assigned == nullptr) return;
  if (partition.index() >= leaders_.size() || leaders_[partition.index()] == kNoBroker) {
    request_metadata(context);
  } else {
    advance(context, *assigned);
  }
}

void Consumer::on_poll_deadline(NodeContext& context, std::uint64_t poll) {
  // Still processing the batch of that poll: the consumer leaves its group (KIP-62);
  // it joins again when the application polls next.
  const bool still_processing = poll == batches_polled_ && batches_in_processing_ > 0;
  if (still_processing && in_group_) {
    in_group_ = false;
    send_to_coordinator(context, LeaveGroupRequest{group_});
  }
}

}  // namespace ksim::kafka
