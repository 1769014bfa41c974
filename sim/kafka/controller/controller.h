#pragma once
// A controller of the KRaft quorum (`cluster.controllers` of them; controller_quorum.cpp
// elects the active one and replicates its metadata). The active controller learns of broker failure through missed
// heartbeats, elects leaders from the ISR (or from any live replica when unclean
// election is enabled), bumps the leader epoch, applies ISR changes asked by leaders,
// and tells the brokers, all over the lossy network: each replica its partitions'
// decisions (LeaderAndIsr), and every broker the whole metadata image whenever it changes
// (MetadataUpdate; brokers answer clients' metadata requests from it). It manages
// the user topics' partitions and, after them, the offsets partition (__consumer_offsets-0)
// and the __transaction_state partitions, whose history records it leaves out: the history
// describes the user topics only.
#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "sim/kafka/config/config.h"
#include "sim/kafka/controller/commit_gate.h"
#include "sim/kafka/controller/quorum_state.h"
#include "sim/kafka/node/node_context.h"
#include "sim/kafka/wire/partition_state.h"

namespace ksim::kafka {

class Controller {
 public:
  // `assignment` holds the user partitions, then the offsets partition (at
  // `offsets_partition`, the last one by default), then the __transaction_state partitions.
  // `min_isr` applies to the user partitions, `offsets_min_isr` to the offsets partition;
  // the state partitions take theirs from set_min_insync_replicas.
  Controller(NodeId node, const BrokerConfig& config, std::vector<std::vector<std::uint32_t>> assignment,
             std::uint32_t brokers, std::uint32_t min_isr, std::uint32_t offsets_min_isr,
             PartitionId offsets_partition = kLastPartition);
  static constexpr PartitionId kLastPartition{0xFFFFFFFFU};

  NodeId node() const { return node_; }
  const PartitionState& partition(PartitionId p) const { return partitions_[p.index()]; }
  std::uint32_t partition_count() const { return static_cast<std::uint32_t>(partitions_.size()); }
  bool broker_fenced(BrokerId broker) const { return brokers_[broker.index()].fenced; }
  PartitionId offsets_partition() const { return offsets_partition_; }
  // Several topics: user partition `p` takes its own topic's min.insync.replicas (set
  // before the run starts; topic_layout.h).
  void set_min_insync_replicas(PartitionId p, std::uint32_t min_isr) { partitions_[p.index()].min_insync_replicas = min_isr; }

  // The quorum (controller_quorum.cpp). Before join_quorum a controller is the single voter
  // of a quorum of one, active from the start, as ksim's controller always was.
  void join_quorum(std::uint32_t index, std::uint32_t voters, const ControllerQuorumConfig& config);
  // A follower's start: the leader's metadata after bootstrap, the leader at epoch 1.
  void adopt_bootstrap(const Controller& leader);
  bool active() const { return quorum_.active; }
  std::int32_t controller_epoch() const { return quorum_.epoch; }
  const QuorumState& quorum() const { return quorum_; }
  // The process died: what it kept in memory is gone; its metadata log and quorum state
  // (epoch, vote) are on disk (KRaft flushes both before it answers), so they stay.
  void crash();

  void start(NodeContext& context);
  // The cluster is already running when a scenario starts: every broker registered, every
  // partition led by its preferred replica with a full ISR (epoch 1). Returns the decisions
  // for World to hand to the brokers directly, as if they had been applied before time 0.
  std::vector<LeaderAndIsr> bootstrap(NodeContext& context);
  // The metadata image brokers were last sent (World hands the bootstrap one to every broker).
  const std::shared_ptr<const MetadataImage>& image() const { return image_; }
  void on_message(NodeContext& context, NodeId from, const Payload& payload);
  void on_timer(NodeContext& context, const ControllerTimer& timer);

 private:
  // What a controller does with a broker's or client's request (on_message once the quorum
  // had its say) and with its liveness timer.
  void handle(NodeContext& context, NodeId from, const Payload& payload);
  void check_liveness(NodeContext& context);

