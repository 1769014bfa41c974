#pragma once
// The messages nodes exchange over the network, one struct per Kafka request or
// response that the model needs. Every one of them crosses the lossy network, so loss,
// delay, duplication and partitions reach produce, fetch, heartbeats and elections alike.
#include <cstdint>
#include <memory>
#include <variant>
#include <vector>

#include "sim/history/history.h"
#include "sim/kafka/log/replica_log.h"
#include "sim/kafka/log/transaction_index.h"
#include "sim/kafka/wire/partition_state.h"

namespace ksim::kafka {

using ErrorCode = history::ErrorCode;

struct ProducedRecord {
  std::uint64_t message_id = 0;
};

// A request or answer of one part per partition, all under the request's id (Kafka's
// requests list topics and partitions; ksim's per-partition messages are the parts).
template <class Part>
struct Parts {
  std::uint64_t request_id = 0;
  std::vector<Part> partitions;
};

struct ProduceRequest {
  PartitionId partition{};
  std::uint64_t request_id = 0;  // producer-local, to match the response
  history::Acks acks = history::Acks::all;
  ProducerId producer_id = kNoProducerId;
  ProducerEpoch producer_epoch{0};
  std::int32_t base_sequence = -1;
  bool transactional = false;  // part of the producer's open transaction
  std::uint32_t transactional_id = 0;  // which transactional.id (the producer's index), when transactional
  std::vector<ProducedRecord> records;
};

struct ProduceResponse {
  PartitionId partition{};
  std::uint64_t request_id = 0;
  ErrorCode error = ErrorCode::none;
  Offset base_offset = kNoOffsetPosition;
  // KIP-951 (v10, Kafka 3.7): with NOT_LEADER_OR_FOLLOWER, the leader the answering broker
  // knows for the partition (kNoBroker: none known, or a broker before 3.7).
  BrokerId current_leader = kNoBroker;
  LeaderEpoch current_leader_epoch = kNoLeaderEpoch;
};

// A producer's request to one broker: a batch for each of several partitions it leads, as
// the Sender drains the RecordAccumulator per node (at most one batch per partition per
// request: RecordAccumulator.drain, all versions). Each part carries the request's id. The
// broker answers once every part is answered (acks=all: each has reached the high
// watermark; DelayedProduce waits for all the request's partitions). A processor's
// output record still goes as a single ProduceRequest.
using MultiProduceRequest = Parts<ProduceRequest>;
using MultiProduceResponse = Parts<ProduceResponse>;

// A consumer's fetch_offset asking for the current end of the readable log.
inline constexpr Offset kLatestOffset{-2};
// A member with no group generation yet (JoinGroup's first join, a commit outside a group).
inline constexpr Generation kNoGeneration{-1};

// One partition's question within a SessionFetchRequest, as the leader answers it.
struct FetchRequest {
  PartitionId partition{};
  bool from_follower = false;      // a replica's fetch (updates its LEO) or a consumer's
  Offset fetch_offset{};
  TimeNs max_wait_ns = 0;          // replica.fetch.wait.max.ms / fetch.max.wait.ms (long poll)
  LeaderEpoch current_leader_epoch = kNoLeaderEpoch;  // KIP-320 fencing
  LeaderEpoch last_fetched_epoch = kNoLeaderEpoch;    // KIP-101/595 divergence check; -1 skips it
  std::uint32_t max_records = 500;
  bool read_committed = false;            // isolation.level: read below the last stable offset only
};

struct FetchResponse {
  PartitionId partition{};
  ErrorCode error = ErrorCode::none;
  LeaderEpoch leader_epoch = kNoLeaderEpoch;
  Offset high_watermark{};
  Offset fetch_offset{};
  LeaderEpoch diverging_epoch = kNoLeaderEpoch;  // >= 0: the follower diverged after this epoch...
  Offset diverging_end_offset = kNoOffsetPosition;  // ...which ends here in the leader's log: truncate, then fetch again
  // >= 0: a follower's fetch offset was past the leader's log end, which is this offset
  // (Kafka's OFFSET_OUT_OF_RANGE, after which the follower asks for the leader's log end).
  Offset leader_log_end_offset = kNoOffsetPosition;
  // KIP-951 (v16, Kafka 3.7): with NOT_LEADER_OR_FOLLOWER, the leader the answering broker
  // knows for the partition, whose epoch is then `leader_epoch` (kNoBroker: none known, or a
  // broker before 3.7).
  BrokerId current_leader = kNoBroker;
  std::vector<LogEntry> entries;     // entries from fetch_offset on
  // read_committed: the aborted transactions among the entries, whose records the
  // consumer skips (Kafka's FetchResponse.AbortedTransactions).
  std::vector<AbortedTransaction> aborted;
};

// A follower's replica fetcher sends one fetch per leader broker for every partition it
// follows there (num.replica.fetchers=1, the default: AbstractFetcherThread, all versions),
// and a consumer one per broker for every fetchable partition it leads (the Java consumer's
// Fetcher, one fetch in flight per node, all versions), within a fetch session (KIP-227,
// Kafka 1.1): a full fetch (session_epoch 0) lists every partition and opens the session;
// each later, incremental one lists only the partitions whose fetch position changed or
// that joined, and names those the fetcher dropped. The leader keeps the rest as they were
// last listed.
struct FetchPosition {
  PartitionId partition{};
  Offset fetch_offset{};
  LeaderEpoch current_leader_epoch = kNoLeaderEpoch;  // KIP-320 fencing
  LeaderEpoch last_fetched_epoch = kNoLeaderEpoch;    // KIP-101/595 divergence check; -1 skips it
  friend bool operator==(const FetchPosition&, const FetchPosition&) = default;
};

struct SessionFetchRequest {
  std::uint64_t session_id = 0;     // the fetcher's session, chosen by the requester here
  std::uint32_t session_epoch = 0;  // 0: a full fetch; then 1, 2, ... (FetchMetadata)
  std::uint64_t request_id = 0;     // requester-local, to match the response
  std::vector<FetchPosition> partitions;
  std::vector<PartitionId> forgotten;  // KIP-227's forgotten_topics_data
  std::uint32_t max_records = 500;     // per partition (replica.fetch.max.bytes / max.poll.records)
  TimeNs max_wait_ns = 0;              // replica.fetch.wait.max.ms / fetch.max.wait.ms (long poll)
  // A follower's fetch (it reads to the log end and its position is its progress) or a
  // consumer's (it reads below the high watermark, and below the last stable offset when
  // read_committed).
  bool from_follower = true;
  bool read_committed = false;
};

struct SessionFetchResponse {
  std::uint64_t request_id = 0;
  // FETCH_SESSION_ID_NOT_FOUND / INVALID_FETCH_SESSION_EPOCH: the leader holds no such
  // session (it restarted, or a request was lost); the requester's next fetch is a full one.
  bool session_error = false;
  // KIP-227: only the partitions with something new (records, an error, a divergence, or,
  // for a follower, a high watermark it was not yet told).
  std::vector<FetchResponse> partitions;
};

struct BrokerHeartbeat {
  std::uint32_t incarnation = 0;
  bool want_shutdown = false;  // KRaft's controlled shutdown (KIP-631): move my leaderships away
  // The metadata the broker has (KIP-631's BrokerHeartbeatRequest.CurrentMetadataOffset):
  // the controller sends a newer image in answer, so a lost MetadataUpdate is repaired.
  MetadataVersion metadata;
};

struct BrokerHeartbeatResponse {
  bool should_shutdown = false;  // the controller moved the broker's leaderships: it may stop
  std::int32_t controller_epoch = 0;  // 0: from the single controller of a quorum of 1
  // NOT_CONTROLLER: from a controller that is not the active one, with the node it
  // believes active (or kNoNodeId); the broker sends its next heartbeat there.
  bool not_controller = false;
  NodeId active_controller = kNoNodeId;
};

// The controller's decision for one partition, sent to each of its replicas.
struct LeaderAndIsr {
  PartitionId partition{};
  BrokerId leader = kNoBroker;
  LeaderEpoch leader_epoch{};
  std::int32_t partition_epoch = 0;         // bumps on every ISR change too
  std::vector<BrokerId> isr;
  std::vector<BrokerId> replicas;
  // The epoch of the controller that sent it: a broker ignores decisions of a controller
  // older than one it has heard from (a deposed controller is fenced, KIP-631).
  std::int32_t controller_epoch = 0;
};

// The controller's decisions for one broker, sent together: those of one controller event
// (one broker fenced moves all its leaderships at once). Kafka batches them so
// (ControllerBrokerRequestBatch, ZooKeeper mode; a KRaft broker applies a metadata delta
// in one step, ReplicaManager.applyDelta), and the broker's replica fetchers take the
// new partitions together (ReplicaFetcherManager.addFetcherForPartitions).
struct LeaderAndIsrRequest {
  std::vector<LeaderAndIsr> partitions;
};

// A leader asks the controller to change the ISR (shrink or expand).
struct AlterPartition {
  PartitionId partition{};
  LeaderEpoch leader_epoch{};
  std::int32_t partition_epoch = 0;
  std::vector<BrokerId> new_isr;
};

// The active controller's metadata image, sent to every broker when it changes (KRaft
// brokers replay the controller's metadata log into their KRaftMetadataCache, KIP-500 and
// KIP-631, Kafka 2.8+; ZooKeeper-era controllers sent UpdateMetadataRequest to every broker
// for the same cache, ZkMetadataCache). Shared and immutable: one image goes to every broker.
struct MetadataUpdate {
  std::shared_ptr<const MetadataImage> image;
};

// A client's Metadata request, sent to a broker it chooses (NetworkClient.leastLoadedNode),
// answered from that broker's metadata cache.
struct MetadataRequest {};

struct MetadataResponse {
  std::vector<BrokerId> leaders;  // per partition of the user topic, or kNoBroker
  std::vector<LeaderEpoch> leader_epochs;
  // The group coordinator: the leader of the offsets partition (FindCoordinator folded
  // into metadata), or kNoBroker while it has none.
  BrokerId coordinator = kNoBroker;
  // The transaction coordinators: the leader of each __transaction_state partition (FindCoordinator
  // with key type transaction, folded into metadata the same way), kNoBroker while it has none.
  std::vector<BrokerId> transaction_coordinators;
  // The brokers the answering broker's cache holds unfenced (MetadataResponse.brokers): the
  // nodes the client may ask next.
  std::vector<BrokerId> live_brokers;
};



}  // namespace ksim::kafka

