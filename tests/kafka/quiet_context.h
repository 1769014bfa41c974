#pragma once
// The base of the model's unit-test contexts: a NodeContext that records nothing and has
// the controller at node 0 and broker b at node 1 + b. A test overrides what it watches
// (now, send, set_timer).
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

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

// A QuietContext that keeps what is sent where and the timers set, at a settable time.
class RecordingContext : public QuietContext {
 public:
  struct Sent {
    NodeId to;
    kafka::Payload payload;
  };
  TimeNs now_ns = 0;
  std::uint32_t brokers = 3;
  std::vector<Sent> sent;
  std::vector<kafka::NodeTimer> timers;

  TimeNs now() const override { return now_ns; }
  void send(NodeId, NodeId to, kafka::Payload payload) override { sent.push_back(Sent{to, std::move(payload)}); }
  void set_timer(NodeId, TimeNs, const kafka::NodeTimer& timer) override { timers.push_back(timer); }
  std::uint32_t broker_count() const override { return brokers; }

  // The messages of one kind sent so far, in order.
  template <class Message>
  std::vector<Message> sent_of() const {
    std::vector<Message> out;
    for (const Sent& message : sent) {
      if (const auto* typed = std::get_if<Message>(&message.payload)) out.push_back(*typed);
    }
    return out;
  }
};

}  // namespace ksim::testing
