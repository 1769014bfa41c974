#pragma once
// Loading a scenario file: text -> validated Scenario, or every error of the file at once
// (file:line:column, key path, message). Then, per delivery mode and seed, the
// WorldConfig to run: defaults, then the mode's preset, then the file's explicit settings.
#include <optional>
#include <string>
#include <vector>

#include "sim/kafka/config/world_config.h"
#include "sim/scenario/input_error.h"
#include "sim/scenario/scenario.h"

namespace ksim::scenario {

// Loads and validates a file (for every mode it names). nullopt if `errors` got any.
std::optional<Scenario> load_scenario_file(const std::string& path, InputErrors& errors);
std::optional<Scenario> load_scenario_text(std::string_view text, const std::string& file, InputErrors& errors);
// From an already loaded tree (after --set overrides were applied to it).
std::optional<Scenario> load_scenario_node(const YAML::Node& root, const std::string& file, InputErrors& errors);

// The world to run for one mode and seed. Reports into `errors` only what the mode's
// preset makes contradictory (e.g. an explicit enable.idempotence=true with the
// at-most-once preset's acks=0); load_scenario_* already reported everything else.
kafka::WorldConfig build_world_config(const Scenario& scenario, const ModeChoice& mode, std::uint64_t seed,
                                      InputErrors& errors);
// The same without a seed: what every seed of the mode starts from (kafka::with_seed adds
// the seed and its nemesis faults). Built once per mode on the calling thread, so that no
// YAML tree is read while runs go on.
kafka::WorldConfig build_mode_config(const Scenario& scenario, const ModeChoice& mode, InputErrors& errors);

// `--set key.path=value`: replaces one scalar of the tree ("network.loss=5%",
// "producers[0].config.acks=1"), creating missing map keys. Returns an error message, or
// nothing on success. The result is validated again by the caller.
std::optional<std::string> set_scalar(YAML::Node& root, std::string_view key_path, const std::string& value);

}  // namespace ksim::scenario