namespace ksim::kafka {

// Committed offsets live with the group coordinator, on the broker leading the offsets
// partition; a broker that is not the coordinator answers NOT_COORDINATOR.
// What a consumer commits for a partition, and what OffsetFetch returns: the next offset to
// read and the leader epoch of the record before it (KIP-320; -1: none).
struct CommittedPosition {
  Offset offset = kNoOffsetPosition;
  LeaderEpoch leader_epoch = kNoLeaderEpoch;
};

struct OffsetCommitRequest {
  std::uint32_t group = 0;
  PartitionId partition{};
  Offset offset{};  // the next offset to read
  std::uint64_t request_id = 0;
  Generation generation = kNoGeneration;  // the member's group generation; a stale one is refused
  // KIP-320 (OffsetCommit v6, Kafka 2.1): the leader epoch of the last record read before
  // `offset`, so that a consumer resuming there can detect a truncation below it; -1: none.
  LeaderEpoch leader_epoch = kNoLeaderEpoch;
};

// Consumer group membership (the classic eager protocol, JoinGroup + SyncGroup folded
// into one exchange): a member joins, the coordinator bumps the generation and sends
// every member its partitions; members heartbeat; a member that stops is evicted.
struct JoinGroupRequest {
  std::uint32_t group = 0;
  // The generation of the member's current assignment (-1: none). A rejoin at the
  // generation the coordinator last sent confirms that the member has given up what that
  // assignment took away (KIP-429's follow-up rebalance waits for it).
  Generation generation = kNoGeneration;
  // The partitions the member holds: a coordinator that has just taken over (it does not
  // log membership) adopts the member with them instead of rebalancing.
  std::vector<PartitionId> owned;
};

struct LeaveGroupRequest {
  std::uint32_t group = 0;
};

struct GroupAssignment {
  std::uint32_t group = 0;
  Generation generation{};
  std::vector<PartitionId> partitions;
};

struct GroupHeartbeat {
  std::uint32_t group = 0;
  Generation generation{};
};

struct GroupHeartbeatResponse {
  std::uint32_t group = 0;
  bool rejoin = false;  // not a member (evicted) or a stale generation: join again
  ErrorCode error = ErrorCode::none;  // not_coordinator: find the coordinator, then join
};

struct OffsetCommitResponse {
  PartitionId partition{};
  std::uint64_t request_id = 0;
  ErrorCode error = ErrorCode::none;
  Offset offset{};  // the offset committed (or not)
};

// A member's commits of several partitions in one request (Kafka's OffsetCommitRequest
// lists partitions: commitSync/commitAsync of a map, auto-commit of every consumed
// position, all versions); each part carries the request's id. The coordinator answers
// once every part is answered (replicated, refused or stale).
using MultiOffsetCommitRequest = Parts<OffsetCommitRequest>;
using MultiOffsetCommitResponse = Parts<OffsetCommitResponse>;

struct OffsetFetchRequest {
  std::uint32_t group = 0;
  PartitionId partition{};
};

// A member asks for the committed offsets of all the partitions it needs at once (Kafka's
// OffsetFetchRequest lists partitions; ConsumerCoordinator.refreshCommittedOffsetsIfNeeded
// fetches every newly assigned partition in one request, all versions).
using MultiOffsetFetchRequest = Parts<OffsetFetchRequest>;

struct OffsetFetchResponse {
  PartitionId partition{};
  Offset offset = kNoOffsetPosition;  // -1: nothing committed yet
  // An open transaction holds offsets for this partition (Kafka's UNSTABLE_OFFSET_COMMIT
  // to a require_stable fetch): ask again once it ended.
  bool unstable = false;
  LeaderEpoch leader_epoch = kNoLeaderEpoch;      // committed with the offset (KIP-320); -1: none
};

struct MultiOffsetFetchResponse {
  std::uint64_t request_id = 0;
  ErrorCode error = ErrorCode::none;  // the coordinator's (not_coordinator, load in progress)
  std::vector<OffsetFetchResponse> partitions;
};

}  // namespace ksim::kafka

