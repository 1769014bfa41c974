#pragma once
// What a node of the Kafka model may do to the world: read the clock, send a message
// over the network, set a timer on itself, draw from its own random stream, and record
// history. Nodes never touch each other directly; World implements this.
#include <cstdint>
#include <optional>
#include <span>

#include "sim/core/sim_time.h"
#include "sim/history/history.h"
#include "sim/history/probes.h"
#include "sim/kafka/wire/protocol.h"
#include "sim/kafka/node/timers.h"
#include "sim/random/random_stream.h"

namespace ksim::kafka {

class NodeContext {
 public:
  virtual ~NodeContext() = default;
  virtual TimeNs now() const = 0;
  virtual void send(NodeId from, NodeId to, Payload payload) = 0;
  // Fires on_timer(timer) on `node` after `delay_ns`, unless the node crashed or
  // restarted in between (timers die with the process).
  virtual void set_timer(NodeId node, TimeNs delay_ns, const NodeTimer& timer) = 0;
  virtual RandomStream& random(NodeId node) = 0;
  virtual void record(const history::Record& record) = 0;  // time_ns is filled in
  // Counts a coverage probe (sim/history/probes.h): statistics of which rare paths ran,
  // never read by the checker and never part of the history or the fingerprint.
  virtual void probe(history::Probe probe) = 0;
  // Records a follower's appends from one fetch answered by `source_broker`: offsets
  // [first_offset, first_offset + entries.size()) of the follower's log.
  virtual void record_follower_appends(NodeId follower, PartitionId partition, Offset first_offset,
                                       std::span<const LogEntry> entries, BrokerId source_broker,
                                       LeaderEpoch epoch) = 0;
  // A broker whose controlled shutdown the controller accepted stops its process (World
  // restarts it when the fault that asked for the shutdown ends).
  virtual void stop_after_controlled_shutdown(NodeId node) = 0;
  // The first controller. The quorum's voters are controller_node() + 0 .. controller_count() - 1.
  virtual NodeId controller_node() const = 0;
  virtual std::uint32_t controller_count() const { return 1; }
  // Nodes are numbered controllers, then brokers, then clients; these two are the one place
  // a quorum index and its controller's node convert.
  NodeId quorum_node(std::uint32_t index) const { return NodeId{controller_node().value() + index}; }
  std::optional<std::uint32_t> quorum_index(NodeId node) const {
    const std::uint32_t first = controller_node().value();
    if (node.value() < first || node.value() - first >= controller_count()) return std::nullopt;
    return node.value() - first;
  }
  // The one place a broker's number and its node convert (history names brokers by node).
  virtual NodeId broker_node(BrokerId broker) const = 0;
  // The broker number of a node, by the node numbering above: wraps to a large (out of range)
  // number for a node before the brokers, which callers compare against broker_count().
  BrokerId broker_index(NodeId node) const { return BrokerId{node.value() - broker_node(BrokerId{0}).value()}; }
  // The brokers, broker_node(0) .. broker_node(broker_count() - 1): a client's
  // bootstrap.servers (every broker; 1 for a test context that names no more).
  virtual std::uint32_t broker_count() const { return 1; }
};

}  // namespace ksim::kafka
