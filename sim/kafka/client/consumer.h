#pragma once
// A consumer group member and the application around it: it joins its group and gets
// partitions from the group coordinator (rebalancing when members come and go), resumes
// each assigned partition from the group's committed offset (or auto.offset.reset),
// fetches from the partition leader below the high watermark, processes records one at a
// time into the group's sink, and commits offsets as its commit strategy says. A member
// that stops heartbeating is evicted; one whose batch outlasts max.poll.interval.ms
// leaves the group; either way its uncommitted records go to the partition's next owner.
// The application does not commit in onPartitionsRevoked, so a rebalance can redeliver
// processed records: every partition's under the eager protocol, only the moving ones'
// under the cooperative protocol. The group coordinator is the broker that metadata names
// (the offsets partition's leader); a NOT_COORDINATOR answer, a connection reset or no
// answer within request.timeout.ms sends the member back to metadata to find the new one,
// which it joins again (a new coordinator starts with no members). A commit made while no
// coordinator is known is not sent (its records are delivered again).
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "sim/kafka/broker/fetch_session.h"
#include "sim/kafka/config/consumer_config.h"
#include "sim/kafka/client/metadata_refresh.h"
#include "sim/kafka/client/transaction_coordinator_lookup.h"
#include "sim/kafka/node/node_context.h"
#include "sim/kafka/client/sink.h"

namespace ksim::kafka {

struct AssignedPartition {
  PartitionId partition{};
  // The next offset to fetch, and past the records poll() returned (what auto-commit
  // commits); -1 until known.
  Offset position = kNoOffsetPosition;
  Offset processed_end = kNoOffsetPosition;       // everything below was processed
  LeaderEpoch last_fetched_epoch = kNoLeaderEpoch;  // of the last record fetched (KIP-320); -1: not known
  bool offset_fetch_in_flight = false;
  std::uint64_t offset_fetch_request = 0;  // the MultiOffsetFetchRequest it is in
  bool batch_in_processing = false;
  // The broker whose fetcher lists this partition (it is fetchable and led there), and the
  // position it was last listed with; kNoBroker: not fetched now.
  BrokerId fetch_broker = kNoBroker;
  FetchPosition listed;
  // Fetched, not yet returned by poll() (Kafka's fetch buffer): the partition is not fetched
  // while it holds data, and its fetch_offset is `position`.
  std::optional<FetchResponse> buffered;
};

struct RecordToProcess {
  PartitionId partition{};
  Offset offset{};
  std::uint64_t message_id = 0;
  bool last_of_batch = false;  // the last record of its partition's part of a poll
  Offset batch_end{};  // the position after its partition's part of the poll (past any
                       // transaction markers or aborted records the part ended with)
};

class Consumer {
 public:
  static constexpr std::size_t kMaxQueuedRecords = 10'000;  // async hand-off queue bound

  Consumer(std::uint32_t index, NodeId node, std::uint32_t group, const ConsumerGroupConfig& config, Sink& sink);
  // Its transactional id (commit: transactional) and that id's __transaction_state partition.
  void set_transactional_id(std::uint32_t id, std::uint32_t state_partition) {
    transactional_id_ = id;
    transaction_coordinator_.set_state_partition(state_partition);
  }
  // A processor's output topic: global partitions [first, first + count) (topic_layout.h).
  void set_output_partitions(std::uint32_t first, std::uint32_t count) {
    output_first_ = first;
    output_count_ = count;
  }

  NodeId node() const { return node_; }
  std::uint32_t group() const { return group_; }
  // Processed everything below `end` of `partition` (for the drain phase).
  bool caught_up(PartitionId partition, Offset end) const;
  const std::vector<AssignedPartition>& assigned() const { return assigned_; }

  void start(NodeContext& context);
  void crash();
  // Each message or timer is handled, then the fetchers it made ready send (send_fetches).
  void on_message(NodeContext& context, NodeId from, const Payload& payload);
  void on_timer(NodeContext& context, const ConsumerTimer& timer);

