#include "sim/kafka/config/topic_layout.h"

#include <fmt/format.h>

#include "sim/core/assert.h"

namespace ksim::kafka {

std::uint32_t total_partitions(const ClusterConfig& cluster) {
  std::uint32_t total = 0;
  for (const TopicConfig& topic : cluster.topics) total += topic.partitions;
  return total;
}

PartitionRange topic_range(const ClusterConfig& cluster, std::uint32_t topic) {
  KSIM_ASSERT(topic < cluster.topics.size(), "topic {} of {}", topic, cluster.topics.size());
  PartitionRange range;
  for (std::uint32_t t = 0; t < topic; ++t) range.first += cluster.topics[t].partitions;
  range.count = cluster.topics[topic].partitions;
  return range;
}

std::optional<std::uint32_t> topic_index(const ClusterConfig& cluster, std::string_view name) {
  for (std::uint32_t t = 0; t < cluster.topics.size(); ++t) {
    if (cluster.topics[t].name == name) return t;
  }
  return std::nullopt;
}

std::uint32_t topic_of_partition(const ClusterConfig& cluster, PartitionId partition) {
  std::uint32_t first = 0;
  for (std::uint32_t t = 0; t < cluster.topics.size(); ++t) {
    if (partition.value() - first < cluster.topics[t].partitions) return t;
    first += cluster.topics[t].partitions;
  }
  KSIM_ASSERT(false, "partition {} beyond the {} user partitions", partition, first);
  return 0;
}

std::optional<std::uint32_t> partition_named(const ClusterConfig& cluster, std::string_view name) {
  // The number follows the last dash: topic names may contain dashes themselves.
  const std::size_t dash = name.rfind('-');
  if (dash == std::string_view::npos || dash + 1 == name.size() || name.size() - dash > 11) return std::nullopt;
  std::uint64_t number = 0;
  for (const char c : name.substr(dash + 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    number = number * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (name.size() - dash > 2 && name[dash + 1] == '0') return std::nullopt;  // "orders-01" is not a partition name
  const auto topic = topic_index(cluster, name.substr(0, dash));
  if (!topic) return std::nullopt;
  const PartitionRange range = topic_range(cluster, *topic);
  if (number >= range.count) return std::nullopt;
  return range.first + static_cast<std::uint32_t>(number);
}

std::string partition_names_text(const ClusterConfig& cluster) {
  std::string text;
  for (const TopicConfig& topic : cluster.topics) {
    if (!text.empty()) text += ", ";
    text += topic.partitions == 1 ? fmt::format("{}-0", topic.name)
                                  : fmt::format("{}-0..{}-{}", topic.name, topic.name, topic.partitions - 1);
  }
  return text;
}

}  // namespace ksim::kafka
