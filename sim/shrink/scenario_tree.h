#pragma once
// The scenario document a shrink works on: a YAML tree, turned into text and loaded again
// through the normal loader for every candidate, so each candidate is validated exactly as
// a user's file is and the result is a real scenario file.
#include <cstdint>
#include <optional>
#include <string>

#include <yaml-cpp/yaml.h>

#include "sim/core/sim_time.h"
#include "sim/kafka/config/world_config.h"
#include "sim/scenario/scenario.h"

namespace ksim::shrink {

// A duration as exact text, in the largest unit that divides it: 2s, 150ms, 1234567ns.
std::string duration_text(TimeNs ns);

// One fault as a `faults[]` entry. A nemesis partition isolates one node from all the
// others; it is written as its one group (the others are the unlisted group), so that it
// stays valid when the shrink removes other nodes. A nemesis power failure of a client
// (files allow power-failure on brokers only) is written as a crash: not the same run,
// which is why the caller checks that the written faults still fail the same way.
YAML::Node fault_node(const kafka::FaultSpec& fault);

struct Materialized {
  std::size_t drawn = 0;                  // faults the nemesis drew for the seed
  std::size_t client_power_failures = 0;  // of them, written as crashes
};

// Replaces `nemesis` by the faults it draws for `seed` (appended to `faults`, after the
// file's own, in the order the run applies them).
Materialized materialize_nemesis(YAML::Node& root, const scenario::Scenario& loaded, const scenario::ModeChoice& mode,
                                 std::uint64_t seed);

// Narrows the document to the one run being shrunk: `seed` and `seeds` set to it,
// `modes` to [mode], expectations of other modes dropped.
void focus_on_run(YAML::Node& root, const std::string& mode, std::uint64_t seed);

// The tree as YAML text (block style, keys in document order).
std::string emit_yaml(const YAML::Node& root);

// The tree loaded as a user's file would be; nullopt when it is not a valid scenario.
std::optional<scenario::Scenario> load_tree(const YAML::Node& root, const std::string& file);

}  // namespace ksim::shrink