 private:
  // consume-transform-produce (commit: transactional; consumer_transaction.cpp): one Kafka
  // transaction per poll, holding the poll's output and its offsets.
  enum class TransactionPhase : std::uint8_t { uninitialized, ready, open, ending };
  struct ProcessorTransaction {
    TransactionPhase phase = TransactionPhase::uninitialized;
    std::int32_t number = -1;
    // The poll's partitions and the position after each one's records: the offsets it sends.
    std::vector<std::pair<PartitionId, CommittedPosition>> inputs;
    bool offsets_added = false;  // AddOffsetsToTxn answered: the processor's writes may start
    // A processor's output partitions in the transaction, each added (AddPartitionsToTxn)
    // before its first write; one add is out at a time (the application waits for each send).
    std::vector<PartitionId> outputs_added;
    bool output_add_out = false;
    // A processor's output records in the transaction: answered when it ends.
    struct Output {
      std::uint64_t message_id = 0;
      PartitionId partition{};
      Offset offset = kNoOffsetPosition;
    };
    std::vector<Output> outputs;
    bool batch_done = false;     // every record of the poll processed
    bool commit = true;          // what EndTxn asks for
    std::uint64_t request_id = 0;  // the request out, resent on timeout
    Payload request;
  };
  bool transactional() const { return config_.commit_strategy == CommitStrategy::transactional; }
  void init_transactions(NodeContext& context);
  void begin_transaction(NodeContext& context);
  // A processor's output partition for a record of this input partition (a keyed transform).
  PartitionId output_partition(PartitionId input) const;
  void on_transactional_batch_done(NodeContext& context);
  void end_transaction(NodeContext& context, bool commit);
  void send_transaction_request(NodeContext& context, Payload request);
  bool on_transaction_message(NodeContext& context, const Payload& payload);
  void on_partitions_added(NodeContext& context, const AddPartitionsToTxnResponse& added);
  void on_transaction_ended(NodeContext& context, bool committed, ErrorCode error);

  // Pipelines (consumer_output.cpp): a processor writes one output record per input record
  // and finishes the input record once the write is acknowledged (send().get()).
  struct PendingOutput {
    bool active = false;
    bool in_flight = false;
    bool revoked = false;  // its input's partition was revoked meanwhile: the write goes on, the record is not finished
    RecordToProcess input;
    std::uint64_t message_id = 0;
    PartitionId partition{};  // global index of the output partition
    std::int32_t sequence = -1;
    std::uint64_t request_id = 0;
    std::uint64_t generation = 0;  // of the OutputRetry timer that is live
    std::uint32_t attempts = 0;    // produce requests sent for it
    TimeNs first_sent_ns = 0;
  };
  bool processor() const { return config_.output.enabled() && output_count_ > 0; }
  void produce_output(NodeContext& context, const RecordToProcess& input);
  void send_output(NodeContext& context);
  bool output_partition_added(NodeContext& context);
  void retry_output(NodeContext& context, TimeNs after_ns);
  void on_output_timer(NodeContext& context, const timers::OutputRetry& retry);
  void on_output_response(NodeContext& context, const ProduceResponse& response);
  void on_output_connection_reset(NodeContext& context, BrokerId broker);
  void on_output_written(NodeContext& context, Offset offset);
  void finish_output(NodeContext& context, bool written);
  void answer_transaction_outputs(NodeContext& context, bool committed);
  void record_effect(NodeContext& context, const RecordToProcess& done);
  void after_record(NodeContext& context, const RecordToProcess& done);

