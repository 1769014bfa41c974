// The consumer's fetch answers and its poll() loop. Kafka's consumer fetches ahead into a
// buffer and poll() hands the application at most max.poll.records records at a time, over
// all its partitions: it drains one partition's fetched data, then the next's, until the
// limit (ConsumerConfig's max.poll.records doc; Fetcher.collectFetch, all versions since
// 0.10.0, KIP-41). A synchronous application holds one poll's records at a time; before
// issue 11 (bug 6) every partition's fetch was a poll of its own, so a member of three
// partitions held up to three times the limit, and until issue 19 a poll returned one
// partition's records only, so that a member of thousands of partitions with a record or two
// each polled, and committed, once per partition.
#include <algorithm>
#include <utility>

#include "sim/core/assert.h"
#include "sim/kafka/client/consumer.h"

#include "sim/history/records.h"

namespace ksim::kafka {

namespace {

// The records a fetch answer gives the application, by offset: transaction markers are no
// records, and a read_committed consumer skips the records of aborted transactions the
// broker listed (the consumer, not the broker, filters them).
std::vector<std::pair<Offset, std::uint64_t>> records_of(const FetchResponse& response) {
  std::vector<std::pair<Offset, std::uint64_t>> records;
  for (std::size_t i = 0; i < response.entries.size(); ++i) {
    const LogEntry& entry = response.entries[i];
    const Offset offset = response.fetch_offset + static_cast<std::int64_t>(i);
    if (entry.is_marker()) continue;
    const auto aborted = [&](const AbortedTransaction& t) {
      return t.producer_id == entry.producer_id() && offset >= t.first_offset && offset < t.marker_offset;
    };
    if (entry.is_transactional() && std::any_of(response.aborted.begin(), response.aborted.end(), aborted)) continue;
    records.emplace_back(offset, entry.message_id);
  }
  return records;
}

}  // namespace

// KIP-951 (clients and brokers 3.7+; KAFKA-15627: AbstractFetch.handleFetchSuccess and
// Metadata.updatePartitionLeadership): the leader a NOT_LEADER_OR_FOLLOWER fetch answer
// names, with a newer leader epoch than the consumer's metadata has, becomes the partition's
// leader now, and the consumer still asks for metadata. True when it was taken.
bool Consumer::take_named_leader(NodeContext& context, const FetchResponse& response) {
  if (!config_.config.leader_from_error_answers) return false;
  if (response.error != ErrorCode::not_leader_or_follower) return false;
  const bool taken = metadata_.take_named_leader(response.partition, response.current_leader,
                                                 response.leader_epoch, leaders_);
  if (taken) request_metadata(context);
  return taken;
}

// One partition of a fetch answer (consumer_fetch.cpp has matched it to the question).
// True when its records wait in the fetch buffer for poll(); the caller polls after the
// whole answer, and stops fetching what that poll leaves there.
bool Consumer::on_fetch_response(NodeContext& context, AssignedPartition& assigned,
                                 const FetchResponse& response) {
  if (response.error == ErrorCode::offset_out_of_range) {
    // The log was truncated under our position (its new leader's log ends below it) and no
    // leader epoch told us where it diverged: auto.offset.reset decides (KIP-320's
    // motivation: "earliest" reads the log again from its start, "latest" skips to its end).
    context.probe(history::Probe::consumer_offset_out_of_range);
    if (reset_position(assigned)) {
      advance(context, assigned);
    } else {
      stop_fetching(assigned);  // auto.offset.reset=none: the application stops reading it
    }
    return false;
  }
  if (response.error != ErrorCode::none) {
    if (response.partition.index() < leaders_.size()) leaders_[response.partition.index()] = kNoBroker;
    stop_fetching(assigned);
    if (take_named_leader(context, response)) {
      advance(context, assigned);  // fetches from the named leader now
      return false;
    }
    context.set_timer(node_, config_.config.retry_backoff_ns, timers::FetchRetry{response.partition});
    return false;
  }
  if (response.diverging_end_offset >= Offset{}) {
    // KIP-320: the log was truncated below our position (an election after an unclean or
    // acks=1 write): go back to where our view and the leader's agree, and read on from there.
    if (response.diverging_end_offset < assigned.position) context.probe(history::Probe::consumer_rewind_after_truncation);
    assigned.position = std::min(assigned.position, response.diverging_end_offset);
    assigned.processed_end = std::min(assigned.processed_end, assigned.position);
    assigned.last_fetched_epoch = response.diverging_epoch;
    advance(context, assigned);
    return false;
  }
  if (assigned.position == kLatestOffset) {
    assigned.position = response.fetch_offset;
    assigned.processed_end = assigned.position;
    advance(context, assigned);
    return false;
  }
  if (records_of(response).empty()) {
    pass_over(context, assigned, response);
    return false;
  }
  set_buffered(assigned, response, true);  // the application's next poll() takes it
  return true;
}

// The application is still busy with the records of its last poll(): a synchronous one
// processes them before it polls again; an asynchronous one polls again unless its
// hand-off queue is full; a transactional one once its transaction has ended.
bool Consumer::poll_in_progress() const {
  if (config_.commit_strategy == CommitStrategy::async_processing) return queue_.size() >= kMaxQueuedRecords;
  if (transactional() && transaction_.phase != TransactionPhase::ready) return true;
  return batches_in_processing_ > 0;
}

// An answer with entries but no record for the application (markers, aborted records).
void Consumer::pass_over(NodeContext& context, AssignedPartition& assigned, const FetchResponse& response) {
  assigned.position = response.fetch_offset + static_cast<std::int64_t>(response.entries.size());
  if (!response.entries.empty()) assigned.last_fetched_epoch = response.entries.back().leader_epoch;
  if (!assigned.batch_in_processing && !has_queued_records(response.partition)) {
    assigned.processed_end = std::max(assigned.processed_end, assigned.position);
  }
  advance(context, assigned);
}

// One poll(): the buffered partitions give their records in the order their data arrived,
// starting with what the last poll left unfinished (Fetcher.collectFetch: nextInLineFetch,
// then completedFetches in order), until max.poll.records. A partition is not fetched while
// it holds data, so none waits behind another's second fetch. A transactional member's
// transaction holds the offsets of all the poll's partitions (and a processor's, the output
// partition of each).
void Consumer::take_poll(NodeContext& context) {
  maybe_auto_commit(context);  // poll() commits first
  poll_parts_.clear();
  std::size_t room = config_.config.max_poll_records;
  while (room > 0) {
    AssignedPartition* next = next_buffered();
    if (next == nullptr) break;
    FetchResponse response = std::move(*next->buffered);
    set_buffered(*next, std::nullopt);
    room -= take_part(context, *next, std::move(response), room);
  }
  if (poll_parts_.empty()) return;
  if (transactional()) begin_transaction(context);
  if (config_.commit_strategy == CommitStrategy::async_processing) {
    // Handed to the worker: poll() returns at once and the next poll may commit it.
    start_processing(context);
    advance_polled(context);
    return;
  }
  // The application must call poll() again within max.poll.interval.ms.
  context.set_timer(node_, config_.config.max_poll_interval_ns, timers::PollDeadline{++batches_polled_});
  if (config_.commit_strategy == CommitStrategy::before_processing) commit_polled(context);
  start_processing(context);
  advance_polled(context);  // their next records are fetched while these are processed
}

// One partition's part of a poll, at most `room` records: returns how many it took.
std::size_t Consumer::take_part(NodeContext& context, AssignedPartition& assigned, FetchResponse response,
                                std::size_t room) {
  auto records = records_of(response);
  KSIM_ASSERT(!records.empty() && room > 0, "consumer {}: partition {} was buffered without a record to poll", node_,
              assigned.partition);
  std::size_t entries_taken = response.entries.size();
  if (records.size() > room) {
    records.resize(room);
    entries_taken = static_cast<std::size_t>(records.back().first - response.fetch_offset) + 1;
  }
  assigned.position = response.fetch_offset + static_cast<std::int64_t>(entries_taken);
  assigned.last_fetched_epoch = response.entries[entries_taken - 1].leader_epoch;
  if (entries_taken < response.entries.size()) {
    response.entries.erase(response.entries.begin(), response.entries.begin() + static_cast<std::ptrdiff_t>(entries_taken));
    response.fetch_offset = assigned.position;
    set_buffered(assigned, std::move(response), false, true);  // the next poll() goes on with the rest
  }
  const CommittedPosition part_end{assigned.position, assigned.last_fetched_epoch};
  poll_parts_.emplace_back(assigned.partition, part_end);
  // One poll_call record per partition of the poll: Jepsen's internal anomalies compare a
  // partition's successive records within one call, and never records of two partitions.
  context.record(history::poll_call({.consumer = NodeId{node_},
                                     .group = GroupIndex{group_},
                                     .partition = assigned.partition,
                                     .first_offset = records.front().first,
                                     .record_count = records.size()}));
  for (std::size_t i = 0; i < records.size(); ++i) {
    context.record(history::poll({.consumer = NodeId{node_},
                                  .group = GroupIndex{group_},
                                  .partition = assigned.partition,
                                  .offset = records[i].first,
                                  .message_id = records[i].second}));
    queue_.push_back(
        RecordToProcess{assigned.partition, records[i].first, records[i].second, i + 1 == records.size(), part_end.offset});
  }
  if (config_.commit_strategy != CommitStrategy::async_processing) set_batch_in_processing(assigned, true);
  return records.size();
}

// The partitions of the poll fetch on (those with records left in the buffer wait for it).
void Consumer::advance_polled(NodeContext& context) {
  for (const auto& [partition, end] : poll_parts_) {
    if (AssignedPartition* assigned = find(partition)) advance(context, *assigned);
  }
}

// commitSync() of the poll's positions, in one OffsetCommit (before processing, or after the
// poll's last record): the partitions given up meanwhile are not the member's to commit.
void Consumer::commit_polled(NodeContext& context) {
  collecting_commits_ = true;
  for (const auto& [partition, end] : poll_parts_) {
    if (find(partition) != nullptr) commit(context, partition, end);
  }
  collecting_commits_ = false;
  send_commits(context);
}

AssignedPartition* Consumer::next_buffered() {
  if (buffered_partitions_.empty()) return nullptr;
  AssignedPartition* next = find(buffered_partitions_.front());
  KSIM_ASSERT(next != nullptr && next->buffered, "consumer {}: partition {} is in the fetch buffer's line without data",
              node_, buffered_partitions_.front());
  return next;
}

void Consumer::poll_buffered(NodeContext& context) {
  while (!poll_in_progress() && !buffered_partitions_.empty()) take_poll(context);
}

}  // namespace ksim::kafka
