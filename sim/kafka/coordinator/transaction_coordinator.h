#pragma once
// The transaction coordinator (KIP-98): per transactional id, the producer id and epoch,
// the open transaction and the partitions it wrote to. InitProducerId bumps the epoch,
// which fences an older session of the same id, and aborts what it left open; EndTxn
// decides commit or abort (recorded in the history: the decision is what makes a
// transaction's records visible to read_committed consumers), then the coordinator
// writes a marker to every partition of the transaction through its leader, retrying
// until each leader has replicated it. A transaction left open longer than
// transaction.timeout.ms is aborted and its producer fenced.
//
// As in Kafka (TransactionCoordinator, TransactionStateManager, 0.11 to 4.1) it runs on
// the brokers: a transactional id's coordinator is the leader of its partition of
// __transaction_state (transaction_log.h: partitionFor). Every state transition (a new
// epoch, a partition added, PrepareCommit/PrepareAbort, CompleteCommit/CompleteAbort) is
// appended to that partition's log and answered only once the high watermark passes it;
// markers go out only once the Prepare entry is replicated, and the id takes a new
// transaction only once the Complete entry is. A broker that becomes the partition's
// leader loads the state from its own replica, to its log end, and writes the markers of
// every transaction it finds prepared but not complete; one that is not the leader answers
// NOT_COORDINATOR. The load takes time (BrokerConfig's ksim.coordinator.load.*, scheduled by
// the broker): until it is done every request of an id of that partition is answered
// COORDINATOR_LOAD_IN_PROGRESS, as TransactionStateManager.getTransactionState answers
// while the partition is in loadingPartitions (0.11 to 4.1); clients retry the same
// coordinator after retry.backoff.ms (TransactionManager's handlers reenqueue()). Partition
// leaders for the markers come from the broker's metadata cache (broker/metadata_cache.h),
// as Kafka's coordinator reads its broker's cache.
// An id it holds no state for gets a new producer id (allocate_producer_id), as Kafka's
// handleInitProducerId asks the ProducerIdManager.
// Simplifications: 1 state partition by default (Kafka: 50); the state log is flushed at
// every append (Broker::maybe_flush), so a power failure never loses a transition (in
// Kafka it can, with every replica's power); a refused
// append (ISR below transaction.state.log.min.isr) is answered NOT_COORDINATOR, which
// clients handle as Kafka's COORDINATOR_NOT_AVAILABLE (find the coordinator, retry); a
// loaded ongoing transaction's timeout counts from the load.
#include <cstdint>
#include <functional>
#include <vector>

#include "sim/kafka/coordinator/transaction_log.h"
#include "sim/kafka/log/replica_log.h"
#include "sim/kafka/node/node_context.h"

namespace ksim::kafka {

struct TransactionalIdSettings {
  NodeId owner{};  // the producer node that uses this transactional id
  ProducerId producer_id = kNoProducerId;  // the top of its block of producer ids (allocate_producer_id)
  TimeNs transaction_timeout_ns = milliseconds(60'000);  // transaction.timeout.ms
  std::uint32_t state_partition = 0;  // its partition of __transaction_state (partitionFor)
};

class TransactionCoordinator {
 public:
  // Appends an entry to a __transaction_state partition (by its index in that topic) as
  // its leader; returns its offset, or a negative value when the partition refuses it.
  using AppendStateEntry = std::function<Offset(std::uint32_t state_partition, const LogEntry&)>;

  // A transaction that holds offsets (AddOffsetsToTxn, kOffsetsPartition) gets its marker
  // written to `offsets_partition`, where the group coordinator applies or drops them.
  // `broker` of `brokers`: where it runs, for producer id allocation.
  TransactionCoordinator(NodeId node, std::vector<TransactionalIdSettings> ids, PartitionId offsets_partition,
                         std::uint32_t state_partitions, BrokerId broker, std::uint32_t brokers);

