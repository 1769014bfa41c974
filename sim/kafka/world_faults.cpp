// The World's node lifecycle and faults: starting, crashing and restarting nodes, applying
// and ending scheduled faults (controlled shutdowns included), and the drain that heals
// everything at the end of the workload.
#include <fmt/format.h>

#include "sim/core/assert.h"
#include "sim/history/records.h"
#include "sim/kafka/config/topic_layout.h"
#include "sim/kafka/world.h"

namespace ksim::kafka {

// --- node lifecycle and faults ------------------------------------------------------------

void World::start_node(NodeId node) {
  NodeSlot& slot = nodes_[node.index()];
  slot.up = true;
  slot.started = true;
  slot.machine_up = true;
  switch (slot.role) {
    case Role::controller:
      controllers_[slot.local_index]->start(*this);
      break;
    case Role::broker:
      brokers_[slot.local_index].start(*this);
      break;
    case Role::producer:
      producers_[slot.local_index].start(*this);
      break;
    case Role::consumer:
      consumers_[slot.local_index].start(*this);
      break;
  }
}

void World::crash_node(NodeId node, history::FaultKind how, const RoleTarget& role) {
  const bool power_failure = how == history::FaultKind::power_failure;
  NodeSlot& slot = nodes_[node.index()];
  if (!slot.up) return;
  slot.up = false;
  slot.machine_up = !power_failure;
  slot.paused = false;
  slot.timers.disarm_all();
  for (const Event& event : slot.held) {
    if (event.body.kind == kTimer) slot.timers.release(ticket_of(event));  // its event is dropped here
  }
  slot.held.clear();
  ++slot.incarnation;
  record_fault(node, how, 0, role);
  switch (slot.role) {
    case Role::controller:
      // A power failure loses nothing more: KRaft flushes its log before it answers.
      controllers_[slot.local_index]->crash();
      break;
    case Role::broker:
      brokers_[slot.local_index].crash(*this, power_failure);
      break;
    case Role::producer:
      producers_[slot.local_index].crash();
      break;
    case Role::consumer:
      consumers_[slot.local_index].crash();
      break;
  }
}

NodeId World::node_named(const std::string& name) const {
  const auto found = network_->topology().find_node(name);
  KSIM_ASSERT(found.has_value(), "fault names unknown node '{}' (the loader validates names)", name);
  return *found;
}

void World::record_fault(NodeId node, history::FaultKind kind, TimeNs duration_ns, const RoleTarget& role) {
  record(history::fault({.node = node,
                         .fault = kind,
                         .duration_ns = static_cast<std::uint64_t>(duration_ns),
                         .role = role.role,
                         .argument = role.argument}));
}

void World::restart_node(NodeId node) {
  if (nodes_[node.index()].up) return;
  if (!nodes_[node.index()].started) {  // a late group's member the drain starts: no restart
    start_node(node);
    return;
  }
  record_fault(node, history::FaultKind::restart, 0);
  start_node(node);
}

void World::stop_after_controlled_shutdown(NodeId node) {
  NodeSlot& slot = nodes_[node.index()];
  KSIM_ASSERT(slot.role == Role::broker, "node {} is no broker but finished a controlled shutdown", node);
  if (!slot.up || draining_) return;  // the drain brings every node back: it does not stop one
  RoleTarget role;
  if (const auto found = shutdown_roles_.find(node); found != shutdown_roles_.end()) {
    role = found->second;
    shutdown_roles_.erase(found);
  }
  crash_node(node, history::FaultKind::shutdown, role);  // the process exits; its logs are on disk, its memory is gone
}

void World::apply_fault(std::uint32_t fault_index) {
  if (draining_) return;  // faults stop when the drain begins
  const FaultSpec& fault = config_.faults[fault_index];
  const RoleTarget role = fault.role.value_or(RoleTarget{});
  if (fault.action != FaultAction::partition && fault.action != FaultAction::network) {
    fault_nodes_[fault_index] = resolve_targets(fault_index);
  }
  const std::vector<NodeId>& targets = fault_nodes_[fault_index];
  switch (fault.action) {
    case FaultAction::crash:
    case FaultAction::power_failure:
      for (const NodeId node : targets) {
        crash_node(node, fault.action == FaultAction::power_failure ? history::FaultKind::power_failure
                                                                      : history::FaultKind::crash,
                   role);
      }
      break;
    case FaultAction::restart:
      for (const NodeId node : targets) restart_node(node);
      return;
    case FaultAction::controlled_shutdown:
      for (const NodeId node : targets) {
        const NodeSlot& slot = nodes_[node.index()];
        if (!slot.up || slot.paused) continue;
        if (fault.role) shutdown_roles_[node] = *fault.role;  // for the stop record, written when the controller lets it go
        brokers_[slot.local_index].begin_controlled_shutdown(*this);
      }
      break;
    case FaultAction::pause:
      for (const NodeId node : targets) {
        if (!nodes_[node.index()].up || nodes_[node.index()].paused) continue;
        nodes_[node.index()].paused = true;
        record_fault(node, history::FaultKind::pause_begin, fault.duration_ns, role);
      }
      break;
    case FaultAction::partition: {
      std::vector<std::vector<NodeId>> groups;
      for (const auto& names : fault.groups) {
        groups.emplace_back();
        for (const std::string& name : names) groups.back().push_back(node_named(name));
      }
      partition_cuts_[fault_index] = network_->add_partition(groups, fault.one_way);
      partition_in_force_[fault_index] = true;
      record_fault(groups.empty() || groups.front().empty() ? kNoNodeId : groups.front().front(),
                   history::FaultKind::partition_begin, fault.duration_ns);
      break;
    }
    case FaultAction::network:
      network_fault_on(fault_index);
      break;
  }
  if (fault.duration_ns > 0) simulator_.schedule_after(fault.duration_ns, EventBody{kFaultEnd, 0, 0, fault_index, 0});
}

void World::end_fault(std::uint32_t fault_index) {
  const FaultSpec& fault = config_.faults[fault_index];
  const std::vector<NodeId>& targets = fault_nodes_[fault_index];
  switch (fault.action) {
    case FaultAction::crash:
    case FaultAction::power_failure:
      for (const NodeId node : targets) restart_node(node);
      return;
    case FaultAction::restart:
      return;
    case FaultAction::controlled_shutdown:
      for (const NodeId node : targets) {
        // Still up: the controller never accepted the shutdown; the operator gives up on it.
        if (nodes_[node.index()].up) brokers_[nodes_[node.index()].local_index].abandon_controlled_shutdown();
        shutdown_roles_.erase(node);
        restart_node(node);
      }
      return;
    case FaultAction::pause:
      for (const NodeId node : targets) {
        NodeSlot& slot = nodes_[node.index()];
        if (!slot.paused) continue;
        slot.paused = false;
        record_fault(node, history::FaultKind::pause_end, 0);
        // What queued up during the pause is handled now, in arrival order.
        std::vector<Event> held = std::move(slot.held);
        slot.held.clear();
        for (const Event& event : held) dispatch(event);
      }
      return;
    case FaultAction::partition: {
      // The drain heals every partition still in force; the partition's own scheduled end
      // may come before (then the drain finds nothing to heal) or after (nothing left).
      if (!partition_in_force_[fault_index]) return;
      partition_in_force_[fault_index] = false;
      network_->heal(partition_cuts_[fault_index]);
      record_fault(kNoNodeId, history::FaultKind::partition_end, 0);
      return;
    }
    case FaultAction::network:
      end_network_fault(fault_index);
      return;
  }
}

// The drain: faults stop, the network heals, every node comes back, and the run goes on
// until every partition is fully replicated and every group has processed everything.
void World::begin_drain() {
  draining_ = true;
  for (std::uint32_t f = 0; f < config_.faults.size(); ++f) {
    const FaultAction action = config_.faults[f].action;
    if (action == FaultAction::pause || action == FaultAction::partition || action == FaultAction::network) {
      end_fault(f);
    }
  }
  network_->heal_all();
  for (std::uint32_t node = 0; node < nodes_.size(); ++node) restart_node(NodeId{node});
  simulator_.schedule_after(kDrainCheckIntervalNs, EventBody{kDrainCheck, 0, 0, 0, 0});
}

std::string World::drain_blocker() const {
  for (const Producer& producer : producers_) {
    if (!producer.idle()) {
      return fmt::format("{} has {} unanswered messages and {} waiting in the application",
                         history_.nodes[producer.node().index()].name, producer.unanswered_messages(),
                         producer.waiting_messages());
    }
  }
  if (active_controller() == nullptr) return "the controller quorum has no active controller";
  for (std::uint32_t p = partitions_ + 1; p < metadata().partition_count(); ++p) {
    const BrokerId leader = metadata().partition(PartitionId{p}).leader;
    if (leader == kNoBroker) return fmt::format("__transaction_state-{} has no leader", p - partitions_ - 1);
    if (!brokers_[leader.index()].transaction_coordinator().active(p - partitions_ - 1)) {
      return fmt::format("__transaction_state-{}: its leader has not loaded it yet", p - partitions_ - 1);
    }
  }
  for (const Broker& broker : brokers_) {
    if (broker.transaction_coordinator().completing()) {
      return fmt::format("the transaction coordinator on {} is still completing a transaction",
                         history_.nodes[broker.node().index()].name);
    }
  }
  for (const PartitionId p : ids_below<PartitionId>(partitions_)) {
    const PartitionState& state = metadata().partition(p);
    if (state.leader == kNoBroker) return fmt::format("partition {} has no leader", p);
    if (state.isr.size() != state.replicas.size()) {
      return fmt::format("partition {} has {} of {} replicas in sync", p, state.isr.size(), state.replicas.size());
    }
    const ReplicaLog& log = brokers_[state.leader.index()].replica(p).log;
    if (log.log_end_offset() != log.high_watermark()) {
      return fmt::format("partition {}: high watermark {} below log end {}", p, log.high_watermark(),
                         log.log_end_offset());
    }
    for (std::uint32_t g = 0; g < config_.consumer_groups.size(); ++g) {
      // A group reads its own topic only (several topics: topic_layout.h).
      if (!topic_range(config_.cluster, client_topic(config_.consumer_groups[g].topic)).contains(p)) continue;
      bool caught_up = false;
      for (const Consumer& consumer : consumers_) {
        if (consumer.group() == g && consumer.caught_up(p, log.high_watermark())) caught_up = true;
      }
      if (!caught_up) {
        return fmt::format("group {} has not processed partition {} up to offset {}", config_.consumer_groups[g].name,
                           p, log.high_watermark());
      }
    }
  }
  return {};
}

}  // namespace ksim::kafka
