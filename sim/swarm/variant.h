#pragma once
// One swarm run's scenario: the base file's tree with every dimension drawn from the run's
// seed, each from its own stream (seed, "swarm.<dimension>"), so widening one range never
// shifts another dimension's draws. The result is an ordinary scenario document, focused
// on the one run (seed, modes), loaded through the normal loader like any user's file.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/swarm/ranges.h"

namespace ksim::swarm {

struct Variant {
  std::uint64_t run = 0;  // the run number, also the seed the variant is drawn from and run with
  std::string mode;       // the delivery mode whose promise is checked
  // What was drawn, in draw order: ("brokers", "4"), ("faults", "crash 3/min, pause 1/min"), ...
  std::vector<std::pair<std::string, std::string>> dimensions;
  YAML::Node tree;  // the scenario document
};

// The variant of `run` over `base` (the base file's tree; it is not changed).
Variant draw_variant(const YAML::Node& base, const std::string& base_file, const Ranges& ranges, std::uint64_t run);

}  // namespace ksim::swarm
