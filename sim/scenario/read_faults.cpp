#include <algorithm>
#include <functional>

#include <fmt/format.h>

#include "sim/scenario/read_faults.h"

namespace ksim::scenario {

namespace {

constexpr std::size_t kMaxFaults = 10'000;

bool known(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool is_broker(const std::string& name) { return name.rfind("broker-", 0) == 0; }

}  // namespace

bool is_controller_name(const std::string& name) {
  return name == "controller" || name.rfind("controller-", 0) == 0;
}

std::vector<std::string> node_names(const kafka::WorldConfig& config) {
  std::vector<std::string> names;
  const std::uint32_t controllers = config.cluster.controllers;
  for (std::uint32_t c = 0; c < controllers; ++c) {
    names.push_back(controllers == 1 ? std::string("controller") : fmt::format("controller-{}", c + 1));
  }
  for (std::uint32_t b = 0; b < config.cluster.brokers; ++b) names.push_back(fmt::format("broker-{}", b + 1));
  for (const kafka::ProducerWorkload& producer : config.producers) {
    for (std::uint32_t i = 0; i < producer.count; ++i) names.push_back(fmt::format("{}-{}", producer.name, i));
  }
  for (const kafka::ConsumerGroupConfig& group : config.consumer_groups) {
    for (std::uint32_t i = 0; i < group.members; ++i) names.push_back(fmt::format("{}-{}", group.name, i));
  }
  return names;
}

namespace {

using NameCheck = std::function<void(MapReader&, std::string_view, const std::string&)>;

void read_groups(MapReader& reader, const std::vector<std::string>& names, kafka::FaultSpec& fault) {
  SequenceReader groups = reader.sequence("groups");
  std::vector<std::string> seen;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    fault.groups.emplace_back();
    SequenceReader members = groups.sequence(g);
    for (std::size_t m = 0; m < members.size(); ++m) {
      const std::string name = members.get<std::string>(m);
      if (!known(names, name)) {
        members.report(m, fmt::format("unknown node \"{}\"", name));
      } else if (known(seen, name)) {
        members.report(m, fmt::format("node \"{}\" is in two groups", name));
      }
      seen.push_back(name);
      fault.groups.back().push_back(name);
    }
  }
  if (groups.size() == 0) reader.report("groups", "a partition needs at least one group of nodes");
  fault.one_way = reader.optional<bool>("one_way", false);
}

void read_targets(MapReader& reader, const NameCheck& check_name, kafka::FaultSpec& fault) {
  SequenceReader targets = reader.sequence("targets");
  for (std::size_t t = 0; t < targets.size(); ++t) {
    fault.targets.push_back(targets.get<std::string>(t));
    check_name(reader, "targets", fault.targets.back());
  }
  if (targets.size() == 0) reader.report("targets", "name at least one node");
}

// `target:` a role resolved when the fault fires: controller, random-broker,
// random-client, or a one-key map ({leader-of: events-0}, ...).
void read_role_target(MapReader& reader, const kafka::WorldConfig& config, kafka::FaultSpec& fault) {
  std::optional<kafka::RoleTarget> role;
  if (reader.is_map("target")) {
    MapReader map = reader.map("target");
    role = read_role_map(map, config);
  } else {
    const std::string word = reader.required<std::string>("target");
    role = role_word(word);
    if (!role) {
      reader.report("target", fmt::format("\"{}\" is no role: write controller, random-broker, random-client or a "
                                          "map such as {{leader-of: events-0}} (node names go under `targets`)", word));
    }
  }
  if (!role) return;
  if (const std::string problem = role_problem(*role, fault.action, config); !problem.empty()) {
    reader.report("target", problem);
  }
  fault.role = role;
}

// rolling-restart: a controlled shutdown of each target broker in turn (every broker when
// `targets` is left out), each down for `duration`, the next one `interval` after the
// previous one came back, as operators restart a cluster to upgrade it (Kafka docs 6.1,
// "Graceful shutdown"; they wait for the restarted broker to catch up: choose `interval`
// long enough for that).
void expand_rolling_restart(MapReader& reader, const kafka::WorldConfig& config, const NameCheck& check_name,
                            kafka::FaultSpec& first, std::vector<kafka::FaultSpec>& out) {
  first.action = kafka::FaultAction::controlled_shutdown;
  if (reader.has("targets")) {
    read_targets(reader, check_name, first);
  } else {
    for (std::uint32_t b = 0; b < config.cluster.brokers; ++b) first.targets.push_back(fmt::format("broker-{}", b + 1));
  }
  const TimeNs interval_ns = reader.optional<Duration>("interval", Duration{seconds(10)}).ns;
  if (first.duration_ns <= 0) reader.report("duration", "a rolling restart needs each broker's down time (> 0)");
  const TimeNs step_ns = first.duration_ns + interval_ns;
  const auto later_brokers = static_cast<TimeNs>(first.targets.empty() ? 0 : first.targets.size() - 1);
  const TimeNs last_start_ns = first.at_ns + step_ns * later_brokers;
  if (last_start_ns >= config.workload_duration_ns) {
    reader.report("at", fmt::format("the rolling restart of {} brokers shuts the last one down at {} s, after the "
                                    "workload phase ({} s): shorten `duration` or `interval`, or lengthen the scenario",
                                    first.targets.size(), to_seconds(last_start_ns), to_seconds(config.workload_duration_ns)));
  }
  for (std::size_t i = 0; i < first.targets.size(); ++i) {
    kafka::FaultSpec one = first;
    one.targets = {first.targets[i]};
    one.at_ns = first.at_ns + step_ns * static_cast<TimeNs>(i);
    out.push_back(std::move(one));
  }
}

}  // namespace

void read_faults(SequenceReader faults, const kafka::WorldConfig& config, std::vector<kafka::FaultSpec>& out) {
  const std::vector<std::string> names = node_names(config);
  out.clear();
  const std::size_t count = std::min(faults.size(), kMaxFaults);
  for (std::size_t i = 0; i < count; ++i) {
    MapReader reader = faults.map(i);
    kafka::FaultSpec fault;
    const bool triggered = reader.has("when");
    if (triggered && reader.has("at")) reader.report("at", "give `at` or `when`, not both");
    fault.at_ns = triggered ? 0 : reader.required<Duration>("at").ns;
    const std::string kind = reader.required_enum("kind", {"crash", "power-failure", "restart", "pause", "partition",
                                                           "controlled-shutdown", "rolling-restart", "network"});
    fault.action = kind == "crash"                 ? kafka::FaultAction::crash
                   : kind == "power-failure"       ? kafka::FaultAction::power_failure
                   : kind == "restart"             ? kafka::FaultAction::restart
                   : kind == "pause"               ? kafka::FaultAction::pause
                   : kind == "partition"           ? kafka::FaultAction::partition
                   : kind == "network"             ? kafka::FaultAction::network
                                                   : kafka::FaultAction::controlled_shutdown;
    fault.duration_ns = reader.optional<Duration>("duration", Duration{0}).ns;
    if (triggered && kind == "rolling-restart") reader.report("when", "a rolling restart runs at `at`, not on an event");
    if (triggered) read_when(reader, config, fault);
    if (!triggered && fault.at_ns >= config.workload_duration_ns) {
      reader.report("at", "faults happen during the workload phase: `at` must be before `duration`");
    }
    const NameCheck check_name = [&](MapReader& where, std::string_view key, const std::string& name) {
      if (!known(names, name)) {
        where.report(key, fmt::format("unknown node \"{}\"; nodes are controller (controller-1.. with "
                                      "cluster.controllers above 1), broker-1.., and <group>-<i>", name));
      } else if (fault.action == kafka::FaultAction::power_failure && !is_broker(name) && !is_controller_name(name)) {
        where.report(key, fmt::format("power-failure applies to servers (brokers and controllers), not \"{}\"", name));
      } else if (fault.action == kafka::FaultAction::controlled_shutdown && !is_broker(name)) {
        where.report(key, fmt::format("{} applies to brokers, not \"{}\"", kind, name));
      }
    };
    if (kind == "rolling-restart") {
      expand_rolling_restart(reader, config, check_name, fault, out);
      reader.finish();
      continue;
    }
    if (fault.action == kafka::FaultAction::partition) {
      read_groups(reader, names, fault);
    } else if (fault.action == kafka::FaultAction::network) {
      read_network_fault(reader, config, fault);
    } else if (reader.has("target")) {
      if (reader.has("targets")) reader.report("target", "give `targets` (node names) or `target` (a role), not both");
      read_role_target(reader, config, fault);
    } else {
      read_targets(reader, check_name, fault);
    }
    if (fault.action == kafka::FaultAction::pause && fault.duration_ns <= 0) {
      reader.report("duration", "a pause needs a duration greater than 0");
    }
    reader.finish();
    out.push_back(std::move(fault));
  }
  if (faults.size() > kMaxFaults) {
    MapReader extra = faults.map(kMaxFaults);
    extra.report("at", fmt::format("at most {} scheduled faults per scenario", kMaxFaults));
    extra.finish();
  }
}

}  // namespace ksim::scenario
