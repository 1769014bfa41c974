#include "sim/kafka/world.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "sim/core/assert.h"
#include "sim/history/records.h"
#include "sim/kafka/append_records.h"
#include "sim/kafka/config_names.h"
#include "sim/kafka/replica_assignment.h"

namespace ksim::kafka {

namespace {

std::uint32_t effective_min_isr(const ClusterConfig& cluster) {
  const TopicConfig& topic = cluster.topics.front();
  return topic.min_insync_replicas >= 0 ? static_cast<std::uint32_t>(topic.min_insync_replicas)
                                        : cluster.broker.min_insync_replicas;
}

// The history header's copy of a partition's replication settings (what the checker's
// invariants need to know which of Kafka's promises applied).
history::PartitionReplication replication_entry(const ClusterConfig& cluster, const std::vector<std::uint32_t>& brokers,
                                                NodeIndex first_broker_node) {
  history::PartitionReplication entry;
  for (const std::uint32_t broker : brokers) entry.replicas.push_back(first_broker_node + broker);
  entry.min_insync_replicas = effective_min_isr(cluster);
  entry.unclean_leader_election_enable = cluster.broker.unclean_leader_election_enable;
  entry.strict_min_isr = cluster.broker.strict_min_isr;
  entry.truncate_to_high_watermark = cluster.broker.log_truncation == LogTruncation::high_watermark;
  return entry;
}

}  // namespace

World::World(const WorldConfig& config) : config_(config) {
  KSIM_ASSERT(config_.cluster.topics.size() == 1, "one topic per run for now, got {}", config_.cluster.topics.size());
  partitions_ = config_.cluster.topics.front().partitions;
  if (!config_.producers.empty()) record_size_bytes_ = config_.producers.front().message_size_bytes;
  build_nodes();
}

World::~World() = default;

void World::build_nodes() {
  build_network();
  std::vector<std::vector<std::uint32_t>> assignment = assign_replicas();
  const TransactionalIds ids = transactional_id_settings();
  build_servers(std::move(assignment), ids.settings);
  build_producers();
  build_consumers(ids.first_consumer_id);
  partition_cuts_.assign(config_.faults.size(), 0);
  partition_in_force_.assign(config_.faults.size(), false);
  fault_nodes_.assign(config_.faults.size(), {});
  network_impairments_.assign(config_.faults.size(), 0);
  network_fault_over_.assign(config_.faults.size(), false);
  triggers_ = FaultTriggers(config_.faults, partitions_, config_.cluster.topics.front().replication_factor);
}

// Every node in node order (controller, brokers, producers, consumers), each with its own
// random stream and history entry, on the topology the configuration describes.
void World::build_network() {
  const ClusterConfig& cluster = config_.cluster;
  std::vector<net::NodeInfo> infos;
  auto add = [&](std::string name, std::string kind, Role role, std::uint32_t local, std::string zone) {
    history_.nodes.push_back(history::NodeEntry{name, kind});
    streams_.emplace_back(config_.seed, "node." + name);
    infos.push_back(net::NodeInfo{std::move(name), std::move(kind), std::move(zone)});
    NodeSlot slot;
    slot.role = role;
    slot.local_index = local;
    nodes_.push_back(std::move(slot));
  };
  add("controller", "controller", Role::controller, 0, "");
  for (std::uint32_t b = 0; b < cluster.brokers; ++b) {
    add(fmt::format("broker-{}", b + 1), "broker", Role::broker, b,
        b < cluster.broker_racks.size() ? cluster.broker_racks[b] : "");
  }
  std::uint32_t producer_index = 0;
  for (const ProducerWorkload& workload : config_.producers) {
    for (std::uint32_t i = 0; i < workload.count; ++i) {
      add(fmt::format("{}-{}", workload.name, i), "producer", Role::producer, producer_index++, "");
    }
  }
  std::uint32_t consumer_index = 0;
  for (const ConsumerGroupConfig& group : config_.consumer_groups) {
    for (std::uint32_t i = 0; i < group.members; ++i) {
      add(fmt::format("{}-{}", group.name, i), "consumer", Role::consumer, consumer_index++, "");
    }
  }
  for (net::NodeInfo& info : infos) {
    if (const auto zone = config_.zone_of.find(info.name); zone != config_.zone_of.end()) info.zone = zone->second;
  }
  net::Topology topology = config_.inter_zone_profile
                               ? net::Topology::zoned_mesh(std::move(infos), config_.link_profile,
                                                           *config_.inter_zone_profile)
                               : net::Topology::full_mesh(std::move(infos), config_.link_profile);
  for (const LinkOverride& link : config_.link_overrides) {
    const auto from = topology.find_node(link.from);
    const auto to = topology.find_node(link.to);
    KSIM_ASSERT(from && to, "link override {} -> {} names unknown nodes (the loader validates names)", link.from,
                link.to);
    topology.set_link(*from, *to, link.profile);
    if (link.both_ways) topology.set_link(*to, *from, link.profile);
  }
  network_ = std::make_unique<net::Network>(std::move(topology), config_.seed);
}

// The replicas of each user partition, then of the offsets partition, each drawn from its
// own stream; the user partitions' replication settings go into the history header.
std::vector<std::vector<std::uint32_t>> World::assign_replicas() {
  const ClusterConfig& cluster = config_.cluster;
  const TopicConfig& topic = cluster.topics.front();
  RandomStream assignment_stream(config_.seed, "kafka.replica-assignment");
  const auto start_index = static_cast<std::uint32_t>(assignment_stream.uniform_below(cluster.brokers));
  const auto shift = static_cast<std::uint32_t>(assignment_stream.uniform_below(cluster.brokers));
  // A pinned assignment replaces the drawn one; the draws above happen anyway (their own
  // stream), so pinning changes nothing else of the run.
  auto assignment = topic.replica_assignment.empty()
                        ? assign_replicas_for_cluster(partitions_, topic.replication_factor, cluster.brokers,
                                                      cluster.broker_racks, start_index, shift)
                        : topic.replica_assignment;
  KSIM_ASSERT(assignment.size() == partitions_, "replica assignment of {} partitions for {} (the loader checks it)",
              assignment.size(), partitions_);
  for (std::uint32_t p = 0; p < partitions_; ++p) {
    history_.partitions.push_back(history::PartitionEntry{topic.name, p});
    history_.replication.push_back(replication_entry(cluster, assignment[p], broker_node(0)));
  }
  // The offsets partition (__consumer_offsets-0) after the user partitions: its own topic,
  // placed with its own random start, replication factor 3 (offsets.topic.replication.factor)
  // or every broker if fewer; min.insync.replicas is the broker default.
  RandomStream offsets_stream(config_.seed, "kafka.offsets-assignment");
  const auto offsets_start = static_cast<std::uint32_t>(offsets_stream.uniform_below(cluster.brokers));
  assignment.push_back(assign_replicas_for_cluster(1, offsets_replication_factor(), cluster.brokers,
                                                   cluster.broker_racks, offsets_start, 0)
                           .front());
  return assignment;
}

std::uint32_t World::offsets_replication_factor() const { return std::min<std::uint32_t>(3, config_.cluster.brokers); }

// One transactional id per producer (index = producer index; unused by producers without
// transactional.id), its producer id the top of that producer's block of ids; then one per
// consumer, for consume-transform-produce members (commit: transactional).
World::TransactionalIds World::transactional_id_settings() const {
  TransactionalIds ids;
  NodeIndex client_node = broker_node(config_.cluster.brokers);
  for (const ProducerWorkload& workload : config_.producers) {
    for (std::uint32_t i = 0; i < workload.count; ++i, ++client_node) {
      const auto index = static_cast<std::uint32_t>(ids.settings.size());
      ids.settings.push_back(
          TransactionalIdSettings{client_node, ((index + 1) << 16) | 0xFFFFU, workload.config.transaction_timeout_ns});
    }
  }
  ids.first_consumer_id = static_cast<std::uint32_t>(ids.settings.size());
  for (const ConsumerGroupConfig& group : config_.consumer_groups) {
    for (std::uint32_t m = 0; m < group.members; ++m, ++client_node) {
      const auto index = static_cast<std::uint32_t>(ids.settings.size());
      ids.settings.push_back(TransactionalIdSettings{client_node, ((index + 1) << 16) | 0xFFFFU});
    }
  }
  return ids;
}

void World::build_servers(std::vector<std::vector<std::uint32_t>> assignment,
                          std::vector<TransactionalIdSettings> transactional_ids) {
  const ClusterConfig& cluster = config_.cluster;
  const std::uint32_t offsets_min_isr = std::min(cluster.broker.min_insync_replicas, offsets_replication_factor());
  std::vector<GroupSettings> group_settings;
  for (const ConsumerGroupConfig& group : config_.consumer_groups) {
    group_settings.push_back(
        GroupSettings{partitions_, group.config.session_timeout_ns, group.config.partition_assignment_strategy});
  }
  const std::uint32_t min_isr = effective_min_isr(cluster);
  controller_ = std::make_unique<Controller>(controller_node(), cluster.broker, std::move(assignment), cluster.brokers,
                                             min_isr, offsets_min_isr, std::move(transactional_ids));
  brokers_.reserve(cluster.brokers);
  for (std::uint32_t b = 0; b < cluster.brokers; ++b) {
    brokers_.emplace_back(b, broker_node(b), cluster.broker, partitions_ + 1, cluster.brokers, min_isr, group_settings,
                          offsets_min_isr);
  }
}

void World::build_producers() {
  NodeIndex node = broker_node(config_.cluster.brokers);
  std::uint32_t producer_index = 0;
  for (const ProducerWorkload& workload : config_.producers) {
    std::shared_ptr<const ZipfTable> zipf_keys;
    if (workload.zipf_exponent > 0 && workload.key_space > 0) {
      zipf_keys = std::make_shared<const ZipfTable>(workload.key_space, workload.zipf_exponent);
    }
    for (std::uint32_t i = 0; i < workload.count; ++i, ++node, ++producer_index) {
      // Producer ids: a block of 2^16 per producer, one id per client session.
      // The application's arrivals draw from a stream of their own, not the node's, so
      // every mode is offered the same messages at the same times with the same keys.
      ArrivalProcess arrivals(RandomStream(config_.seed, "application." + history_.nodes[node].name), workload,
                              config_.workload_duration_ns, zipf_keys);
      producers_.emplace_back(producer_index, node, workload, partitions_, (producer_index + 1) << 16,
                              std::move(arrivals));
      history_.producers.push_back(history::ProducerEntry{node, workload.config.acks,
                                                          workload.config.enable_idempotence,
                                                          workload.config.max_in_flight_requests_per_connection,
                                                          !workload.config.transactional_id.empty()});
    }
  }
}

void World::build_consumers(std::uint32_t first_consumer_transactional_id) {
  NodeIndex node = broker_node(config_.cluster.brokers) + static_cast<NodeIndex>(producers_.size());
  std::uint32_t consumer_index = 0;
  for (std::uint32_t g = 0; g < config_.consumer_groups.size(); ++g) {
    const ConsumerGroupConfig& group = config_.consumer_groups[g];
    sinks_.push_back(std::make_unique<Sink>(group.sink));
    history::ConsumerGroupEntry entry{group.name, std::string(to_string(group.commit_strategy)),
                                      group.sink == SinkKind::idempotent, {}, group.config.read_committed};
    for (std::uint32_t p = 0; p < partitions_; ++p) entry.partitions.push_back(p);
    history_.groups.push_back(entry);
    for (std::uint32_t m = 0; m < group.members; ++m, ++node, ++consumer_index) {
      consumers_.emplace_back(consumer_index, node, g, group, *sinks_.back());
      consumers_.back().set_transactional_id(first_consumer_transactional_id + consumer_index);
    }
  }
}

RunOutput World::run() {
  // The cluster first, already running with its leaders in place; then the clients.
  start_node(controller_node());
  for (std::uint32_t b = 0; b < brokers_.size(); ++b) start_node(broker_node(b));
  for (const LeaderAndIsr& decision : controller_->bootstrap(*this)) {
    for (const std::uint32_t broker : decision.replicas) {
      brokers_[broker].on_message(*this, controller_node(), Payload{decision});
    }
  }
  for (NodeIndex node = broker_node(static_cast<std::uint32_t>(brokers_.size())); node < nodes_.size(); ++node) {
    const TimeNs start_ns = nodes_[node].role == Role::consumer
                                ? config_.consumer_groups[consumers_[nodes_[node].local_index].group()].start_ns
                                : 0;
    if (start_ns > 0) {
      nodes_[node].up = false;  // not running yet: the group joins later
      simulator_.schedule_at(start_ns, EventBody{kNodeStart, 0, 0, node, 0});
    } else {
      start_node(node);
    }
  }
  for (std::uint32_t f = 0; f < config_.faults.size(); ++f) {
    if (config_.faults[f].when.kind != TriggerKind::none) continue;  // scheduled when its condition holds
    simulator_.schedule_at(config_.faults[f].at_ns, EventBody{kFault, 0, 0, f, 0});
  }
  simulator_.schedule_at(config_.workload_duration_ns, EventBody{kWorkloadEnd, 0, 0, 0, 0});
  RunLimits limits = config_.limits;
  limits.max_time_ns = std::min(limits.max_time_ns, config_.workload_duration_ns + config_.drain_max_ns);
  RunOutput output;
  output.run = simulator_.run(*this, limits);
  for (const Producer& producer : producers_) producer.check_accounting();
  history_.workload_end_ns = config_.workload_duration_ns;
  history_.end_ns = simulator_.now();
  history_.drain_completed = drain_completed_;
  output.drain_completed = drain_completed_;
  if (!drain_completed_) output.drain_blocker = draining_ ? drain_blocker() : "the run stopped before the drain";
  output.messages_on_wire = messages_on_wire_;
  output.probes = probes_;
  output.history = std::move(history_);
  return output;
}

void World::handle(Simulator&, const Event& event) {
  switch (event.body.kind) {
    case kDeliver:
    case kTimer: {
      NodeSlot& slot = nodes_[event.body.target];
      if (slot.paused) {
        slot.held.push_back(event);
        return;
      }
      dispatch(event);
      return;
    }
    case kFault:
      apply_fault(event.body.aux);
      return;
    case kFaultEnd:
      end_fault(event.body.aux);
      return;
    case kWorkloadEnd:
      begin_drain();
      return;
    case kNetworkFlap:
      network_fault_flap(event.body.aux, event.body.message_id == 1);
      return;
    case kNodeStart:
      if (!nodes_[event.body.aux].started) start_node(event.body.aux);
      return;
    case kDrainCheck:
      if (drain_blocker().empty()) {
        drain_completed_ = true;
        simulator_.stop();
        return;
      }
      simulator_.schedule_after(kDrainCheckIntervalNs, EventBody{kDrainCheck, 0, 0, 0, 0});
      return;
    default:
      KSIM_ASSERT(false, "unknown event kind {}", event.body.kind);
  }
}

void World::dispatch(const Event& event) {
  if (event.body.kind == kDeliver) {
    deliver(event);
  } else {
    fire_timer(event);
  }
}

void World::send(NodeIndex from, NodeIndex to, Payload payload) {
  KSIM_ASSERT(to < nodes_.size() && from < nodes_.size(), "send from {} to {} outside {} nodes", from, to,
              nodes_.size());
  ++messages_on_wire_;
  const std::uint32_t size = wire_size_bytes(payload, record_size_bytes_);
  const net::Transmission transmission = network_->transmit(simulator_.now(), from, to, size);
  if (transmission.delivery_count == 0) return;
  const std::uint32_t slot = store_payload(std::move(payload), transmission.delivery_count);
  for (std::uint8_t i = 0; i < transmission.delivery_count; ++i) {
    simulator_.schedule_at(transmission.deliveries[i].deliver_at_ns, EventBody{kDeliver, from, to, 0, slot});
  }
}

void World::deliver(const Event& event) {
  const auto slot = static_cast<std::uint32_t>(event.body.message_id);
  const NodeIndex to = event.body.target;
  const NodeSlot& node = nodes_[to];
  // Take the payload out of the slab before the node runs: a handler that sends grows
  // the slab, which would leave a reference into it dangling.
  Payload payload = payload_references_[slot] == 1 ? std::move(payloads_[slot]) : payloads_[slot];
  release_payload(slot);
  if (!node.up) {
    // The crashed process's kernel resets the connection (answers to answers are not
    // reset: the sender of a response is the server, which does not reconnect).
    const bool request = std::holds_alternative<ProduceRequest>(payload) ||
                         std::holds_alternative<FetchRequest>(payload) || std::holds_alternative<ConnectProbe>(payload) ||
                         GroupCoordinator::is_group_request(payload);
    if (node.machine_up && request && nodes_[event.body.source].up) send(to, event.body.source, ConnectionReset{});
    return;
  }
  if (std::holds_alternative<ConnectProbe>(payload)) {
    send(to, event.body.source, ConnectProbeAck{});  // the handshake is the kernel's, whatever the role
    return;
  }
  switch (node.role) {
    case Role::controller:
      controller_->on_message(*this, event.body.source, payload);
      break;
    case Role::broker:
      brokers_[node.local_index].on_message(*this, event.body.source, payload);
      break;
    case Role::producer:
      producers_[node.local_index].on_message(*this, event.body.source, payload);
      break;
    case Role::consumer:
      consumers_[node.local_index].on_message(*this, event.body.source, payload);
      break;
  }
}

void World::set_timer(NodeIndex node, TimeNs delay_ns, const NodeTimer& timer) {
  NodeSlot& slot = nodes_[node];
  const TimerTicket ticket = slot.timers.arm(timer);
  // The incarnation is not needed to tell a stale timer (its generation is); it stays in
  // the body because the run fingerprint has always folded it.
  simulator_.schedule_after(delay_ns,
                            EventBody{kTimer, slot.incarnation, node, ticket.slot, ticket.generation});
}

TimerTicket World::ticket_of(const Event& event) {
  return TimerTicket{event.body.aux, static_cast<std::uint32_t>(event.body.message_id)};
}

EventBody World::fingerprint_body(const Event& event) const {
  if (event.body.kind != kTimer) return event.body;
  const TimerDescription timer =
      describe_timer(nodes_[event.body.target].timers.pending_value(ticket_of(event)));
  return EventBody{kTimer, event.body.source, event.body.target, timer.kind, timer.argument};
}

void World::fire_timer(const Event& event) {
  NodeSlot& node = nodes_[event.body.target];
  const std::optional<NodeTimer> timer = node.timers.take(ticket_of(event));
  if (!timer || !node.up) return;  // the timer died with its process
  switch (node.role) {
    case Role::controller:
      controller_->on_timer(*this, std::get<ControllerTimer>(*timer));
      break;
    case Role::broker:
      brokers_[node.local_index].on_timer(*this, std::get<BrokerTimer>(*timer));
      break;
    case Role::producer:
      producers_[node.local_index].on_timer(*this, std::get<ProducerTimer>(*timer));
      break;
    case Role::consumer:
      consumers_[node.local_index].on_timer(*this, std::get<ConsumerTimer>(*timer));
      break;
  }
}

void World::record(const history::Record& record) {
  history::Record stamped = record;
  stamped.time_ns = simulator_.now();
  history_.add(stamped);
  if (triggers_.any()) fire_triggered(stamped);
}

// One record for the whole fetch when the source's log still holds exactly these entries
// (the checker replays the range from it); one append each when it has changed since it
// answered (truncated, lost its tail), so the history never claims what was not so. Only
// what is written changes, never what the model does.
void World::record_follower_appends(NodeIndex follower, std::uint32_t partition, Offset first_offset,
                                    std::span<const LogEntry> entries, std::uint32_t source_broker,
                                    LeaderEpoch epoch) {
  if (entries.empty()) return;
  if (source_broker < brokers_.size() && log_holds(brokers_[source_broker].replica(partition).log, first_offset, entries)) {
    record(follower_range_record(follower, partition, first_offset, entries.size(), broker_node(source_broker), epoch));
    return;
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    record(append_record(follower, partition, first_offset + static_cast<Offset>(i), entries[i], history::AppendSource::follower));
  }
}

std::uint32_t World::store_payload(Payload payload, std::uint32_t references) {
  std::uint32_t slot;
  if (free_payloads_.empty()) {
    slot = static_cast<std::uint32_t>(payloads_.size());
    payloads_.push_back(std::move(payload));
    payload_references_.push_back(references);
  } else {
    slot = free_payloads_.back();
    free_payloads_.pop_back();
    payloads_[slot] = std::move(payload);
    payload_references_[slot] = references;
  }
  return slot;
}

void World::release_payload(std::uint32_t slot) {
  KSIM_ASSERT(payload_references_[slot] > 0, "payload slot {} released twice", slot);
  if (--payload_references_[slot] == 0) {
    payloads_[slot] = Payload{};  // free the records it held
    free_payloads_.push_back(slot);
  }
}

}  // namespace ksim::kafka
