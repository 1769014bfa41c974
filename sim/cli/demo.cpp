#include "sim/cli/demo.h"

#include <array>

#include "sim/random/random_stream.h"

namespace ksim {

namespace {

constexpr std::uint32_t kNodes = 5;
constexpr std::uint64_t kMessages = 20'000;
constexpr std::uint32_t kSend = 1;
constexpr std::uint32_t kDeliver = 2;

// Gossip over a lossy mesh: every delivered message is forwarded to a random peer after
// an exponential delay, until the message budget is spent.
struct GossipModel {
  explicit GossipModel(std::uint64_t seed) : random(seed, "demo.gossip") {}
  void handle(Simulator& simulator, const Event& event) {
    if (event.body.kind == kSend) {
      ++sent;
      if (random.bernoulli(0.05)) return;  // lost on the wire
      simulator.schedule_after(static_cast<TimeNs>(random.lognormal(13.0, 0.5)),
                               EventBody{kDeliver, event.body.source, event.body.target, 0, event.body.message_id});
      return;
    }
    ++delivered;
    if (next_message_id >= kMessages) return;
    const auto peer = static_cast<std::uint32_t>(random.uniform_below(kNodes));
    simulator.schedule_after(static_cast<TimeNs>(random.exponential(1e6)),
                             EventBody{kSend, event.body.target, peer, 0, next_message_id++});
  }
  RandomStream random;
  std::uint64_t next_message_id = 0;
  std::uint64_t sent = 0;
  std::uint64_t delivered = 0;
};

}  // namespace

DemoResult run_demo(std::uint64_t seed) {
  GossipModel model(seed);
  Simulator simulator;
  for (std::uint32_t node = 0; node < kNodes; ++node) {
    simulator.schedule_at(0, EventBody{kSend, node, (node + 1) % kNodes, 0, model.next_message_id++});
  }
  DemoResult result;
  result.seed = seed;
  result.run = simulator.run(model, RunLimits{});
  result.messages_sent = model.sent;
  result.messages_delivered = model.delivered;
  return result;
}

}  // namespace ksim
