#pragma once
// The run history: an append-only record of everything observable that happened in a
// run, in the order it happened. The model writes it; the checker reads only it. A
// record is a small fixed-size value; what a field means depends on the kind, as
// documented on each kind below. Names of nodes and partitions live in the header
// tables, so a history can be judged (and explained) without any model object.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sim/core/sim_time.h"
#include "sim/history/acks.h"
#include "sim/history/record_log.h"

namespace ksim::history {

inline constexpr std::uint64_t kNoKey = std::numeric_limits<std::uint64_t>::max();
inline constexpr std::int64_t kNoOffset = -1;

enum class RecordKind : std::uint8_t {
  // --- write path ---
  // node = producer, message_id, partition (chosen by the partitioner), extra = key id or kNoKey,
  // epoch = the producer epoch of that partition when it was sent (0 without idempotence),
  // offset = the producer's transaction number for a transactional producer (see
  // transaction_ended), kNoOffset otherwise.
  send,
  // The application was told success. node = producer, message_id, partition, offset (kNoOffset
  // for acks=0, where the offset is unknown).
  send_acknowledged,
  // The application was told failure. node = producer, message_id, partition, detail = ErrorCode.
  send_failed,
  // A produce request carrying the message left the producer again: a retry (detail =
  // attempt number, 1 or more) or the application's resend after a restart (detail 0). The
  // first attempt is implied by `send`. node = producer, message_id, partition, extra =
  // producer id, epoch = producer epoch, offset = transaction number (as on `send`).
  send_attempt,
  // A replica appended the message. node = broker, partition, offset, message_id, epoch = leader
  // epoch of the entry, detail = AppendSource, extra = producer id (0 without idempotence).
  // A transaction marker (a control record: it takes an offset but is no message) has
  // message_id kControlMessageId.
  append,
  // A follower appended the entries of one fetch response: offsets [offset, offset + extra)
  // of its log, copied from the log of the leader that answered. node = follower broker,
  // partition, offset = first offset, extra = number of entries, message_id = node of the
  // source (leader) broker, epoch = that leader's epoch when it answered. The message ids
  // are those the source replica holds at these offsets at this point of the history (the
  // model writes this record only when that is so, else one `append` per entry), so the
  // checker copies them from its replay of the source's log. One record per fetch instead
  // of one per message and follower.
  follower_append_range,
  // A replica removed its log suffix from `offset` on. node = broker, partition,
  // detail = TruncationReason, epoch = the leader epoch that caused it.
  truncate,
  // The high watermark of the leader moved. node = leader broker, partition, offset = new HW.
  high_watermark,
  // A partition got a leader. node = new leader broker (or kNoNode), partition, epoch = new
  // leader epoch, detail = 1 if the election was unclean.
  leader_elected,
  // A fault happened to a node (any kind of node). node, detail = FaultKind, extra = duration ns.
  fault,
  // --- read path ---
  // A consumer's poll returned a record. node = consumer, partition, offset, message_id,
  // extra = consumer group index.
  poll,
  // The application applied the message's effect to its database. node = consumer, message_id,
  // partition, offset, extra = group index.
  effect_applied,
  // An idempotent sink saw a message id it had already applied and skipped it. Same fields.
  effect_skipped,
  // A consume-transform-produce application processed the message inside its Kafka
  // transaction: its effect (the output record) is visible iff that transaction committed.
  // node = consumer, message_id, partition, offset, extra = group index, epoch = the
  // consumer's transaction number (see transaction_ended, whose node is the consumer).
  effect_in_transaction,
  // A consumer committed an offset (the next offset to read). node = consumer, partition,
  // offset, extra = group index, detail = 1 sent (the application's commit), 2 the
  // coordinator acknowledged it (replicated to the offsets partition's ISR), 0 failure.
  // Offsets sent to a transaction are recorded (detail 1) by the group coordinator when
  // the COMMIT marker reaches the offsets partition's high watermark.
  offset_committed,
  // A consumer was assigned a partition. node = consumer, partition, extra = group index.
  partition_assigned,
  // A consumer gave up a partition. Same fields.
  partition_revoked,
  // --- transactions ---
  // The transaction coordinator decided a transaction's fate (the PrepareCommit or
  // PrepareAbort entry of its log; markers follow). node = the producer whose transaction
  // it is, offset = that producer's transaction number (as on its send records), extra =
  // producer id, epoch = producer epoch, detail = 1 committed / 0 aborted. A transaction
  // with no decision record never reached the coordinator: nothing of it is visible.
  transaction_ended,
  // --- group coordinator (the checker ignores these: they explain, they judge nothing) ---
  // A broker became the group coordinator (leader of the offsets partition) and loaded the
  // committed offsets from its replica log. node = broker, epoch = the offsets partition's
  // leader epoch, offset = log entries replayed, extra = committed offsets loaded.
  coordinator_loaded,
  // One committed offset that load found. node = broker, partition, offset, extra = group
  // index, epoch = as on coordinator_loaded.
  committed_offset_loaded,
  // --- replication state (judged by the safety invariants, sim/check/invariants.cpp) ---
  // The controller changed a partition's ISR (its committed state: an accepted
  // AlterPartition, a fenced broker's removal, an unclean election's new ISR, and the
  // initial ISR at bootstrap). node = the partition's leader broker (or kNoNode), partition,
  // epoch = leader epoch, extra = the new ISR as a bitmask over positions in
  // PartitionEntry::replicas (bit i set: replicas[i] is in the ISR).
  isr_changed,
  // A follower's high watermark moved (taken from a fetch response). node = follower
  // broker, partition, offset = its new HW, epoch = its leader epoch.
  follower_high_watermark,
};

// What an append record's detail says about where the entry came from.
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
};

