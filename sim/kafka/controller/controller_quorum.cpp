// The KRaft controller quorum, after KIP-595 (the Raft protocol for the metadata quorum,
// Kafka 2.8+) and KIP-631 (the quorum-based controller, Kafka 3.x; the only mode from 4.0).
// Voters hold an epoch and vote once per epoch for a candidate whose log is at least as
// up to date as theirs (last entry's epoch, then offset). A follower that hears nothing
// from the leader for controller.quorum.fetch.timeout.ms (2000) becomes a candidate: it
// bumps the epoch, votes for itself and asks the others; a candidate with no majority
// after a random time in [controller.quorum.election.timeout.ms, twice that) (1000) tries
// again in a new epoch (KafkaRaftClient's randomised election timeout, drawn here from
// the controller's own random stream). A leader that hears from no majority for the fetch
// timeout resigns (KAFKA-15489, Kafka 3.7.0). The leader's log is replicated as KRaft's
// followers fetch it; an entry is committed once a majority holds it, and a new leader
// first commits an entry of its own epoch before it acts (KIP-595's leader change message);
// only then is it the active controller (KIP-631), whose decisions reach brokers and the
// history once committed (commit_gate.h).
// Simplifications, documented in scenarios/README.md: the log is replicated as the
// metadata image after its last entry, not record by record; the leader pushes it when it
// appends and every fetch.wait (500 ms), which stands for KRaft's long-polling Fetch; there
// is no pre-vote (KIP-996), no snapshots, no observers' fetching (brokers learn metadata
// from the active controller's LeaderAndIsr) and no quorum reconfiguration (KIP-853).
#include <algorithm>

#include "sim/core/assert.h"
#include "sim/history/records.h"
#include "sim/kafka/controller/controller.h"

