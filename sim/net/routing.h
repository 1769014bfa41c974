#pragma once
// Routes over the links that are not cut: Dijkstra on a Boost filtered_graph, weighted
// by each link's mean latency estimate. Routes from one source are cached until the
// caller's state generation (cuts or profiles) changes.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/net/partition.h"
#include "sim/net/topology.h"

namespace ksim::net {

class Router {
 public:
  // Holds no reference to the topology (so its owner stays movable); every call passes
  // the same topology it was built for.
  explicit Router(std::size_t node_count) : by_source_(node_count) {}

  // Links of a lowest-weight path from source to target over uncut links, in hop order;
  // nullopt when there is none. `weights` is indexed by link id, finite and >= 0.
  // `generation` must change whenever `cuts` or `weights` do.
  std::optional<std::vector<LinkId>> route(const Topology& topology, NodeId source, NodeId target, const CutRegistry& cuts,
                                           const std::vector<double>& weights, std::uint64_t generation);

  // Mutual-reachability classes over uncut links (strong components, since links are
  // directed): equal numbers = each reaches the other. Numbered 0, 1, ... in order of
  // each class's lowest node index, so the numbering does not depend on Boost internals.
  static std::vector<std::uint32_t> components(const Topology& topology, const CutRegistry& cuts);

 private:
  struct ShortestPaths {
    std::uint64_t generation = 0;
    bool valid = false;
    std::vector<Topology::Vertex> predecessor;  // Boost vertices, by vertex
    std::vector<double> distance;
  };
  const ShortestPaths& from_source(const Topology& topology, NodeId source, const CutRegistry& cuts, const std::vector<double>& weights,
                                   std::uint64_t generation);

  std::vector<ShortestPaths> by_source_;
};

}  // namespace ksim::net