enum class TruncationReason : std::uint8_t {
  divergent_epoch,      // KIP-101/KIP-320: the follower's suffix is not in the leader's log
  high_watermark,       // pre-KIP-101: truncated to its own high watermark on becoming follower
  power_failure,        // the unflushed tail was lost when the machine lost power
};

enum class FaultKind : std::uint8_t {
  crash,           // the process dies; the page cache survives
  power_failure,   // the machine dies; unflushed data is lost
  restart,
  pause_begin,     // alive but silent (a GC pause)
  pause_end,
  partition_begin, // a network partition starts (node = first node of the fault's targets)
  partition_end,
};

inline constexpr std::uint32_t kNoNode = std::numeric_limits<std::uint32_t>::max();

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
  std::vector<std::uint32_t> replicas;  // broker node indices, in assignment order
  std::uint32_t min_insync_replicas = 1;
  bool unclean_leader_election_enable = false;
  bool strict_min_isr = false;            // KIP-966: HW frozen while ISR < min.insync.replicas
  bool truncate_to_high_watermark = false;  // pre-KIP-101 follower truncation (A6)
};

// How each producer was configured, so the checker can explain what it sees.
struct ProducerEntry {
  std::uint32_t node = kNoNode;
  Acks acks = Acks::all;
  bool idempotence = false;
  std::uint32_t max_in_flight = 5;
  bool transactional = false;  // transactional.id set: sends are answered when their transaction ends
};

struct ConsumerGroupEntry {
  std::string name;
  std::string commit_strategy;  // "auto", "before-processing", "after-processing", "async", "transactional"
  bool idempotent_sink = false;
  std::vector<std::uint32_t> partitions;  // partitions the group reads
  bool read_committed = false;  // isolation.level
};

struct History {
  std::vector<NodeEntry> nodes;
  std::vector<PartitionEntry> partitions;
  std::vector<PartitionReplication> replication;  // by partition index; may be shorter
  std::vector<ProducerEntry> producers;
  std::vector<ConsumerGroupEntry> groups;
  RecordLog records;  // packed, in fixed blocks: see record_log.h
  TimeNs workload_end_ns = 0;  // when the workload phase ended and the drain began
  TimeNs end_ns = 0;           // when the run ended
  bool drain_completed = false;  // false if a bound stopped the drain

  void add(const Record& record) { records.push_back(record); }
};

}  // namespace ksim::history
