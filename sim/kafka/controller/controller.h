#pragma once
// The controller (KRaft's active controller, as one node that does not fail; the
// quorum behind it is out of scope): it learns of broker failure through missed
// heartbeats, elects leaders from the ISR (or from any live replica when unclean
// election is enabled), bumps the leader epoch, applies ISR changes asked by leaders,
// and tells the brokers, all over the lossy network. It also answers metadata
// requests (a consumer finds its group coordinator there: the offsets partition's leader),
// and hosts the transaction coordinator (a documented simplification: Kafka puts it on the
// broker leading a partition of __transaction_state). It manages the user topic's
// partitions and, after them, the offsets partition (__consumer_offsets-0), whose history
// records it leaves out: the history describes the user topic only.
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "sim/kafka/config/config.h"
#include "sim/kafka/node/node_context.h"
#include "sim/kafka/coordinator/transaction_coordinator.h"
#include "sim/kafka/wire/partition_state.h"

namespace ksim::kafka {

struct BrokerRegistration {
  bool fenced = true;
  std::uint32_t incarnation = 0;
  TimeNs last_heartbeat_ns = 0;
  bool shut_down_cleanly = false;  // its last process ended in a controlled shutdown
};

class Controller {
 public:
  // `assignment` holds the user partitions, then the offsets partition.
  // `min_isr` applies to the user partitions, `offsets_min_isr` to the offsets partition.
  Controller(NodeIndex node, const BrokerConfig& config, std::vector<std::vector<std::uint32_t>> assignment,
             std::uint32_t brokers, std::uint32_t min_isr, std::uint32_t offsets_min_isr,
             std::vector<TransactionalIdSettings> transactional_ids = {});

  NodeIndex node() const { return node_; }
  const PartitionState& partition(std::uint32_t p) const { return partitions_[p]; }
  std::uint32_t partition_count() const { return static_cast<std::uint32_t>(partitions_.size()); }
  bool broker_fenced(std::uint32_t broker) const { return brokers_[broker].fenced; }
  std::uint32_t offsets_partition() const { return partition_count() - 1; }

  bool transactions_completing() const { return transactions_.completing(); }
  // Several topics: user partition `p` takes its own topic's min.insync.replicas (set
  // before the run starts; topic_layout.h).
  void set_min_insync_replicas(std::uint32_t p, std::uint32_t min_isr) { partitions_[p].min_insync_replicas = min_isr; }

  void start(NodeContext& context);
  // The cluster is already running when a scenario starts: every broker registered, every
  // partition led by its preferred replica with a full ISR (epoch 1). Returns the decisions
  // for World to hand to the brokers directly, as if they had been applied before time 0.
  std::vector<LeaderAndIsr> bootstrap(NodeContext& context);
  void on_message(NodeContext& context, NodeIndex from, const Payload& payload);
  void on_timer(NodeContext& context, const ControllerTimer& timer);

 private:
  void on_heartbeat(NodeContext& context, std::uint32_t broker, const BrokerHeartbeat& heartbeat);
  void on_alter_partition(NodeContext& context, std::uint32_t broker, const AlterPartition& request);
  void fence(NodeContext& context, std::uint32_t broker);
  void unfence(NodeContext& context, std::uint32_t broker);
  // Elects a leader for an offline partition if a live replica may lead it.
  void elect_if_offline(NodeContext& context, std::uint32_t partition);
  void set_leader(NodeContext& context, std::uint32_t partition, std::uint32_t leader, bool unclean);
  void publish(NodeContext& context, std::uint32_t partition);
  void publish_to(NodeContext& context, std::uint32_t partition, std::uint32_t broker);
  void record_election(NodeContext& context, std::uint32_t partition, std::uint32_t leader, bool unclean);
  // Writes the partition's current ISR to the history (isr_changed): every change of the
  // committed ISR, so the checker can judge elections, HW moves and ISR joins against it.
  void record_isr(NodeContext& context, std::uint32_t partition);

  // KIP-966 (controller_elr.cpp); each does nothing unless eligible.leader.replicas.version=1.
  bool elr_enabled() const { return config_.eligible_leader_replicas; }
  // `removed` left the ISR: it stays eligible if the ISR is now below min.insync.replicas.
  void note_isr_removal(std::uint32_t partition, std::uint32_t removed);
  // `added` joined the ISR: it is no longer merely eligible, and a full enough ISR ends the ELR.
  void note_isr_addition(std::uint32_t partition, std::uint32_t added);
  // The dead leader of a partition without another live ISR member leaves the ISR (which may
  // empty) for the ELR, and another eligible replica leads if one is unfenced.
  void leave_isr_for_elr(NodeContext& context, std::uint32_t partition, std::uint32_t leader);
  // An unfenced eligible replica (then the last known leader, with no ISR and no ELR) leads
  // an offline partition; false if none may.
  bool elect_from_elr(NodeContext& context, std::uint32_t partition);
  // A broker back from an unclean shutdown may have lost records: no longer eligible anywhere.
  void forget_unclean_broker(NodeContext& context, std::uint32_t broker);

  NodeIndex node_;
  BrokerConfig config_;
  std::vector<PartitionState> partitions_;
  std::vector<BrokerRegistration> brokers_;
  TransactionCoordinator transactions_;
  // The first elections wait for one liveness period, so every broker has registered
  // and preferred leaders (spread by the assignment) win, as on a fresh cluster.
  bool elections_open_ = false;
};

}  // namespace ksim::kafka