namespace ksim::kafka {

// TCP, as far as clients can tell: a message reaching a host whose process crashed (the
// machine is up) is answered by the host's kernel with a reset; a powered-off host answers
// nothing. A client reconnects by probing (the TCP handshake) before it sends data again.
struct ConnectionReset {};
struct ConnectProbe {};
struct ConnectProbeAck {};

// Transactions (KIP-98). The transaction coordinator of an id is the broker leading that
// id's __transaction_state partition (coordinator/transaction_coordinator.h): it fails over
// with that leadership, loads the partition first (COORDINATOR_LOAD_IN_PROGRESS meanwhile)
// and answers NOT_COORDINATOR once it no longer leads it.
struct InitProducerIdRequest {
  std::uint32_t transactional_id = 0;  // index of the transactional id
  std::uint64_t request_id = 0;
};

struct InitProducerIdResponse {
  std::uint64_t request_id = 0;
  ErrorCode error = ErrorCode::none;
  ProducerId producer_id = kNoProducerId;
  ProducerEpoch producer_epoch{0};
};

struct AddPartitionsToTxnRequest {
  std::uint32_t transactional_id = 0;
  ProducerId producer_id = kNoProducerId;
  ProducerEpoch producer_epoch{0};
  std::int32_t transaction = 0;  // the producer's transaction number (the model's bookkeeping)
  PartitionId partition{};
  std::uint64_t request_id = 0;
  // KIP-890 part 1 (Kafka 3.6, AddPartitionsToTxn v4 VerifyOnly): a partition leader asks
  // whether the partition is in the ongoing transaction of this producer id and epoch,
  // without adding it. `transaction` is then unknown (-1) and not compared.
  bool verify_only = false;
};

struct AddPartitionsToTxnResponse {
  std::uint64_t request_id = 0;
  PartitionId partition{};
  ErrorCode error = ErrorCode::none;
};

struct EndTxnRequest {
  std::uint32_t transactional_id = 0;
  ProducerId producer_id = kNoProducerId;
  ProducerEpoch producer_epoch{0};
  std::int32_t transaction = 0;
  bool commit = true;
  std::uint64_t request_id = 0;
};

struct EndTxnResponse {
  std::uint64_t request_id = 0;
  ErrorCode error = ErrorCode::none;
  bool committed = false;  // the decision, when error is none
};

// AddPartitionsToTxn with this partition is AddOffsetsToTxn: the transaction will hold the
// group's offsets (sendOffsetsToTransaction), written to the offsets partition as
// transactional entries; the coordinator's markers there commit or drop them.
inline constexpr PartitionId kOffsetsPartition{0xFFFFFFFFU};

// sendOffsetsToTransaction: offsets pending in the producer's open transaction, applied
// when it commits and dropped when it aborts. The group generation fences a zombie member
// (KIP-447).
// One partition's position in a TxnOffsetCommit.
struct TxnOffset {
  PartitionId partition{};
  Offset offset{};
  LeaderEpoch leader_epoch = kNoLeaderEpoch;  // as on OffsetCommitRequest (KIP-320)
};

// sendOffsetsToTransaction: the positions of every partition the transaction's poll read, in
// one request (TxnOffsetCommitRequest lists topics and partitions, all versions), answered
// once all of them are replicated.
struct TxnOffsetCommitRequest {
  std::uint32_t group = 0;
  std::vector<TxnOffset> offsets;
  ProducerId producer_id = kNoProducerId;
  ProducerEpoch producer_epoch{0};
  Generation generation = kNoGeneration;
  std::uint64_t request_id = 0;
};

struct TxnOffsetCommitResponse {
  std::uint64_t request_id = 0;
  ErrorCode error = ErrorCode::none;
};

// The coordinator asks a partition's leader to append a COMMIT or ABORT marker.
struct WriteTxnMarkersRequest {
  PartitionId partition{};
  ProducerId producer_id = kNoProducerId;
  ProducerEpoch producer_epoch{0};
  bool commit = true;
  std::uint64_t request_id = 0;
};

struct WriteTxnMarkersResponse {
  PartitionId partition{};
  std::uint64_t request_id = 0;
  ErrorCode error = ErrorCode::none;
};

// --- the controller quorum (KIP-595's Vote and Fetch, simplified: controller_quorum.cpp) ---

struct QuorumVote {
  std::int32_t epoch = 0;
  std::uint32_t candidate = 0;  // quorum index
  std::int32_t last_epoch = 0;  // the epoch of the candidate's last log entry
  std::uint64_t last_offset = 0;
};

struct QuorumVoteResponse {
  std::int32_t epoch = 0;
  bool granted = false;
};

// The leader's log as a follower's Fetch would return it: its metadata image after
// `offset` (the whole of what matters: this model replicates the state, not each record).
struct QuorumAppend {
  std::int32_t epoch = 0;
  std::uint32_t leader = 0;  // quorum index
  std::uint64_t offset = 0;
  std::int32_t offset_epoch = 0;  // the epoch of the entry at `offset`
  std::uint64_t commit_offset = 0;  // the leader's high watermark
  std::vector<PartitionState> partitions;
  std::vector<BrokerRegistration> brokers;
};

struct QuorumAppendAck {
  std::int32_t epoch = 0;
  std::uint64_t offset = 0;  // the follower's log end after the append
  bool accepted = false;
};

using Payload = std::variant<ProduceRequest, ProduceResponse, BrokerHeartbeat,
                             BrokerHeartbeatResponse, LeaderAndIsrRequest, AlterPartition, MetadataUpdate, MetadataRequest, MetadataResponse, OffsetCommitRequest,
                             OffsetCommitResponse, OffsetFetchRequest, OffsetFetchResponse, JoinGroupRequest,
                             LeaveGroupRequest, GroupAssignment, GroupHeartbeat, GroupHeartbeatResponse,
                             ConnectionReset, ConnectProbe, ConnectProbeAck, InitProducerIdRequest,
                             InitProducerIdResponse, AddPartitionsToTxnRequest, AddPartitionsToTxnResponse, EndTxnRequest,
                             EndTxnResponse, WriteTxnMarkersRequest, WriteTxnMarkersResponse, TxnOffsetCommitRequest,
                             TxnOffsetCommitResponse, QuorumVote, QuorumVoteResponse, QuorumAppend,
                             QuorumAppendAck, SessionFetchRequest, SessionFetchResponse,
                             MultiProduceRequest, MultiProduceResponse, MultiOffsetFetchRequest,
                             MultiOffsetFetchResponse, MultiOffsetCommitRequest, MultiOffsetCommitResponse>;

// Bytes on the wire, for links with a bandwidth: a fixed header per request plus the
// records it carries.
std::uint32_t wire_size_bytes(const Payload& payload, std::uint32_t record_size_bytes);

}  // namespace ksim::kafka
