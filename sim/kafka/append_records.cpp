#include "sim/kafka/append_records.h"

namespace ksim::kafka {

history::Record append_record(std::uint32_t broker_node, std::uint32_t partition, Offset offset, const LogEntry& entry,
                              history::AppendSource source) {
  history::Record record;
  record.kind = history::RecordKind::append;
  record.node = broker_node;
  record.partition = partition;
  record.offset = offset;
  record.message_id = entry.message_id;
  record.epoch = entry.leader_epoch;
  record.detail = static_cast<std::uint8_t>(source);
  record.extra = entry.producer_id;
  return record;
}

history::Record follower_range_record(std::uint32_t follower_node, std::uint32_t partition, Offset first_offset,
                                      std::uint64_t count, std::uint32_t source_node, LeaderEpoch epoch) {
  history::Record record;
  record.kind = history::RecordKind::follower_append_range;
  record.node = follower_node;
  record.partition = partition;
  record.offset = first_offset;
  record.extra = count;
  record.message_id = source_node;
  record.epoch = epoch;
  return record;
}

bool log_holds(const ReplicaLog& log, Offset first_offset, std::span<const LogEntry> entries) {
  if (first_offset < 0 || first_offset + static_cast<Offset>(entries.size()) > log.log_end_offset()) return false;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (log.at(first_offset + static_cast<Offset>(i)).message_id != entries[i].message_id) return false;
  }
  return true;
}

}  // namespace ksim::kafka
