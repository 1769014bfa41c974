#pragma once
// Small topologies shared by the net tests.
#include <string>
#include <fmt/format.h>
#include <vector>

#include "sim/net/topology.h"

namespace ksim::net::testing {

inline LinkProfile constant_link(TimeNs latency_ns) {
  LinkProfile profile;
  profile.latency = LatencyDistribution{.kind = LatencyKind::constant, .mean_ns = latency_ns};
  return profile;
}

// Nodes n0, n1, ... all in zone "z".
inline std::vector<NodeInfo> numbered_nodes(int count) {
  std::vector<NodeInfo> nodes;
  // fmt::format, not "n" + std::to_string(i): g++ 12 at -O3 raises a false -Wrestrict
  // on that string concatenation.
  for (int i = 0; i < count; ++i) nodes.push_back({fmt::format("n{}", i), "broker", "z"});
  return nodes;
}

}  // namespace ksim::net::testing
