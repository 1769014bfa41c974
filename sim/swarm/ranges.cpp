#include "sim/swarm/ranges.h"

#include <algorithm>

#include <fmt/format.h>

#include "sim/scenario/kafka_version.h"
#include "sim/scenario/units.h"
#include "sim/scenario/yaml_reader.h"

namespace ksim::swarm {

namespace {

using scenario::MapReader;

const std::vector<std::string> kModes{"at-most-once", "at-least-once", "exactly-once", "exactly-once-transactions"};
const std::vector<std::string> kAcks{kPreset, "0", "1", "all"};
const std::vector<std::string> kPresetOrBool{kPreset, "true", "false"};
const std::vector<std::string> kBool{"true", "false"};
const std::vector<std::string> kAssignment{"range", "roundrobin", "sticky", "cooperative-sticky"};
const std::vector<std::string> kLatency{"default", "constant", "uniform", "long-tail"};
const std::vector<std::string> kFaultKinds{"crash", "power-failure", "pause", "partition"};
const std::vector<std::string> kTruncation{"leader-epoch", "leader-epoch-kip101", "high-watermark"};

// "A..B" or "N", each a whole number within [lowest, highest]; min > max is reported.
void read_range(MapReader& section, const std::string& key, std::int64_t lowest, std::int64_t highest,
                IntRange& range) {
  if (!section.has(key)) return;
  const std::string text = section.optional<std::string>(key, "");
  const std::size_t dots = text.find("..");
  const auto low = scenario::parse_int64(text.substr(0, dots));
  const auto high = dots == std::string::npos ? low : scenario::parse_int64(text.substr(dots + 2));
  if (!low || !high) {
    section.report(key, fmt::format("expected a range A..B or one number, got \"{}\"", text));
  } else if (low.value() > high.value()) {
    section.report(key, fmt::format("empty range \"{}\": its minimum {} is above its maximum {}", text, low.value(),
                                    high.value()));
  } else if (low.value() < lowest || high.value() > highest) {
    section.report(key, fmt::format("must lie within {}..{}, got \"{}\"", lowest, highest, text));
  } else {
    range = IntRange{low.value(), high.value()};
  }
}

// A list of allowed spellings; empty lists and unknown values are reported. `check`
// may reject a value the spellings cannot (a probability).
void read_list(MapReader& section, const std::string& key, const std::vector<std::string>& allowed,
               std::vector<std::string>& values) {
  auto list = section.optional_sequence(key);
  if (!list) return;
  if (list->size() == 0) {
    section.report(key, "is empty: a run could draw nothing; leave the key out for its default");
    return;
  }
  std::vector<std::string> read;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string value = list->get<std::string>(i);
    const bool known = allowed.empty() ? scenario::parse_probability(value).ok()
                                       : std::find(allowed.begin(), allowed.end(), value) != allowed.end();
    if (!known) {
      list->report(i, allowed.empty() ? fmt::format("expected a probability such as 0, 0.1% or 1%, got \"{}\"", value)
                                      : fmt::format("unknown value \"{}\"; expected one of {}", value,
                                                    fmt::join(allowed, ", ")));
    }
    read.push_back(value);
  }
  values = read;
}

// Ranges that each make sense but cannot hold together.
void check_contradictions(MapReader& section, const Ranges& ranges) {
  if (ranges.replication_factor.min > ranges.brokers.max) {
    section.report("replication.factor",
                   fmt::format("its minimum {} is above the most brokers a run can have ({}, brokers: {})",
                               ranges.replication_factor.min, ranges.brokers.max, range_text(ranges.brokers)));
  }
  if (ranges.min_insync_replicas.min > std::min(ranges.replication_factor.max, ranges.brokers.max)) {
    section.report("min.insync.replicas",
                   fmt::format("its minimum {} is above the largest replication factor a run can have ({}; replication.factor: {}, brokers: {})",
                               ranges.min_insync_replicas.min,
                               std::min(ranges.replication_factor.max, ranges.brokers.max),
                               range_text(ranges.replication_factor), range_text(ranges.brokers)));
  }
}

}  // namespace

std::string range_text(const IntRange& range) {
  return range.min == range.max ? fmt::format("{}", range.min) : fmt::format("{}..{}", range.min, range.max);
}

std::optional<Ranges> read_ranges(const YAML::Node& root, const std::string& file, scenario::InputErrors& errors) {
  Ranges ranges;
  if (!root.IsMap() || !root["swarm"]) return ranges;
  const std::size_t errors_before = errors.size();
  scenario::ReadContext context(file, errors);
  MapReader section(root["swarm"], "swarm", context);
  read_range(section, "brokers", 1, 100, ranges.brokers);
  read_range(section, "replication.factor", 1, 100, ranges.replication_factor);
  read_range(section, "min.insync.replicas", 1, 100, ranges.min_insync_replicas);
  read_list(section, "modes", kModes, ranges.modes);
  read_list(section, "acks", kAcks, ranges.acks);
  read_list(section, "enable.idempotence", kPresetOrBool, ranges.idempotence);
  read_list(section, "partition.assignment.strategy", kAssignment, ranges.assignment);
  read_list(section, "latency", kLatency, ranges.latency);
  read_list(section, "loss", {}, ranges.loss);
  read_list(section, "fault_kinds", kFaultKinds, ranges.fault_kinds);
  read_range(section, "fault_rate_per_minute", 0, 600, ranges.fault_rate_per_minute);
  read_range(section, "cued_faults", 0, 8, ranges.cued_faults);
  read_list(section, "unclean.leader.election.enable", kBool, ranges.unclean_leader_election);
  read_list(section, "log.truncation", kTruncation, ranges.log_truncation);
  read_list(section, "bounced.broker.detection", kBool, ranges.bounced_broker_detection);
  read_list(section, "kafka.version", scenario::kafka_version_names(), ranges.kafka_version);
  section.finish();
  check_contradictions(section, ranges);
  if (errors.size() > errors_before) return std::nullopt;
  return ranges;
}

}  // namespace ksim::swarm
