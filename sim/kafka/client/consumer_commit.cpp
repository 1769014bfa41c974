// Committed offsets: writing them (commit, auto-commit, resending unanswered ones after a
// coordinator change), their answers, and reading them back when a partition is assigned.
#include <algorithm>

#include "sim/history/records.h"
#include "sim/kafka/client/consumer.h"

namespace ksim::kafka {

void Consumer::resend_commits(NodeContext& context) {
  for (const auto& [partition, position] : unanswered_commits_) {
    commit_outbox_.push_back(OffsetCommitRequest{group_, partition, position.offset, 0, generation_, position.leader_epoch});
  }
  send_commits(context);
}

// The queued commits go in one request (OffsetCommitRequest lists partitions); without a
// known coordinator they stay unanswered, sent again to the next one.
void Consumer::send_commits(NodeContext& context) {
  if (commit_outbox_.empty()) return;
  MultiOffsetCommitRequest request{next_request_id_++, std::move(commit_outbox_)};
  commit_outbox_.clear();
  for (OffsetCommitRequest& part : request.partitions) part.request_id = request.request_id;
  if (!send_to_coordinator(context, std::move(request))) return;
  context.set_timer(node_, config_.config.request_timeout_ns, timers::CommitTimeout{});
}

void Consumer::on_commit_responses(NodeContext& context, const MultiOffsetCommitResponse& response) {
  bool lost = false;
  bool loading = false;
  for (const OffsetCommitResponse& part : response.partitions) {
    lost = lost || part.error == ErrorCode::not_coordinator;
    loading = loading || part.error == ErrorCode::coordinator_load_in_progress;
    on_commit_response(context, part);
  }
  if (lost) lose_coordinator(context);
  // Retriable, "just retry" (ConsumerCoordinator.OffsetCommitResponseHandler, 0.11 to 4.1):
  // the commits stay unanswered and go to the same coordinator after retry.backoff.ms.
  if (loading) context.set_timer(node_, config_.config.retry_backoff_ns, timers::CoordinatorLoadRetry{});
  start_processing(context);
}

void Consumer::send_offset_fetches(NodeContext& context) {
  if (offset_fetch_outbox_.empty()) return;
  MultiOffsetFetchRequest request{next_offset_fetch_id_++, std::move(offset_fetch_outbox_)};
  offset_fetch_outbox_.clear();
  if (coordinator_ == kNoBroker) {  // lost since the partitions were collected: as if never asked
    for (const OffsetFetchRequest& fetch : request.partitions) {
      if (AssignedPartition* assigned = find(fetch.partition)) assigned->offset_fetch_in_flight = false;
    }
    request_metadata(context);
    return;
  }
  const std::uint64_t request_id = request.request_id;
  send_to_coordinator(context, std::move(request));
  context.set_timer(node_, config_.config.request_timeout_ns, timers::OffsetFetchTimeout{request_id});
}

void Consumer::ask_offsets_again(NodeContext& context, const std::function<bool(const AssignedPartition&)>& which) {
  collecting_offset_fetches_ = true;
  for (AssignedPartition& assigned : assigned_) {
    if (!which(assigned)) continue;
    assigned.offset_fetch_in_flight = false;
    advance(context, assigned);
  }
  collecting_offset_fetches_ = false;
  send_offset_fetches(context);
}

void Consumer::retry_offset_fetches(NodeContext& context, std::uint64_t request_id) {
  ask_offsets_again(context, [&](const AssignedPartition& assigned) {
    return assigned.offset_fetch_in_flight && assigned.offset_fetch_request == request_id;
  });
}

void Consumer::on_offset_fetches(NodeContext& context, const MultiOffsetFetchResponse& response) {
  if (response.error != ErrorCode::none) {
    for (AssignedPartition& assigned : assigned_) {
      if (assigned.offset_fetch_request == response.request_id) assigned.offset_fetch_in_flight = false;
    }
    if (response.error == ErrorCode::not_coordinator) {
      lose_coordinator(context);  // asked again once metadata names the coordinator
    } else {
      // COORDINATOR_LOAD_IN_PROGRESS: "just retry" (ConsumerCoordinator.OffsetFetchResponseHandler,
      // 0.11 to 4.1).
      offset_fetches_after_load_ = true;
      context.set_timer(node_, config_.config.retry_backoff_ns, timers::CoordinatorLoadRetry{});
    }
    return;
  }
  for (const OffsetFetchResponse& part : response.partitions) {
    const AssignedPartition* assigned = find(part.partition);
    if (assigned != nullptr && assigned->offset_fetch_request == response.request_id) on_offset_fetch(context, part);
  }
}

void Consumer::on_offset_fetch(NodeContext& context, const OffsetFetchResponse& response) {
  AssignedPartition* assigned = find(response.partition);
  if (assigned == nullptr || !assigned->offset_fetch_in_flight) return;
  assigned->offset_fetch_in_flight = false;
  coordinator_heard_ns_ = context.now();
  if (response.unstable) {
    // An open transaction holds offsets for this partition: its outcome decides where to start.
    context.set_timer(node_, config_.config.retry_backoff_ns, timers::FetchRetry{response.partition});
    return;
  }
  if (response.offset < Offset{}) {
    // NoOffsetForPartitionException with auto.offset.reset=none: the application stops
    // reading this partition.
    if (reset_position(*assigned)) advance(context, *assigned);
    return;
  }
  assigned->position = response.offset;
  assigned->processed_end = assigned->position;
  // KIP-320: the epoch committed with the offset goes with the first fetch, which the leader
  // checks against its log (as OffsetsForLeaderEpoch would): a truncation below the committed
  // offset sends the consumer back to the divergence point. The Java consumer validates a
  // resumed position so since Kafka 2.3 (KAFKA-7440, KAFKA-7747); an older one (detection
  // off) and -1 (nothing committed with an epoch) check nothing.
  assigned->last_fetched_epoch = config_.config.truncation_detection ? response.leader_epoch : kNoLeaderEpoch;
  advance(context, *assigned);
}

// auto.offset.reset: where a partition without a usable position starts (no committed
// offset, or OFFSET_OUT_OF_RANGE). False with `none`: the application gets the exception
// and stops reading the partition.
bool Consumer::reset_position(AssignedPartition& assigned) const {
  switch (config_.config.auto_offset_reset) {
    case OffsetReset::earliest:
      assigned.position = Offset{};
      break;
    case OffsetReset::latest:
      assigned.position = kLatestOffset;
      break;
    case OffsetReset::none:
      return false;
  }
  assigned.processed_end = assigned.position;
  assigned.last_fetched_epoch = kNoLeaderEpoch;
  return true;
}

void Consumer::maybe_auto_commit(NodeContext& context) {
  if (config_.commit_strategy != CommitStrategy::auto_commit &&
      config_.commit_strategy != CommitStrategy::async_processing) {
    return;
  }
  // Only from within poll(): not while the application processes what it polled.
  if (poll_in_progress()) return;
  if (context.now() - last_auto_commit_ns_ < config_.config.auto_commit_interval_ns) return;
  last_auto_commit_ns_ = context.now();
  // poll() commits every partition's position, past the records earlier polls returned
  // (ConsumerCoordinator.maybeAutoCommitOffsetsAsync with subscriptions.allConsumed(), all
  // versions), all in one request.
  collecting_commits_ = true;
  for (const AssignedPartition& assigned : assigned_) {
    if (assigned.position >= Offset{}) {
      commit(context, assigned.partition, CommittedPosition{assigned.position, assigned.last_fetched_epoch});
    }
  }
  collecting_commits_ = false;
  send_commits(context);
}

void Consumer::commit(NodeContext& context, PartitionId partition, CommittedPosition position) {
  unanswered_commits_[partition] = position;
  commit_outbox_.push_back(OffsetCommitRequest{group_, partition, position.offset, 0, generation_, position.leader_epoch});
  if (!collecting_commits_) send_commits(context);
  context.record(history::offset_committed({.consumer = NodeId{node_},
                                            .group = GroupIndex{group_},
                                            .partition = partition,
                                            .offset = position.offset,
                                            .stage = history::CommitStage::sent}));
}

void Consumer::on_commit_response(NodeContext& context, const OffsetCommitResponse& response) {
  // Recorded when sent (the application's intent) and again when the coordinator has it
  // replicated; a refused commit (an older generation, no coordinator) leaves its records
  // to be delivered again.
  const auto unanswered = unanswered_commits_.find(response.partition);
  const bool latest = unanswered != unanswered_commits_.end() && unanswered->second.offset == response.offset;
  if (response.error == ErrorCode::none) {
    coordinator_heard_ns_ = context.now();
    context.record(history::offset_committed({.consumer = NodeId{node_},
                                              .group = GroupIndex{group_},
                                              .partition = response.partition,
                                              .offset = response.offset,
                                              .stage = history::CommitStage::acknowledged}));
    if (latest) unanswered_commits_.erase(unanswered);
  } else if (response.error == ErrorCode::illegal_generation && latest) {
    unanswered_commits_.erase(unanswered);  // CommitFailedException: its records go to the new owner
  }
}

}  // namespace ksim::kafka
