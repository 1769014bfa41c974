#include "sim/kafka/world.h"

#include <algorithm>
#include <optional>

#include "sim/core/assert.h"
#include "sim/history/records.h"
#include "sim/kafka/wire/append_records.h"

namespace ksim::kafka {

RunOutput World::run() {
  // The cluster first, already running with its leaders in place; then the clients.
  for (std::uint32_t c = 0; c < controller_count(); ++c) start_node(quorum_node(c));
  for (const BrokerId b : ids_below<BrokerId>(broker_count())) start_node(broker_node(b));
  const std::vector<LeaderAndIsr> bootstrap = controllers_.front()->bootstrap(*this);
  for (std::size_t c = 1; c < controllers_.size(); ++c) controllers_[c]->adopt_bootstrap(*controllers_.front());
  std::vector<LeaderAndIsrRequest> bootstrap_requests(broker_count());
  for (const LeaderAndIsr& decision : bootstrap) {
    for (const BrokerId broker : decision.replicas) bootstrap_requests[broker.index()].partitions.push_back(decision);
  }
  for (const BrokerId b : ids_below<BrokerId>(broker_count())) {
    brokers_[b.index()].on_message(*this, controller_node(), Payload{std::move(bootstrap_requests[b.index()])});
  }
  // Every broker's metadata cache starts with the bootstrap image, as its decisions do.
  for (Broker& broker : brokers_) {
    broker.on_message(*this, controller_node(), Payload{MetadataUpdate{controllers_.front()->image()}});
  }
  for (std::uint32_t client = 0; client_node(client).index() < nodes_.size(); ++client) {
    const NodeId node = client_node(client);
    NodeSlot& slot = nodes_[node.index()];
    const TimeNs start_ns =
        slot.role == Role::consumer ? config_.consumer_groups[consumers_[slot.local_index].group()].start_ns : 0;
    if (start_ns > 0) {
      slot.up = false;  // not running yet: the group joins later
      simulator_.schedule_at(start_ns, EventBody{kNodeStart, 0, 0, node.value(), 0});
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
  output.wire = wire_;
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
      if (!nodes_[event.body.aux].started) start_node(NodeId{event.body.aux});
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

void World::send(NodeId from, NodeId to, Payload payload) {
  KSIM_ASSERT(to.index() < nodes_.size() && from.index() < nodes_.size(), "send from {} to {} outside {} nodes", from, to,
              nodes_.size());
  wire_.count(payload);
  const std::uint32_t size = wire_size_bytes(payload, record_size_bytes_);
  const net::Transmission transmission = network_->transmit(simulator_.now(), from, to, size);
  if (transmission.delivery_count == 0) return;
  const std::uint32_t slot = store_payload(std::move(payload), transmission.delivery_count);
  for (std::uint8_t i = 0; i < transmission.delivery_count; ++i) {
    simulator_.schedule_at(transmission.deliveries[i].deliver_at_ns, EventBody{kDeliver, from.value(), to.value(), 0, slot});
  }
}

void World::deliver(const Event& event) {
  const auto slot = static_cast<std::uint32_t>(event.body.message_id);
  // EventBody (sim/core) holds nodes raw; they become NodeIds here and in fire_timer.
  const NodeId to{event.body.target};
  const NodeId from{event.body.source};
  const NodeSlot& node = nodes_[to.index()];
  // Take the payload out of the slab before the node runs: a handler that sends grows
  // the slab, which would leave a reference into it dangling.
  Payload payload = payload_references_[slot] == 1 ? std::move(payloads_[slot]) : payloads_[slot];
  release_payload(slot);
  if (!node.up) {
    // The crashed process's kernel resets the connection (answers to answers are not
    // reset: the sender of a response is the server, which does not reconnect).
    const bool request = std::holds_alternative<ProduceRequest>(payload) ||
                         std::holds_alternative<MultiProduceRequest>(payload) ||
                         std::holds_alternative<SessionFetchRequest>(payload) || std::holds_alternative<ConnectProbe>(payload) ||
                         GroupCoordinator::is_group_request(payload);
    if (node.machine_up && request && nodes_[from.index()].up) send(to, from, ConnectionReset{});
    return;
  }
  if (std::holds_alternative<ConnectProbe>(payload)) {
    send(to, from, ConnectProbeAck{});  // the handshake is the kernel's, whatever the role
    return;
  }
  switch (node.role) {
    case Role::controller:
      controllers_[node.local_index]->on_message(*this, from, payload);
      break;
    case Role::broker:
      brokers_[node.local_index].on_message(*this, from, payload);
      break;
    case Role::producer:
      producers_[node.local_index].on_message(*this, from, payload);
      break;
    case Role::consumer:
      consumers_[node.local_index].on_message(*this, from, payload);
      break;
  }
}

void World::set_timer(NodeId node, TimeNs delay_ns, const NodeTimer& timer) {
  NodeSlot& slot = nodes_[node.index()];
  const TimerTicket ticket = slot.timers.arm(timer);
  // The incarnation is not needed to tell a stale timer (its generation is); it stays in
  // the body because the run fingerprint has always folded it.
  simulator_.schedule_after(delay_ns,
                            EventBody{kTimer, slot.incarnation, node.value(), ticket.slot, ticket.generation});
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
      controllers_[node.local_index]->on_timer(*this, std::get<ControllerTimer>(*timer));
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

void World::stream_history_to(history::RecordSink& sink, bool keep_records) {
  KSIM_ASSERT(history_.records.empty(), "stream_history_to after {} records were written", history_.records.size());
  history_sink_ = &sink;
  keep_history_records_ = keep_records;
}

void World::record(const history::Record& record) {
  history::Record stamped = record;
  stamped.time_ns = simulator_.now();
  if (keep_history_records_) history_.add(stamped);
  if (history_sink_ != nullptr) history_sink_->on_record(stamped);
  if (triggers_.any()) fire_triggered(stamped);
}

// One record for the whole fetch when the source's log still holds exactly these entries
// (the checker replays the range from it); one append each when it has changed since it
// answered (truncated, lost its tail), so the history never claims what was not so. Only
// what is written changes, never what the model does.
void World::record_follower_appends(NodeId follower, PartitionId partition, Offset first_offset,
                                    std::span<const LogEntry> entries, BrokerId source_broker,
                                    LeaderEpoch epoch) {
  if (entries.empty()) return;
  if (source_broker.index() < brokers_.size() && log_holds(brokers_[source_broker.index()].replica(partition).log, first_offset, entries)) {
    record(follower_range_record(follower, partition, first_offset, entries.size(), broker_node(source_broker), epoch));
    return;
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    record(append_record(follower, partition, first_offset + static_cast<std::int64_t>(i), entries[i], history::AppendSource::follower));
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
