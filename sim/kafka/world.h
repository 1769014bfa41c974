#pragma once
// The world of one run: builds the nodes and the network from a WorldConfig and the
// seed, carries messages between nodes through the lossy network, fires timers, injects
// the scheduled faults, runs the workload phase and then the drain phase, and returns
// the history. It is the only place that knows every node; nodes see it as a
// NodeContext.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/simulator.h"
#include "sim/core/timer_table.h"
#include "sim/history/history.h"
#include "sim/history/record_sink.h"
#include "sim/kafka/broker/broker.h"
#include "sim/kafka/client/consumer.h"
#include "sim/kafka/controller/controller.h"
#include "sim/kafka/faults/fault_triggers.h"
#include "sim/kafka/node/node_context.h"
#include "sim/kafka/client/producer.h"
#include "sim/kafka/client/sink.h"
#include "sim/kafka/config/world_config.h"
#include "sim/kafka/wire/wire_tally.h"
#include "sim/net/network.h"

namespace ksim::kafka {

struct RunOutput {
  RunResult run;
  history::History history;
  bool drain_completed = false;
  std::string drain_blocker;  // why the drain had not completed when the run stopped
  WireTally wire;  // protocol messages handed to the network, by kind (statistics only)
  // Coverage probes, beside the history rather than in it (sim/history/probes.h says why).
  history::ProbeCounts probes;
};

class World final : public NodeContext {
 public:
  // How often the drain checks whether everything is replicated and processed.
  static constexpr TimeNs kDrainCheckIntervalNs = milliseconds(100);

  explicit World(const WorldConfig& config);
  ~World() override;
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  RunOutput run();
  // Before run(): every record also goes to `sink` as it is written, and is kept in the
  // history only if `keep_records` (without them, the history is its header alone).
  void stream_history_to(history::RecordSink& sink, bool keep_records);
  // The history's header (nodes, partitions, producers, groups), complete once built.
  const history::History& history_header() const { return history_; }
  // Broker b's page-cache writeback schedule (broker/os_writeback.h), for tests.
  const WritebackSchedule& broker_writeback(BrokerId broker) const { return brokers_.at(broker.index()).writeback(); }
  // The network the world was built with, as Graphviz DOT (for reports).
  std::string topology_dot() const { return network_->topology().to_graphviz(); }

  // NodeContext
  TimeNs now() const override { return simulator_.now(); }
  void send(NodeId from, NodeId to, Payload payload) override;
  void set_timer(NodeId node, TimeNs delay_ns, const NodeTimer& timer) override;
  RandomStream& random(NodeId node) override { return streams_[node.index()]; }
  void record(const history::Record& record) override;
  void probe(history::Probe probe) override { probes_.hit(probe); }
  void record_follower_appends(NodeId follower, PartitionId partition, Offset first_offset,
                               std::span<const LogEntry> entries, BrokerId source_broker,
                               LeaderEpoch epoch) override;
  NodeId controller_node() const override { return NodeId{0}; }
  // From the configuration, not controllers_: node numbers are needed before the
  // controllers are built (the history's replica lists).
  std::uint32_t controller_count() const override { return config_.cluster.controllers; }
  NodeId broker_node(BrokerId broker) const override { return NodeId{controller_count() + broker.value()}; }
  std::uint32_t broker_count() const override { return config_.cluster.brokers; }
  // Client `client` (producers first, then consumers): the clients' nodes follow the brokers'.
  NodeId client_node(std::uint32_t client) const { return NodeId{broker_node(BrokerId{broker_count()}).value() + client}; }
  void stop_after_controlled_shutdown(NodeId node) override;

  // The event loop's handler.
  void handle(Simulator& simulator, const Event& event);
  // What the run fingerprint folds for an event: a timer as its kind and argument (see
  // describe_timer), anything else as it is.
  EventBody fingerprint_body(const Event& event) const;

 private:
  enum EventKind : std::uint32_t {
    kDeliver = 1, kTimer, kFault, kFaultEnd, kWorkloadEnd, kDrainCheck, kNodeStart,
    kNetworkFlap,  // a flapping network fault turns on (message_id 1) or off (0)
  };
  enum class Role : std::uint8_t { controller, broker, producer, consumer };
  struct NodeSlot {
    Role role = Role::controller;
    std::uint32_t local_index = 0;
    bool up = true;
    bool machine_up = true;  // false after a power failure: nothing answers, not even a reset
    bool paused = false;
    bool started = false;  // a group that joins later (`start`) has members not started yet
    std::uint32_t incarnation = 1;
    std::vector<Event> held;  // deliveries and timers that arrived during a pause
    TimerTable<NodeTimer> timers;
  };

