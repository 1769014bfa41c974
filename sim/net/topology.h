#pragma once
// The static shape of the network: nodes and directed links with their profiles, held
// in a Boost.Graph adjacency list. Vertex i is node i (dense, in the order added); each
// edge carries the id of its link, and links are kept in a vector in the order they were
// first added, so every walk over links is in a fixed order.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "sim/core/config_issue.h"
#include "sim/core/ids.h"
#include "sim/net/link_profile.h"

namespace ksim::net {

// Nodes are NodeIds (sim/core/ids.h): dense, 0..node_count-1, in the order nodes were added.
using LinkId = std::uint32_t;  // dense, 0..link_count-1, in the order links were first added

struct NodeInfo {
  std::string name;
  std::string kind;  // "broker", "producer", ... (opaque here)
  std::string zone;
};

struct Link {
  NodeId from{0};
  NodeId to{0};
  LinkProfile profile;
};

class Topology {
 public:
  struct EdgeData {
    LinkId link_id = 0;
  };
  // vecS/vecS: vertex descriptors are the node indices and out-edges keep insertion
  // order, so Boost's algorithms visit the graph in the same order on every run.
  // bidirectionalS rather than directedS: it keeps a real edge list, so edges(g) (graph
  // copies, write_graphviz) walks it in insertion order; directedS's synthesised edge
  // iterator also trips a false -Wmaybe-uninitialized in g++ 12.
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property, EdgeData>;
  using Edge = boost::graph_traits<Graph>::edge_descriptor;
  using Vertex = boost::graph_traits<Graph>::vertex_descriptor;
  // The one place a node and its Boost vertex convert (vecS: vertex i is node i).
  static Vertex vertex(NodeId node) { return node.index(); }
  static NodeId node_at(Vertex vertex) { return NodeId{static_cast<NodeId::Representation>(vertex)}; }

  NodeId add_node(NodeInfo info);  // names unique (asserted), returns the dense index
  void add_link(NodeId from, NodeId to, const LinkProfile& profile);  // directed; asserts it is new
  void set_link(NodeId from, NodeId to, const LinkProfile& profile);  // add or replace

  static Topology full_mesh(std::vector<NodeInfo> nodes, const LinkProfile& profile);
  // Same zone -> intra_zone, different zones -> inter_zone, unless zone_pair_overrides
  // holds (from zone, to zone); failing that the reversed pair (to zone, from zone) is
  // used, so one entry covers both directions unless both are given. A (zone, zone)
  // entry overrides the intra-zone profile of that zone.
  static Topology zoned_mesh(std::vector<NodeInfo> nodes, const LinkProfile& intra_zone, const LinkProfile& inter_zone,
                             const std::map<std::pair<std::string, std::string>, LinkProfile>& zone_pair_overrides = {});

  std::size_t node_count() const { return nodes_.size(); }
  const NodeInfo& node(NodeId index) const;
  std::optional<NodeId> find_node(std::string_view name) const;  // nullopt for an unknown name

  bool has_link(NodeId from, NodeId to) const { return link_id(from, to).has_value(); }
  const LinkProfile& link(NodeId from, NodeId to) const;  // precondition has_link
  std::optional<LinkId> link_id(NodeId from, NodeId to) const;
  std::size_t link_count() const { return links_.size(); }
  const Link& link_by_id(LinkId id) const;
  const std::vector<Link>& links() const { return links_; }

  const Graph& graph() const { return graph_; }

  // DOT text: one vertex per node labelled with name, kind and zone, one edge per link
  // labelled with its latency and loss.
  std::string to_graphviz() const;

 private:
  void check_node(NodeId index) const;

  Graph graph_;
  std::vector<NodeInfo> nodes_;
  std::map<std::string, NodeId, std::less<>> index_by_name_;  // ordered: no hash-order dependence
  std::vector<Link> links_;
};

// Every node needs a non-empty name; every link profile is validated under
// "links.<from name>><to name>".
ConfigIssues validate(const Topology& topology);

}  // namespace ksim::net
