#include "sim/swarm/cued_faults.h"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sim/random/random_stream.h"

namespace ksim::swarm {

namespace {

// What the drawn faults may aim at and wait for, read from the variant's tree with the
// loader's defaults (scenarios/README.md: topic `events`, one partition, groups `group`).
struct Cast {
  std::string topic = "events";
  std::int64_t partitions = 1;
  std::int64_t replication_factor = 1;
  std::int64_t messages = 0;  // the first producer group's, the count `acknowledged-sends` may wait for
  std::string group;          // the first consumer group's name; empty without groups
  bool transactions = false;  // the mode writes transactions, so prepare-commit can fire
};

std::int64_t int_or(const YAML::Node& node, std::int64_t fallback) {
  return node && node.IsScalar() ? node.as<std::int64_t>(fallback) : fallback;
}

Cast cast_of(const YAML::Node& root, const std::string& mode) {
  Cast cast;
  const YAML::Node topics = root["cluster"]["topics"];
  if (topics && topics.IsSequence() && topics.size() > 0) {
    const YAML::Node topic = topics[0];
    if (topic["name"]) cast.topic = topic["name"].as<std::string>();
    cast.partitions = int_or(topic["partitions"], 1);
    cast.replication_factor = int_or(topic["replication.factor"], std::min<std::int64_t>(3, int_or(root["cluster"]["brokers"], 1)));
  }
  const YAML::Node producers = root["producers"];
  if (producers && producers.IsSequence() && producers.size() > 0) cast.messages = int_or(producers[0]["messages"], 0);
  const YAML::Node groups = root["consumers"];
  if (groups && groups.IsSequence() && groups.size() > 0) {
    cast.group = groups[0]["name"] ? groups[0]["name"].as<std::string>() : "group";
  }
  cast.transactions = mode == "exactly-once-transactions";
  return cast;
}

YAML::Node role(const std::string& name, const std::string& argument) {
  YAML::Node node(YAML::NodeType::Map);
  node[name] = argument;
  node.SetStyle(YAML::EmitterStyle::Flow);
  return node;
}

// The role a fault aims at: a partition's leader or follower, the group's coordinator or
// a random broker (all brokers, so every fault kind, power failure included, takes them).
YAML::Node draw_target(RandomStream& stream, const Cast& cast, std::string& said) {
  const std::string partition = fmt::format("{}-{}", cast.topic, stream.uniform_below(cast.partitions));
  std::vector<std::string> roles{"leader-of", "random-broker"};
  if (cast.replication_factor >= 2) roles.push_back("follower-of");
  if (!cast.group.empty()) roles.push_back("coordinator-of-group");
  const std::string chosen = roles[stream.uniform_below(roles.size())];
  if (chosen == "random-broker") {
    said = "random-broker";
    return YAML::Node("random-broker");
  }
  const std::string argument = chosen == "coordinator-of-group" ? cast.group : partition;
  said = chosen;
  return role(chosen, argument);
}

// The event that fires the fault; only events that can happen in this variant (the
// loader warns about the others).
YAML::Node draw_when(RandomStream& stream, const Cast& cast, std::string& said) {
  std::vector<std::string> events{"leader-election"};
  if (cast.messages >= 2) events.push_back("acknowledged-sends");
  if (cast.replication_factor >= 2) events.push_back("isr-shrink");
  if (!cast.group.empty()) events.push_back("consumer-commit");
  if (cast.transactions) events.push_back("transaction-prepare-commit");
  YAML::Node when(YAML::NodeType::Map);
  const std::string event = events[stream.uniform_below(events.size())];
  when["event"] = event;
  said = event;
  if (event == "acknowledged-sends") {
    const std::int64_t count = stream.uniform_int(1, cast.messages / 2);
    when["count"] = count;
  } else if (event == "isr-shrink") {
    const std::string partition = fmt::format("{}-{}", cast.topic, stream.uniform_below(cast.partitions));
    when["partition"] = partition;
    when["size"] = cast.replication_factor - 1;
  }
  const std::int64_t delay_ms = stream.uniform_int(0, 50);
  when["delay"] = fmt::format("{}ms", delay_ms);
  when.SetStyle(YAML::EmitterStyle::Flow);
  return when;
}

// What the summary counts of a drawn fault: its kind, the role it aims at and the event
// that cues it (the written variant has the partition, count, delay and duration).
struct Said {
  std::string kind;
  std::string target;
  std::string cue;
};

// One fault: its kind from the run's allowed kinds (`partition` becomes a network cut of
// the target from every other node), its target, its cue and its duration.
YAML::Node draw_fault(RandomStream& stream, const std::vector<std::string>& kinds, const Cast& cast, Said& said) {
  const std::string kind = kinds[stream.uniform_below(kinds.size())];
  YAML::Node target = draw_target(stream, cast, said.target);
  YAML::Node fault(YAML::NodeType::Map);
  fault["when"] = draw_when(stream, cast, said.cue);
  if (kind == "partition") {
    fault["kind"] = "network";
    YAML::Node from(YAML::NodeType::Sequence);
    from.push_back(target);
    from.SetStyle(YAML::EmitterStyle::Flow);
    fault["from"] = from;
    fault["to"] = YAML::Load("[all]");
    fault["cut"] = true;
  } else {
    fault["kind"] = kind;
    fault["target"] = target;
  }
  const std::int64_t duration_ms = stream.uniform_int(200, 3000);
  fault["duration"] = fmt::format("{}ms", duration_ms);
  said.kind = kind == "partition" ? "network-cut" : kind;
  return fault;
}

}  // namespace

void draw_cued_faults(YAML::Node& root, const Ranges& ranges, Variant& variant) {
  RandomStream count_stream(variant.run, "swarm.cued_faults");
  std::int64_t count = count_stream.uniform_int(ranges.cued_faults.min, ranges.cued_faults.max);
  if (ranges.fault_kinds.empty()) count = 0;
  variant.dimensions.emplace_back("cued_faults", std::to_string(count));
  const Cast cast = cast_of(root, variant.mode);
  if (count > 0 && (!root["faults"] || !root["faults"].IsSequence())) root["faults"] = YAML::Node(YAML::NodeType::Sequence);
  // One set of dimensions per slot up to the range's maximum ("none" past the run's count),
  // so the summary counts kinds, roles and cues rather than every combination.
  for (std::int64_t i = 0; i < ranges.cued_faults.max; ++i) {
    Said said{"none", "none", "none"};
    if (i < count) {
      RandomStream stream(variant.run, fmt::format("swarm.cued_fault.{}", i));
      root["faults"].push_back(draw_fault(stream, ranges.fault_kinds, cast, said));
    }
    variant.dimensions.emplace_back(fmt::format("cued_fault.{}.kind", i + 1), said.kind);
    variant.dimensions.emplace_back(fmt::format("cued_fault.{}.target", i + 1), said.target);
    variant.dimensions.emplace_back(fmt::format("cued_fault.{}.cue", i + 1), said.cue);
  }
}

}  // namespace ksim::swarm
