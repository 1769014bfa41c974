#pragma once
// The entries of __transaction_state and what they add up to. Every state transition of a
// transactional id (KIP-98's TransactionMetadata: Empty, Ongoing, PrepareCommit/PrepareAbort,
// CompleteCommit/CompleteAbort) is one log entry, replicated like any record, so the state a
// new coordinator loads is exactly a replay of its replica (Kafka's
// TransactionStateManager.loadTransactionMetadata, 0.11 to 4.1). Kafka writes the whole
// metadata (partition set included) with each transition; an entry here names one
// partition added, and the replay accumulates them, which gives the same set.
#include <cstdint>
#include <string_view>

#include "sim/kafka/log/replica_log.h"

namespace ksim::kafka {

// LogEntry::flags of a __transaction_state entry (no producer batch: producer_id stays 0,
// so the partition's producer-state table never sees it).
inline constexpr std::uint8_t kTransactionStateEntry = 16;

enum class TransactionLogKind : std::uint8_t {
  init = 1,      // InitProducerId: the id's producer id and epoch (a new session)
  ongoing = 2,   // AddPartitionsToTxn: a partition joins the (possibly new) ongoing transaction
  prepare = 3,   // EndTxn or a timeout: PrepareCommit / PrepareAbort, with the markers' epoch
  complete = 4,  // every marker written: CompleteCommit / CompleteAbort, the id is free again
};

struct TransactionLogValue {
  TransactionLogKind kind = TransactionLogKind::init;
  std::uint32_t transactional_id = 0;  // index of the transactional id
  ProducerEpoch epoch{0};              // init: the new epoch; ongoing: the producer's; prepare: the markers'
  std::int32_t transaction = 0;        // the producer's transaction number (the model's bookkeeping)
  PartitionId partition{};             // ongoing: the partition added (kOffsetsPartition for offsets)
  bool commit = false;                 // prepare / complete: commit or abort
  ProducerId producer_id = kNoProducerId;  // init: the producer id (stored where others keep the partition)
};

LogEntry transaction_log_entry(const TransactionLogValue& value);
TransactionLogValue decode_transaction_log(const LogEntry& entry);
inline bool is_transaction_state_entry(const LogEntry& entry) { return (entry.flags & kTransactionStateEntry) != 0; }

// Java's String.hashCode over the UTF-16 code units of a UTF-8 string (s[0]*31^(n-1) + ...,
// wrapping as a 32-bit int).
std::int32_t java_string_hash(std::string_view utf8);
// TransactionStateManager.partitionFor (Kafka 0.11 to 4.1): Utils.abs(transactionalId.hashCode)
// % transactionTopicPartitionCount, where Utils.abs(Integer.MIN_VALUE) is 0.
std::uint32_t transaction_state_partition_for(std::string_view transactional_id, std::uint32_t partitions);

}  // namespace ksim::kafka
