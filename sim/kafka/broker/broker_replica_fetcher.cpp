// The follower's replica fetchers: one per leader broker (num.replica.fetchers=1, the
// default), each with one fetch in flight at a time for every partition it follows there,
// inside a KIP-227 fetch session (Kafka 1.1+; AbstractFetcherThread, FetchSessionHandler).
// A partition joins its leader's fetcher when the broker becomes its follower, leaves it for
// replica.fetch.backoff.ms after an error answer, and moves when its leader changes.
#include <algorithm>

#include "sim/core/assert.h"
#include "sim/kafka/broker/broker.h"

namespace ksim::kafka {

void Broker::follow(NodeContext& context, PartitionId partition) {
  PartitionReplica& replica = hosted(partition);
  if (replica.fetching_from != replica.leader) unfollow(partition);
  if (replica.leader == kNoBroker || replica.leader == index_) return;
  fetchers_[replica.leader.index()].add(partition);
  replica.fetching_from = replica.leader;
  if (!adding_partitions_) send_replica_fetch(context, replica.leader);
}

void Broker::unfollow(PartitionId partition) {
  PartitionReplica& replica = hosted(partition);
  if (replica.fetching_from == kNoBroker) return;
  fetchers_[replica.fetching_from.index()].remove(partition);
  replica.fetching_from = kNoBroker;
}

namespace {

// Where the follower's replica stands, as a fetch tells its leader.
FetchPosition position_of(const PartitionReplica& replica, PartitionId partition, LogTruncation truncation) {
  return FetchPosition{
      .partition = partition,
      .fetch_offset = replica.log.log_end_offset(),
      .current_leader_epoch = replica.leader_epoch,
      .last_fetched_epoch = truncation != LogTruncation::high_watermark ? replica.log.last_epoch() : kNoLeaderEpoch};
}

}  // namespace

// The next fetch from `leader`, unless one is in flight or the fetcher follows nothing there.
// A full fetch lists every partition; an incremental one lists the partitions that joined or
// whose position moved and forgets those that left (FetchSessionHandler.Builder.build).
void Broker::send_replica_fetch(NodeContext& context, BrokerId leader) {
  SessionFetcher& fetcher = fetchers_[leader.index()];
  if (fetcher.in_flight || fetcher.partitions.empty()) return;
  if (fetcher.next_epoch == 0) fetcher.session_id = (static_cast<std::uint64_t>(incarnation_) << 32) | ++next_fetch_session_;
  SessionFetchRequest request = fetcher.next_request(
      [&](PartitionId partition) { return position_of(hosted(partition), partition, config_.log_truncation); });
  request.max_records = config_.replica_fetch_max_records;
  request.max_wait_ns = config_.replica_fetch_wait_max_ns;
  context.send(node_, context.broker_node(leader), std::move(request));
  // replica.socket.timeout.ms: a fetch without an answer by then is given up.
  if (fetcher.timeout.move_to(context.now() + config_.replica_socket_timeout_ns)) {
    context.set_timer(node_, config_.replica_socket_timeout_ns, timers::ReplicaFetcherTimeout{leader});
  }
}

void Broker::on_replica_fetcher_timeout(NodeContext& context, const timers::ReplicaFetcherTimeout& timeout) {
  SessionFetcher& fetcher = fetchers_[timeout.leader.index()];
  const TimeNs left_ns = fetcher.timeout.on_timer(context.now(), fetcher.in_flight);
  if (left_ns > 0) {
    context.set_timer(node_, left_ns, timeout);
  } else if (fetcher.in_flight) {
    restart_fetcher(context, timeout.leader, false);
  }
}

// The fetch in flight is given up (no answer in time, or the connection was reset): the next
// one opens a new session, at once or after replica.fetch.backoff.ms.
void Broker::restart_fetcher(NodeContext& context, BrokerId leader, bool after_backoff) {
  fetchers_[leader.index()].restart();
  if (after_backoff) {
    context.set_timer(node_, config_.replica_fetch_backoff_ns, timers::ReplicaFetcherRetry{leader});
  } else {
    send_replica_fetch(context, leader);
  }
}

void Broker::on_replica_fetch_response(NodeContext& context, NodeId from, const SessionFetchResponse& response) {
  const BrokerId leader = context.broker_index(from);
  SessionFetcher& fetcher = fetchers_[leader.index()];
  if (!fetcher.in_flight || response.request_id != fetcher.request_id) return;  // given up already
  fetcher.in_flight = false;
  if (response.session_error) {
    fetcher.next_epoch = 0;  // FetchSessionHandler.handleError: the next fetch is a full one
  } else {
    for (const FetchResponse& part : response.partitions) on_fetch_response(context, leader, part);
  }
  send_replica_fetch(context, leader);
}

}  // namespace ksim::kafka
