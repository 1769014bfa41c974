#pragma once
// The counters a run is measured by, by name: what scenario `expect` blocks bound, what
// results.json carries and what tables show. One list, so the three never disagree.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/check/outcome.h"

namespace ksim::check {

const std::vector<std::string>& counter_names();

// The value of counter `name` in an outcome: a counter of check::Counters, "reordered"
// (within a key or within one producer's partition), "lost_cause_unknown" /
// "duplicated_cause_unknown" (messages whose cause is `unknown`), or a Jepsen anomaly by its Jepsen
// name ("lost-write", "G1a", ...). nullopt for an unknown name.
std::optional<std::uint64_t> counter_value(const Outcome& outcome, std::string_view name);

}  // namespace ksim::run