  void handle_message(NodeContext& context, NodeId from, const Payload& payload);
  void handle_timer(NodeContext& context, const ConsumerTimer& timer);
  AssignedPartition* find(PartitionId partition);
  const AssignedPartition* find(PartitionId partition) const;
  // The indexes over assigned_ (consumer_index.cpp): rebuilt after partitions are removed,
  // kept up to date by the setters below, so that no lookup scans every partition.
  void reindex_assigned();
  void append_assigned(PartitionId partition);
  void set_batch_in_processing(AssignedPartition& assigned, bool in_processing);
  // Data goes in the buffer, last in line (`next_in_line`: first), and the partition stops
  // being fetched, unless `still_listed`: a fetch answer's partitions wait for the poll
  // after the whole answer (on_fetch_answer).
  void set_buffered(AssignedPartition& assigned, std::optional<FetchResponse> response, bool still_listed = false,
                    bool next_in_line = false);
  void advance(NodeContext& context, AssignedPartition& assigned);
  // Fetching (consumer_fetch.cpp): one fetcher per broker, with one fetch in flight at a
  // time for every fetchable partition the broker leads, in a KIP-227 session.
  FetchPosition fetch_position(const AssignedPartition& assigned) const;
  void fetch_from_leader(NodeContext& context, AssignedPartition& assigned);
  void stop_fetching(AssignedPartition& assigned);
  void queue_fetch(BrokerId broker);
  bool fetching_paused() const;
  void send_fetches(NodeContext& context);
  void send_fetch(NodeContext& context, BrokerId broker);
  void restart_fetcher(BrokerId broker);
  void on_fetch_answer(NodeContext& context, NodeId from, const SessionFetchResponse& response);
  void on_fetch_reset(NodeContext& context, BrokerId broker);
  bool on_fetch_response(NodeContext& context, AssignedPartition& assigned, const FetchResponse& response);
  // poll() (consumer_poll.cpp): one poll returns at most max.poll.records records, over the
  // partitions with fetched data in the order it arrived; what is left waits in the buffer.
  bool poll_in_progress() const;
  void take_poll(NodeContext& context);
  std::size_t take_part(NodeContext& context, AssignedPartition& assigned, FetchResponse response, std::size_t room);
  void advance_polled(NodeContext& context);
  void commit_polled(NodeContext& context);
  void end_poll(NodeContext& context);
  Offset passed_over_end(const AssignedPartition& assigned, Offset done_end) const;
  bool has_queued_records(PartitionId partition) const;
  void pass_over(NodeContext& context, AssignedPartition& assigned, const FetchResponse& response);
  AssignedPartition* next_buffered();
  void poll_buffered(NodeContext& context);
  void on_offset_fetch(NodeContext& context, const OffsetFetchResponse& response);
  // Committed offsets are asked for together where many partitions need them at once (a
  // new assignment): advance() queues each, and one request goes after the loop.
  void send_offset_fetches(NodeContext& context);
  void on_offset_fetches(NodeContext& context, const MultiOffsetFetchResponse& response);
  // The partitions `which` picks ask for their committed offsets again, in one request.
  void ask_offsets_again(NodeContext& context, const std::function<bool(const AssignedPartition&)>& which);
  // The partitions of a request without an answer in time look for their offsets again.
  void retry_offset_fetches(NodeContext& context, std::uint64_t request_id);
  // One partition's commit answered (the coordinator's errors are acted on once per request,
  // in on_commit_responses).
  void on_commit_response(NodeContext& context, const OffsetCommitResponse& response);
  void on_commit_responses(NodeContext& context, const MultiOffsetCommitResponse& response);
  void send_commits(NodeContext& context);
  bool reset_position(AssignedPartition& assigned) const;
  void on_assignment(NodeContext& context, const GroupAssignment& assignment);
  void join(NodeContext& context);
  void commit(NodeContext& context, PartitionId partition, CommittedPosition position);
  void maybe_auto_commit(NodeContext& context);
  void start_processing(NodeContext& context);
  void finish_record(NodeContext& context);
  void on_fetch_timeout(NodeContext& context, const timers::FetchTimeout& timeout);
  void on_fetch_retry(NodeContext& context, PartitionId partition);
  void on_poll_deadline(NodeContext& context, std::uint64_t poll);
  void request_metadata(NodeContext& context);
  bool take_named_leader(NodeContext& context, const FetchResponse& response);
  // Fetches in flight per broker: how the metadata request picks its broker.
  MetadataRefresh::BrokerLoad broker_load() const;
  // Sends to the group coordinator; false (and a lookup started) when none is known.
  bool send_to_coordinator(NodeContext& context, Payload payload);
  // The coordinator failed us (error, reset, timeout): look it up again.
  void lose_coordinator(NodeContext& context);
  void on_metadata(NodeContext& context, NodeId from, const MetadataResponse& metadata);
  void on_group_heartbeat(NodeContext& context);
  // Transaction requests go to the transaction coordinator, TxnOffsetCommit to the group's.
  void send_transaction_payload(NodeContext& context, const Payload& request);
  // Sends every unanswered commit (again) to the coordinator.
  void resend_commits(NodeContext& context);
  // Commit before processing is commitSync: nothing is processed while its commit is unanswered.
  bool waiting_for_commit() const {
    return config_.commit_strategy == CommitStrategy::before_processing && !unanswered_commits_.empty();
  }

