#pragma once
// The history records of log appends: one `append` per entry, or, for a follower's fetch,
// one `follower_append_range` when the source replica still holds exactly the fetched
// entries (history.h says why that condition keeps the record exact).
#include <cstdint>
#include <span>

#include "sim/history/history.h"
#include "sim/kafka/log/replica_log.h"

namespace ksim::kafka {

history::Record append_record(NodeId broker_node, PartitionId partition, Offset offset, const LogEntry& entry,
                              history::AppendSource source);

history::Record follower_range_record(NodeId follower_node, PartitionId partition, Offset first_offset,
                                      std::uint64_t count, NodeId source_node, LeaderEpoch epoch);

// True if `log` holds these message ids at offsets [first_offset, first_offset + entries.size()).
bool log_holds(const ReplicaLog& log, Offset first_offset, std::span<const LogEntry> entries);

}  // namespace ksim::kafka
