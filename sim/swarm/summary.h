#pragma once
// What a swarm found, counted: failures by violation kind, and how often each value of
// each dimension was drawn (so a range that never came up shows). The CLI prints it as a
// table; to_json is `ksim swarm --json`.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/probe_coverage.h"
#include "sim/swarm/swarm.h"

namespace ksim::swarm {

struct Summary {
  std::uint64_t runs = 0;
  std::uint64_t failing_runs = 0;
  std::uint64_t invalid_runs = 0;  // variants the loader refused (the first one's reason kept)
  std::string first_invalid;
  // "guarantee lost" -> runs showing it; a name-ordered map, so output order is fixed.
  std::map<std::string, std::uint64_t> failures_by_kind;
  // dimension (in draw order) -> value -> runs that drew it
  std::vector<std::pair<std::string, std::map<std::string, std::uint64_t>>> dimensions;
  reports::Coverage coverage;  // coverage probes over the valid runs (sim/history/probes.h)
};

Summary summarize(const SwarmResult& result);

// "guarantee lost", "kafka-promise kafka_promises_broken", "expectation lost"
std::string kind_of(const shrink::Violation& violation);

nlohmann::json to_json(const SwarmRequest& request, const SwarmResult& result);

}  // namespace ksim::swarm
