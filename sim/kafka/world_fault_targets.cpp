// Faults aimed by role and by event: a fault's target resolved when it fires (the leader
// or a follower of a partition, the controller, a coordinator, a broker or client drawn
// from the seed), and faults scheduled when a `when:` condition holds.
#include <fmt/format.h>

#include "sim/core/assert.h"
#include "sim/kafka/coordinator/transaction_log.h"
#include "sim/kafka/world.h"

namespace ksim::kafka {

std::vector<NodeId> World::resolve_targets(std::uint32_t fault_index) {
  const FaultSpec& fault = config_.faults[fault_index];
  if (fault.role) return resolve_role(fault_index, *fault.role);
  std::vector<NodeId> nodes;
  for (const std::string& target : fault.targets) nodes.push_back(node_named(target));
  return nodes;
}

std::vector<NodeId> World::resolve_role(std::uint32_t fault_index, const RoleTarget& role) {
  using history::FaultRole;
  std::vector<NodeId> nodes;
  const std::uint32_t argument = role.argument;
  const auto brokers = static_cast<std::uint32_t>(brokers_.size());
  // The controller's view is the cluster's metadata: who leads now, as clients would learn it.
  auto leader_of = [&](PartitionId partition) {
    const BrokerId leader = metadata().partition(partition).leader;
    if (leader != kNoBroker) nodes.push_back(broker_node(leader));
  };
  switch (role.role) {
    case FaultRole::none:
      break;
    case FaultRole::leader:
      leader_of(PartitionId{argument});
      break;
    case FaultRole::follower: {
      const PartitionState& state = metadata().partition(PartitionId{argument});
      for (const BrokerId replica : state.replicas) {
        if (replica == state.leader) continue;
        nodes.push_back(broker_node(replica));
        break;
      }
      break;
    }
    case FaultRole::controller:  // the active controller now; none during an election
      if (const Controller* active = active_controller()) nodes.push_back(active->node());
      break;
    case FaultRole::transaction_coordinator: {
      // The leader of the id's __transaction_state partition; the argument is the producer
      // workload (read_fault_roles.cpp), whose first producer's id is meant.
      const std::uint32_t state_partitions = transaction_state_partitions();
      if (state_partitions == 0) break;
      const std::string& id = config_.producers[argument].config.transactional_id;
      const std::string name = config_.producers[argument].count == 1 ? id : fmt::format("{}-0", id);
      leader_of(PartitionId{partitions_ + 1 + transaction_state_partition_for(name, state_partitions)});
      break;
    }
    case FaultRole::group_coordinator:  // every group's coordinator leads __consumer_offsets-0
      leader_of(metadata().offsets_partition());
      break;
    case FaultRole::random_broker:
    case FaultRole::random_client: {
      // A stream of its own per fault, taken only here: other draws do not move.
      RandomStream draw(config_.seed, fmt::format("kafka.fault-target.{}", fault_index));
      const bool broker = role.role == FaultRole::random_broker;
      const NodeId first = broker ? broker_node(BrokerId{0}) : client_node(0);
      const auto count = static_cast<std::uint64_t>(broker ? brokers : nodes_.size() - first.index());
      KSIM_ASSERT(count > 0, "fault {} draws a {} from none (the loader checks there is one)", fault_index,
                  broker ? "broker" : "client");
      const auto drawn = static_cast<std::uint32_t>(draw.uniform_below(count));
      nodes.push_back(broker ? broker_node(BrokerId{drawn}) : client_node(drawn));
      break;
    }
  }
  return nodes;
}

const Controller* World::active_controller() const {
  const Controller* found = nullptr;
  for (std::size_t c = 0; c < controllers_.size(); ++c) {
    const Controller& controller = *controllers_[c];
    if (!nodes_[controller.node().index()].up || !controller.active()) continue;
    if (found == nullptr || controller.controller_epoch() > found->controller_epoch()) found = &controller;
  }
  return found;
}

const Controller& World::metadata() const {
  const Controller* active = active_controller();
  return active != nullptr ? *active : *controllers_.front();
}

void World::fire_triggered(const history::Record& record) {
  if (draining_) return;  // faults stop when the drain begins
  triggered_.clear();
  triggers_.observe(record, triggered_);
  for (const std::uint32_t fault : triggered_) {
    simulator_.schedule_after(config_.faults[fault].when.delay_ns, EventBody{kFault, 0, 0, fault, 0});
  }
}

}  // namespace ksim::kafka
