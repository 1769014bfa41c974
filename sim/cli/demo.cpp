#include "sim/cli/demo.h"

#include <cmath>

#include "sim/net/network.h"
#include "sim/random/random_stream.h"

namespace ksim {

namespace {

constexpr std::uint32_t kNodes = 5;
constexpr TimeNs kTickNs = milliseconds(1);
constexpr TimeNs kOriginateUntilNs = milliseconds(100);
constexpr TimeNs kPartitionStartNs = milliseconds(20);
constexpr TimeNs kPartitionHealNs = milliseconds(60);
constexpr std::uint32_t kForwards = 3;  // hops a message is gossiped on after its first
constexpr std::uint32_t kMessageBytes = 200;

// Event kinds.
constexpr std::uint32_t kTick = 1;          // a node originates a message
constexpr std::uint32_t kDeliver = 2;       // a copy arrives; aux = forwards left
constexpr std::uint32_t kPartition = 3;
constexpr std::uint32_t kHeal = 4;

net::LinkProfile lossy_link(double median_latency_ns, double loss_probability) {
  net::LinkProfile profile;
  profile.latency.kind = net::LatencyKind::lognormal;
  profile.latency.lognormal_mu = std::log(median_latency_ns);
  profile.latency.lognormal_sigma = 0.5;
  profile.loss.loss_probability = loss_probability;
  profile.duplicate_probability = 0.005;
  return profile;
}

net::Topology demo_topology() {
  std::vector<net::NodeInfo> nodes = {{"east-1", "peer", "east"}, {"east-2", "peer", "east"},
                                      {"east-3", "peer", "east"}, {"west-1", "peer", "west"},
                                      {"west-2", "peer", "west"}};
  return net::Topology::zoned_mesh(std::move(nodes), lossy_link(200e3, 0.01), lossy_link(2e6, 0.03));
}

// Gossip: every node originates a message each millisecond for 100 ms; each delivered
// copy is forwarded to a random other node until its forwards run out. From 20 ms to
// 60 ms the east zone is cut off from the west.
struct GossipModel {
  explicit GossipModel(std::uint64_t seed) : network(demo_topology(), seed), random(seed, "demo.gossip") {
    for (std::uint32_t node = 0; node < kNodes; ++node) {
      counts.push_back(DemoNodeCounts{network.topology().node(NodeId{node}).name});
    }
  }

  void handle(Simulator& simulator, const Event& event) {
    switch (event.body.kind) {
      case kTick:
        send(simulator, event.body.source, next_message_id++, kForwards);
        if (simulator.now() + kTickNs < kOriginateUntilNs) {
          simulator.schedule_after(kTickNs, EventBody{kTick, event.body.source, event.body.source, 0, 0});
        }
        return;
      case kDeliver:
        ++counts[event.body.target].delivered;
        if (event.body.aux > 0) send(simulator, event.body.target, event.body.message_id, event.body.aux - 1);
        return;
      case kPartition:
        partition_id = network.add_partition({{NodeId{0}, NodeId{1}, NodeId{2}}, {NodeId{3}, NodeId{4}}}, false);
        return;
      case kHeal:
        network.heal(partition_id);
        return;
    }
  }

  void send(Simulator& simulator, std::uint32_t from, std::uint64_t message_id, std::uint32_t forwards_left) {
    // A random peer other than `from`.
    auto to = static_cast<std::uint32_t>(random.uniform_below(kNodes - 1));
    if (to >= from) ++to;
    ++counts[from].sent;
    const net::Transmission fate = network.transmit(simulator.now(), NodeId{from}, NodeId{to}, kMessageBytes);
    if (fate.drop_reason == net::DropReason::loss) ++counts[from].lost;
    if (fate.drop_reason == net::DropReason::partitioned || fate.drop_reason == net::DropReason::unreachable) {
      ++counts[from].partitioned;
    }
    duplicated += fate.delivery_count == 2;
    for (std::uint8_t i = 0; i < fate.delivery_count; ++i) {
      simulator.schedule_at(fate.deliveries[i].deliver_at_ns, EventBody{kDeliver, from, to, forwards_left, message_id});
    }
  }

  net::Network network;
  RandomStream random;
  std::vector<DemoNodeCounts> counts;
  std::uint64_t next_message_id = 0;
  std::uint64_t duplicated = 0;
  std::uint32_t partition_id = 0;
};

}  // namespace

DemoResult run_demo(std::uint64_t seed) {
  GossipModel model(seed);
  Simulator simulator;
  for (std::uint32_t node = 0; node < kNodes; ++node) simulator.schedule_at(0, EventBody{kTick, node, node, 0, 0});
  simulator.schedule_at(kPartitionStartNs, EventBody{kPartition, 0, 0, 0, 0});
  simulator.schedule_at(kPartitionHealNs, EventBody{kHeal, 0, 0, 0, 0});
  DemoResult result;
  result.seed = seed;
  result.run = simulator.run(model, RunLimits{});
  result.nodes = model.counts;
  for (const DemoNodeCounts& node : model.counts) {
    result.messages_sent += node.sent;
    result.messages_delivered += node.delivered;
    result.messages_lost += node.lost;
    result.messages_partitioned += node.partitioned;
  }
  result.messages_duplicated = model.duplicated;
  return result;
}

}  // namespace ksim
