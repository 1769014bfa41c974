#include "sim/shrink/scenario_tree.h"

#include <algorithm>

#include <fmt/format.h>

#include "sim/kafka/faults/nemesis.h"
#include "sim/scenario/scenario_loader.h"

namespace ksim::shrink {

namespace {

std::string_view kind_name(kafka::FaultAction action) {
  switch (action) {
    case kafka::FaultAction::crash:
      return "crash";
    case kafka::FaultAction::power_failure:
      return "power-failure";
    case kafka::FaultAction::restart:
      return "restart";
    case kafka::FaultAction::pause:
      return "pause";
    case kafka::FaultAction::partition:
      return "partition";
    case kafka::FaultAction::controlled_shutdown:
      return "controlled-shutdown";
    case kafka::FaultAction::network:  // written by the file, never drawn by the nemesis
      return "network";
  }
  return "crash";
}

YAML::Node flow_list(const std::vector<std::string>& names) {
  YAML::Node list(YAML::NodeType::Sequence);
  for (const std::string& name : names) list.push_back(name);
  list.SetStyle(YAML::EmitterStyle::Flow);
  return list;
}

}  // namespace

std::string duration_text(TimeNs ns) {
  if (ns != 0 && ns % kNanosecondsPerSecond == 0) return fmt::format("{}s", ns / kNanosecondsPerSecond);
  if (ns != 0 && ns % kNanosecondsPerMillisecond == 0) return fmt::format("{}ms", ns / kNanosecondsPerMillisecond);
  if (ns != 0 && ns % kNanosecondsPerMicrosecond == 0) return fmt::format("{}us", ns / kNanosecondsPerMicrosecond);
  if (ns == 0) return "0s";
  return fmt::format("{}ns", ns);
}

bool client_power_failure(const kafka::FaultSpec& fault) {
  return fault.action == kafka::FaultAction::power_failure &&
         std::any_of(fault.targets.begin(), fault.targets.end(),
                     [](const std::string& target) { return target.rfind("broker-", 0) != 0; });
}

YAML::Node fault_node(const kafka::FaultSpec& fault) {
  YAML::Node node(YAML::NodeType::Map);
  node["at"] = duration_text(fault.at_ns);
  node["kind"] = std::string(kind_name(client_power_failure(fault) ? kafka::FaultAction::crash : fault.action));
  if (fault.action == kafka::FaultAction::partition) {
    YAML::Node groups(YAML::NodeType::Sequence);
    // The nemesis's second group is every other node: the unlisted group says the same.
    groups.push_back(flow_list(fault.groups.front()));
    groups.SetStyle(YAML::EmitterStyle::Flow);
    node["groups"] = groups;
    if (fault.one_way) node["one_way"] = true;
  } else {
    node["targets"] = flow_list(fault.targets);
  }
  if (fault.duration_ns != 0) node["duration"] = duration_text(fault.duration_ns);
  node.SetStyle(YAML::EmitterStyle::Flow);
  return node;
}

Materialized materialize_nemesis(YAML::Node& root, const scenario::Scenario& loaded, const scenario::ModeChoice& mode,
                                 std::uint64_t seed) {
  Materialized materialized;
  if (!root["nemesis"]) return materialized;
  scenario::InputErrors errors;
  const kafka::WorldConfig base = scenario::build_mode_config(loaded, mode, errors);
  if (base.nemesis) {
    YAML::Node faults = root["faults"] ? root["faults"] : YAML::Node(YAML::NodeType::Sequence);
    for (const kafka::FaultSpec& fault :
         kafka::draw_nemesis_faults(*base.nemesis, seed, base.workload_duration_ns, base.nemesis->all_nodes)) {
      faults.push_back(fault_node(fault));
      ++materialized.drawn;
      if (client_power_failure(fault)) ++materialized.client_power_failures;
    }
    if (faults.size() > 0) root["faults"] = faults;
  }
  root.remove("nemesis");
  return materialized;
}

void focus_on_run(YAML::Node& root, const std::string& mode, std::uint64_t seed) {
  root["seed"] = seed;
  root["seeds"] = fmt::format("{}..{}", seed, seed);
  YAML::Node modes(YAML::NodeType::Sequence);
  modes.push_back(mode);
  modes.SetStyle(YAML::EmitterStyle::Flow);
  root["modes"] = modes;
  if (!root["expect"]) return;
  YAML::Node kept(YAML::NodeType::Map);
  for (const auto& entry : root["expect"]) {
    if (entry.first.as<std::string>() == mode) kept[mode] = entry.second;
  }
  if (kept.size() == 0) {
    root.remove("expect");
  } else {
    root["expect"] = kept;
  }
}

std::string emit_yaml(const YAML::Node& root) {
  YAML::Emitter out;
  out.SetIndent(2);
  out << root;
  return std::string(out.c_str()) + "\n";
}

std::optional<scenario::Scenario> load_tree(const YAML::Node& root, const std::string& file) {
  scenario::InputErrors errors;
  return scenario::load_scenario_text(emit_yaml(root), file, errors);
}

}  // namespace ksim::shrink