  // InitProducerId, AddPartitionsToTxn (with KIP-890's verify-only form) and EndTxn.
  static bool is_transaction_request(const Payload& payload);
  void on_request(NodeContext& context, NodeId from, const Payload& payload, const AppendStateEntry& append);
  void on_marker_written(NodeContext& context, const WriteTxnMarkersResponse& response, const AppendStateEntry& append);
  // This broker became the leader of the state partition and started loading it: until
  // activate, its ids' requests get COORDINATOR_LOAD_IN_PROGRESS.
  void begin_load(std::uint32_t state_partition);
  // The load is done: the state of the whole log, and the markers of prepared transactions.
  void activate(NodeContext& context, std::uint32_t state_partition, const ReplicaLog& log);
  // It lost the leadership (or its process): what it held in memory for the partition goes.
  void deactivate(std::uint32_t state_partition);
  void deactivate_all();
  // The state partition's high watermark moved: transitions it passed take effect.
  void on_high_watermark(NodeContext& context, std::uint32_t state_partition, const ReplicaLog& log,
                         const AppendStateEntry& append);
  // Fresh partition leaders (by global partition, up to the offsets partition): markers
  // waiting for a leader go out.
  void on_leaders(NodeContext& context, std::vector<BrokerId> leaders);
  // Resends markers that got no answer, aborts timed-out transactions, retries refused
  // appends (called on the broker's periodic timer).
  void tick(NodeContext& context, const AppendStateEntry& append);
  // True while some transaction of a partition this broker leads is not complete.
  bool completing() const;
  // True when a marker waits for a leader this coordinator does not know (ask metadata).
  bool needs_leaders() const;
  bool active(std::uint32_t state_partition) const { return active_[state_partition]; }

 private:
  // preparing: Prepare appended, not replicated; completing: markers going out;
  // finishing: Complete appended, not replicated.
  enum class State : std::uint8_t { empty, ongoing, preparing, completing, finishing };
  struct PendingMarker {
    PartitionId partition{};
    std::uint64_t request_id = 0;
    TimeNs sent_ns = -1;  // -1: not sent yet (no leader known)
  };
  struct TransactionalId {
    TransactionalIdSettings settings;
    bool initialized = false;
    ProducerId producer_id = kNoProducerId;
    ProducerEpoch epoch{-1};
    State state = State::empty;
    std::int32_t transaction = -1;      // the open or last decided transaction's number
    ProducerEpoch transaction_epoch{0};  // the epoch it ran under
    ProducerEpoch marker_epoch{0};       // the epoch its markers carry (bumped when the coordinator aborts it)
    bool committed = false;             // the last decision
    TimeNs started_ns = 0;
    std::vector<PartitionId> partitions;
    std::vector<PendingMarker> markers;
    Offset replicated_at{};            // its answers wait for the high watermark to reach this
    bool complete_refused = false;       // the Complete entry was refused: appended again on tick
  };
  struct PendingAnswer {
    std::uint32_t state_partition = 0;
    Offset end_offset{};
    NodeId to{};
    Payload answer;
  };

  void on_init(NodeContext& context, NodeId from, const InitProducerIdRequest& request, const AppendStateEntry& append);
  void on_add_partitions(NodeContext& context, NodeId from, const AddPartitionsToTxnRequest& request,
                         const AppendStateEntry& append);
  ErrorCode verify(const TransactionalId& id, const AddPartitionsToTxnRequest& request) const;
  void on_end(NodeContext& context, NodeId from, const EndTxnRequest& request, const AppendStateEntry& append);
  // Appends a transition of the id and applies it in memory; false if refused.
  bool write(NodeContext& context, std::uint32_t id_index, const TransactionLogValue& value,
             const AppendStateEntry& append);
  void apply(TransactionalId& id, const TransactionLogValue& value, TimeNs now);
  // Sends `answer` once the id's last transition is replicated.
  void answer(NodeContext& context, std::uint32_t id_index, NodeId to, Payload answer);
  void settle(NodeContext& context, std::uint32_t state_partition, const AppendStateEntry& append);
  void start_markers(NodeContext& context, TransactionalId& id);
  void send_markers(NodeContext& context, TransactionalId& id, bool resend_all);
  void finish(NodeContext& context, std::uint32_t id_index, const AppendStateEntry& append);
  void refuse(NodeContext& context, NodeId from, const Payload& payload, ErrorCode error) const;
  ProducerId allocate_producer_id(const TransactionalIdSettings& settings);

  NodeId node_;
  PartitionId offsets_partition_;
  BrokerId broker_;
  std::uint32_t brokers_;
  std::uint32_t allocations_ = 0;  // producer ids this broker handed out, crashes included
  std::vector<TransactionalId> ids_;
  std::vector<bool> active_;              // per state partition: this broker leads it, loaded
  std::vector<bool> loading_;             // per state partition: this broker leads it, loading
  std::vector<Offset> high_watermarks_;   // per state partition, as last seen
  std::vector<BrokerId> leaders_;         // partition leaders from metadata; empty: none yet
  std::vector<PendingAnswer> pending_answers_;
  std::uint64_t next_request_id_ = 1;
};

}  // namespace ksim::kafka
