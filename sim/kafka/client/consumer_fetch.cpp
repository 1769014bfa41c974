// The consumer's fetching, as the Java consumer's Fetcher does it (all versions; sessions
// since Kafka 1.1, KIP-227): one fetch in flight per broker at a time, for every fetchable
// partition that broker leads. A partition is fetchable once its position is known, while
// it holds no fetched data that poll() has not returned, and while its leader is known and
// it is not backing off after an error. A fetch lists only the partitions that joined or
// whose position moved, and names those that left; the broker answers with the partitions
// that have records (or an error) once one has, or after fetch.max.wait.ms with none.
//
// The fetch for a partition goes out while the application processes its last poll's
// records (KafkaConsumer.pollForFetches sends the next fetches before it returns, so that
// fetching and processing overlap). Kafka sends fetches only from within poll(); here a
// fetcher sends as soon as it is free, which differs only in when data already due lands in
// the buffer.
#include <algorithm>
#include <utility>

#include "sim/core/assert.h"
#include "sim/kafka/client/consumer.h"

namespace ksim::kafka {

FetchPosition Consumer::fetch_position(const AssignedPartition& assigned) const {
  // KIP-320: the leader checks the epoch of the last record read against its log (a
  // consumer without truncation detection sends none, as clients before 2.3 did).
  return FetchPosition{
      .partition = assigned.partition,
      .fetch_offset = assigned.position,
      .current_leader_epoch = kNoLeaderEpoch,
      .last_fetched_epoch = config_.config.truncation_detection ? assigned.last_fetched_epoch : kNoLeaderEpoch};
}

// The partition is fetchable: its leader's fetcher lists it at its current position.
void Consumer::fetch_from_leader(NodeContext& context, AssignedPartition& assigned) {
  const std::uint32_t index = assigned.partition.index();
  const BrokerId leader = index < leaders_.size() ? leaders_[index] : kNoBroker;
  if (leader == kNoBroker) {
    stop_fetching(assigned);
    request_metadata(context);
    return;
  }
  if (assigned.fetch_broker != leader) stop_fetching(assigned);
  if (fetchers_.size() <= leader.index()) {
    fetchers_.resize(leader.index() + 1);
    fetch_queued_.resize(leader.index() + 1, false);
  }
  SessionFetcher& fetcher = fetchers_[leader.index()];
  if (assigned.fetch_broker != leader || assigned.listed != fetch_position(assigned)) fetcher.add(assigned.partition);
  assigned.fetch_broker = leader;
  queue_fetch(leader);
}

// The partition leaves its fetcher (not fetchable now, or its leader moved): the next fetch
// there forgets it.
void Consumer::stop_fetching(AssignedPartition& assigned) {
  if (assigned.fetch_broker == kNoBroker) return;
  fetchers_[assigned.fetch_broker.index()].remove(assigned.partition);
  queue_fetch(assigned.fetch_broker);
  assigned.fetch_broker = kNoBroker;
}

void Consumer::queue_fetch(BrokerId broker) {
  if (fetch_queued_[broker.index()]) return;
  fetch_queued_[broker.index()] = true;
  fetch_queue_.push_back(broker);
}

// consume-transform-produce: nothing is fetched until the producer is initialized
// (initTransactions() comes before the poll loop). While a transaction is open the
// consumer fetches ahead as in every mode: KafkaConsumer.poll() sends the next round of
// fetches before it returns records, "to enable pipelining while the user is handling the
// fetched records" (0.10.0+; the 3.7+ consumer fetches from its background thread), so
// the next poll, after commitTransaction(), finds every partition's data that arrived
// meanwhile. An asynchronous application keeps polling while its worker is busy, up to a
// bounded hand-off queue (then it waits, as a bounded executor would make it).
bool Consumer::fetching_paused() const {
  if (transactional() && transaction_.phase == TransactionPhase::uninitialized) return true;
  return config_.commit_strategy == CommitStrategy::async_processing && queue_.size() >= kMaxQueuedRecords;
}

// After each message or timer: every fetcher with something to ask and no fetch in flight
// sends one, in broker order.
void Consumer::send_fetches(NodeContext& context) {
  if (fetch_queue_.empty() || fetching_paused()) return;
  std::vector<BrokerId> brokers;
  brokers.swap(fetch_queue_);
  std::sort(brokers.begin(), brokers.end());
  for (const BrokerId broker : brokers) {
    fetch_queued_[broker.index()] = false;
    send_fetch(context, broker);
  }
}

void Consumer::send_fetch(NodeContext& context, BrokerId broker) {
  SessionFetcher& fetcher = fetchers_[broker.index()];
  // In flight: it sends again when the answer comes. Nothing fetchable there: those it
  // forgot are named in its next fetch.
  if (fetcher.in_flight || fetcher.partitions.empty()) return;
  if (fetcher.next_epoch == 0) fetcher.session_id = (static_cast<std::uint64_t>(incarnation_) << 32) | ++next_fetch_session_;
  SessionFetchRequest request = fetcher.next_request([&](PartitionId partition) {
    AssignedPartition* assigned = find(partition);
    KSIM_ASSERT(assigned != nullptr, "consumer {} fetches partition {}, which it is not assigned", node_, partition);
    assigned->listed = fetch_position(*assigned);
    return assigned->listed;
  });
  request.max_records = config_.config.max_poll_records;
  request.max_wait_ns = config_.config.fetch_max_wait_ns;
  request.from_follower = false;
  request.read_committed = config_.config.read_committed;
  context.send(node_, context.broker_node(broker), std::move(request));
  if (fetcher.timeout.move_to(context.now() + config_.config.request_timeout_ns)) {
    context.set_timer(node_, config_.config.request_timeout_ns, timers::FetchTimeout{broker});
  }
}

// The fetch in flight is given up: the next one opens a new session listing every
// partition (FetchSessionHandler.handleError).
void Consumer::restart_fetcher(BrokerId broker) {
  fetchers_[broker.index()].restart();
  queue_fetch(broker);
}

void Consumer::on_fetch_timeout(NodeContext& context, const timers::FetchTimeout& timeout) {
  if (timeout.broker.index() >= fetchers_.size()) return;
  SessionFetcher& fetcher = fetchers_[timeout.broker.index()];
  const TimeNs left_ns = fetcher.timeout.on_timer(context.now(), fetcher.in_flight);
  if (left_ns > 0) {
    context.set_timer(node_, left_ns, timeout);
  } else if (fetcher.in_flight) {
    restart_fetcher(timeout.broker);
  }
}

// The broker reset the connection (it crashed): its partitions need new metadata, then a
// retry after retry.backoff.ms.
void Consumer::on_fetch_reset(NodeContext& context, BrokerId broker) {
  if (broker.index() >= fetchers_.size() || !fetchers_[broker.index()].in_flight) return;
  restart_fetcher(broker);
  std::vector<PartitionId> partitions;
  for (const FetcherPartition& fetched : fetchers_[broker.index()].partitions.items()) partitions.push_back(fetched.partition);
  for (const PartitionId partition : partitions) {
    leaders_[partition.index()] = kNoBroker;
    stop_fetching(*find(partition));  // fetched partitions are assigned (asserted in send_fetch)
    context.set_timer(node_, config_.config.retry_backoff_ns, timers::FetchRetry{partition});
  }
}

void Consumer::on_fetch_answer(NodeContext& context, NodeId from, const SessionFetchResponse& response) {
  const BrokerId broker = context.broker_index(from);
  if (broker.index() >= fetchers_.size()) return;
  SessionFetcher& fetcher = fetchers_[broker.index()];
  if (!fetcher.in_flight || response.request_id != fetcher.request_id) return;  // given up already
  fetcher.in_flight = false;
  queue_fetch(broker);
  if (response.session_error) {
    restart_fetcher(broker);
    return;
  }
  maybe_auto_commit(context);  // the application is in poll(), which commits as it loops
  std::vector<PartitionId> buffered;
  for (const FetchResponse& part : response.partitions) {
    AssignedPartition* assigned = find(part.partition);
    FetcherPartition* fetched = fetcher.partitions.find(part.partition);
    // Not fetched from here any more, or its position moved since it was listed: the answer
    // is to an outdated question.
    if (assigned == nullptr || fetched == nullptr || fetched->changed || assigned->fetch_broker != broker) continue;
    // The leader holds an answered partition quiet: the fetcher lists it again (or forgets it).
    fetcher.mark_changed(part.partition);
    if (on_fetch_response(context, *assigned, part)) buffered.push_back(part.partition);
  }
  // A waiting poll() returns the answer's records (of several partitions, up to
  // max.poll.records); what it leaves in the buffer is not fetched until polled.
  poll_buffered(context);
  for (const PartitionId partition : buffered) {
    AssignedPartition* assigned = find(partition);
    if (assigned != nullptr && assigned->buffered) stop_fetching(*assigned);
  }
}

}  // namespace ksim::kafka