namespace ksim::kafka {

void Controller::join_quorum(std::uint32_t index, std::uint32_t voters, const ControllerQuorumConfig& config) {
  KSIM_ASSERT(voters >= 1 && voters <= kMaxControllers && index < voters, "controller {} of a quorum of {}", index,
              voters);
  quorum_.index = index;
  quorum_.voters = voters;
  quorum_.config = config;
  // The cluster is already running when a scenario starts: voter 0 leads epoch 1.
  quorum_.role = index == 0 ? QuorumRole::leader : QuorumRole::follower;
  quorum_.active = index == 0;
  quorum_.leader = 0;
  quorum_.voted_for = 0;
  quorum_.match_offset.assign(voters, 0);
  quorum_.acked_ns.assign(voters, 0);
}

void Controller::adopt_bootstrap(const Controller& leader) {
  partitions_ = leader.partitions_;
  brokers_ = leader.brokers_;
  appended_partitions_ = leader.appended_partitions_;
  appended_brokers_ = leader.appended_brokers_;
  committed_partitions_ = leader.committed_partitions_;
  elections_open_ = leader.elections_open_;
}

void Controller::crash() {
  gate_.drop();
  outbox_.clear();
  quorum_.role = QuorumRole::follower;
  quorum_.active = false;
  quorum_.leader = QuorumState::kNoVoter;
  quorum_.votes = 0;
  quorum_.commit_offset = std::min(quorum_.commit_offset, quorum_.log_end_offset);
}

bool Controller::on_quorum_message(NodeContext& context, NodeId from, const Payload& payload) {
  const std::uint32_t voter = from.value() - voter_node(0).value();  // meaningful for controller senders only
  if (const auto* vote = std::get_if<QuorumVote>(&payload)) {
    on_vote(context, voter, *vote);
  } else if (const auto* response = std::get_if<QuorumVoteResponse>(&payload)) {
    on_vote_response(context, *response);
  } else if (const auto* append = std::get_if<QuorumAppend>(&payload)) {
    on_append(context, voter, *append);
  } else if (const auto* ack = std::get_if<QuorumAppendAck>(&payload)) {
    on_append_ack(context, voter, *ack);
  } else {
    return false;
  }
  return true;
}

void Controller::redirect(NodeContext& context, NodeId from, const Payload& payload) {
  // KIP-631: a controller that is not active answers NOT_CONTROLLER with the leader it
  // knows of; an AlterPartition is left unanswered and the leader retries it.
  if (!std::holds_alternative<BrokerHeartbeat>(payload)) return;
  BrokerHeartbeatResponse response;
  response.controller_epoch = quorum_.epoch;
  response.not_controller = true;
  if (quorum_.leader != QuorumState::kNoVoter && quorum_.leader != quorum_.index) {
    response.active_controller = voter_node(quorum_.leader);
  }
  context.send(node_, from, response);
}

void Controller::append_if_changed(NodeContext& context) {
  bool changed = partitions_ != appended_partitions_ || brokers_.size() != appended_brokers_.size();
  for (std::size_t b = 0; !changed && b < brokers_.size(); ++b) {
    changed = !brokers_[b].same_registration(appended_brokers_[b]);
  }
  if (changed) {
    ++quorum_.log_end_offset;
    quorum_.log_end_epoch = quorum_.epoch;
    appended_partitions_ = partitions_;
    appended_brokers_ = brokers_;
  }
  gate_.tag_untagged(quorum_.log_end_offset);
  if (changed) send_appends(context);
}

void Controller::send_appends(NodeContext& context) {
  for (std::uint32_t voter = 0; voter < quorum_.voters; ++voter) {
    if (voter == quorum_.index) continue;
    context.send(node_, voter_node(voter),
                 QuorumAppend{quorum_.epoch, quorum_.index, quorum_.log_end_offset, quorum_.log_end_epoch,
                              quorum_.commit_offset, appended_partitions_, appended_brokers_});
  }
}

void Controller::advance_commit(NodeContext& context) {
  if (quorum_.role != QuorumRole::leader) return;
  std::vector<std::uint64_t> held = quorum_.match_offset;
  held[quorum_.index] = quorum_.log_end_offset;
  std::sort(held.begin(), held.end(), std::greater<>());
  const std::uint64_t majority_holds = held[quorum_.voters / 2];
  // Raft commits by counting replicas only for an entry of the leader's own epoch.
  if (majority_holds > quorum_.commit_offset && majority_holds >= quorum_.epoch_start_offset) {
    quorum_.commit_offset = majority_holds;
    if (quorum_.commit_offset >= quorum_.log_end_offset) committed_partitions_ = partitions_;
  }
  if (!quorum_.active && quorum_.commit_offset >= quorum_.epoch_start_offset) activate(context);
  gate_.bind(context);
  gate_.release(quorum_.commit_offset);
}

void Controller::activate(NodeContext& context) {
  quorum_.active = true;
  context.record(history::controller_elected({.controller = NodeId{node_}, .epoch = quorum_.epoch}));
  // What the last active controller decided but had not told the history before it fell
  // (its commit was not known here yet) is told now, as it stands.
  for (const PartitionId p : ids_below<PartitionId>(offsets_partition().value())) {
    if (p.index() >= committed_partitions_.size()) break;
    const PartitionState& before = committed_partitions_[p.index()];
    const PartitionState& now = partitions_[p.index()];
    if (before.leader_epoch != now.leader_epoch) record_election(context, p, now.leader, false);
    if (before.partition_epoch != now.partition_epoch) record_isr(context, p);
  }
  committed_partitions_ = partitions_;
  appended_partitions_ = partitions_;
  // A new active controller gives every registered broker a fresh session (its heartbeat
  // tracking lives in memory, KIP-631) and tells every replica the metadata as it stands.
  for (BrokerRegistration& registration : brokers_) registration.last_heartbeat_ns = context.now();
  for (const PartitionId p : ids_below<PartitionId>(partition_count())) publish(context, p);
  publish_image_if_changed(context);  // and every broker the image, in the new epoch
}

void Controller::start_election(NodeContext& context) {
  gate_.drop();
  ++quorum_.epoch;
  quorum_.role = QuorumRole::candidate;
  quorum_.active = false;
  quorum_.leader = QuorumState::kNoVoter;
  quorum_.voted_for = quorum_.index;
  quorum_.votes = 1;
  ++quorum_.election;
  if (quorum_.votes * 2 > quorum_.voters) {
    become_leader(context);
    return;
  }
  for (std::uint32_t voter = 0; voter < quorum_.voters; ++voter) {
    if (voter == quorum_.index) continue;
    context.send(node_, voter_node(voter),
                 QuorumVote{quorum_.epoch, quorum_.index, quorum_.log_end_epoch, quorum_.log_end_offset});
  }
  const TimeNs timeout_ns = quorum_.config.election_timeout_ns;
  const auto jitter_ns =
      static_cast<TimeNs>(context.random(node_).uniform_below(static_cast<std::uint64_t>(timeout_ns)));
  context.set_timer(node_, timeout_ns + jitter_ns, timers::QuorumElectionTimeout{quorum_.election});
}

void Controller::become_leader(NodeContext& context) {
  quorum_.role = QuorumRole::leader;
  quorum_.leader = quorum_.index;
  quorum_.leader_since_ns = context.now();
  // The leader change entry: the first of its epoch, which must commit before it acts.
  ++quorum_.log_end_offset;
  quorum_.log_end_epoch = quorum_.epoch;
  quorum_.epoch_start_offset = quorum_.log_end_offset;
  quorum_.match_offset.assign(quorum_.voters, 0);
  quorum_.acked_ns.assign(quorum_.voters, context.now());
  appended_partitions_ = partitions_;
  appended_brokers_ = brokers_;
  send_appends(context);
  advance_commit(context);
}

void Controller::become_follower(NodeContext& context, std::int32_t epoch) {
  if (epoch > quorum_.epoch) {
    quorum_.epoch = epoch;
    quorum_.voted_for = QuorumState::kNoVoter;
  }
  gate_.drop();  // a deposed leader's held decisions: never known committed
  quorum_.role = QuorumRole::follower;
  quorum_.active = false;
  quorum_.leader = QuorumState::kNoVoter;
  // The fetch timer runs on: a higher epoch seen in a vote request is no word from a
  // leader (else a candidate that cannot win, e.g. one back from a partition with an older
  // log, would hold every election off).
  static_cast<void>(context);
}

void Controller::on_quorum_tick(NodeContext& context) {
  const TimeNs now = context.now();
  const TimeNs timeout_ns = quorum_.config.fetch_timeout_ns;
  if (quorum_.role == QuorumRole::leader) {
    send_appends(context);
    std::uint32_t heard = 0;
    for (std::uint32_t voter = 0; voter < quorum_.voters; ++voter) {
      if (voter == quorum_.index || now - quorum_.acked_ns[voter] < timeout_ns) ++heard;
    }
    if (heard * 2 <= quorum_.voters && now - quorum_.leader_since_ns >= timeout_ns) {
      become_follower(context, quorum_.epoch);  // KAFKA-15489: cut off from a majority, it resigns
      quorum_.leader_contact_ns = now;
    }
  } else if (quorum_.role == QuorumRole::follower && now - quorum_.leader_contact_ns >= timeout_ns) {
    start_election(context);
  }
  context.set_timer(node_, quorum_.config.fetch_wait_max_ns, timers::QuorumTick{});
}

void Controller::on_vote(NodeContext& context, std::uint32_t from, const QuorumVote& vote) {
  if (vote.epoch > quorum_.epoch) become_follower(context, vote.epoch);
  const bool log_up_to_date = vote.last_epoch > quorum_.log_end_epoch ||
                              (vote.last_epoch == quorum_.log_end_epoch && vote.last_offset >= quorum_.log_end_offset);
  const bool granted = vote.epoch == quorum_.epoch && log_up_to_date &&
                       (quorum_.voted_for == QuorumState::kNoVoter || quorum_.voted_for == vote.candidate);
  if (granted) {
    quorum_.voted_for = vote.candidate;
    quorum_.leader_contact_ns = context.now();  // give the candidate its chance
  }
  context.send(node_, voter_node(from), QuorumVoteResponse{quorum_.epoch, granted});
}

void Controller::on_vote_response(NodeContext& context, const QuorumVoteResponse& response) {
  if (response.epoch > quorum_.epoch) {
    become_follower(context, response.epoch);
    return;
  }
  if (quorum_.role != QuorumRole::candidate || response.epoch != quorum_.epoch || !response.granted) return;
  ++quorum_.votes;
  if (quorum_.votes * 2 > quorum_.voters) become_leader(context);
}

void Controller::on_append(NodeContext& context, std::uint32_t from, const QuorumAppend& append) {
  if (append.epoch < quorum_.epoch) {
    context.send(node_, voter_node(from), QuorumAppendAck{quorum_.epoch, quorum_.log_end_offset, false});
    return;
  }
  if (append.epoch > quorum_.epoch || quorum_.role != QuorumRole::follower) become_follower(context, append.epoch);
  quorum_.leader = append.leader;
  quorum_.leader_contact_ns = context.now();
  // The leader's log wins in its epoch: this voter's copy becomes the leader's.
  partitions_ = append.partitions;
  brokers_ = append.brokers;
  appended_partitions_ = append.partitions;
  appended_brokers_ = append.brokers;
  quorum_.log_end_offset = append.offset;
  quorum_.log_end_epoch = append.offset_epoch;
  quorum_.commit_offset = std::min(append.commit_offset, append.offset);
  if (quorum_.commit_offset >= quorum_.log_end_offset) committed_partitions_ = partitions_;
  elections_open_ = true;
  context.send(node_, voter_node(from), QuorumAppendAck{quorum_.epoch, quorum_.log_end_offset, true});
}

void Controller::on_append_ack(NodeContext& context, std::uint32_t from, const QuorumAppendAck& ack) {
  if (ack.epoch > quorum_.epoch) {
    become_follower(context, ack.epoch);
    return;
  }
  if (quorum_.role != QuorumRole::leader || ack.epoch != quorum_.epoch || !ack.accepted) return;
  quorum_.match_offset[from] = std::max(quorum_.match_offset[from], ack.offset);
  quorum_.acked_ns[from] = context.now();
  advance_commit(context);
}

}  // namespace ksim::kafka
