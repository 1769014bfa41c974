#define BOOST_TEST_MODULE controller_quorum
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include "sim/history/records.h"
#include "sim/kafka/broker/controller_link.h"
#include "sim/kafka/controller/controller.h"

// The KRaft controller quorum (issue 18 item 1): elections need a majority, a deposed
// controller is fenced by its epoch, and no decision reaches a broker before a majority
// of the quorum holds it.

using namespace ksim;
using namespace ksim::kafka;

namespace {

constexpr std::uint32_t kBrokers = 3;

// A small world of `voters` controllers (nodes 0..voters-1) and three brokers that only
// collect what they are sent: messages between controllers are delivered after 1 ms,
// in order, unless an end is cut off; timers fire in time order.
class QuorumHarness final : public NodeContext {
 public:
  explicit QuorumHarness(std::uint32_t voters) : reachable(voters, true), crashed(voters, false) {
    for (std::uint32_t c = 0; c < voters; ++c) {
      controllers.push_back(std::make_unique<Controller>(NodeId{c}, BrokerConfig{}, assignment(), kBrokers, 1, 1));
      controllers.back()->join_quorum(c, voters, ControllerQuorumConfig{});
    }
    controllers.front()->bootstrap(*this);
    for (std::uint32_t c = 1; c < voters; ++c) controllers[c]->adopt_bootstrap(*controllers.front());
    for (std::uint32_t c = 0; c < voters; ++c) controllers[c]->start(*this);
    to_brokers.clear();
    records.clear();
  }

  // Runs until `until_ns`: every broker heartbeats the controller `heartbeat_to` each 2 s.
  void run_until(TimeNs until_ns, std::uint32_t heartbeat_to = 0) {
    while (true) {
      const auto next = std::min_element(queue_.begin(), queue_.end(),
                                         [](const Item& a, const Item& b) { return a.at_ns < b.at_ns; });
      const TimeNs next_heartbeat_ns = (now_ns / kHeartbeatNs + 1) * kHeartbeatNs;
      if (next_heartbeat_ns <= until_ns && (next == queue_.end() || next_heartbeat_ns < next->at_ns)) {
        now_ns = next_heartbeat_ns;
        for (const BrokerId b : ids_below<BrokerId>(kBrokers)) deliver(broker_node(b), NodeId{heartbeat_to}, BrokerHeartbeat{1, false, {}});
        continue;
      }
      if (next == queue_.end() || next->at_ns > until_ns) break;
      const Item item = std::move(*next);
      queue_.erase(next);
      now_ns = item.at_ns;
      if (item.timer) {
        if (!crashed[item.to.index()]) controllers[item.to.index()]->on_timer(*this, std::get<ControllerTimer>(*item.timer));
      } else {
        deliver(item.from, item.to, item.payload);
      }
    }
    now_ns = until_ns;
  }

  void crash(std::uint32_t c) {
    reachable[c] = false;
    crashed[c] = true;
    controllers[c]->crash();
  }
  std::uint32_t active_count() const {
    std::uint32_t active = 0;
    for (std::uint32_t c = 0; c < controllers.size(); ++c) active += reachable[c] && controllers[c]->active() ? 1 : 0;
    return active;
  }
  std::size_t records_of(history::RecordKind kind) const {
    return static_cast<std::size_t>(
        std::count_if(records.begin(), records.end(), [&](const history::Record& r) { return r.kind == kind; }));
  }

  TimeNs now() const override { return now_ns; }
  void send(NodeId from, NodeId to, Payload payload) override {
    if (to.index() >= controllers.size()) {
      to_brokers.push_back(std::move(payload));
      return;
    }
    queue_.push_back(Item{now_ns + milliseconds(1) + sequence_++, from, to, std::move(payload), std::nullopt});
  }
  void set_timer(NodeId node, TimeNs delay_ns, const NodeTimer& timer) override {
    queue_.push_back(Item{now_ns + delay_ns + sequence_++, node, node, Payload{}, timer});
  }
  RandomStream& random(NodeId) override { return stream_; }
  void record(const history::Record& record) override { records.push_back(record); }
  void probe(history::Probe) override {}
  void record_follower_appends(NodeId, PartitionId, Offset, std::span<const LogEntry>,
                               BrokerId, LeaderEpoch) override {}
  void stop_after_controlled_shutdown(NodeId) override {}
  NodeId controller_node() const override { return NodeId{0}; }
  std::uint32_t controller_count() const override { return static_cast<std::uint32_t>(controllers.size()); }
  NodeId broker_node(BrokerId broker) const override { return NodeId{controller_count() + broker.value()}; }

