// The newer parts of a fault: a target named by its role (`target:`), a condition that
// fires it (`when:`), and the link sets and effects of a network fault (`kind: network`).
#include <algorithm>

#include <fmt/format.h>

#include "sim/kafka/config/topic_layout.h"
#include "sim/scenario/read_faults.h"

namespace ksim::scenario {

namespace {

using history::FaultRole;

// "orders-2" -> the global index of partition 2 of topic orders (topic_layout.h): the
// topics' own partition names, as reports and timelines write them.
std::optional<std::uint32_t> partition_named(const kafka::WorldConfig& config, const std::string& text) {
  return kafka::partition_named(config.cluster, text);
}

}  // namespace

std::optional<std::uint32_t> read_partition_name(MapReader& reader, std::string_view key,
                                                 const kafka::WorldConfig& config) {
  const std::string text = reader.required<std::string>(key);
  const auto partition = partition_named(config, text);
  if (!partition) {
    reader.report(key, fmt::format("no partition \"{}\"; the {} partitions are {}", text,
                                   config.cluster.topics.size() == 1 ? "topic's" : "topics'",
                                   kafka::partition_names_text(config.cluster)));
  }
  return partition;
}

std::optional<kafka::RoleTarget> read_role_map(MapReader& role, const kafka::WorldConfig& config) {
  static const std::vector<std::string> kRoleKeys{"leader-of", "follower-of", "coordinator-of-group",
                                                  "coordinator-of-transaction"};
  std::vector<std::string> given;
  for (const std::string& key : kRoleKeys) {
    if (role.has(key)) given.push_back(key);
  }
  if (given.size() != 1) {
    role.report(given.empty() ? "leader-of" : given[1],
                "a role is one of leader-of, follower-of (a partition such as events-0), coordinator-of-group (a "
                "group name), coordinator-of-transaction (a transactional.id); or the words controller, "
                "random-broker, random-client");
    role.finish();
    return std::nullopt;
  }
  kafka::RoleTarget target;
  const std::string& key = given.front();
  if (key == "leader-of" || key == "follower-of") {
    target.role = key == "leader-of" ? FaultRole::leader : FaultRole::follower;
    const auto partition = read_partition_name(role, key, config);
    if (!partition) return std::nullopt;
    target.argument = *partition;
    const kafka::TopicConfig& topic = config.cluster.topics[kafka::topic_of_partition(config.cluster, PartitionId{*partition})];
    if (key == "follower-of" && topic.replication_factor < 2) {
      role.report(key, "the topic has replication factor 1: a partition has no follower");
    }
  } else if (key == "coordinator-of-group") {
    target.role = FaultRole::group_coordinator;
    const std::string name = role.required<std::string>(key);
    const auto& groups = config.consumer_groups;
    const auto found = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.name == name; });
    if (found == groups.end()) {
      role.report(key, fmt::format("no consumer group \"{}\"", name));
      return std::nullopt;
    }
    target.argument = static_cast<std::uint32_t>(found - groups.begin());
  } else {
    target.role = FaultRole::transaction_coordinator;
    const std::string id = role.required<std::string>(key);
    const auto& producers = config.producers;
    const auto found = std::find_if(producers.begin(), producers.end(),
                                    [&](const auto& p) { return p.config.transactional_id == id; });
    if (found == producers.end()) {
      role.report(key, fmt::format("no producer has transactional.id \"{}\"", id));
      return std::nullopt;
    }
    target.argument = static_cast<std::uint32_t>(found - producers.begin());
  }
  role.finish();
  return target;
}

std::optional<kafka::RoleTarget> role_word(const std::string& word) {
  if (word == "controller") return kafka::RoleTarget{FaultRole::controller, 0};
  if (word == "random-broker") return kafka::RoleTarget{FaultRole::random_broker, 0};
  if (word == "random-client") return kafka::RoleTarget{FaultRole::random_client, 0};
  return std::nullopt;
}

std::string role_problem(const kafka::RoleTarget& role, kafka::FaultAction action, const kafka::WorldConfig& config) {
  const bool broker_only =
      action == kafka::FaultAction::power_failure || action == kafka::FaultAction::controlled_shutdown;
  if (role.role == FaultRole::controller && action == kafka::FaultAction::controlled_shutdown) {
    return "a controlled shutdown applies to brokers, not the controller";
  }
  if (role.role == FaultRole::controller) return {};
  if (role.role == FaultRole::random_client && broker_only) return "this kind applies to brokers, not clients";
  if (role.role == FaultRole::random_client && config.producers.empty() && config.consumer_groups.empty()) {
    return "the scenario has no client";
  }
  if (action == kafka::FaultAction::restart) {
    return "a restart names the nodes it restarts (a role would name whoever holds it now, not who crashed)";
  }
  return {};
}

}  // namespace ksim::scenario
