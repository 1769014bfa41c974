#pragma once
// One replica's view of the transactions in its log (Kafka's ProducerStateManager
// ongoing transactions plus the .txnindex of aborted ones): where each producer's
// transaction starts, where its marker landed and whether it aborted. From it come the
// last stable offset (read_committed consumers read only below it) and the aborted
// transactions a fetch must tell a read_committed consumer to skip. Built from the
// replica's own entries, so a follower that becomes leader already knows them.
#include <cstdint>
#include <map>
#include <vector>

#include "sim/kafka/log/replica_log.h"

namespace ksim::kafka {

struct LogTransaction {
  ProducerId producer_id = kNoProducerId;
  Offset first_offset{};
  Offset marker_offset = kNoOffsetPosition;  // -1: still open in this log
  bool aborted = false;
};

struct AbortedTransaction {
  ProducerId producer_id = kNoProducerId;
  Offset first_offset{};
  Offset marker_offset{};
};

class TransactionIndex {
 public:
  // Called for every entry the replica appends, in offset order.
  void on_append(Offset offset, const LogEntry& entry);
  // Rebuilds from the log (after a truncation or a restart).
  void rebuild(const ReplicaLog& log);

  // The first offset no read_committed consumer may read yet: the high watermark, or the
  // start of the earliest transaction whose marker is not below it (Kafka completes a
  // transaction for the LSO only once the high watermark passes its marker).
  Offset last_stable_offset(Offset high_watermark) const;
  // Aborted transactions overlapping [from, to).
  std::vector<AbortedTransaction> aborted_between(Offset from, Offset to) const;
  bool empty() const { return transactions_.empty(); }
  // The producer has a transaction open in this log (no marker has ended it yet).
  bool has_open(ProducerId producer_id) const { return open_.contains(producer_id); }

 private:
  std::vector<LogTransaction> transactions_;    // by first offset
  std::map<ProducerId, std::size_t> open_;   // producer id -> index of its open transaction
  // Transactions before this index are complete below some earlier high watermark; the
  // high watermark only grows between rebuilds, so the scan resumes here.
  mutable std::size_t stable_prefix_ = 0;
};

}  // namespace ksim::kafka
