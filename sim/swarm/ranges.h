#pragma once
// What a swarm may draw for each run: the `swarm:` section of the base file, or the
// defaults documented in scenarios/README.md ("Swarm runs"). Read with the scenario
// readers, so a bad section is reported as file:line:column like any other key.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/scenario/input_error.h"

namespace ksim::swarm {

struct IntRange {
  std::int64_t min = 0;
  std::int64_t max = 0;
};

// A value of a list that means "leave what the base and the mode's preset say".
inline constexpr const char* kPreset = "preset";

struct Ranges {
  IntRange brokers{3, 5};
  IntRange replication_factor{1, 3};  // drawn no higher than the run's brokers
  IntRange min_insync_replicas{1, 2};  // drawn no higher than the run's replication factor
  std::vector<std::string> modes{"at-most-once", "at-least-once", "exactly-once", "exactly-once-transactions"};
  std::vector<std::string> acks{kPreset};               // at-most-once and at-least-once runs only
  std::vector<std::string> idempotence{kPreset, "true"};  // at-least-once runs with acks=all only
  std::vector<std::string> assignment{"range", "roundrobin", "sticky", "cooperative-sticky"};
  std::vector<std::string> latency{"default", "constant", "uniform", "long-tail"};
  std::vector<std::string> loss{"0", "0.1%", "1%"};
  std::vector<std::string> fault_kinds{"crash", "pause", "partition"};  // each on or off per run
  IntRange fault_rate_per_minute{1, 6};
  // Faults aimed by role and cued by model events added per run (cued_faults.h), of the
  // kinds in fault_kinds.
  IntRange cued_faults{0, 1};
  // Knobs: empty means not drawn (the base's value stays).
  std::vector<std::string> unclean_leader_election;
  std::vector<std::string> log_truncation;
  std::vector<std::string> bounced_broker_detection;
  // cluster.kafka.version: empty means not drawn; else the first listed version, in an order
  // drawn per run, under which the variant loads (version_draw.h).
  std::vector<std::string> kafka_version;
};

// The ranges of the base's `swarm:` section (defaults for keys it leaves out). Problems go
// to `errors` with the file's line and column; nullopt then.
std::optional<Ranges> read_ranges(const YAML::Node& root, const std::string& file, scenario::InputErrors& errors);

// "3..5" or "4"
std::string range_text(const IntRange& range);

}  // namespace ksim::swarm
