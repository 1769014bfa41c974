// The leader's side of fetch sessions (KIP-227, Kafka 1.1; FetchSession.scala,
// ReplicaManager.fetchMessages, DelayedFetch). A follower's fetch covers every partition it
// follows here, a consumer's every partition it reads here. Each partition is answered as a
// single fetch of it would be (answer_fetch); the answer lists only the partitions with
// something new, and a fetch with no records, error or divergence for any partition waits
// up to replica.fetch.wait.max.ms (a consumer's fetch.max.wait.ms) for one: a partition
// that gains records (a consumer's: below the high watermark, or the last stable offset),
// or stops being led here, ends the wait (DelayedFetch.tryComplete; fetch.min.bytes=1).
//
// What is modelled beyond Kafka's observable behaviour, for speed only: a partition with
// nothing to do is "quiet" and skipped at each fetch until it changes; Kafka reads it and
// finds nothing. A follower's is caught up, in the ISR and told the high watermark, and its
// caught-up time (replica.lag.time.max.ms) is the session's last fetch, as Kafka's would
// be. A consumer's had nothing to read, or was answered (the consumer lists it again when
// it reads on, or forgets it).
#include <algorithm>

#include "sim/core/assert.h"
#include "sim/kafka/broker/broker.h"

namespace ksim::kafka {

TimeNs Broker::last_caught_up_ns(const FollowerProgress& progress, BrokerId follower) const {
  return progress.caught_up_in_session ? sessions_[follower.index()].last_fetch_ns : progress.last_caught_up_ns;
}

LeaderFetchSession* Broker::find_consumer_session(NodeId consumer) {
  const auto found = consumer_sessions_.find(consumer);
  return found == consumer_sessions_.end() ? nullptr : &found->second;
}

void Broker::reset_sessions() {
  sessions_.assign(brokers_, LeaderFetchSession{});
  for (std::uint32_t b = 0; b < brokers_; ++b) sessions_[b].follower = BrokerId{b};
  consumer_sessions_.clear();
}

// A quiet partition is looked at again from the next fetch on; a follower's progress, kept
// as the session's until now, becomes its own.
void Broker::wake_partition(LeaderFetchSession& session, SessionPartition& cached) {
  if (!cached.quiet) return;
  cached.quiet = false;
  session.unquiet.push_back(cached.partition);
  if (session.follower == kNoBroker) return;
  PartitionReplica* replica = find_replica(cached.partition);
  if (replica == nullptr || session.follower.index() >= replica->followers.size()) return;
  FollowerProgress& progress = replica->followers[session.follower.index()];
  if (!progress.caught_up_in_session) return;
  progress.caught_up_in_session = false;
  progress.last_caught_up_ns = session.last_fetch_ns;
  progress.last_fetch_ns = session.last_fetch_ns;
}

// A consumer's session holding `partition` is listed by the partition's replica, so that
// news for the partition finds it.
void Broker::index_consumer_session(NodeId consumer, PartitionId partition, bool holds) {
  PartitionReplica* replica = find_replica(partition);
  if (replica == nullptr) return;
  std::vector<NodeId>& sessions = replica->consumer_sessions;
  const auto at = std::lower_bound(sessions.begin(), sessions.end(), consumer);
  const bool present = at != sessions.end() && *at == consumer;
  if (holds && !present) sessions.insert(at, consumer);
  if (!holds && present) sessions.erase(at);
}

void Broker::forget_partition(LeaderFetchSession& session, NodeId requester, PartitionId partition) {
  SessionPartition* cached = session.partitions.find(partition);
  if (cached == nullptr) return;
  wake_partition(session, *cached);
  session.partitions.erase(partition);
  if (session.follower == kNoBroker) index_consumer_session(requester, partition, false);
}

void Broker::close_session(LeaderFetchSession& session, NodeId requester) {
  for (SessionPartition& cached : session.partitions.items()) {
    wake_partition(session, cached);
    if (session.follower == kNoBroker) index_consumer_session(requester, cached.partition, false);
  }
  const BrokerId follower = session.follower;
  const DeadlineTimer expiry = session.expiry;  // its timer may be pending
  session = LeaderFetchSession{};
  session.follower = follower;
  session.expiry = expiry;
}

// Records past a waiting follower's offset, or an error (not led here, or at another epoch,
// or a fetch offset past the log end).
bool Broker::follower_news(const PartitionReplica& replica, const FetchPosition& position) const {
  return !replica.has_state || replica.leader != index_ || position.fetch_offset != replica.log.log_end_offset() ||
         (position.current_leader_epoch >= LeaderEpoch{} && position.current_leader_epoch != replica.leader_epoch);
}

void Broker::wake_sessions(NodeContext& context, PartitionId partition) {
  PartitionReplica* replica = find_replica(partition);
  if (replica == nullptr) return;
  for (const BrokerId follower : replica->replicas) {
    if (follower == index_ || follower.index() >= sessions_.size()) continue;
    LeaderFetchSession& session = sessions_[follower.index()];
    SessionPartition* cached = session.partitions.find(partition);
    if (cached == nullptr) continue;
    wake_partition(session, *cached);
    if (session.parked && follower_news(*replica, cached->position)) {
      complete_session(context, session);
    }
  }
  // A consumer's waiting fetch ends when this partition has something for it (records now
  // readable, or an error). Answering leaves the list as it is.
  for (const NodeId consumer : replica->consumer_sessions) {
    LeaderFetchSession* session = find_consumer_session(consumer);
    SessionPartition* cached = session == nullptr ? nullptr : session->partitions.find(partition);
    if (cached == nullptr) continue;
    wake_partition(*session, *cached);
    if (session->parked) answer_if_news(context, *session);
  }
}

// A parked consumer's session looks at its woken partitions now (each goes quiet, as at any
// evaluation of a consumer's) and answers if one has news; else it waits on.
void Broker::answer_if_news(NodeContext& context, LeaderFetchSession& session) {
  bool news = false;
  SessionFetchResponse response = evaluate_session(context, session, false, news);
  if (!news) return;
  session.parked = false;
  send_session_answer(context, session, std::move(response));
}

bool Broker::quiet_after(const PartitionReplica& replica, const LeaderFetchSession& session,
                         const SessionPartition& cached, const FetchAnswer& answer) const {
  if (session.follower == kNoBroker) return true;
  return answer.can_wait && answer.response.high_watermark == cached.high_watermark_sent && replica.has_state &&
         replica.leader == index_ && in_isr(replica, session.follower) &&
         cached.position.fetch_offset == replica.log.log_end_offset() && !replica.alter_partition_in_flight;
}

FetchRequest Broker::question(const LeaderFetchSession& session, const SessionPartition& cached) const {
  FetchRequest request;
  request.partition = cached.partition;
  request.from_follower = session.follower != kNoBroker;
  request.fetch_offset = cached.position.fetch_offset;
  request.current_leader_epoch = cached.position.current_leader_epoch;
  request.last_fetched_epoch = cached.position.last_fetched_epoch;
  request.max_records = session.max_records;
  request.read_committed = session.read_committed;
  return request;
}

// Every partition of the session not quiet, answered in partition order; `news` is set when
// one has records, an error or a divergence. At the fetch's arrival a follower's progress
// counts, and a partition found quiet leaves the list (a consumer's at any evaluation).
SessionFetchResponse Broker::evaluate_session(NodeContext& context, LeaderFetchSession& session, bool arrival,
                                              bool& news) {
  SessionFetchResponse response;
  response.request_id = session.request_id;
  std::vector<PartitionId> todo;
  todo.swap(session.unquiet);
  std::sort(todo.begin(), todo.end());
  todo.erase(std::unique(todo.begin(), todo.end()), todo.end());
  const bool follower = session.follower != kNoBroker;
  for (const PartitionId partition : todo) {
    SessionPartition* cached = session.partitions.find(partition);
    if (cached == nullptr || cached->quiet) continue;  // forgotten, or listed twice
    FetchAnswer answer = answer_fetch(context, session.requester, question(session, *cached), arrival);
    news = news || !answer.can_wait;
    PartitionReplica* replica = find_replica(partition);
    if ((arrival || !follower) && replica != nullptr && quiet_after(*replica, session, *cached, answer)) {
      cached->quiet = true;
      if (follower) replica->followers[session.follower.index()].caught_up_in_session = true;
    } else {
      session.unquiet.push_back(partition);
    }
    if (!answer.can_wait || (follower && answer.response.high_watermark != cached->high_watermark_sent)) {
      response.partitions.push_back(std::move(answer.response));
    }
  }
  return response;
}

void Broker::send_session_answer(NodeContext& context, LeaderFetchSession& session, SessionFetchResponse response) {
  for (const FetchResponse& part : response.partitions) {
    SessionPartition* cached = session.partitions.find(part.partition);
    if (cached != nullptr && part.error == ErrorCode::none) cached->high_watermark_sent = part.high_watermark;
  }
  context.send(node_, session.requester, std::move(response));
}

void Broker::complete_session(NodeContext& context, LeaderFetchSession& session) {
  if (!session.parked) return;
  session.parked = false;
  bool news = false;
  send_session_answer(context, session, evaluate_session(context, session, false, news));
}

// The session a fetch names: a follower's by its broker, a consumer's by its node (made at
// its first fetch).
LeaderFetchSession& Broker::session_of(NodeContext& context, NodeId from, bool from_follower) {
  if (!from_follower) return consumer_sessions_[from];
  const BrokerId follower = context.broker_index(from);
  KSIM_ASSERT(follower.index() < sessions_.size(), "broker {} got a replica fetch from node {}, not a broker", index_,
              from);
  return sessions_[follower.index()];
}

void Broker::on_session_fetch(NodeContext& context, NodeId from, const SessionFetchRequest& request) {
  LeaderFetchSession& session = session_of(context, from, request.from_follower);
  if (request.session_epoch == 0) {
    close_session(session, from);
    session.id = request.session_id;
  }
  if (session.id != request.session_id || session.next_epoch != request.session_epoch) {
    context.send(node_, from, SessionFetchResponse{.request_id = request.request_id, .session_error = true, .partitions = {}});
    return;
  }
  session.next_epoch = request.session_epoch + 1;
  session.parked = false;  // a fetch the requester gave up on
  for (const PartitionId partition : request.forgotten) forget_partition(session, from, partition);
  for (const FetchPosition& position : request.partitions) {
    SessionPartition* cached = session.partitions.find(position.partition);
    if (cached == nullptr) {
      cached = &session.partitions.upsert(position.partition);
      session.unquiet.push_back(position.partition);
      if (!request.from_follower) index_consumer_session(from, position.partition, true);
    }
    wake_partition(session, *cached);
    cached->position = position;
  }
  session.last_fetch_ns = context.now();
  session.requester = from;
  session.request_id = request.request_id;
  session.max_records = request.max_records;
  session.read_committed = request.read_committed;
  bool news = false;
  SessionFetchResponse response = evaluate_session(context, session, true, news);
  if (news) {
    send_session_answer(context, session, std::move(response));
    return;
  }
  session.parked = true;
  if (session.expiry.move_to(context.now() + request.max_wait_ns)) {
    context.set_timer(node_, request.max_wait_ns, timers::SessionFetchExpiry{from, request.from_follower});
  }
}

void Broker::on_session_fetch_expiry(NodeContext& context, const timers::SessionFetchExpiry& expiry) {
  LeaderFetchSession* session = expiry.from_follower ? &sessions_[context.broker_index(expiry.requester).index()]
                                                     : find_consumer_session(expiry.requester);
  if (session == nullptr) return;
  const TimeNs left_ns = session->expiry.on_timer(context.now(), session->parked);
  if (left_ns > 0) {
    context.set_timer(node_, left_ns, expiry);
  } else if (session->parked) {
    complete_session(context, *session);
  }
}

}  // namespace ksim::kafka