  std::vector<std::unique_ptr<Controller>> controllers;
  std::vector<bool> reachable;  // false: crashed or cut off, no message in or out
  std::vector<bool> crashed;    // true: its timers do not fire either
  std::vector<Payload> to_brokers;
  std::vector<history::Record> records;
  TimeNs now_ns = 0;

 private:
  static constexpr TimeNs kHeartbeatNs = milliseconds(2'000);
  struct Item {
    TimeNs at_ns;
    NodeId from;
    NodeId to;
    Payload payload;
    std::optional<NodeTimer> timer;
  };
  static std::vector<std::vector<std::uint32_t>> assignment() { return {{0, 1, 2}, {1, 2, 0}}; }
  void deliver(NodeId from, NodeId to, const Payload& payload) {
    const bool from_controller = from.index() < controllers.size();
    if (!reachable[to.index()] || (from_controller && !reachable[from.index()])) return;
    controllers[to.index()]->on_message(*this, from, payload);
  }
  std::vector<Item> queue_;
  TimeNs sequence_ = 0;  // ties broken by sending order
  RandomStream stream_{7, "quorum-test"};
};

std::size_t leader_and_isr_count(const std::vector<Payload>& payloads) {
  std::size_t decisions = 0;
  for (const Payload& payload : payloads) {
    if (const auto* request = std::get_if<LeaderAndIsrRequest>(&payload)) decisions += request->partitions.size();
  }
  return decisions;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_majority_elects_a_new_active_controller_with_a_higher_epoch) {
  QuorumHarness quorum(3);
  quorum.run_until(seconds(5));
  BOOST_TEST(quorum.controllers[0]->active());
  BOOST_TEST(quorum.records_of(history::RecordKind::controller_elected) == 0u);
  quorum.crash(0);
  quorum.run_until(seconds(15), 1);
  BOOST_TEST(quorum.active_count() == 1u);
  const bool one_or_two = quorum.controllers[1]->active() || quorum.controllers[2]->active();
  BOOST_TEST(one_or_two);
  BOOST_TEST(quorum.records_of(history::RecordKind::controller_elected) == 1u);
  const std::int32_t epoch = quorum.controllers[1]->active() ? quorum.controllers[1]->controller_epoch()
                                                             : quorum.controllers[2]->controller_epoch();
  BOOST_TEST(epoch > 1);
  // Its first election took no longer than the fetch timeout plus two election timeouts.
  const TimeNs elected_ns = quorum.records.front().time_ns;
  BOOST_TEST(elected_ns <= seconds(5) + milliseconds(2'000 + 500 + 2 * 2'000));
}

BOOST_AUTO_TEST_CASE(without_a_majority_no_controller_becomes_active) {
  QuorumHarness quorum(3);
  quorum.run_until(seconds(3));
  quorum.crash(0);
  quorum.crash(1);
  quorum.run_until(seconds(60), 2);
  BOOST_TEST(quorum.active_count() == 0u);
  BOOST_TEST(quorum.records_of(history::RecordKind::controller_elected) == 0u);
  // It kept trying: each failed election bumps its epoch.
  BOOST_TEST(quorum.controllers[2]->controller_epoch() > 3);
  BOOST_TEST((quorum.controllers[2]->quorum().role == QuorumRole::candidate));
}

BOOST_AUTO_TEST_CASE(a_single_controller_back_from_a_crash_leads_a_new_epoch) {
  QuorumHarness quorum(1);
  quorum.crash(0);
  BOOST_TEST(!quorum.controllers[0]->active());
  quorum.reachable[0] = true;
  quorum.crashed[0] = false;
  quorum.controllers[0]->start(quorum);
  BOOST_TEST(quorum.controllers[0]->active());
  BOOST_TEST(quorum.controllers[0]->controller_epoch() == 2);
  BOOST_TEST(quorum.records_of(history::RecordKind::controller_elected) == 1u);
  // It tells every replica the metadata under its new epoch.
  BOOST_TEST(leader_and_isr_count(quorum.to_brokers) == 6u);
  for (const Payload& payload : quorum.to_brokers) {
    if (const auto* request = std::get_if<LeaderAndIsrRequest>(&payload)) {
      for (const LeaderAndIsr& decision : request->partitions) BOOST_TEST(decision.controller_epoch == 2);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_decision_reaches_no_broker_before_a_majority_holds_it) {
  QuorumHarness quorum(3);
  quorum.run_until(seconds(3));
  // The followers are cut off; broker 0 asks for a controlled shutdown, a metadata change.
  quorum.reachable[1] = false;
  quorum.reachable[2] = false;
  quorum.to_brokers.clear();
  const std::size_t elections_before = quorum.records_of(history::RecordKind::leader_elected);
  quorum.controllers[0]->on_message(quorum, quorum.broker_node(BrokerId{0}), BrokerHeartbeat{1, true, {}});
  BOOST_TEST(quorum.controllers[0]->broker_fenced(BrokerId{0}));  // decided...
  BOOST_TEST(leader_and_isr_count(quorum.to_brokers) == 0u);  // ...but not told
  BOOST_TEST(quorum.records_of(history::RecordKind::leader_elected) == elections_before);
  // One follower back: a majority of 2 of 3 holds the entry, and the decision goes out.
  quorum.reachable[1] = true;
  quorum.run_until(seconds(3) + milliseconds(600));
  BOOST_TEST(leader_and_isr_count(quorum.to_brokers) > 0u);
  BOOST_TEST(quorum.records_of(history::RecordKind::leader_elected) > elections_before);
  BOOST_TEST(quorum.controllers[1]->broker_fenced(BrokerId{0}));  // the follower's copy holds it too
}

BOOST_AUTO_TEST_CASE(a_deposed_controller_steps_down_and_brokers_ignore_its_epoch) {
  QuorumHarness quorum(3);
  quorum.run_until(seconds(3));
  quorum.reachable[0] = false;  // cut off, not crashed: it still believes it leads
  quorum.run_until(seconds(12), 1);
  BOOST_TEST((quorum.controllers[1]->active() || quorum.controllers[2]->active()));
  const std::int32_t new_epoch = std::max(quorum.controllers[1]->controller_epoch(),
                                          quorum.controllers[2]->controller_epoch());
  // Cut off from a majority for the fetch timeout, the old leader resigned (KAFKA-15489).
  BOOST_TEST(!quorum.controllers[0]->active());
  // Back in touch (its own failed elections raised its epoch meanwhile: no pre-vote), it
  // follows whoever the quorum elects; there is one active controller, one epoch.
  quorum.reachable[0] = true;
  quorum.run_until(seconds(30), 1);
  BOOST_TEST(quorum.active_count() == 1u);
  const std::int32_t settled = quorum.controllers[0]->controller_epoch();
  BOOST_TEST(settled >= new_epoch);
  BOOST_TEST(quorum.controllers[1]->controller_epoch() == settled);
  BOOST_TEST(quorum.controllers[2]->controller_epoch() == settled);

  // A broker that heard the new epoch ignores the old controller's decisions.
  ControllerLink link;
  const QuorumHarness& view = quorum;
  BOOST_TEST(link.accept(view, NodeId{1}, new_epoch));
  BOOST_TEST(link.target(view) == NodeId{1});
  BOOST_TEST(!link.accept(view, NodeId{0}, 1));
  BOOST_TEST(link.target(view) == NodeId{1});
  link.redirected(view, NodeId{2});
  BOOST_TEST(link.target(view) == NodeId{2});
}
