#pragma once
// Several topics in one run (issue 15 item 5): the model numbers partitions globally, topic
// after topic in `cluster.topics` order (topic 0's partitions first), so brokers, the
// controller and the history keep one partition index; the history header's partition
// table gives each index its topic and in-topic number, which is what users see
// (Kafka's `topic-N`). The offsets partition comes after every user partition.
#include <cstdint>
#include <optional>
#include <string>

#include "sim/core/ids.h"
#include <string_view>
#include <vector>

#include "sim/core/ids.h"
#include "sim/kafka/config/config.h"

namespace ksim::kafka {

// A topic's partitions as global indexes: [first, first + count).
struct PartitionRange {
  std::uint32_t first = 0;
  std::uint32_t count = 0;
  bool contains(PartitionId partition) const { return partition.value() >= first && partition.value() - first < count; }
};

// Every user partition of every topic.
std::uint32_t total_partitions(const ClusterConfig& cluster);
// The range of topic `topic` (an index into cluster.topics).
PartitionRange topic_range(const ClusterConfig& cluster, std::uint32_t topic);
// The index of the topic named `name`, if there is one.
std::optional<std::uint32_t> topic_index(const ClusterConfig& cluster, std::string_view name);
// The topic (index into cluster.topics) that global partition `partition` belongs to.
std::uint32_t topic_of_partition(const ClusterConfig& cluster, PartitionId partition);
// "orders-2" -> the global index of partition 2 of topic orders; none if no such partition.
std::optional<std::uint32_t> partition_named(const ClusterConfig& cluster, std::string_view name);
// The partitions a user may name, for error messages: "orders-0..orders-2, audit-0".
std::string partition_names_text(const ClusterConfig& cluster);

}  // namespace ksim::kafka
