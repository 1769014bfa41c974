// The broker's fetch path: answering fetches as a leader (followers and consumers, with
// KIP-320 divergence checks, long polls and whole record batches), and fetching as a
// follower (truncating where the leader's log diverges).
#include <algorithm>

#include "sim/history/records.h"
#include "sim/kafka/broker/broker.h"

namespace ksim::kafka {

namespace {

// Where a fetch from `from` ends: Kafka returns whole record batches, and at least the batch
// at the fetch offset even when it alone is over the size limit, so that a fetch always makes
// progress (KIP-74, Kafka 0.10.1; the replica.fetch.max.bytes and max.partition.fetch.bytes
// docs). `max_records` stands in for those byte limits. A follower therefore never holds part
// of a batch: its idempotence cache, rebuilt from whole batches, stays true (issue 11, bug 2).
Offset whole_batches_end(const ReplicaLog& log, Offset from, Offset limit, std::int64_t max_records) {
  Offset end = from;
  while (end < limit) {
    const Offset next = std::min(limit, end + log.at(end).entries_to_batch_end());
    if (end > from && next - from > max_records) break;
    end = next;
  }
  return end;
}

}  // namespace

FetchResponse Broker::build_fetch_response(const PartitionReplica& replica, PartitionId partition,
                                           const FetchRequest& request) const {
  FetchResponse response;
  response.partition = partition;
  response.leader_epoch = replica.leader_epoch;
  response.high_watermark = replica.log.high_watermark();
  response.fetch_offset = request.fetch_offset;
  // Followers read up to the log end; consumers only below the high watermark, and
  // read_committed ones only below the last stable offset.
  Offset limit = request.from_follower ? replica.log.log_end_offset() : replica.log.high_watermark();
  if (request.read_committed) limit = replica.transactions.last_stable_offset(limit);
  const Offset end = whole_batches_end(replica.log, request.fetch_offset, limit, request.max_records);
  for (Offset offset = request.fetch_offset; offset < end; ++offset) response.entries.push_back(replica.log.at(offset));
  if (request.read_committed && end > request.fetch_offset && !replica.transactions.empty()) {
    response.aborted = replica.transactions.aborted_between(request.fetch_offset, end);
  }
  return response;
}

// KIP-101 as first shipped (OffsetsForLeaderEpoch v0, Kafka 0.11 to 1.1; later lines with an
// inter.broker.protocol.version before 2.0): the leader answers the end offset of the
// follower's last epoch in its own log, that is the start offset of the first later epoch it
// has (its log end when none), and no epoch. The follower truncates to that offset only when
// it is below its own log end (on_fetch_response). When the leader never had the follower's
// epoch, that offset can lie above where the two logs part: after two quick leader changes
// the follower keeps records of its epoch at offsets where the leader holds others
// (KIP-279's scenario, KAFKA-6361, fixed in 2.0 by answering with the epoch found). Kafka asks
// once on becoming a follower; here every fetch carries the question and gets the same
// answer until the logs agree, then the fetch goes on as usual.
Broker::FetchAnswer Broker::kip101_epoch_answer(NodeContext& context, NodeId from, const FetchRequest& request,
                                                const FetchResponse& error_response, bool arrival) {
  PartitionReplica& replica = hosted(request.partition);
  const Offset end = replica.log.end_offset_for_epoch(request.last_fetched_epoch).end_offset;
  if (end < request.fetch_offset) {
    FetchResponse diverged = error_response;
    diverged.leader_epoch = replica.leader_epoch;
    diverged.high_watermark = replica.log.high_watermark();
    diverged.diverging_epoch = kNoLeaderEpoch;  // v0 carries no epoch
    diverged.diverging_end_offset = end;
    return {diverged, false};
  }
  FetchRequest plain = request;
  plain.last_fetched_epoch = kNoLeaderEpoch;
  return answer_fetch(context, from, plain, arrival);
}

Broker::FetchAnswer Broker::answer_fetch(NodeContext& context, NodeId from, const FetchRequest& request, bool arrival) {
  static const PartitionReplica not_hosted;
  PartitionReplica* found = find_replica(request.partition);
  const PartitionReplica& known = found != nullptr ? *found : not_hosted;
  FetchResponse error_response;
  error_response.partition = request.partition;
  error_response.fetch_offset = request.fetch_offset;
  if (!known.has_state || known.leader != index_ ||
      (request.current_leader_epoch >= LeaderEpoch{} && request.current_leader_epoch != known.leader_epoch)) {
    error_response.error = ErrorCode::not_leader_or_follower;
    error_response.leader_epoch = known.leader_epoch;
    name_current_leader(error_response, known);
    return {error_response, false};
  }
  PartitionReplica& replica = *found;
  if (request.last_fetched_epoch >= LeaderEpoch{} && request.from_follower &&
      config_.log_truncation == LogTruncation::leader_epoch_kip101) {
    return kip101_epoch_answer(context, from, request, error_response, arrival);
  }
  if (request.last_fetched_epoch >= LeaderEpoch{}) {
    // KIP-320/595: does the follower's (or consumer's, KIP-320) view of the log agree with
    // ours up to its fetch offset?
    const EpochEndOffset ours = replica.log.end_offset_for_epoch(request.last_fetched_epoch);
    if (ours.epoch != request.last_fetched_epoch || ours.end_offset < request.fetch_offset) {
      FetchResponse diverged = error_response;
      diverged.leader_epoch = replica.leader_epoch;
      diverged.high_watermark = replica.log.high_watermark();
      diverged.diverging_epoch = ours.epoch;
      diverged.diverging_end_offset = std::min(ours.end_offset, request.fetch_offset);
      return {diverged, false};
    }
  }
  if (request.fetch_offset == kLatestOffset) {
    // A consumer with auto.offset.reset=latest asks where the log ends (ListOffsets).
    FetchResponse latest = error_response;
    latest.leader_epoch = replica.leader_epoch;
    latest.high_watermark = replica.log.high_watermark();
    latest.fetch_offset = replica.log.high_watermark();
    return {latest, false};
  }
  if (request.fetch_offset < Offset{} || request.fetch_offset > replica.log.log_end_offset()) {
    // OFFSET_OUT_OF_RANGE. A follower asks for the leader's log end (leader_log_end_offset);
    // a consumer applies its auto.offset.reset.
    const bool past_end = request.fetch_offset > replica.log.log_end_offset();
    error_response.error =
        past_end && !request.from_follower ? ErrorCode::offset_out_of_range : ErrorCode::not_leader_or_follower;
    error_response.leader_epoch = replica.leader_epoch;
    if (request.from_follower) error_response.leader_log_end_offset = replica.log.log_end_offset();
    return {error_response, false};
  }
  if (request.from_follower && arrival) on_follower_fetch(context, context.broker_index(from), request);
  FetchResponse response = build_fetch_response(replica, request.partition, request);
  const bool can_wait = response.entries.empty();
  return {std::move(response), can_wait};
}

// What a follower's fetch tells its leader: how far the follower's log reaches, whether it
// has caught up (replica.lag.time.max.ms counts from its last catch-up), and whether it may
// rejoin the ISR.
void Broker::on_follower_fetch(NodeContext& context, BrokerId follower, const FetchRequest& request) {
  PartitionReplica& replica = hosted(request.partition);
  FollowerProgress& progress = replica.followers[follower.index()];
  const TimeNs now = context.now();
  if (request.fetch_offset >= replica.log.log_end_offset()) {
    progress.last_caught_up_ns = now;
  } else if (request.fetch_offset >= progress.leader_end_at_last_fetch) {
    progress.last_caught_up_ns = progress.last_fetch_ns;
  }
  progress.leader_end_at_last_fetch = replica.log.log_end_offset();
  progress.last_fetch_ns = now;
  progress.log_end_offset = request.fetch_offset;
  // Kafka's rule for rejoining: caught up to the high watermark and to the start of the
  // current leader epoch (a replica that lost data must fully catch up first).
  const Offset epoch_start = replica.log.end_offset_for_epoch(replica.leader_epoch - 1).end_offset;
  if (!in_isr(replica, follower) && request.fetch_offset >= replica.log.high_watermark() &&
      request.fetch_offset >= epoch_start) {
    std::vector<BrokerId> expanded = replica.isr;
    expanded.push_back(follower);
    std::sort(expanded.begin(), expanded.end());
    request_isr_change(context, request.partition, std::move(expanded));
  }
  maybe_advance_high_watermark(context, request.partition);
}

void Broker::on_fetch_response(NodeContext& context, BrokerId leader, const FetchResponse& response) {
  PartitionReplica* found = find_replica(response.partition);
  if (found == nullptr) return;  // not hosted: no fetch of ours was in flight
  PartitionReplica& replica = *found;
  SessionFetcher& fetcher = fetchers_[leader.index()];
  FetcherPartition* fetched = fetcher.partitions.find(response.partition);
  // Not fetched from this leader any more, or its position moved since it was listed (a new
  // leader epoch, a truncation): the answer is to an outdated question.
  if (fetched == nullptr || fetched->changed || replica.fetching_from != leader || replica.leader == index_) return;
  if (response.leader_log_end_offset >= Offset{} && response.leader_log_end_offset < replica.log.log_end_offset()) {
    // OFFSET_OUT_OF_RANGE above the leader's log end: the leader's log is shorter than ours
    // (it lost its unflushed tail and stayed leader, or a reset). Kafka's follower asks for
    // the leader's log end and truncates to it (ReplicaFetcherThread.handleOffsetOutOfRange,
    // 0.8 to 2.x); before this the follower retried the same offset forever and never
    // rejoined the ISR (issue 14: 0.10.2 drains that never completed).
    truncate(context, response.partition, response.leader_log_end_offset, history::TruncationReason::leader_log_end);
    fetcher.mark_changed(response.partition);
    return;
  }
  if (response.error != ErrorCode::none) {
    // The partition leaves the fetcher for replica.fetch.backoff.ms
    // (AbstractFetcherThread.delayPartitions).
    unfollow(response.partition);
    context.set_timer(node_, config_.replica_fetch_backoff_ns,
                      timers::FollowerFetchRetry{response.partition});
    return;
  }
  if (response.diverging_end_offset >= Offset{}) {
    // KIP-279: with the leader's epoch, the smaller end of that epoch in both logs; without
    // it (KIP-101's v0 answer, diverging_epoch -1), the leader's offset as it is.
    const EpochEndOffset ours = replica.log.end_offset_for_epoch(response.diverging_epoch);
    const bool refine = response.diverging_epoch >= LeaderEpoch{} && ours.epoch == response.diverging_epoch;
    const Offset target = std::min(response.diverging_end_offset, refine ? ours.end_offset : response.diverging_end_offset);
    truncate(context, response.partition, target, history::TruncationReason::divergent_epoch);
    fetcher.mark_changed(response.partition);
    return;
  }
  if (response.fetch_offset != replica.log.log_end_offset()) {
    fetcher.mark_changed(response.partition);  // stale answer (log changed meanwhile)
    return;
  }
  for (const LogEntry& entry : response.entries) append_entry(response.partition, entry);
  if (recorded(response.partition)) {
    context.record_follower_appends(node_, response.partition, response.fetch_offset, response.entries, replica.leader,
                                    response.leader_epoch);
  }
  const Offset previous_high_watermark = replica.log.high_watermark();
  replica.log.set_high_watermark(
      std::max(replica.log.high_watermark(), std::min(response.high_watermark, replica.log.log_end_offset())));
  if (recorded(response.partition) && replica.log.high_watermark() != previous_high_watermark) {
    // The follower's own HW, for the checker's replica-consistency invariant (e).
    context.record(
        history::follower_high_watermark({.broker = NodeId{node_},
                                          .partition = response.partition,
                                          .high_watermark = replica.log.high_watermark(),
                                          .leader_epoch = replica.leader_epoch}));
  }
  if (!response.entries.empty()) fetcher.mark_changed(response.partition);
}

}  // namespace ksim::kafka
