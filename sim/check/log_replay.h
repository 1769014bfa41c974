#pragma once
// Replays append/truncate/high_watermark records per (broker, partition) to rebuild every
// replica's log, then derives each partition's final log: the log of the last elected
// leader (leader_elected with a node), or, with no election on record, of the broker that
// made the last leader append. The final high watermark is the last high_watermark record of
// that leader (else of any broker for the partition, else the final log's end), clamped to
// the log end.
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "sim/check/facts.h"
#include "sim/history/record_types.h"

namespace ksim::check {

class LogReplay {
 public:
  void append(const history::AppendRecord& record, std::uint32_t message);
  // A follower's range append: copies the message indices of the source replica's replayed
  // log (as it stands now) into the follower's log, and counts an append for each message.
  void append_range(const history::FollowerAppendRangeRecord& record, Facts& facts);
  // Applies the truncation, marking the removed messages with `truncation` (an index into
  // facts.truncations).
  void truncate(const history::TruncateRecord& record, std::uint32_t truncation, Facts& facts);
  // Marks the messages below the new HW of that replica as committed (each slot once).
  void high_watermark(const history::HighWatermarkRecord& record, Facts& facts);
  // Fills facts.partition_logs and the final-log fields of the message facts. The replay
  // ends here: each final leader's log is moved into facts.partition_logs.
  void finish(Facts& facts);
  // A replica's replayed log as it stands now (dense message indices by offset, kNone for
  // control records and holes); nullptr if that replica has never held the partition.
  const std::vector<std::uint32_t>* replica_log(std::uint32_t broker, std::uint32_t partition) const {
    const Log* replica = find(broker, partition);
    return replica == nullptr ? nullptr : &replica->entries;
  }

 private:
  struct Log {
    std::uint32_t broker = history::kNoNode;
    std::uint32_t partition = 0;
    std::vector<std::uint32_t> entries;  // dense message index by offset, kNone for holes
    std::int64_t committed_upto = 0;
    std::int64_t last_hw = -1;
  };
  Log& log(std::uint32_t broker, std::uint32_t partition);
  // Puts `message` at `offset`, dropping any suffix it overwrites (an implicit truncation).
  static void place(Log& replica, std::int64_t offset, std::uint32_t message);
  const Log* find(std::uint32_t broker, std::uint32_t partition) const;

  // By partition: (broker, index into logs_), sorted by broker. A few replicas each, found by
  // a short scan; a map keyed by (partition, broker) cost a tree walk per record at 10,000
  // partitions (issue 19).
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> by_partition_;
  std::vector<Log> logs_;
  std::uint32_t cached_ = kNone;
  std::map<std::uint32_t, std::uint32_t> last_leader_append_broker_;  // by partition
  std::map<std::uint32_t, std::int64_t> last_hw_any_;                 // by partition
};

}  // namespace ksim::check
