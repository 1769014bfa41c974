// KIP-890 part 1, "Transactions Server-Side Defense" (Kafka 3.6, broker config
// transaction.partition.verification.enable, default true; KAFKA-14402, KAFKA-14884).
// The KIP's motivation: a produce request delayed by the network can reach the partition
// after its transaction aborted. Nothing on the partition then knows that the transaction
// is over, so the record starts a new transaction there that no marker ever ends (the last
// stable offset stops, read_committed consumers stall: a "hanging transaction"), or that
// the producer's next transaction ends, committing a record of an aborted transaction.
// With verification, before the first transactional write of a producer to a partition
// (no transaction of it open there), the leader asks the transaction coordinator
// (AddPartitionsToTxn with VerifyOnly) whether the partition is in that producer's ongoing
// transaction at that epoch, and appends only if so. A marker of the producer written
// while the question is out breaks the verification (Kafka's VerificationGuard), so a
// transaction that ended meanwhile is not reopened.
#include <algorithm>

#include "sim/kafka/broker/broker.h"

namespace ksim::kafka {

bool Broker::needs_verification(const PartitionReplica& replica, const ProduceRequest& request) const {
  return config_.transaction_partition_verification_enable && request.transactional && request.producer_id != kNoProducerId &&
         !replica.transactions.has_open(request.producer_id);
}

void Broker::start_verification(NodeContext& context, NodeId from, const ProduceRequest& request) {
  PartitionReplica& replica = hosted(request.partition);
  // Each request asks for itself, as each produce request does in Kafka: the batches a
  // producer has in flight (up to max.in.flight) wait each for their own answer and are
  // appended in order. A retry of the same batch replaces its unanswered question (its
  // client gave up on it), and the list is bounded; replacing every question of the
  // producer instead dropped the earlier batches and left the later ones out of order.
  std::erase_if(replica.pending_verifications, [&](const PendingVerification& pending) {
    return pending.request.producer_id == request.producer_id &&
           pending.request.base_sequence == request.base_sequence;
  });
  constexpr std::size_t kMaxPendingVerifications = 64;
  if (replica.pending_verifications.size() >= kMaxPendingVerifications) {
    replica.pending_verifications.erase(replica.pending_verifications.begin());
  }
  // The transactional id's coordinator as the broker's metadata names it. None known: the
  // produce fails with a retriable error, as Kafka's AddPartitionsToTxnManager turns
  // COORDINATOR_NOT_AVAILABLE and NOT_COORDINATOR into NOT_ENOUGH_REPLICAS (Kafka 3.6).
  const BrokerId coordinator = transaction_coordinator_of(request.transactional_id);
  if (coordinator == kNoBroker) {
    if (request.acks != Acks::none) {
      answer_produce(context, from, ProduceResponse{request.partition, request.request_id, ErrorCode::not_enough_replicas, kNoOffsetPosition});
    }
    return;
  }
  const std::uint64_t id = next_verification_id_++;
  replica.pending_verifications.push_back(PendingVerification{from, request, id, false, coordinator});
  AddPartitionsToTxnRequest question{request.transactional_id, request.producer_id, request.producer_epoch, -1,
                                     request.partition, id};
  question.verify_only = true;
  context.send(node_, context.broker_node(coordinator), question);
}

void Broker::on_verification(NodeContext& context, const AddPartitionsToTxnResponse& response) {
  PartitionReplica* hosting = find_replica(response.partition);
  if (hosting == nullptr) return;
  PartitionReplica& replica = *hosting;
  const auto found = std::find_if(
      replica.pending_verifications.begin(), replica.pending_verifications.end(),
      [&](const PendingVerification& pending) { return pending.verification_id == response.request_id; });
  if (found == replica.pending_verifications.end()) return;  // replaced, or the leadership changed
  const PendingVerification pending = *found;
  replica.pending_verifications.erase(found);
  ErrorCode error = response.error;
  if (error == ErrorCode::none && pending.guard_broken) error = ErrorCode::invalid_txn_state;
  // NOT_COORDINATOR and COORDINATOR_LOAD_IN_PROGRESS become NOT_ENOUGH_REPLICAS, retriable
  // for the producer (ReplicaManager's verification callback, Kafka 3.6).
  if (error == ErrorCode::not_coordinator || error == ErrorCode::coordinator_load_in_progress) {
    error = ErrorCode::not_enough_replicas;
  }
  if (error == ErrorCode::none) {
    on_produce(context, pending.producer, pending.request, true);
    return;
  }
  if (pending.request.acks == Acks::none) return;
  answer_produce(context, pending.producer, ProduceResponse{response.partition, pending.request.request_id, error, kNoOffsetPosition});
}

// A marker of the producer was appended: the transaction any pending verification asked
// about may be over, so none of them may append (KAFKA-14884's VerificationGuard).
void Broker::break_verification_guards(PartitionReplica& replica, ProducerId producer_id) {
  for (PendingVerification& pending : replica.pending_verifications) {
    if (pending.request.producer_id == producer_id) pending.guard_broken = true;
  }
}

void Broker::drop_verifications(NodeContext& context, PartitionId partition) {
  PartitionReplica& replica = hosted(partition);
  for (const PendingVerification& pending : replica.pending_verifications) {
    if (pending.request.acks == Acks::none) continue;
    answer_produce(context, pending.producer,
                   ProduceResponse{partition, pending.request.request_id, ErrorCode::not_leader_or_follower, kNoOffsetPosition});
  }
  replica.pending_verifications.clear();
}

}  // namespace ksim::kafka
