#pragma once
// The base of the model's unit-test contexts: a NodeContext that records nothing and has
// the controller at node 0 and broker b at node 1 + b. A test overrides what it watches
// (now, send, set_timer).
#include <cstdint>
#include <span>

#include "sim/kafka/node/node_context.h"

namespace ksim::testing {

class QuietContext : public kafka::NodeContext {
 public:
  RandomStream& random(NodeId) override { return stream_; }
  void record(const history::Record&) override {}
  void probe(history::Probe) override {}
  void record_follower_appends(NodeId, PartitionId, Offset, std::span<const kafka::LogEntry>,
                               BrokerId, LeaderEpoch) override {}
  void stop_after_controlled_shutdown(NodeId) override {}
  NodeId controller_node() const override { return NodeId{0}; }
  NodeId broker_node(BrokerId broker) const override { return NodeId{1 + broker.value()}; }

 private:
  RandomStream stream_{1, "test"};
};

}  // namespace ksim::testing
