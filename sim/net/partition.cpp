#include "sim/net/partition.h"

#include <algorithm>

#include <fmt/format.h>

#include "sim/core/assert.h"

namespace ksim::net {

namespace {

// Group of each node; nodes in no group get groups.size(), the implicit last group.
std::vector<std::size_t> group_of_nodes(const PartitionGroups& groups, std::size_t node_count) {
  std::vector<std::size_t> group_of(node_count, groups.size());
  for (std::size_t group = 0; group < groups.size(); ++group) {
    for (const NodeId node : groups[group]) group_of[node.index()] = group;
  }
  return group_of;
}

}  // namespace

std::vector<std::pair<NodeId, NodeId>> partition_cut_pairs(const PartitionGroups& groups, std::size_t node_count,
                                                                 bool one_way) {
  const std::vector<std::size_t> group_of = group_of_nodes(groups, node_count);
  std::vector<std::pair<NodeId, NodeId>> pairs;
  const auto count = static_cast<NodeId::Representation>(node_count);
  for (const NodeId from : ids_below<NodeId>(count)) {
    for (const NodeId to : ids_below<NodeId>(count)) {
      const std::size_t from_group = group_of[from.index()];
      const std::size_t to_group = group_of[to.index()];
      const bool separated = one_way ? from_group < to_group : from_group != to_group;
      if (separated) pairs.emplace_back(from, to);
    }
  }
  return pairs;
}

ConfigIssues validate_partition_groups(const PartitionGroups& groups, std::size_t node_count,
                                       const std::string& key_path) {
  ConfigIssues issues;
  std::vector<bool> listed(node_count, false);
  for (std::size_t group = 0; group < groups.size(); ++group) {
    for (const NodeId node : groups[group]) {
      const std::string key = fmt::format("{}.groups.{}", key_path, group);
      if (node.index() >= node_count) {
        issues.push_back({key, fmt::format("node index {} is out of range ({} nodes)", node, node_count)});
      } else if (listed[node.index()]) {
        issues.push_back({key, fmt::format("node index {} is listed in more than one group", node)});
      } else {
        listed[node.index()] = true;
      }
    }
  }
  return issues;
}

std::uint32_t CutRegistry::add(std::vector<LinkId> links) {
  for (const LinkId link : links) {
    KSIM_ASSERT(link < cut_count_by_link_.size(), "link id {} out of range", link);
    ++cut_count_by_link_[link];
  }
  const std::uint32_t id = next_cut_id_++;
  links_by_cut_.emplace(id, std::move(links));
  ++generation_;
  return id;
}

void CutRegistry::heal(std::uint32_t cut_id) {
  const auto found = links_by_cut_.find(cut_id);
  KSIM_ASSERT(found != links_by_cut_.end(), "heal of cut {} which is not in force", cut_id);
  for (const LinkId link : found->second) {
    KSIM_ASSERT(cut_count_by_link_[link] > 0, "cut count of link {} would go negative", link);
    --cut_count_by_link_[link];
  }
  links_by_cut_.erase(found);
  ++generation_;
}

void CutRegistry::heal_all() {
  links_by_cut_.clear();
  std::fill(cut_count_by_link_.begin(), cut_count_by_link_.end(), 0);
  ++generation_;
}

}  // namespace ksim::net
