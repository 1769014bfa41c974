// Network faults on sets of directed links: the World names the links, the network
// (sim/net, which knows no Kafka) impairs them and composes overlapping faults
// (net/link_impairment.h). Each on and off phase is a history record.
#include "sim/core/assert.h"
#include "sim/history/records.h"
#include "sim/kafka/world.h"

namespace ksim::kafka {

namespace {

std::uint64_t effects_of(const net::LinkImpairment& impairment) {
  return (impairment.cut ? history::kNetworkCut : 0) | (impairment.added_latency_ns > 0 ? history::kNetworkLatency : 0) |
         (impairment.loss_probability > 0 ? history::kNetworkLoss : 0) |
         (impairment.bandwidth_bytes_per_second > 0 ? history::kNetworkBandwidth : 0);
}

}  // namespace

void World::network_fault_on(std::uint32_t fault_index) {
  if (network_impairments_[fault_index] != 0 || network_fault_over_[fault_index]) return;
  const FaultSpec& fault = config_.faults[fault_index];
  auto resolve = [&](const std::vector<NetworkEndpoint>& endpoints) {
    std::vector<NodeId> nodes;
    for (const NetworkEndpoint& endpoint : endpoints) {
      if (!endpoint.role) {
        nodes.push_back(node_named(endpoint.name));
        continue;
      }
      for (const NodeId node : resolve_role(fault_index, *endpoint.role)) nodes.push_back(node);
    }
    return nodes;
  };
  std::vector<std::pair<NodeId, NodeId>> links;  // a node to itself is skipped by the network
  const std::vector<NodeId> to = resolve(fault.network.to);
  for (const NodeId from : resolve(fault.network.from)) {
    for (const NodeId target : to) links.emplace_back(from, target);
  }
  network_impairments_[fault_index] = network_->impair_links(links, fault.network.impairment);
  record(history::fault({.node = kNoNodeId,
                         .fault = history::FaultKind::network_begin,
                         .duration_ns = static_cast<std::uint64_t>(fault.duration_ns),
                         .argument = fault_index,
                         .effects = effects_of(fault.network.impairment)}));
  const TimeNs half_period_ns = fault.network.flap_period_ns / 2;
  if (half_period_ns > 0) simulator_.schedule_after(half_period_ns, EventBody{kNetworkFlap, 0, 0, fault_index, 0});
}

void World::network_fault_off(std::uint32_t fault_index) {
  if (network_impairments_[fault_index] == 0) return;
  network_->end_impairment(network_impairments_[fault_index]);
  network_impairments_[fault_index] = 0;
  record(history::fault({.node = kNoNodeId,
                         .fault = history::FaultKind::network_end,
                         .argument = fault_index,
                         .effects = effects_of(config_.faults[fault_index].network.impairment)}));
}

// Flapping: on for the first half of each period, off for the second, until the fault's end.
void World::network_fault_flap(std::uint32_t fault_index, bool on) {
  if (network_fault_over_[fault_index] || draining_) return;
  if (on) {
    network_fault_on(fault_index);  // schedules the next off
    return;
  }
  network_fault_off(fault_index);
  const TimeNs half_period_ns = config_.faults[fault_index].network.flap_period_ns / 2;
  simulator_.schedule_after(half_period_ns, EventBody{kNetworkFlap, 0, 0, fault_index, 1});
}

void World::end_network_fault(std::uint32_t fault_index) {
  network_fault_off(fault_index);
  network_fault_over_[fault_index] = true;
}

}  // namespace ksim::kafka
