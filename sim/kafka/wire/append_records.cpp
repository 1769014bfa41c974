#include "sim/kafka/wire/append_records.h"

#include "sim/history/records.h"

namespace ksim::kafka {

history::Record append_record(NodeId broker_node, PartitionId partition, Offset offset, const LogEntry& entry,
                              history::AppendSource source) {
  return history::append({.broker = broker_node,
                          .partition = partition,
                          .offset = offset,
                          .message_id = entry.message_id,
                          .leader_epoch = entry.leader_epoch,
                          .source = source,
                          .producer_id = entry.producer_id()});
}

history::Record follower_range_record(NodeId follower_node, PartitionId partition, Offset first_offset,
                                      std::uint64_t count, NodeId source_node, LeaderEpoch epoch) {
  return history::follower_append_range({.follower = follower_node,
                                         .partition = partition,
                                         .first_offset = first_offset,
                                         .count = count,
                                         .source_broker = source_node,
                                         .leader_epoch = epoch});
}

bool log_holds(const ReplicaLog& log, Offset first_offset, std::span<const LogEntry> entries) {
  if (first_offset < Offset{} || first_offset + static_cast<std::int64_t>(entries.size()) > log.log_end_offset()) return false;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (log.at(first_offset + static_cast<std::int64_t>(i)).message_id != entries[i].message_id) return false;
  }
  return true;
}

}  // namespace ksim::kafka
