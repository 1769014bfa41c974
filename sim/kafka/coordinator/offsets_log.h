#pragma once
// The entries of the offsets partition (__consumer_offsets-0) and what they add up to.
// An offset commit is one log entry, replicated like any record, so the committed offsets
// are exactly what a replay of the partition's log gives: a broker that becomes the group
// coordinator rebuilds them from its own replica, as Kafka's coordinator loads
// __consumer_offsets. Offsets sent to a transaction (TxnOffsetCommit) are transactional
// entries, pending until a COMMIT marker of their producer (applied) or an ABORT (dropped).
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "sim/kafka/wire/protocol.h"
#include "sim/kafka/log/replica_log.h"

namespace ksim::kafka {

struct OffsetCommitValue {
  std::uint32_t group = 0;
  PartitionId partition{};   // of the user topic
  Offset offset{};             // the next offset to read
  NodeId member{};               // node of the consumer that committed it
  LeaderEpoch leader_epoch = kNoLeaderEpoch; // of the last record read before `offset` (KIP-320); -1: none
};


// Packs a commit into the fields of a log entry (24 bytes, like every entry): message_id
// holds offset + 1 (never 0, the control records' id) in its low 44 bits and the committed
// leader epoch + 1 in its high 20 (0: none), sequence the partition,
// index_in_batch the group and batch_records the member node. A transactional commit
// carries its producer id and epoch, as Kafka's TxnOffsetCommit records do.
LogEntry offset_commit_entry(const OffsetCommitValue& value, LeaderEpoch leader_epoch, ProducerId producer_id,
                             ProducerEpoch producer_epoch);
OffsetCommitValue decode_offset_commit(const LogEntry& entry);

using GroupPartition = std::pair<std::uint32_t, PartitionId>;  // (group, partition)

// The committed offsets a prefix of the offsets log stands for, applied entry by entry.
class CommittedOffsets {
 public:
  // Applies the next entry; returns the transactional commits a COMMIT marker made visible.
  std::vector<OffsetCommitValue> apply(const LogEntry& entry);
  const std::map<GroupPartition, CommittedPosition>& offsets() const { return offsets_; }
  // An open transaction holds an offset of this group and partition.
  bool unstable(std::uint32_t group, PartitionId partition) const;

 private:
  std::map<GroupPartition, CommittedPosition> offsets_;
  std::map<ProducerId, std::vector<OffsetCommitValue>> pending_;  // producer id -> its transaction's offsets
};

}  // namespace ksim::kafka
