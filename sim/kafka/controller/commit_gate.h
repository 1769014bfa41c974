#pragma once
// What the active controller of a quorum of several does takes effect only once committed
// (KIP-595, KIP-631): a decision is a record in the metadata log, and brokers learn it,
// and the history records it, only after a majority of the quorum holds it. The gate is
// the NodeContext the active controller's handlers run with: it holds back their messages
// and history records, each tagged with the log offset that must be committed first, and
// lets them out, in order, when the quorum's high watermark passes that offset. Clocks,
// timers, random draws and probes pass straight through. A controller that loses its
// leadership drops what it held: nothing of it was known committed.
#include <cstdint>
#include <variant>
#include <vector>

#include "sim/kafka/node/node_context.h"

namespace ksim::kafka {

class CommitGate final : public NodeContext {
 public:
  // The context the held effects go out to: the one the current handler was given.
  void bind(NodeContext& inner) { inner_ = &inner; }

  // Tags every effect held since the last call with `offset`.
  void tag_untagged(std::uint64_t offset);
  // Lets out, in order, every held effect tagged with an offset at or below `committed`.
  void release(std::uint64_t committed);
  void drop() { held_.clear(); }
  std::size_t held() const { return held_.size(); }

  TimeNs now() const override { return inner_->now(); }
  void send(NodeId from, NodeId to, Payload payload) override;
  void set_timer(NodeId node, TimeNs delay_ns, const NodeTimer& timer) override {
    inner_->set_timer(node, delay_ns, timer);
  }
  RandomStream& random(NodeId node) override { return inner_->random(node); }
  void record(const history::Record& record) override;
  void probe(history::Probe probe) override { inner_->probe(probe); }
  void record_follower_appends(NodeId follower, PartitionId partition, Offset first_offset,
                               std::span<const LogEntry> entries, BrokerId source_broker,
                               LeaderEpoch epoch) override {
    inner_->record_follower_appends(follower, partition, first_offset, entries, source_broker, epoch);
  }
  void stop_after_controlled_shutdown(NodeId node) override { inner_->stop_after_controlled_shutdown(node); }
  NodeId controller_node() const override { return inner_->controller_node(); }
  std::uint32_t controller_count() const override { return inner_->controller_count(); }
  NodeId broker_node(BrokerId broker) const override { return inner_->broker_node(broker); }
  std::uint32_t broker_count() const override { return inner_->broker_count(); }

 private:
  struct Message {
    NodeId from{};
    NodeId to{};
    Payload payload;
  };
  struct Held {
    static constexpr std::uint64_t kUntagged = ~std::uint64_t{0};
    std::uint64_t offset = kUntagged;
    std::variant<Message, history::Record> effect;
  };
  NodeContext* inner_ = nullptr;
  std::vector<Held> held_;
};

}  // namespace ksim::kafka
