#include "sim/net/routing.h"

#include <algorithm>
#include <limits>

#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/property_map/function_property_map.hpp>

#include "sim/core/assert.h"

namespace ksim::net {

namespace {

// Edge filter: keeps the links no cut covers. Default-constructible as Boost requires.
struct UncutLinks {
  const Topology::Graph* graph = nullptr;
  const CutRegistry* cuts = nullptr;
  bool operator()(const Topology::Edge& edge) const { return !cuts->cut((*graph)[edge].link_id); }
};

using UncutGraph = boost::filtered_graph<Topology::Graph, UncutLinks>;

UncutGraph uncut_graph(const Topology& topology, const CutRegistry& cuts) {
  return UncutGraph(topology.graph(), UncutLinks{&topology.graph(), &cuts});
}

}  // namespace

const Router::ShortestPaths& Router::from_source(const Topology& topology, NodeId source, const CutRegistry& cuts,
                                                 const std::vector<double>& weights, std::uint64_t generation) {
  ShortestPaths& paths = by_source_[source.index()];
  if (paths.valid && paths.generation == generation) return paths;
  const std::size_t count = topology.node_count();
  paths.predecessor.assign(count, 0);
  paths.distance.assign(count, 0.0);
  const UncutGraph graph = uncut_graph(topology, cuts);
  const Topology::Graph& base = topology.graph();
  const auto weight = boost::make_function_property_map<Topology::Edge, double>(
      [&](const Topology::Edge& edge) { return weights[base[edge].link_id]; });
  const auto index = boost::get(boost::vertex_index, graph);
  boost::dijkstra_shortest_paths(
      graph, Topology::vertex(source),
      boost::predecessor_map(boost::make_iterator_property_map(paths.predecessor.begin(), index))
          .distance_map(boost::make_iterator_property_map(paths.distance.begin(), index))
          .weight_map(weight));
  paths.generation = generation;
  paths.valid = true;
  return paths;
}

std::optional<std::vector<LinkId>> Router::route(const Topology& topology, NodeId source, NodeId target, const CutRegistry& cuts,
                                                 const std::vector<double>& weights, std::uint64_t generation) {
  const ShortestPaths& paths = from_source(topology, source, cuts, weights, generation);
  // Boost leaves unreached vertices at the "infinite" distance, its numeric max.
  const Topology::Vertex from = Topology::vertex(source);
  const Topology::Vertex to = Topology::vertex(target);
  if (to != from && paths.distance[to] == std::numeric_limits<double>::max()) return std::nullopt;
  std::vector<LinkId> links;
  for (Topology::Vertex at = to; at != from; at = paths.predecessor[at]) {
    KSIM_ASSERT(links.size() < topology.node_count(), "route to node {} loops", target);
    const auto link = topology.link_id(Topology::node_at(paths.predecessor[at]), Topology::node_at(at));
    KSIM_ASSERT(link.has_value(), "route uses a missing link into node {}", at);
    links.push_back(*link);
  }
  std::reverse(links.begin(), links.end());
  return links;
}

std::vector<std::uint32_t> Router::components(const Topology& topology, const CutRegistry& cuts) {
  const std::size_t count = topology.node_count();
  std::vector<std::uint32_t> boost_component(count, 0);
  const UncutGraph graph = uncut_graph(topology, cuts);
  boost::strong_components(
      graph, boost::make_iterator_property_map(boost_component.begin(), boost::get(boost::vertex_index, graph)));
  // Renumber by first appearance in node order.
  constexpr std::uint32_t kUnset = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> renumbered(count, kUnset);
  std::vector<std::uint32_t> result(count, 0);
  std::uint32_t next = 0;
  for (std::size_t node = 0; node < count; ++node) {
    std::uint32_t& number = renumbered[boost_component[node]];
    if (number == kUnset) number = next++;
    result[node] = number;
  }
  return result;
}

}  // namespace ksim::net
