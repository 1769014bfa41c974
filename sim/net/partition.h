#pragma once
// Partitions and single-link cuts as sets of cut links. Each cut has an id so it can be
// healed on its own; a link stays cut while any cut covering it is in force, so
// overlapping partitions heal independently.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/config_issue.h"
#include "sim/net/topology.h"

namespace ksim::net {

using PartitionGroups = std::vector<std::vector<NodeId>>;

// The ordered node pairs a partition separates. Nodes in no group form an implicit
// extra group after the listed ones. Symmetric: every pair in different groups.
// One way: only (a, b) with group(a) < group(b): an earlier group cannot reach a later
// one, while the later one still reaches it. Pairs in index order.
// Precondition: validate_partition_groups() found no issue.
std::vector<std::pair<NodeId, NodeId>> partition_cut_pairs(const PartitionGroups& groups, std::size_t node_count,
                                                                 bool one_way);

// Node indices out of range and nodes listed twice.
ConfigIssues validate_partition_groups(const PartitionGroups& groups, std::size_t node_count,
                                       const std::string& key_path);

class CutRegistry {
 public:
  explicit CutRegistry(std::size_t link_count) : cut_count_by_link_(link_count, 0) {}

  std::uint32_t add(std::vector<LinkId> links);  // returns the cut's id
  void heal(std::uint32_t cut_id);               // precondition: the cut is in force
  void heal_all();
  bool cut(LinkId link) const { return cut_count_by_link_[link] > 0; }
  // Bumped on every change, so routes cached against an older generation are stale.
  std::uint64_t generation() const { return generation_; }

 private:
  std::vector<std::uint32_t> cut_count_by_link_;
  std::map<std::uint32_t, std::vector<LinkId>> links_by_cut_;
  std::uint32_t next_cut_id_ = 1;  // 0 is never an id, so a zero-initialised id is visibly unset
  std::uint64_t generation_ = 0;
};

}  // namespace ksim::net