  // --- the quorum (controller_quorum.cpp) ---
  NodeId voter_node(std::uint32_t index) const { return NodeId{node_.value() - quorum_.index + index}; }
  bool several_voters() const { return quorum_.voters > 1; }
  // Quorum traffic; false if the payload is no quorum message.
  bool on_quorum_message(NodeContext& context, NodeId from, const Payload& payload);
  // A broker's request to a controller that is not active: told where to go, or dropped.
  void redirect(NodeContext& context, NodeId from, const Payload& payload);
  // Runs fn with the commit gate as its context, then appends any change of the metadata
  // to the log and lets out what the quorum has committed.
  template <typename Fn>
  void gated(NodeContext& context, Fn&& fn);
  void append_if_changed(NodeContext& context);
  void send_appends(NodeContext& context);
  void advance_commit(NodeContext& context);
  void activate(NodeContext& context);
  void start_election(NodeContext& context);
  void become_leader(NodeContext& context);
  void become_follower(NodeContext& context, std::int32_t epoch);
  void on_quorum_tick(NodeContext& context);
  void on_vote(NodeContext& context, std::uint32_t from, const QuorumVote& vote);
  void on_vote_response(NodeContext& context, const QuorumVoteResponse& response);
  void on_append(NodeContext& context, std::uint32_t from, const QuorumAppend& append);
  void on_append_ack(NodeContext& context, std::uint32_t from, const QuorumAppendAck& ack);

  void on_heartbeat(NodeContext& context, BrokerId broker, const BrokerHeartbeat& heartbeat);
  void on_alter_partition(NodeContext& context, BrokerId broker, const AlterPartition& request);
  void fence(NodeContext& context, BrokerId broker);
  void unfence(NodeContext& context, BrokerId broker);
  // Elects a leader for an offline partition if a live replica may lead it.
  void elect_if_offline(NodeContext& context, PartitionId partition);
  void set_leader(NodeContext& context, PartitionId partition, BrokerId leader, bool unclean);
  void publish(NodeContext& context, PartitionId partition);
  // Queues the partition's decision for the broker; send_decisions sends each broker its
  // queued decisions in one LeaderAndIsrRequest, after the handler (before the image).
  void publish_to(NodeContext& context, PartitionId partition, BrokerId broker);
  void send_decisions(NodeContext& context);
  // After a handler: if the metadata changed (or the controller epoch did), a new image to
  // every broker (KRaft brokers fetch the metadata log as observers and apply each record;
  // here the image after the handler's records, pushed as the long-poll Fetch would return it).
  void publish_image_if_changed(NodeContext& context);
  void build_image();
  void record_election(NodeContext& context, PartitionId partition, BrokerId leader, bool unclean);
  // Writes the partition's current ISR to the history (isr_changed): every change of the
  // committed ISR, so the checker can judge elections, HW moves and ISR joins against it.
  void record_isr(NodeContext& context, PartitionId partition);

  // KIP-966 (controller_elr.cpp); each does nothing unless eligible.leader.replicas.version=1.
  bool elr_enabled() const { return config_.eligible_leader_replicas; }
  // `removed` left the ISR: it stays eligible if the ISR is now below min.insync.replicas.
  void note_isr_removal(PartitionId partition, BrokerId removed);
  // `added` joined the ISR: it is no longer merely eligible, and a full enough ISR ends the ELR.
  void note_isr_addition(PartitionId partition, BrokerId added);
  // The dead leader of a partition without another live ISR member leaves the ISR (which may
  // empty) for the ELR, and another eligible replica leads if one is unfenced.
  void leave_isr_for_elr(NodeContext& context, PartitionId partition, BrokerId leader);
  // An unfenced eligible replica (then the last known leader, with no ISR and no ELR) leads
  // an offline partition; false if none may.
  bool elect_from_elr(NodeContext& context, PartitionId partition);
  // A broker back from an unclean shutdown may have lost records: no longer eligible anywhere.
  void forget_unclean_broker(NodeContext& context, BrokerId broker);

  NodeId node_;
  BrokerConfig config_;
  std::vector<PartitionState> partitions_;
  std::vector<BrokerRegistration> brokers_;
  PartitionId offsets_partition_;  // user partitions below it, __transaction_state above
  QuorumState quorum_;
  CommitGate gate_;
  // The metadata as last appended to the log (to see whether a handler changed it) and as
  // last known committed (what a new active controller has to tell the history about).
  std::vector<PartitionState> appended_partitions_;
  std::vector<BrokerRegistration> appended_brokers_;
  std::vector<PartitionState> committed_partitions_;
  std::shared_ptr<const MetadataImage> image_;
  std::vector<std::vector<LeaderAndIsr>> outbox_;  // by broker: decisions not yet sent
  bool image_changed_ = false;        // set by every change brokers must learn of
  std::uint64_t images_published_ = 0;  // numbers the images of a controller epoch
  // The first elections wait for one liveness period, so every broker has registered
  // and preferred leaders (spread by the assignment) win, as on a fresh cluster.
  bool elections_open_ = false;
};

template <typename Fn>
void Controller::gated(NodeContext& context, Fn&& fn) {
  gate_.bind(context);
  fn(gate_);
  append_if_changed(context);
  advance_commit(context);
}

}  // namespace ksim::kafka