  std::uint32_t index_;
  NodeId node_;
  std::uint32_t group_;
  ConsumerGroupConfig config_;
  Sink& sink_;

  std::uint32_t incarnation_ = 0;
  std::vector<AssignedPartition> assigned_;
  // Issue 19: with thousands of partitions per member, scanning assigned_ on every fetch
  // answer and poll was most of a consumer's cost. These only index assigned_ (partition ->
  // slot + 1, 0: not assigned; how many hold a batch in processing) and change nothing it
  // decides.
  std::vector<std::uint32_t> assigned_slot_;
  std::size_t batches_in_processing_ = 0;
  // The partitions holding fetched data, in the order it arrived (Kafka's completedFetches
  // queue), the one a poll left unfinished first (its nextInLineFetch).
  std::deque<PartitionId> buffered_partitions_;
  std::vector<BrokerId> leaders_;  // by partition
  std::vector<SessionFetcher> fetchers_;  // by broker: process memory
  std::vector<BrokerId> fetch_queue_;     // fetchers to send from once the event is handled
  std::vector<bool> fetch_queued_;        // by broker: in fetch_queue_
  std::uint64_t next_fetch_session_ = 0;
  BrokerId coordinator_ = kNoBroker;  // the group coordinator's broker
  TimeNs coordinator_heard_ns_ = 0;               // its last answer
  bool rejoin_after_load_ = false;                // a join met COORDINATOR_LOAD_IN_PROGRESS
  // Commits not answered yet (partition -> offset): sent again to a new coordinator, as
  // commitSync retries NOT_COORDINATOR, before this member joins it.
  std::map<PartitionId, CommittedPosition> unanswered_commits_;
  std::deque<RecordToProcess> queue_;
  bool processing_ = false;
  MetadataRefresh metadata_;  // partition leaders, the group and the transaction coordinators
  TransactionCoordinatorLookup transaction_coordinator_;
  // A transaction request was answered NOT_COORDINATOR (or CONCURRENT_TRANSACTIONS): send it
  // again after retry.backoff.ms.
  void retry_transaction_request(NodeContext& context);
  // The partitions of the last poll and the position after each one's records (what
  // commitSync() commits after them).
  std::vector<std::pair<PartitionId, CommittedPosition>> poll_parts_;
  TimeNs last_auto_commit_ns_ = 0;
  Generation generation_ = kNoGeneration;  // the group generation of the current assignment
  bool in_group_ = false;         // false after leaving (max.poll.interval.ms) until it joins again
  std::uint64_t batches_polled_ = 0;
  std::uint64_t next_request_id_ = 1;
  // Requests for several partitions at once: while collecting, advance() and commit() only
  // queue their partition, and the loop that collects sends one request after it.
  std::vector<OffsetFetchRequest> offset_fetch_outbox_;  // partitions to ask for, not yet sent
  bool collecting_offset_fetches_ = false;
  bool collecting_commits_ = false;
  std::uint64_t next_offset_fetch_id_ = 1;
  std::vector<OffsetCommitRequest> commit_outbox_;  // commits of this message or timer, not yet sent
  bool offset_fetches_after_load_ = false;  // a request met a loading coordinator: ask again
  std::uint32_t transactional_id_ = 0;
  ProducerId producer_id_ = kNoProducerId;
  ProducerEpoch producer_epoch_{0};
  std::int32_t next_transaction_number_ = 0;  // the application's: survives crashes
  ProcessorTransaction transaction_;
  std::uint32_t output_first_ = 0;
  std::uint32_t output_count_ = 0;
  PendingOutput output_;                                 // client state: lost in a crash
  std::map<PartitionId, std::int32_t> output_sequences_;  // idempotence, per output partition
  std::uint32_t output_session_ = 0;   // the application's: a new producer id per session
  std::uint64_t next_output_id_ = 0;   // the application's: output ids stay unique across crashes
};

}  // namespace ksim::kafka
