#pragma once
// Typed history records: one struct per record kind, its fields named for what they hold.
// The model builds records from them and the checker reads records as them (records.h);
// the packed `Record` (history.h, varint-encoded in the RecordLog) stays the storage. A struct's
// `time_ns` is when it happened: the world stamps it, the model leaves it 0.
#include <cstdint>

#include "sim/core/ids.h"
#include "sim/history/history.h"

namespace ksim::history {

// --- write path ---

// The application handed a message to the producer; the first produce attempt is implied.
struct SendRecord {
  NodeId producer = kNoNodeId;
  std::uint64_t message_id = 0;
  PartitionId partition{0};              // chosen by the partitioner
  std::uint64_t key = kNoKey;            // key id
  ProducerEpoch producer_epoch{0};       // of that partition when sent (0 without idempotence)
  std::int64_t transaction = kNoOffset;  // the transactional producer's transaction number
  TimeNs time_ns = 0;
};

// A produce request carrying the message left the producer again: a retry (attempt 1 or
// more) or the application's resend after a restart (attempt 0).
struct SendAttemptRecord {
  NodeId producer = kNoNodeId;
  std::uint64_t message_id = 0;
  PartitionId partition{0};
  std::uint8_t attempt = 0;
  ProducerId producer_id{0};
  ProducerEpoch producer_epoch{0};
  std::int64_t transaction = kNoOffset;  // as on SendRecord
  TimeNs time_ns = 0;
};

// The application was told success; offset is kNoOffset for acks=0 (unknown there).
struct SendAcknowledgedRecord {
  NodeId producer = kNoNodeId;
  std::uint64_t message_id = 0;
  PartitionId partition{0};
  Offset offset = kNoOffsetPosition;
  TimeNs time_ns = 0;
};

// A message arrived in the application but could not be handed to the producer at once
// (send() blocked on buffer.memory, the transactional producer in initTransactions() or
// commitTransaction(), or an earlier message still waiting): it waits in the application's
// backlog, and its SendRecord (or NotSentRecord) comes later. A message sent the moment it
// arrived has no such record: its arrival time is its send time. `arrival_ns` may lie
// before `time_ns`: arrivals while the producer's process was down are taken in when it
// comes back (the upstream held them).
struct ArrivalQueuedRecord {
  NodeId producer = kNoNodeId;
  std::uint64_t message_id = 0;
  std::uint64_t key = kNoKey;
  TimeNs arrival_ns = 0;
  TimeNs time_ns = 0;
};

// The application gave up on a message it never handed to the producer.
struct NotSentRecord {
  NodeId producer = kNoNodeId;
  std::uint64_t message_id = 0;
  NotSentReason reason = NotSentReason::max_block_timeout;
  TimeNs arrival_ns = 0;
  TimeNs time_ns = 0;
};

// The application was told failure.
struct SendFailedRecord {
  NodeId producer = kNoNodeId;
  std::uint64_t message_id = 0;
  PartitionId partition{0};
  ErrorCode error = ErrorCode::none;
  TimeNs time_ns = 0;
};

// A replica appended an entry. A transaction marker (a control record: it takes an offset
// but is no message) has message_id kControlMessageId.
struct AppendRecord {
  NodeId broker = kNoNodeId;
  PartitionId partition{0};
  Offset offset = kNoOffsetPosition;
  std::uint64_t message_id = 0;
  LeaderEpoch leader_epoch{0};  // of the entry
  AppendSource source = AppendSource::follower;
  ProducerId producer_id{0};  // 0 without idempotence
  TimeNs time_ns = 0;
};

// A follower appended the entries of one fetch response: offsets [first_offset,
// first_offset + count) of its log, copied from the log of the leader that answered. The
// message ids are those the source replica holds at these offsets at this point of the
// history (the model writes this record only when that is so, else one AppendRecord per
// entry), so the checker copies them from its replay of the source's log: one record per
// fetch instead of one per message and follower.
struct FollowerAppendRangeRecord {
  NodeId follower = kNoNodeId;
  PartitionId partition{0};
  Offset first_offset = kNoOffsetPosition;
  std::uint64_t count = 0;
  NodeId source_broker = kNoNodeId;  // node of the leader that answered
  LeaderEpoch leader_epoch{0};       // that leader's epoch when it answered
  TimeNs time_ns = 0;
};

// A replica removed its log suffix from `offset` on.
struct TruncateRecord {
  NodeId broker = kNoNodeId;
  PartitionId partition{0};
  Offset offset = kNoOffsetPosition;
  LeaderEpoch leader_epoch{0};  // the one that caused it
  TruncationReason reason = TruncationReason::divergent_epoch;
  TimeNs time_ns = 0;
};

// A replica's high watermark moved: the leader's (HighWatermarkRecord) or a follower's,
// taken from a fetch response (FollowerHighWatermarkRecord).
template <RecordKind Kind>
struct WatermarkRecord {
  NodeId broker = kNoNodeId;
  PartitionId partition{0};
  Offset high_watermark{0};
  LeaderEpoch leader_epoch{0};
  TimeNs time_ns = 0;
};
using HighWatermarkRecord = WatermarkRecord<RecordKind::high_watermark>;
using FollowerHighWatermarkRecord = WatermarkRecord<RecordKind::follower_high_watermark>;

// A partition got a leader (or kNoNode).
struct LeaderElectedRecord {
  NodeId leader = kNoNodeId;
  PartitionId partition{0};
  LeaderEpoch leader_epoch{0};
  bool unclean = false;
  TimeNs time_ns = 0;
};

// A fault happened to a node (any kind of node). A fault whose target was a role
// (`target:` in the scenario) names the role it resolved, with its argument (the
// partition, the group index or the transactional producer's index); `none` for a named
// target. A network fault on a link set (network_begin / network_end, node kNoNode) has
// the fault's index as its argument, to pair its begin and end, and its effects
// (kNetworkCut | ...) in `effects`.
struct FaultRecord {
  NodeId node = kNoNodeId;
  FaultKind fault = FaultKind::crash;
  std::uint64_t duration_ns = 0;
  FaultRole role = FaultRole::none;
  std::uint32_t argument = 0;
  std::uint64_t effects = 0;
  TimeNs time_ns = 0;
};

// --- read path ---

// A consumer's poll returned a record (PollRecord); the application applied the message's
// effect to its database (EffectAppliedRecord); an idempotent sink saw a message id it
// had already applied and skipped it (EffectSkippedRecord).
template <RecordKind Kind>
struct ConsumedRecord {
  NodeId consumer = kNoNodeId;
  GroupIndex group{0};  // consumer group index
  PartitionId partition{0};
  Offset offset = kNoOffsetPosition;
  std::uint64_t message_id = 0;
  TimeNs time_ns = 0;
};
using PollRecord = ConsumedRecord<RecordKind::poll>;
using EffectAppliedRecord = ConsumedRecord<RecordKind::effect_applied>;
using EffectSkippedRecord = ConsumedRecord<RecordKind::effect_skipped>;

// One consumer poll() call returned `record_count` records of one partition, starting at
// `first_offset`; its PollRecords follow. A poll over several partitions writes one per
// partition, together. Jepsen's internal anomalies (int-poll-skip, int-nonmonotonic-poll)
// are judged within one call, between records of one partition.
struct PollCallRecord {
  NodeId consumer = kNoNodeId;
  GroupIndex group{0};
  PartitionId partition{0};
  Offset first_offset = kNoOffsetPosition;
  std::uint64_t record_count = 0;
  TimeNs time_ns = 0;
};

// A consume-transform-produce application processed the message inside its Kafka
// transaction: its effect (the output record) is visible iff that transaction committed.
struct EffectInTransactionRecord {
  NodeId consumer = kNoNodeId;
  GroupIndex group{0};
  PartitionId partition{0};
  Offset offset = kNoOffsetPosition;
  std::uint64_t message_id = 0;
  std::int32_t transaction = 0;  // the consumer's number (TransactionEndedRecord's producer is the consumer)
  TimeNs time_ns = 0;
};

enum class CommitStage : std::uint8_t {
  failed = 0,
  sent = 1,          // the application's commit; for offsets sent to a transaction, recorded by
                     // the group coordinator when the COMMIT marker reaches the high watermark
  acknowledged = 2,  // the coordinator replicated it to the offsets partition's ISR
};

// A consumer committed an offset (the next offset to read).
struct OffsetCommittedRecord {
  NodeId consumer = kNoNodeId;
  GroupIndex group{0};
  PartitionId partition{0};
  Offset offset = kNoOffsetPosition;
  CommitStage stage = CommitStage::failed;
  TimeNs time_ns = 0;
};

// A consumer was assigned a partition (PartitionAssignedRecord) or gave it up
// (PartitionRevokedRecord, with the end of what it had processed).
template <RecordKind Kind>
struct PartitionOwnershipRecord {
  NodeId consumer = kNoNodeId;
  GroupIndex group{0};
  PartitionId partition{0};
  Offset processed_end = kNoOffsetPosition;
  TimeNs time_ns = 0;
};
using PartitionAssignedRecord = PartitionOwnershipRecord<RecordKind::partition_assigned>;
using PartitionRevokedRecord = PartitionOwnershipRecord<RecordKind::partition_revoked>;

// --- transactions ---

// The transaction coordinator decided a transaction's fate (the PrepareCommit or
// PrepareAbort entry of its log; markers follow). A transaction with no decision record
// never reached the coordinator: nothing of it is visible.
struct TransactionEndedRecord {
  NodeId producer = kNoNodeId;   // whose transaction it is
  std::int64_t transaction = 0;  // as on that producer's send records
  ProducerId producer_id{0};
  ProducerEpoch producer_epoch{0};
  bool committed = false;
  TimeNs time_ns = 0;
};

// --- group coordinator (they explain, they judge nothing) ---

// A broker became the group coordinator (leader of the offsets partition) and loaded the
// committed offsets from its replica log.
struct CoordinatorLoadedRecord {
  NodeId broker = kNoNodeId;
  LeaderEpoch leader_epoch{0};  // of the offsets partition
  std::int64_t entries_replayed = 0;
  std::uint64_t offsets_loaded = 0;
  TimeNs time_ns = 0;
};

// One committed offset that load found.
struct CommittedOffsetLoadedRecord {
  NodeId broker = kNoNodeId;
  GroupIndex group{0};
  PartitionId partition{0};
  Offset offset = kNoOffsetPosition;
  LeaderEpoch leader_epoch{0};  // as on CoordinatorLoadedRecord
  TimeNs time_ns = 0;
};

// --- replication state ---

// The controller changed a partition's ISR (its committed state: an accepted
// AlterPartition, a fenced broker's removal, an unclean election's new ISR, and the
// initial ISR at bootstrap).
struct IsrChangedRecord {
  NodeId leader = kNoNodeId;
  PartitionId partition{0};
  LeaderEpoch leader_epoch{0};
  std::uint64_t isr_mask = 0;  // bit i set: PartitionEntry::replicas[i] is in the ISR
  TimeNs time_ns = 0;
};

// --- pipelines ---

// A processor (a consumer group member with an output topic) produced `output_message_id`
// from the input message `input_message_id` it read at (`partition`, `offset`). The output
// record's own SendRecord follows (its producer is the member's node). The link the checker
// follows each input message through to the downstream group's effect by (issue 15 item 6).
struct OutputProducedRecord {
  NodeId consumer = kNoNodeId;
  GroupIndex group{0};
  PartitionId partition{0};  // of the input record
  Offset offset = kNoOffsetPosition;
  std::uint64_t input_message_id = 0;
  std::uint64_t output_message_id = 0;
  TimeNs time_ns = 0;
};

// --- the controller quorum ---

// A controller became the active controller: elected by a majority of the quorum for
// `epoch` (KIP-595's epoch, the controller epoch brokers fence older controllers with), and
// its first entry of that epoch committed, so it now acts on the metadata.
struct ControllerElectedRecord {
  NodeId controller = kNoNodeId;  // node index
  std::int32_t epoch = 0;
  TimeNs time_ns = 0;
};

}  // namespace ksim::history
