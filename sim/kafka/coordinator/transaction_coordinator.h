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
// Simplification: it is hosted on the controller node, which does not fail, so its
// transaction log is durable (Kafka replicates __transaction_state for the same effect).
#include <cstdint>
#include <vector>

#include "sim/kafka/node/node_context.h"

namespace ksim::kafka {

struct PartitionState;

struct TransactionalIdSettings {
  NodeIndex owner = 0;  // the producer node that uses this transactional id
  std::uint32_t producer_id = 0;
  TimeNs transaction_timeout_ns = milliseconds(60'000);  // transaction.timeout.ms
};

class TransactionCoordinator {
 public:
  // A transaction that holds offsets (AddOffsetsToTxn, kOffsetsPartition) gets its marker
  // written to `offsets_partition`, where the group coordinator applies or drops them.
  TransactionCoordinator(NodeIndex node, std::vector<TransactionalIdSettings> ids, std::uint32_t offsets_partition);

  // Handles a transaction message; false if the payload is not one.
  bool on_message(NodeContext& context, NodeIndex from, const Payload& payload,
                  const std::vector<PartitionState>& partitions);
  // Resends markers that got no answer and aborts timed-out transactions (called on the
  // controller's periodic timer).
  void tick(NodeContext& context, const std::vector<PartitionState>& partitions);
  // True while some decided transaction still has markers to write.
  bool completing() const;

 private:
  enum class State : std::uint8_t { empty, ongoing, completing };
  struct PendingMarker {
    std::uint32_t partition = 0;
    std::uint64_t request_id = 0;
    TimeNs sent_ns = -1;  // -1: not sent yet (no leader known)
  };
  struct TransactionalId {
    TransactionalIdSettings settings;
    bool initialized = false;
    std::int16_t epoch = -1;
    State state = State::empty;
    std::int32_t transaction = -1;      // the open or last decided transaction's number
    std::int16_t transaction_epoch = 0; // the epoch it ran under
    std::int16_t marker_epoch = 0;      // the epoch its markers carry (bumped when the coordinator aborts it)
    bool committed = false;             // the last decision
    TimeNs started_ns = 0;
    std::vector<std::uint32_t> partitions;
    std::vector<PendingMarker> markers;
  };

  void on_init(NodeContext& context, NodeIndex from, const InitProducerIdRequest& request,
               const std::vector<PartitionState>& partitions);
  void on_add_partitions(NodeContext& context, NodeIndex from, const AddPartitionsToTxnRequest& request);
  ErrorCode verify(const TransactionalId& id, const AddPartitionsToTxnRequest& request) const;
  void on_end(NodeContext& context, NodeIndex from, const EndTxnRequest& request,
              const std::vector<PartitionState>& partitions);
  void on_marker_written(const WriteTxnMarkersResponse& response);
  void decide(NodeContext& context, TransactionalId& id, bool commit, std::int16_t marker_epoch,
              const std::vector<PartitionState>& partitions);
  void send_markers(NodeContext& context, TransactionalId& id, const std::vector<PartitionState>& partitions,
                    bool resend_all);

  NodeIndex node_;
  std::uint32_t offsets_partition_;
  std::vector<TransactionalId> ids_;
  std::uint64_t next_request_id_ = 1;
};

}  // namespace ksim::kafka
