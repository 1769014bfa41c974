// The leader's side of replication's fetch sessions (KIP-227, Kafka 1.1; FetchSession.scala,
// ReplicaManager.fetchMessages, DelayedFetch). A follower's fetch covers every partition it
// follows here. Each partition is answered as a single fetch of it would be
// (answer_fetch); the answer lists only the partitions with something new, and a fetch
// with no records, error or divergence for any partition waits up to
// replica.fetch.wait.max.ms for one (a partition that gains records, or stops being led
// here, ends the wait: DelayedFetch.tryComplete).
//
// What is modelled beyond Kafka's observable behaviour, for speed only: a partition whose
// follower is caught up, in the ISR and told the high watermark is "quiet" and skipped at
// each fetch until it changes; Kafka reads it and finds nothing. Its follower's caught-up
// time (replica.lag.time.max.ms) is the session's last fetch, as Kafka's would be.
#include <algorithm>

#include "sim/core/assert.h"
#include "sim/kafka/broker/broker.h"

namespace ksim::kafka {

TimeNs Broker::last_caught_up_ns(const FollowerProgress& progress, BrokerId follower) const {
  return progress.caught_up_in_session ? sessions_[follower.index()].last_fetch_ns : progress.last_caught_up_ns;
}

// A quiet partition is looked at again from the next fetch on; its follower's progress,
// kept as the session's until now, becomes its own.
void Broker::wake_partition(LeaderFetchSession& session, BrokerId follower, SessionPartition& cached) {
  if (!cached.quiet) return;
  cached.quiet = false;
  session.unquiet.push_back(cached.partition);
  PartitionReplica* replica = find_replica(cached.partition);
  if (replica == nullptr || follower.index() >= replica->followers.size()) return;
  FollowerProgress& progress = replica->followers[follower.index()];
  if (!progress.caught_up_in_session) return;
  progress.caught_up_in_session = false;
  progress.last_caught_up_ns = session.last_fetch_ns;
  progress.last_fetch_ns = session.last_fetch_ns;
}

void Broker::close_session(BrokerId follower) {
  LeaderFetchSession& session = sessions_[follower.index()];
  for (SessionPartition& cached : session.partitions.items()) wake_partition(session, follower, cached);
  session = LeaderFetchSession{};
}

void Broker::wake_sessions(NodeContext& context, PartitionId partition) {
  PartitionReplica* replica = find_replica(partition);
  if (replica == nullptr) return;
  for (const BrokerId follower : replica->replicas) {
    if (follower == index_ || follower.index() >= sessions_.size()) continue;
    LeaderFetchSession& session = sessions_[follower.index()];
    SessionPartition* cached = session.partitions.find(partition);
    if (cached == nullptr) continue;
    wake_partition(session, follower, *cached);
    if (!session.parked) continue;
    // News for the waiting fetch: records past its offset, or an error (not led here, or at
    // another epoch, or a fetch offset past the log end).
    const FetchPosition& position = cached->position;
    const bool news = !replica->has_state || replica->leader != index_ ||
                      position.fetch_offset != replica->log.log_end_offset() ||
                      (position.current_leader_epoch >= LeaderEpoch{} &&
                       position.current_leader_epoch != replica->leader_epoch);
    if (news) complete_session(context, follower);
  }
}

bool Broker::quiet_after(const PartitionReplica& replica, BrokerId follower, const SessionPartition& cached,
                         const FetchAnswer& answer) const {
  return answer.can_wait && answer.response.high_watermark == cached.high_watermark_sent && replica.has_state &&
         replica.leader == index_ && in_isr(replica, follower) &&
         cached.position.fetch_offset == replica.log.log_end_offset() && !replica.alter_partition_in_flight;
}

// Every partition of the session not quiet, answered in partition order; `news` is set when
// one has records, an error or a divergence. At the fetch's arrival its follower's progress
// counts, and a partition found quiet leaves the list.
ReplicaFetchResponse Broker::evaluate_session(NodeContext& context, BrokerId follower, bool arrival, bool& news) {
  LeaderFetchSession& session = sessions_[follower.index()];
  ReplicaFetchResponse response;
  response.request_id = session.request_id;
  std::vector<PartitionId> todo;
  todo.swap(session.unquiet);
  std::sort(todo.begin(), todo.end());
  todo.erase(std::unique(todo.begin(), todo.end()), todo.end());
  for (const PartitionId partition : todo) {
    SessionPartition* cached = session.partitions.find(partition);
    if (cached == nullptr || cached->quiet) continue;  // forgotten, or listed twice
    FetchRequest request;
    request.partition = partition;
    request.from_follower = true;
    request.fetch_offset = cached->position.fetch_offset;
    request.current_leader_epoch = cached->position.current_leader_epoch;
    request.last_fetched_epoch = cached->position.last_fetched_epoch;
    request.max_records = session.max_records;
    FetchAnswer answer = answer_fetch(context, session.requester, request, arrival);
    news = news || !answer.can_wait;
    PartitionReplica* replica = find_replica(partition);
    if (arrival && replica != nullptr && quiet_after(*replica, follower, *cached, answer)) {
      cached->quiet = true;
      replica->followers[follower.index()].caught_up_in_session = true;
    } else {
      session.unquiet.push_back(partition);
    }
    if (!answer.can_wait || answer.response.high_watermark != cached->high_watermark_sent) {
      response.partitions.push_back(std::move(answer.response));
    }
  }
  return response;
}

void Broker::send_session_answer(NodeContext& context, BrokerId follower, ReplicaFetchResponse response) {
  LeaderFetchSession& session = sessions_[follower.index()];
  for (const FetchResponse& part : response.partitions) {
    SessionPartition* cached = session.partitions.find(part.partition);
    if (cached != nullptr && part.error == ErrorCode::none) cached->high_watermark_sent = part.high_watermark;
  }
  context.send(node_, session.requester, std::move(response));
}

void Broker::complete_session(NodeContext& context, BrokerId follower) {
  LeaderFetchSession& session = sessions_[follower.index()];
  if (!session.parked) return;
  session.parked = false;
  bool news = false;
  send_session_answer(context, follower, evaluate_session(context, follower, false, news));
}

void Broker::on_replica_fetch(NodeContext& context, NodeId from, const ReplicaFetchRequest& request) {
  const BrokerId follower = context.broker_index(from);
  KSIM_ASSERT(follower.index() < sessions_.size(), "broker {} got a replica fetch from node {}, not a broker", index_,
              from);
  if (request.session_epoch == 0) {
    close_session(follower);
    sessions_[follower.index()].id = request.session_id;
  }
  LeaderFetchSession& session = sessions_[follower.index()];
  if (session.id != request.session_id || session.next_epoch != request.session_epoch) {
    context.send(node_, from, ReplicaFetchResponse{.request_id = request.request_id, .session_error = true, .partitions = {}});
    return;
  }
  session.next_epoch = request.session_epoch + 1;
  session.parked = false;  // a fetch the follower gave up on
  for (const PartitionId partition : request.forgotten) {
    SessionPartition* cached = session.partitions.find(partition);
    if (cached != nullptr) wake_partition(session, follower, *cached);
    session.partitions.erase(partition);
  }
  for (const FetchPosition& position : request.partitions) {
    SessionPartition* cached = session.partitions.find(position.partition);
    if (cached == nullptr) {
      cached = &session.partitions.upsert(position.partition);
      session.unquiet.push_back(position.partition);
    }
    wake_partition(session, follower, *cached);
    cached->position = position;
  }
  session.last_fetch_ns = context.now();
  session.requester = from;
  session.request_id = request.request_id;
  session.max_records = request.max_records;
  bool news = false;
  ReplicaFetchResponse response = evaluate_session(context, follower, true, news);
  if (news) {
    send_session_answer(context, follower, std::move(response));
    return;
  }
  session.parked = true;
  context.set_timer(node_, request.max_wait_ns, timers::SessionFetchExpiry{follower, request.request_id});
}

}  // namespace ksim::kafka
