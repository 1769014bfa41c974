// KIP-966 part 1, eligible leader replicas (Kafka 4.0 with eligible.leader.replicas.version=1,
// the default for new clusters from 4.1; kafka.apache.org "Eligible Leader Replicas"). Under
// the strict min ISR rule the high watermark cannot advance while the ISR is smaller than
// min.insync.replicas, so a replica that leaves the ISR then still holds every committed
// record: the controller keeps it in the partition's ELR, and when no ISR member is left
// it elects an unfenced ELR member, a clean election. The order: an ISR member, else an
// unfenced ELR member, else (ISR and ELR both empty) the last known leader if unfenced. A
// broker that comes back from an unclean shutdown (any end of its process other than a
// controlled shutdown: its unflushed records may be gone) is removed from every ELR
// (KAFKA-15586). Unclean recovery (KIP-966 part 2) is not modelled.
#include <algorithm>

#include "sim/kafka/controller/controller.h"

namespace ksim::kafka {

namespace {

bool contains(const std::vector<BrokerId>& brokers, BrokerId broker) {
  return std::find(brokers.begin(), brokers.end(), broker) != brokers.end();
}

}  // namespace

void Controller::note_isr_removal(PartitionId partition, BrokerId removed) {
  PartitionState& state = partitions_[partition.index()];
  if (!elr_enabled() || state.isr.size() >= state.min_insync_replicas || contains(state.elr, removed)) return;
  state.elr.push_back(removed);
}

void Controller::note_isr_addition(PartitionId partition, BrokerId added) {
  PartitionState& state = partitions_[partition.index()];
  if (!elr_enabled()) return;
  std::erase(state.elr, added);
  if (state.isr.size() >= state.min_insync_replicas) state.elr.clear();
}

void Controller::leave_isr_for_elr(NodeContext& context, PartitionId partition, BrokerId leader) {
  PartitionState& state = partitions_[partition.index()];
  std::erase(state.isr, leader);
  note_isr_removal(partition, leader);
  if (state.isr.empty()) state.last_known_leader = leader;
  record_isr(context, partition);
  state.leader = kNoBroker;
  ++state.leader_epoch;
  ++state.partition_epoch;
  record_election(context, partition, kNoBroker, false);
  elect_if_offline(context, partition);
  if (state.leader == kNoBroker) publish(context, partition);
}

bool Controller::elect_from_elr(NodeContext& context, PartitionId partition) {
  PartitionState& state = partitions_[partition.index()];
  if (!elr_enabled() || !state.isr.empty()) return false;
  BrokerId chosen = kNoBroker;
  for (const BrokerId candidate : state.replicas) {
    if (contains(state.elr, candidate) && !brokers_[candidate.index()].fenced) {
      chosen = candidate;
      break;
    }
  }
  const bool last_known = state.elr.empty() && state.last_known_leader != kNoBroker &&
                          !brokers_[state.last_known_leader.index()].fenced;
  if (chosen == kNoBroker && last_known) chosen = state.last_known_leader;
  if (chosen == kNoBroker) return false;
  std::erase(state.elr, chosen);
  context.probe(history::Probe::elr_election);
  state.isr = {chosen};
  state.last_known_leader = kNoBroker;
  record_isr(context, partition);  // before the election: the new leader is the ISR's one member
  set_leader(context, partition, chosen, false);
  return true;
}

void Controller::forget_unclean_broker(NodeContext& context, BrokerId broker) {
  if (!elr_enabled()) return;
  for (const PartitionId p : ids_below<PartitionId>(partition_count())) {
    PartitionState& state = partitions_[p.index()];
    if (!contains(state.elr, broker)) continue;
    std::erase(state.elr, broker);
    ++state.partition_epoch;
    publish(context, p);
  }
}

}  // namespace ksim::kafka
