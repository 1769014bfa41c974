#define BOOST_TEST_MODULE kafka_controller_failover
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "sim/history/records.h"
#include "sim/kafka/world.h"
#include "tests/kafka/run_text.h"

// A controller failover on the World (issue 18 item 5): the active controller of three
// crashes as the leader of orders-0 does. No partition leader is elected while no
// controller is active; a new controller is elected by the others, and only then does
// orders-0 get its next leader.

using namespace ksim;
using ksim::testing::records_of;

namespace {

std::string scenario_text(const std::string& controllers, const std::string& faults) {
  return R"(version: 1
name: failover
duration: 20s
cluster:
  brokers: 3
  controllers: )" + controllers + R"(
  config: {min.insync.replicas: 2, replica.socket.timeout.ms: 1000, replica.fetch.wait.max.ms: 100}
  topics:
    - name: orders
      replica.assignment: "1:2:3,2:3:1,3:1:2"
producers:
  - {name: p, messages: 4000, rate: 400/s, keys: 4}
consumers:
  - {name: g, members: 1, config: {auto.offset.reset: earliest}}
modes: [at-least-once]
faults:
)" + faults;
}

const std::string kFailover = R"(  - {kind: crash, at: 2s, target: controller, duration: 5s}
  - {kind: crash, at: 2s, target: {leader-of: orders-0}, duration: 14s}
)";

history::History run(const std::string& text, std::uint64_t seed) {
  kafka::RunOutput output = testing::run_text(text, seed);
  BOOST_TEST(output.drain_completed, "seed " << seed << ": " << output.drain_blocker);
  return std::move(output.history);
}

}  // namespace

BOOST_AUTO_TEST_CASE(no_partition_election_until_a_new_controller_is_active) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const history::History history = run(scenario_text("3", kFailover), seed);
    BOOST_TEST_CONTEXT("seed " << seed) {
      const auto controller_elections = records_of(history, history::RecordKind::controller_elected);
      BOOST_REQUIRE(!controller_elections.empty());
      const history::Record& first = controller_elections.front();
      // controller-1 (node 0) led epoch 1 and crashed: one of the other two leads epoch 2+.
      BOOST_TEST((first.node == 1u || first.node == 2u));
      BOOST_TEST(first.epoch >= 2);
      BOOST_TEST(first.time_ns > seconds(2));
      // The followers wait out the fetch timeout (2 s, checked every 500 ms), then an
      // election takes at most a few election timeouts (1-2 s each).
      BOOST_TEST(first.time_ns <= seconds(2) + milliseconds(2'500 + 3 * 2'000));
      bool new_leader_for_orders_0 = false;
      for (const history::Record& election : records_of(history, history::RecordKind::leader_elected)) {
        const bool leaderless_window = election.time_ns > seconds(2) && election.time_ns < first.time_ns;
        BOOST_TEST(!leaderless_window, "partition " << election.partition << " elected at " << election.time_ns);
        if (election.partition == 0 && election.time_ns > first.time_ns && election.node != history::kNoNode &&
            election.node != 3u /* broker-1 */) {
          new_leader_for_orders_0 = true;
        }
      }
      BOOST_TEST(new_leader_for_orders_0);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_single_controller_can_crash_and_comes_back_in_a_new_epoch) {
  const history::History history =
      run(scenario_text("1", "  - {kind: crash, at: 2s, targets: [controller], duration: 3s}\n"), 1);
  const auto controller_elections = records_of(history, history::RecordKind::controller_elected);
  BOOST_REQUIRE_EQUAL(controller_elections.size(), 1u);
  BOOST_TEST(controller_elections.front().node == 0u);
  BOOST_TEST(controller_elections.front().epoch == 2);
  BOOST_TEST(controller_elections.front().time_ns == seconds(5));
}
