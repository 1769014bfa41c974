#include "sim/kafka/controller/controller.h"

#include <algorithm>

#include "sim/core/assert.h"
#include "sim/history/records.h"

namespace ksim::kafka {

namespace {

bool contains(const std::vector<BrokerId>& brokers, BrokerId broker) {
  return std::find(brokers.begin(), brokers.end(), broker) != brokers.end();
}

}  // namespace

Controller::Controller(NodeId node, const BrokerConfig& config, std::vector<std::vector<std::uint32_t>> assignment,
                       std::uint32_t brokers, std::uint32_t min_isr, std::uint32_t offsets_min_isr,
                       PartitionId offsets_partition)
    : node_(node),
      config_(config),
      brokers_(brokers),
      offsets_partition_(offsets_partition == kLastPartition ? PartitionId{static_cast<std::uint32_t>(assignment.size()) - 1}
                                                             : offsets_partition) {
  KSIM_ASSERT(assignment.size() >= 2, "the controller needs a user partition and the offsets partition, got {}",
              assignment.size());
  partitions_.resize(assignment.size());
  for (std::size_t p = 0; p < assignment.size(); ++p) {
    PartitionState& state = partitions_[p];
    // The assignment is configuration (replica_assignment.h, as Kafka's tools write it):
    // broker numbers become BrokerIds here, where they enter the controller's tables.
    for (const std::uint32_t broker : assignment[p]) state.replicas.push_back(BrokerId{broker});
    state.isr = state.replicas;
    state.leader = kNoBroker;
    state.min_insync_replicas = PartitionId{static_cast<std::uint32_t>(p)} >= offsets_partition_ ? offsets_min_isr : min_isr;
  }
}

void Controller::start(NodeContext& context) {
  context.set_timer(node_, config_.broker_heartbeat_interval_ns / 2, timers::LivenessCheck{});
  if (several_voters()) {
    quorum_.leader_contact_ns = context.now();
    context.set_timer(node_, quorum_.config.fetch_wait_max_ns, timers::QuorumTick{});
  } else if (!quorum_.active) {
    start_election(context);  // a quorum of one back from a crash: it elects itself at once
  }
}

std::vector<LeaderAndIsr> Controller::bootstrap(NodeContext& context) {
  for (BrokerRegistration& registration : brokers_) {
    registration.fenced = false;
    registration.incarnation = 1;
    registration.last_heartbeat_ns = context.now();
  }
  elections_open_ = true;
  std::vector<LeaderAndIsr> decisions;
  for (const PartitionId p : ids_below<PartitionId>(partition_count())) {
    PartitionState& state = partitions_[p.index()];
    state.leader = state.replicas.front();
    state.leader_epoch = LeaderEpoch{1};
    state.partition_epoch = 1;
    record_isr(context, p);
    record_election(context, p, state.leader, false);
    decisions.push_back(LeaderAndIsr{p, state.leader, state.leader_epoch, state.partition_epoch, state.isr, state.replicas});
  }
  appended_partitions_ = partitions_;
  appended_brokers_ = brokers_;
  committed_partitions_ = partitions_;
  build_image();
  return decisions;
}

void Controller::on_timer(NodeContext& context, const ControllerTimer& timer) {
  if (std::holds_alternative<timers::QuorumTick>(timer)) {
    on_quorum_tick(context);
    return;
  }
  if (const auto* timeout = std::get_if<timers::QuorumElectionTimeout>(&timer)) {
    if (quorum_.role == QuorumRole::candidate && timeout->election == quorum_.election) start_election(context);
    return;
  }
  if (!several_voters()) {
    check_liveness(context);
    publish_image_if_changed(context);
  } else if (quorum_.active) {
    gated(context, [&](NodeContext& gate) {
      check_liveness(gate);
      publish_image_if_changed(gate);
    });
  }  // not active: no fencing and no elections
  context.set_timer(node_, config_.broker_heartbeat_interval_ns / 2, timers::LivenessCheck{});
}

void Controller::check_liveness(NodeContext& context) {
  const TimeNs now = context.now();
  if (!elections_open_) {
    elections_open_ = true;
    for (const PartitionId p : ids_below<PartitionId>(partition_count())) elect_if_offline(context, p);
  }
  for (const BrokerId broker : ids_below<BrokerId>(static_cast<std::uint32_t>(brokers_.size()))) {
    const BrokerRegistration& registration = brokers_[broker.index()];
    if (!registration.fenced && now - registration.last_heartbeat_ns > config_.broker_session_timeout_ns) {
      fence(context, broker);
    }
  }
}

void Controller::on_message(NodeContext& context, NodeId from, const Payload& payload) {
  if (on_quorum_message(context, from, payload)) return;
  if (!several_voters()) {
    handle(context, from, payload);
    publish_image_if_changed(context);
  } else if (quorum_.active) {
    gated(context, [&](NodeContext& gate) {
      handle(gate, from, payload);
      publish_image_if_changed(gate);
    });
  } else {
    redirect(context, from, payload);
  }
}

void Controller::build_image() {
  auto image = std::make_shared<MetadataImage>();
  image->version = MetadataVersion{quorum_.epoch, ++images_published_};
  image->partitions = partitions_;
  image->fenced.reserve(brokers_.size());
  for (const BrokerRegistration& registration : brokers_) image->fenced.push_back(registration.fenced ? 1 : 0);
  image_ = std::move(image);
  image_changed_ = false;
}

void Controller::publish_image_if_changed(NodeContext& context) {
  send_decisions(context);
  if (!image_changed_ && image_ != nullptr && image_->version.controller_epoch == quorum_.epoch) return;
  build_image();
  for (const BrokerId broker : ids_below<BrokerId>(static_cast<std::uint32_t>(brokers_.size()))) {
    context.send(node_, context.broker_node(broker), MetadataUpdate{image_});
  }
}

void Controller::handle(NodeContext& context, NodeId from, const Payload& payload) {
  const BrokerId broker = context.broker_index(from);  // meaningful for broker senders only
  if (const auto* heartbeat = std::get_if<BrokerHeartbeat>(&payload)) {
    on_heartbeat(context, broker, *heartbeat);
  } else if (const auto* alter = std::get_if<AlterPartition>(&payload)) {
    on_alter_partition(context, broker, *alter);
  } else {
    KSIM_ASSERT(false, "the controller got a message it does not handle (payload index {})", payload.index());
  }
}

void Controller::on_heartbeat(NodeContext& context, BrokerId broker, const BrokerHeartbeat& heartbeat) {
  KSIM_ASSERT(broker.index() < brokers_.size(), "heartbeat from unknown broker {}", broker);
  BrokerRegistration& registration = brokers_[broker.index()];
  if (heartbeat.incarnation < registration.incarnation) return;  // delayed heartbeat of a dead process
  if (heartbeat.incarnation > registration.incarnation) {
    if (!registration.fenced && config_.bounced_broker_detection) {
      // The broker restarted before its session expired: its old registration is dead.
      fence(context, broker);
    }
    // A new process: unless the last one ended in a controlled shutdown, it may have lost
    // unflushed records (KAFKA-15586: the broker epoch tells a clean shutdown apart).
    if (!registration.shut_down_cleanly) forget_unclean_broker(context, broker);
    registration.shut_down_cleanly = false;
  }
  registration.incarnation = heartbeat.incarnation;
  registration.last_heartbeat_ns = context.now();
  if (heartbeat.want_shutdown) {
    // Controlled shutdown (KIP-631): leaderships move to other ISR members and the broker
    // leaves every ISR, as when it is fenced, but at once instead of after
    // broker.session.timeout.ms; then it is told it may stop. A partition it alone holds
    // goes offline until it returns (or an unclean election).
    if (!registration.fenced) fence(context, broker);
    registration.shut_down_cleanly = true;
    context.send(node_, context.broker_node(broker), BrokerHeartbeatResponse{true, quorum_.epoch});
  } else if (several_voters()) {
    // With several controllers the broker must know its heartbeat reached the active one
    // (else it tries another): the answer says so (KIP-631's BrokerHeartbeatResponse).
    if (registration.fenced) unfence(context, broker);
    context.send(node_, context.broker_node(broker), BrokerHeartbeatResponse{false, quorum_.epoch});
  } else if (registration.fenced) {
    unfence(context, broker);
  }
  // Brokers pull the metadata log in KRaft; here every heartbeat is answered with the
  // current state of the broker's partitions, so a lost decision is repaired, and a broker
  // behind on metadata (a lost push, a restart) gets the image (unless a new one is about
  // to go to every broker after this handler).
  for (const PartitionId p : ids_below<PartitionId>(partition_count())) {
    if (contains(partitions_[p.index()].replicas, broker)) publish_to(context, p, broker);
  }
  if (!image_changed_ && image_ != nullptr && heartbeat.metadata < image_->version) {
    context.send(node_, context.broker_node(broker), MetadataUpdate{image_});
  }
}

void Controller::fence(NodeContext& context, BrokerId broker) {
  brokers_[broker.index()].fenced = true;
  image_changed_ = true;
  for (const PartitionId p : ids_below<PartitionId>(partition_count())) {
    PartitionState& state = partitions_[p.index()];
    if (!contains(state.isr, broker)) continue;
    if (state.leader == broker) {
      // Clean choice first: a live ISR member, in replica order.
      BrokerId next = kNoBroker;
      for (const BrokerId candidate : state.replicas) {
        if (candidate != broker && contains(state.isr, candidate) && !brokers_[candidate.index()].fenced) {
          next = candidate;
          break;
        }
      }
      if (next != kNoBroker) {
        std::erase(state.isr, broker);
        note_isr_removal(p, broker);
        record_isr(context, p);
        set_leader(context, p, next, false);
      } else if (elr_enabled()) {
        leave_isr_for_elr(context, p, broker);
      } else {
        // No live ISR member: the partition goes offline and keeps its last ISR, so the
        // dead leader can lead again when it returns (or an unclean election happens).
        state.leader = kNoBroker;
        ++state.leader_epoch;
        ++state.partition_epoch;
        record_election(context, p, kNoBroker, false);
        elect_if_offline(context, p);
        publish(context, p);
      }
    } else if (state.isr.size() > 1) {
      std::erase(state.isr, broker);
      note_isr_removal(p, broker);
      record_isr(context, p);
      ++state.partition_epoch;
      publish(context, p);
    }
  }
}

void Controller::unfence(NodeContext& context, BrokerId broker) {
  brokers_[broker.index()].fenced = false;
  image_changed_ = true;
  for (const PartitionId p : ids_below<PartitionId>(partition_count())) {
    if (partitions_[p.index()].leader == kNoBroker) elect_if_offline(context, p);
  }
}

void Controller::elect_if_offline(NodeContext& context, PartitionId partition) {
  PartitionState& state = partitions_[partition.index()];
  if (state.leader != kNoBroker || !elections_open_) return;
  for (const BrokerId candidate : state.replicas) {
    if (contains(state.isr, candidate) && !brokers_[candidate.index()].fenced) {
      set_leader(context, partition, candidate, false);
      return;
    }
  }
  if (elect_from_elr(context, partition)) return;
  if (!config_.unclean_leader_election_enable) return;
  for (const BrokerId candidate : state.replicas) {
    if (!brokers_[candidate.index()].fenced) {
      state.isr = {candidate};
      set_leader(context, partition, candidate, true);
      record_isr(context, partition);  // after the election record: the leader came from outside the old ISR
      return;
    }
  }
}

void Controller::set_leader(NodeContext& context, PartitionId partition, BrokerId leader, bool unclean) {
  PartitionState& state = partitions_[partition.index()];
  KSIM_ASSERT(contains(state.isr, leader), "leader {} of partition {} not in its ISR", leader, partition);
  state.leader = leader;
  ++state.leader_epoch;
  ++state.partition_epoch;
  if (unclean) context.probe(history::Probe::unclean_election);
  record_election(context, partition, leader, unclean);
  publish(context, partition);
}

void Controller::record_election(NodeContext& context, PartitionId partition, BrokerId leader, bool unclean) {
  if (partition >= offsets_partition()) return;  // the internal partitions hold no user data
  context.record(history::leader_elected(
      {.leader = leader == kNoBroker ? kNoNodeId : context.broker_node(leader),
       .partition = partition,
       .leader_epoch = partitions_[partition.index()].leader_epoch,
       .unclean = unclean}));
}

void Controller::record_isr(NodeContext& context, PartitionId partition) {
  PartitionState& state = partitions_[partition.index()];
  if (state.isr.size() == 1 && state.isr_size_recorded > 1) context.probe(history::Probe::isr_shrunk_to_one);
  state.isr_size_recorded = state.isr.size();
  if (partition >= offsets_partition()) return;  // the internal partitions hold no user data
  std::uint64_t isr_mask = 0;
  for (std::size_t i = 0; i < state.replicas.size() && i < 64; ++i) {
    if (contains(state.isr, state.replicas[i])) isr_mask |= std::uint64_t{1} << i;
  }
  context.record(history::isr_changed(
      {.leader =
           state.leader == kNoBroker ? kNoNodeId : context.broker_node(state.leader),
       .partition = partition,
       .leader_epoch = state.leader_epoch,
       .isr_mask = isr_mask}));
}

void Controller::on_alter_partition(NodeContext& context, BrokerId broker, const AlterPartition& request) {
  PartitionState& state = partitions_[request.partition.index()];
  const bool current = state.leader == broker && request.leader_epoch == state.leader_epoch &&
                       request.partition_epoch == state.partition_epoch;
  bool valid = current && contains(request.new_isr, broker);
  for (const BrokerId member : request.new_isr) {
    valid = valid && contains(state.replicas, member) && !brokers_[member.index()].fenced;
  }
  if (valid) {
    const std::vector<BrokerId> old_isr = state.isr;
    state.isr = request.new_isr;
    for (const BrokerId member : old_isr) {
      if (!contains(state.isr, member)) note_isr_removal(request.partition, member);
    }
    for (const BrokerId member : state.isr) {
      if (!contains(old_isr, member)) note_isr_addition(request.partition, member);
    }
    record_isr(context, request.partition);
    ++state.partition_epoch;
    publish(context, request.partition);
  } else {
    publish_to(context, request.partition, broker);  // tell the stale leader what is current
  }
}

void Controller::publish(NodeContext& context, PartitionId partition) {
  image_changed_ = true;
  for (const BrokerId broker : partitions_[partition.index()].replicas) {
    if (!brokers_[broker.index()].fenced) publish_to(context, partition, broker);
  }
}

void Controller::publish_to(NodeContext&, PartitionId partition, BrokerId broker) {
  const PartitionState& state = partitions_[partition.index()];
  if (outbox_.size() < brokers_.size()) outbox_.resize(brokers_.size());
  outbox_[broker.index()].push_back(LeaderAndIsr{partition, state.leader, state.leader_epoch, state.partition_epoch,
                                                 state.isr, state.replicas, quorum_.epoch});
}

void Controller::send_decisions(NodeContext& context) {
  for (std::size_t b = 0; b < outbox_.size(); ++b) {
    if (outbox_[b].empty()) continue;
    context.send(node_, context.broker_node(BrokerId{static_cast<std::uint32_t>(b)}),
                 LeaderAndIsrRequest{std::move(outbox_[b])});
    outbox_[b].clear();
  }
}

}  // namespace ksim::kafka
