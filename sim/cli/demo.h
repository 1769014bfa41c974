#pragma once
// The bundled demo, the main job until the scenario library takes its place: a small
// deterministic run whose fingerprint every build must reproduce. Gossip over a real
// sim/net Network: five nodes in two zones, a lossy mesh, one partition that heals.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/simulator.h"

namespace ksim {

struct DemoNodeCounts {
  std::string name;
  std::uint64_t sent = 0;         // transmissions started by this node
  std::uint64_t delivered = 0;    // copies this node received (duplicates included)
  std::uint64_t lost = 0;         // its transmissions the network lost
  std::uint64_t partitioned = 0;  // its transmissions dropped at a cut link
};

struct DemoResult {
  std::uint64_t seed = 0;
  RunResult run;
  std::uint64_t messages_sent = 0;
  std::uint64_t messages_delivered = 0;
  std::uint64_t messages_lost = 0;
  std::uint64_t messages_partitioned = 0;
  std::uint64_t messages_duplicated = 0;
  std::vector<DemoNodeCounts> nodes;
};

DemoResult run_demo(std::uint64_t seed);

}  // namespace ksim