  // Building the world from its configuration, in node order (world.cpp).
  struct TransactionalIds {
    std::vector<TransactionalIdSettings> settings;  // producers first, then consumers
    std::uint32_t first_consumer_id = 0;
  };
  void build_nodes();
  void build_network();
  std::vector<std::vector<std::uint32_t>> assign_replicas();
  std::uint32_t offsets_replication_factor() const;
  // __transaction_state: its partitions (0 in a run without transactions) and replication.
  bool uses_transactions() const;
  std::uint32_t transaction_state_partitions() const;
  std::uint32_t transaction_state_replication_factor() const;
  TransactionalIds transactional_id_settings() const;
  void build_servers(std::vector<std::vector<std::uint32_t>> assignment,
                     std::vector<TransactionalIdSettings> transactional_ids);
  void build_producers(const std::vector<TransactionalIdSettings>& transactional_ids);
  std::vector<std::vector<std::uint32_t>> assign_topic_replicas(std::uint32_t topic) const;
  std::uint32_t client_topic(const std::string& name) const;
  WritebackSchedule writeback_schedule(BrokerId broker) const;
  void build_consumers(std::uint32_t first_consumer_transactional_id,
                       const std::vector<TransactionalIdSettings>& transactional_ids);
  void dispatch(const Event& event);
  void deliver(const Event& event);
  void fire_timer(const Event& event);
  static TimerTicket ticket_of(const Event& event);
  void start_node(NodeId node);
  // Stops a node's process: a crash, a power failure (brokers: unflushed data lost) or the
  // end of a controlled shutdown; `how` is recorded in the history.
  // `role`: the role the fault's target was named by, recorded with it.
  void crash_node(NodeId node, history::FaultKind how, const RoleTarget& role = {});
  void restart_node(NodeId node);  // records the restart; nothing if the node is up
  void record_fault(NodeId node, history::FaultKind kind, TimeNs duration_ns, const RoleTarget& role = {});
  // The nodes a fault hits, resolved when it fires (world_fault_targets.cpp): its named
  // targets, or the node holding its role now (none if no node does, e.g. no leader).
  std::vector<NodeId> resolve_targets(std::uint32_t fault_index);
  std::vector<NodeId> resolve_role(std::uint32_t fault_index, const RoleTarget& role);
  // Schedules the faults whose `when:` condition this record made true (fault_triggers.h).
  void fire_triggered(const history::Record& record);
  // Network faults on link sets (world_network_faults.cpp).
  void network_fault_on(std::uint32_t fault_index);
  void network_fault_off(std::uint32_t fault_index);
  void network_fault_flap(std::uint32_t fault_index, bool on);
  void end_network_fault(std::uint32_t fault_index);
  void apply_fault(std::uint32_t fault_index);
  void end_fault(std::uint32_t fault_index);
  void begin_drain();
  // Empty when the drain is complete; otherwise what is still outstanding.
  std::string drain_blocker() const;
  NodeId node_named(const std::string& name) const;
  // The active controller (the one of the highest epoch, should a deposed one still think
  // it is), or nullptr while the quorum has none (world_fault_targets.cpp).
  const Controller* active_controller() const;
  // The cluster's metadata as the active controller has it, else as the first controller's
  // copy has it: what roles resolve against and what the drain waits for.
  const Controller& metadata() const;
  std::uint32_t store_payload(Payload payload, std::uint32_t references);
  void release_payload(std::uint32_t slot);

  WorldConfig config_;
  Simulator simulator_;
  std::unique_ptr<net::Network> network_;
  history::History history_;
  history::RecordSink* history_sink_ = nullptr;
  bool keep_history_records_ = true;
  history::ProbeCounts probes_;
  std::vector<NodeSlot> nodes_;
  std::vector<RandomStream> streams_;
  std::vector<std::unique_ptr<Controller>> controllers_;  // the quorum's voters, node order
  std::vector<Broker> brokers_;
  std::vector<Producer> producers_;
  std::vector<std::unique_ptr<Sink>> sinks_;  // one per consumer group; stable addresses
  std::vector<Consumer> consumers_;
  std::vector<Payload> payloads_;
  std::vector<std::uint32_t> payload_references_;
  std::vector<std::uint32_t> free_payloads_;
  std::vector<std::uint32_t> partition_cuts_;  // network cut id per fault (partitions)
  std::vector<bool> partition_in_force_;      // per fault: its cut is in force (not healed yet)
  std::vector<std::vector<NodeId>> fault_nodes_;  // per fault: the nodes it hit, resolved when it fired
  std::vector<std::uint32_t> network_impairments_;   // per network fault: the impairment in force, 0: none
  std::vector<bool> network_fault_over_;             // per network fault: ended (flapping stops)
  std::map<NodeId, RoleTarget> shutdown_roles_;  // a role-targeted controlled shutdown, until its stop record
  FaultTriggers triggers_;
  std::vector<std::uint32_t> triggered_;             // scratch for fire_triggered
  std::uint32_t partitions_ = 0;
  std::uint32_t record_size_bytes_ = 100;
  WireTally wire_;
  bool draining_ = false;
  bool drain_completed_ = false;
};

}  // namespace ksim::kafka
