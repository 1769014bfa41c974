#pragma once
// The run history: an append-only record of everything observable that happened in a
// run, in the order it happened. The model writes it; the checker reads only it. A
// record is a small fixed-size value whose fields mean different things by kind: build and
// read records through records.h, which maps them. Names of nodes and partitions live in
// the header tables, so a history can be judged (and explained) without any model object.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sim/core/ids.h"
#include "sim/core/sim_time.h"
#include "sim/history/acks.h"
#include "sim/history/record_log.h"

namespace ksim::history {

inline constexpr std::uint64_t kNoKey = std::numeric_limits<std::uint64_t>::max();
inline constexpr std::int64_t kNoOffset = -1;

// What a record is about. Which field of `Record` holds what depends on the kind: each kind
// has its typed struct in record_types.h (documented there, once), and records.h builds and
// reads records only through those.
enum class RecordKind : std::uint8_t {
  // --- write path ---
  send,                   // SendRecord
  send_acknowledged,      // SendAcknowledgedRecord
  send_failed,            // SendFailedRecord
  send_attempt,           // SendAttemptRecord
  append,                 // AppendRecord
  follower_append_range,  // FollowerAppendRangeRecord
  truncate,               // TruncateRecord
  high_watermark,         // HighWatermarkRecord
  leader_elected,         // LeaderElectedRecord
  fault,                  // FaultRecord
  // --- read path ---
  poll,                   // PollRecord
  effect_applied,         // EffectAppliedRecord
  effect_skipped,         // EffectSkippedRecord
  effect_in_transaction,  // EffectInTransactionRecord
  offset_committed,       // OffsetCommittedRecord
  partition_assigned,     // PartitionAssignedRecord
  partition_revoked,      // PartitionRevokedRecord
  // --- transactions ---
  transaction_ended,      // TransactionEndedRecord
  // --- group coordinator (the checker ignores these: they explain, they judge nothing) ---
  coordinator_loaded,       // CoordinatorLoadedRecord
  committed_offset_loaded,  // CommittedOffsetLoadedRecord
  // --- replication state (judged by the safety invariants, sim/check/invariants.cpp) ---
  isr_changed,              // IsrChangedRecord
  follower_high_watermark,  // FollowerHighWatermarkRecord
  // --- the application in front of the producer (issue 13: every mode does the same work) ---
  arrival_queued,  // ArrivalQueuedRecord
  not_sent,        // NotSentRecord
  // --- read path, added later (kinds keep their numbers) ---
  poll_call,  // PollCallRecord: one poll() call's boundary, before the PollRecords it returned
  // --- the KRaft controller quorum (explains failovers; the checker judges nothing by it) ---
  controller_elected,  // ControllerElectedRecord
  // --- pipelines (issue 15 item 6): a processor's output record and the input it came from ---
  output_produced,  // OutputProducedRecord
};

// Where an appended entry came from (AppendRecord::source).
enum class AppendSource : std::uint8_t {
  follower = 0,        // replicated from the leader
  leader = 1,          // a producer's record, appended by the leader
  commit_marker = 2,   // a COMMIT control record written by the leader for the coordinator
  abort_marker = 3,    // an ABORT control record
};

// Control records (transaction markers) carry this message id; real ids are never 0.
inline constexpr std::uint64_t kControlMessageId = 0;

enum class ErrorCode : std::uint8_t {
  none,
  request_timeout,
  delivery_timeout,
  not_leader_or_follower,
  not_enough_replicas,
  not_enough_replicas_after_append,
  out_of_order_sequence,
  producer_fenced,
  network_exception,
  illegal_generation,  // an offset commit from a member of an older group generation
  transaction_aborted, // the send was part of a transaction that aborted
  concurrent_transactions,  // the coordinator is still completing the previous transaction
  not_coordinator,          // a group request reached a broker that is not the group coordinator
  // send() of a resend blocked on buffer.memory for max.block.ms: KafkaProducer throws a
  // TimeoutException and the application takes it as this send's failure.
  max_block_timeout,
  // KIP-890 part 1 (Kafka 3.6): the partition leader's verification found the partition in
  // no ongoing transaction of the producer's epoch, so the transactional write was refused.
  invalid_txn_state,
  // A consumer's fetch offset lies past the leader's log end (the log was truncated under
  // its position): Kafka's OFFSET_OUT_OF_RANGE, after which the consumer applies
  // auto.offset.reset (Fetcher.handleOffsetOutOfRange). Never recorded in a history.
  offset_out_of_range,
  // COORDINATOR_LOAD_IN_PROGRESS: the broker leads the coordinator's internal partition but is
  // still loading it (TransactionStateManager / GroupMetadataManager, 0.11 to 4.1): the
  // client backs off retry.backoff.ms and asks the same coordinator again, without a new
  // lookup. Never recorded in a history.
  coordinator_load_in_progress,
};

// Why the application gave up on a message it never handed to the producer (NotSentRecord).
enum class NotSentReason : std::uint8_t {
  // send() blocked for max.block.ms waiting for buffer.memory and threw TimeoutException
  // (KafkaProducer.send, BufferPool.allocate; Kafka 0.9+, max.block.ms since KIP-19).
  max_block_timeout,
  // The application's bounded queue (the scenario's `application_queue`) was full when the
  // message arrived.
  application_queue_full,
  // The record alone is larger than buffer.memory or max.request.size: KafkaProducer.send
  // throws RecordTooLargeException without blocking (ensureValidRecordSize).
  record_too_large,
};

enum class TruncationReason : std::uint8_t {
  divergent_epoch,      // KIP-101/KIP-320: the follower's suffix is not in the leader's log
  high_watermark,       // pre-KIP-101: truncated to its own high watermark on becoming follower
  power_failure,        // the unflushed tail was lost when the machine lost power
  leader_log_end,       // the follower's log reached past the leader's log end (OFFSET_OUT_OF_RANGE)
};

enum class FaultKind : std::uint8_t {
  crash,           // the process dies; the page cache survives
  power_failure,   // the machine dies; unflushed data is lost
  restart,
  pause_begin,     // alive but silent (a GC pause)
  pause_end,
  partition_begin, // a network partition starts (node = first node of the fault's targets)
  partition_end,
  // A broker's process stopped at the end of a controlled shutdown: its leaderships had
  // moved and its logs were flushed first (restart follows, as after a crash).
  shutdown,
  network_begin,  // a network fault on a set of directed links (cut, latency, loss, bandwidth) starts
  network_end,
};

// What a fault's target was, when the scenario named a role rather than a node; resolved
// when the fault fired.
enum class FaultRole : std::uint8_t {
  none,
  leader,                   // leader of a partition
  follower,                 // a follower of a partition: the first replica, in assignment order, not leading it
  controller,               // the active controller
  group_coordinator,        // coordinator of a consumer group
  transaction_coordinator,  // coordinator of a transactional id
  random_broker,            // drawn from the seed
  random_client,
};

// The effects of a network fault (FaultRecord::effects).
inline constexpr std::uint64_t kNetworkCut = 1, kNetworkLatency = 2, kNetworkLoss = 4, kNetworkBandwidth = 8;

inline constexpr std::uint32_t kNoNode = std::numeric_limits<std::uint32_t>::max();

// The packed form every kind shares (RecordLog stores it as varints, about 12 bytes); records.h maps each
// kind's typed struct onto these fields.
struct Record {
  TimeNs time_ns = 0;
  std::uint64_t message_id = 0;
  std::int64_t offset = kNoOffset;
  std::uint64_t extra = 0;
  std::uint32_t node = kNoNode;
  std::uint32_t partition = 0;
  std::int32_t epoch = 0;
  RecordKind kind = RecordKind::send;
  std::uint8_t detail = 0;

