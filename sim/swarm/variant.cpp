#include "sim/swarm/variant.h"

#include <algorithm>

#include <fmt/format.h>

#include "sim/random/random_stream.h"
#include "sim/shrink/scenario_tree.h"
#include "sim/swarm/cued_faults.h"

namespace ksim::swarm {

namespace {

std::string pick(const std::vector<std::string>& values, std::uint64_t seed, const std::string& dimension) {
  RandomStream stream(seed, "swarm." + dimension);
  return values.at(stream.uniform_below(values.size()));
}

std::int64_t pick_int(std::int64_t low, std::int64_t high, std::uint64_t seed, const std::string& dimension) {
  RandomStream stream(seed, "swarm." + dimension);
  return stream.uniform_int(low, high);
}

// A child map of `parent`, created when missing.
YAML::Node child_map(YAML::Node parent, const std::string& key) {
  if (!parent[key] || !parent[key].IsMap()) parent[key] = YAML::Node(YAML::NodeType::Map);
  return parent[key];
}

bool no_idempotence_preset(const std::string& mode) { return mode == "at-most-once" || mode == "at-least-once"; }

// Brokers, replication factor and min.insync.replicas, each within its range and below
// the one before it (the ranges were checked to allow that).
void draw_cluster(YAML::Node& root, const Ranges& ranges, Variant& variant) {
  const std::int64_t fewest = std::max({ranges.brokers.min, ranges.replication_factor.min, ranges.min_insync_replicas.min});
  const std::int64_t brokers = pick_int(fewest, ranges.brokers.max, variant.run, "brokers");
  const std::int64_t rf = pick_int(std::max(ranges.replication_factor.min, ranges.min_insync_replicas.min),
                                   std::min(ranges.replication_factor.max, brokers), variant.run, "replication.factor");
  const std::int64_t min_isr = pick_int(ranges.min_insync_replicas.min, std::min(ranges.min_insync_replicas.max, rf),
                                        variant.run, "min.insync.replicas");
  YAML::Node cluster = child_map(root, "cluster");
  cluster["brokers"] = brokers;
  // One rack name per broker: a list for another broker count no longer fits.
  if (cluster["racks"] && cluster["racks"].size() != static_cast<std::size_t>(brokers)) cluster.remove("racks");
  // Writeback phases: at most one per broker; fewer brokers drop the rest.
  if (cluster["os.flush.phases"] && cluster["os.flush.phases"].size() > static_cast<std::size_t>(brokers)) {
    cluster.remove("os.flush.phases");
  }
  if (cluster["topics"] && cluster["topics"].IsSequence() && cluster["topics"].size() > 0) {
    cluster["topics"][0]["replication.factor"] = rf;
    cluster["topics"][0]["min.insync.replicas"] = min_isr;
  }
  variant.dimensions.emplace_back("brokers", std::to_string(brokers));
  variant.dimensions.emplace_back("replication.factor", std::to_string(rf));
  variant.dimensions.emplace_back("min.insync.replicas", std::to_string(min_isr));
}

// The producer's settings the mode's preset leaves open: acks for the modes without
// idempotence, idempotence for at-least-once with acks=all.
void draw_producers(YAML::Node& root, const Ranges& ranges, Variant& variant) {
  const std::string acks = pick(ranges.acks, variant.run, "acks");
  const std::string idempotence = pick(ranges.idempotence, variant.run, "enable.idempotence");
  const bool acks_applies = no_idempotence_preset(variant.mode) && acks != kPreset;
  bool idempotence_applied = false;
  for (YAML::Node producer : root["producers"]) {
    if (!producer.IsMap()) continue;
    YAML::Node config = child_map(producer, "config");
    if (acks_applies) config["acks"] = acks;
    const std::string effective = config["acks"] ? config["acks"].as<std::string>() : "all";
    if (variant.mode == "at-least-once" && idempotence != kPreset && (effective == "all" || effective == "-1")) {
      config["enable.idempotence"] = idempotence == "true";
      idempotence_applied = true;
    }
  }
  variant.dimensions.emplace_back("acks", acks_applies ? acks : kPreset);
  variant.dimensions.emplace_back("enable.idempotence", idempotence_applied ? idempotence : kPreset);
}

// Every group of the base gets the drawn assignor; a base without groups has the loader's
// default group, which is left as it is (a group made up here would start at `latest`
// and lose what it missed for a reason no variant means to test).
void draw_consumers(YAML::Node& root, const Ranges& ranges, Variant& variant) {
  const std::string strategy = pick(ranges.assignment, variant.run, "partition.assignment.strategy");
  bool applied = false;
  for (YAML::Node group : root["consumers"]) {
    if (!group.IsMap()) continue;
    child_map(group, "config")["partition.assignment.strategy"] = strategy;
    applied = true;
  }
  variant.dimensions.emplace_back("partition.assignment.strategy", applied ? strategy : kPreset);
}

YAML::Node latency_profile(const std::string& name) {
  YAML::Node latency(YAML::NodeType::Map);
  if (name == "constant") {
    latency["distribution"] = "constant";
    latency["mean"] = "1ms";
  } else if (name == "uniform") {
    latency["distribution"] = "uniform";
    latency["low"] = "100us";
    latency["high"] = "5ms";
  } else {  // long-tail: most packets fast, a few tens of milliseconds late
    latency["distribution"] = "pareto";
    latency["scale"] = "500us";
    latency["shape"] = 1.5;
    latency["max"] = "50ms";
  }
  latency.SetStyle(YAML::EmitterStyle::Flow);
  return latency;
}

void draw_network(YAML::Node& root, const Ranges& ranges, Variant& variant) {
  const std::string latency = pick(ranges.latency, variant.run, "latency");
  const std::string loss = pick(ranges.loss, variant.run, "loss");
  YAML::Node network = child_map(root, "network");
  if (latency == "default") {
    network.remove("latency");
  } else {
    network["latency"] = latency_profile(latency);
  }
  network.remove("loss_model");
  network["loss"] = loss;
  variant.dimensions.emplace_back("latency", latency);
  variant.dimensions.emplace_back("loss", loss);
}

// Each fault kind the ranges allow is on or off (a fair coin) and, when on, gets a rate;
// the nemesis keeps the base's targets and fault duration.
void draw_faults(YAML::Node& root, const Ranges& ranges, Variant& variant) {
  static const char* const kKinds[] = {"crash", "power-failure", "pause", "partition"};
  YAML::Node nemesis = root["nemesis"] && root["nemesis"].IsMap() ? root["nemesis"] : YAML::Node(YAML::NodeType::Map);
  bool any = false;
  for (const char* kind : kKinds) {
    nemesis.remove(kind);
    if (std::find(ranges.fault_kinds.begin(), ranges.fault_kinds.end(), kind) == ranges.fault_kinds.end()) continue;
    RandomStream stream(variant.run, fmt::format("swarm.fault.{}", kind));
    const bool on = stream.bernoulli(0.5);
    const std::int64_t rate = stream.uniform_int(ranges.fault_rate_per_minute.min, ranges.fault_rate_per_minute.max);
    const std::string rate_text = fmt::format("{}/min", rate);
    if (on && rate > 0) nemesis[kind] = rate_text;
    variant.dimensions.emplace_back(kind, on && rate > 0 ? rate_text : "off");
    any = any || (on && rate > 0);
  }
  if (any) {
    root["nemesis"] = nemesis;
  } else {
    root.remove("nemesis");
  }
}

void draw_knobs(YAML::Node& root, const Ranges& ranges, Variant& variant) {
  const std::pair<const char*, const std::vector<std::string>*> knobs[] = {
      {"unclean.leader.election.enable", &ranges.unclean_leader_election},
      {"log.truncation", &ranges.log_truncation},
      {"bounced.broker.detection", &ranges.bounced_broker_detection}};
  for (const auto& [key, values] : knobs) {
    if (values->empty()) continue;
    const std::string value = pick(*values, variant.run, key);
    child_map(child_map(root, "cluster"), "config")[key] = value;
    variant.dimensions.emplace_back(key, value);
  }
}

// The document runs the one run: its seed, its mode; the base's expectations were
// written for the base's configuration, the swarm judges the mode's promise instead.
void focus(YAML::Node& root, const std::string& base_file, Variant& variant) {
  root.remove("swarm");
  root.remove("expect");
  shrink::focus_on_run(root, variant.mode, variant.run);
  std::string drawn;
  for (const auto& [name, value] : variant.dimensions) drawn += fmt::format("{}{}={}", drawn.empty() ? "" : ", ", name, value);
  root["description"] = fmt::format("ksim swarm run {} of {}: {}.", variant.run, base_file, drawn);
}

}  // namespace

Variant draw_variant(const YAML::Node& base, const std::string& base_file, const Ranges& ranges, std::uint64_t run) {
  Variant variant;
  variant.run = run;
  variant.tree = YAML::Clone(base);
  variant.mode = pick(ranges.modes, run, "mode");
  variant.dimensions.emplace_back("mode", variant.mode);
  draw_cluster(variant.tree, ranges, variant);
  draw_producers(variant.tree, ranges, variant);
  draw_consumers(variant.tree, ranges, variant);
  draw_network(variant.tree, ranges, variant);
  draw_faults(variant.tree, ranges, variant);
  draw_cued_faults(variant.tree, ranges, variant);
  draw_knobs(variant.tree, ranges, variant);
  focus(variant.tree, base_file, variant);
  return variant;
}

}  // namespace ksim::swarm
