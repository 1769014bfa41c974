#include "sim/net/topology.h"

#include <fmt/format.h>

#include "sim/core/assert.h"

namespace ksim::net {

NodeId Topology::add_node(NodeInfo info) {
  KSIM_ASSERT(!index_by_name_.contains(info.name), "node name '{}' added twice", info.name);
  const NodeId index{static_cast<NodeId::Representation>(nodes_.size())};
  const auto added = boost::add_vertex(graph_);
  KSIM_ASSERT(added == vertex(index), "vertex {} out of step with node index {}", added, index);
  index_by_name_.emplace(info.name, index);
  nodes_.push_back(std::move(info));
  return index;
}

void Topology::check_node(NodeId index) const {
  KSIM_ASSERT(index.index() < nodes_.size(), "node index {} out of range ({} nodes)", index, nodes_.size());
}

void Topology::add_link(NodeId from, NodeId to, const LinkProfile& profile) {
  check_node(from);
  check_node(to);
  KSIM_ASSERT(from != to, "self link on node {}", nodes_[from.index()].name);
  KSIM_ASSERT(!has_link(from, to), "link {} > {} added twice", nodes_[from.index()].name, nodes_[to.index()].name);
  const auto id = static_cast<LinkId>(links_.size());
  links_.push_back(Link{from, to, profile});
  boost::add_edge(vertex(from), vertex(to), EdgeData{id}, graph_);
}

void Topology::set_link(NodeId from, NodeId to, const LinkProfile& profile) {
  if (const auto id = link_id(from, to)) {
    links_[*id].profile = profile;
  } else {
    add_link(from, to, profile);
  }
}

const NodeInfo& Topology::node(NodeId index) const {
  check_node(index);
  return nodes_[index.index()];
}

std::optional<NodeId> Topology::find_node(std::string_view name) const {
  const auto found = index_by_name_.find(name);
  if (found == index_by_name_.end()) return std::nullopt;
  return found->second;
}

std::optional<LinkId> Topology::link_id(NodeId from, NodeId to) const {
  check_node(from);
  check_node(to);
  const auto [edge, exists] = boost::edge(vertex(from), vertex(to), graph_);
  if (!exists) return std::nullopt;
  return graph_[edge].link_id;
}

const LinkProfile& Topology::link(NodeId from, NodeId to) const {
  const auto id = link_id(from, to);
  KSIM_ASSERT(id.has_value(), "no link {} > {}", nodes_[from.index()].name, nodes_[to.index()].name);
  return links_[*id].profile;
}

const Link& Topology::link_by_id(LinkId id) const {
  KSIM_ASSERT(id < links_.size(), "link id {} out of range ({} links)", id, links_.size());
  return links_[id];
}

Topology Topology::full_mesh(std::vector<NodeInfo> nodes, const LinkProfile& profile) {
  return zoned_mesh(std::move(nodes), profile, profile);
}

Topology Topology::zoned_mesh(std::vector<NodeInfo> nodes, const LinkProfile& intra_zone,
                              const LinkProfile& inter_zone,
                              const std::map<std::pair<std::string, std::string>, LinkProfile>& zone_pair_overrides) {
  Topology topology;
  for (auto& info : nodes) topology.add_node(std::move(info));
  const auto count = static_cast<NodeId::Representation>(topology.node_count());
  for (const NodeId from : ids_below<NodeId>(count)) {
    for (const NodeId to : ids_below<NodeId>(count)) {
      if (from == to) continue;
      const std::string& from_zone = topology.nodes_[from.index()].zone;
      const std::string& to_zone = topology.nodes_[to.index()].zone;
      auto override_profile = zone_pair_overrides.find({from_zone, to_zone});
      if (override_profile == zone_pair_overrides.end()) override_profile = zone_pair_overrides.find({to_zone, from_zone});
      const LinkProfile& profile = override_profile != zone_pair_overrides.end() ? override_profile->second
                                   : from_zone == to_zone                       ? intra_zone
                                                                                : inter_zone;
      topology.add_link(from, to, profile);
    }
  }
  return topology;
}

ConfigIssues validate(const Topology& topology) {
  ConfigIssues issues;
  for (const NodeId index : ids_below<NodeId>(static_cast<NodeId::Representation>(topology.node_count()))) {
    if (topology.node(index).name.empty()) {
      issues.push_back({fmt::format("nodes.{}.name", index), fmt::format("node {} needs a non-empty name", index)});
    }
  }
  for (const Link& link : topology.links()) {
    const std::string key =
        fmt::format("links.{}>{}", topology.node(link.from).name, topology.node(link.to).name);
    const ConfigIssues link_issues = validate(link.profile, key);
    issues.insert(issues.end(), link_issues.begin(), link_issues.end());
  }
  return issues;
}

}  // namespace ksim::net