  bool operator==(const Record&) const = default;
};

struct NodeEntry {
  std::string name;  // "broker-1", "producer-0", "consumer-2"
  std::string kind;  // "broker", "producer", "consumer", "controller"
};

struct PartitionEntry {
  std::string topic;
  std::uint32_t index = 0;  // partition number within its topic
};

// A partition's replication configuration, so the checker can tell which of Kafka's
// promises applied (History::replication, by partition index). A partition without one
// (older or hand-built histories) is not judged by the invariants that need it.
struct PartitionReplication {
  std::vector<NodeId> replicas;  // brokers, in assignment order
  std::uint32_t min_insync_replicas = 1;
  bool unclean_leader_election_enable = false;
  bool strict_min_isr = false;            // KIP-966: HW frozen while ISR < min.insync.replicas
  bool truncate_to_high_watermark = false;  // pre-KIP-101 follower truncation (A6)
};

// How each producer was configured, so the checker can explain what it sees.
struct ProducerEntry {
  NodeId node = kNoNodeId;
  Acks acks = Acks::all;
  bool idempotence = false;
  std::uint32_t max_in_flight = 5;
  bool transactional = false;  // transactional.id set: sends are answered when their transaction ends
};

struct ConsumerGroupEntry {
  std::string name;
  std::string commit_strategy;  // "auto", "before-processing", "after-processing", "async", "transactional"
  bool idempotent_sink = false;
  std::vector<PartitionId> partitions;  // partitions the group reads
  bool read_committed = false;  // isolation.level
  // A processor group (issue 15 item 6): the partitions of the topic it writes one output
  // record per input record to (OutputProducedRecord links each to its input); empty: none.
  std::vector<PartitionId> output_partitions;
};

struct History {
  std::vector<NodeEntry> nodes;
  std::vector<PartitionEntry> partitions;
  std::vector<PartitionReplication> replication;  // by partition index; may be shorter
  std::vector<ProducerEntry> producers;
  std::vector<ConsumerGroupEntry> groups;
  RecordLog records;  // varint-encoded, in fixed blocks: see record_log.h
  TimeNs workload_end_ns = 0;  // when the workload phase ended and the drain began
  TimeNs end_ns = 0;           // when the run ended
  bool drain_completed = false;  // false if a bound stopped the drain
  // A client history (`ksim check-history`): only what clients saw (send, send_acknowledged,
  // send_failed, poll, effects, assignments), no replica appends, so offsets a consumer
  // passes over cannot be told markers from records by the logs (sim/check/jepsen.cpp).
  bool client_only = false;

  void add(const Record& record) { records.push_back(record); }
};

}  // namespace ksim::history
