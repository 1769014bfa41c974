#pragma once
// A scenario file, loaded and validated: what to simulate (kept as the YAML tree, so each
// delivery mode can apply its preset and then the file's explicit settings), which modes
// and seeds to run, and what to expect of them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/kafka/config/delivery_mode.h"
#include "sim/scenario/properties_files.h"
#include "sim/scenario/units.h"

namespace ksim::scenario {

inline constexpr std::int64_t kScenarioVersion = 1;

// A mode to run: a named delivery mode, or the file's settings as they are.
struct ModeChoice {
  std::optional<kafka::DeliveryMode> mode;  // nullopt: "as-configured"
  std::string name() const;
};

using Quantifier = check::Quantifier;
using check::to_string;

struct Expectation {
  std::string mode;     // mode name it applies to
  std::string counter;  // a name from check::counter_names()
  Bound bound;
  Quantifier quantifier = Quantifier::every_seed;
  int line = 0;         // where it is written, for messages
};

struct Scenario {
  std::string file;
  std::string name;
  std::string description;
  std::uint64_t seed = 1;  // `ksim run` without --seed
  SeedRange seeds{1, 1};   // `ksim check` and `compare` without --seeds
  std::vector<ModeChoice> modes;
  std::vector<Expectation> expectations;
  YAML::Node root;  // the validated tree, re-read per mode by build_world_config
  PropertiesFiles properties_files;  // the config_file files, read once at load time
};


}  // namespace ksim::scenario
