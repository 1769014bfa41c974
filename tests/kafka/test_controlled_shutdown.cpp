#define BOOST_TEST_MODULE controlled_shutdown
#include <boost/test/unit_test.hpp>

#include "sim/check/checker.h"
#include "sim/kafka/world.h"

// Controlled shutdown (KRaft, KIP-631): the controller moves the broker's leaderships
// before it stops, so the new leaders are elected within a round trip of the request,
// not after broker.session.timeout.ms as for a crash; the broker flushes and stops after.

using namespace ksim;
using namespace ksim::kafka;

namespace {

constexpr NodeId kBroker1{1};  // node 0 is the controller

WorldConfig cluster_with(FaultAction action) {
  WorldConfig config;
  config.seed = 3;
  config.cluster.brokers = 3;
  config.cluster.topics = {TopicConfig{"events", 3, 3, 2}};
  config.producers.front().messages = 3'000;
  config.producers.front().rate_per_second = 1'000;
  config.consumer_groups.front().config.auto_offset_reset = OffsetReset::earliest;
  config.workload_duration_ns = seconds(3);
  config.faults.push_back(FaultSpec{seconds(1), action, {"broker-1"}, {}, false, seconds(1)});
  return config;
}

struct Observed {
  TimeNs first_election_ns = kTimeNeverNs;  // of a partition broker-1 led, after the fault
  TimeNs stopped_ns = kTimeNeverNs;         // broker-1's process stopped
  history::FaultKind stop_kind = history::FaultKind::restart;
  std::uint64_t lost = 0;
};

Observed observe(FaultAction action) {
  World world(cluster_with(action));
  const RunOutput output = world.run();
  BOOST_TEST(output.drain_completed);
  Observed observed;
  for (const history::Record& r : output.history.records) {
    if (r.kind == history::RecordKind::leader_elected && r.time_ns >= seconds(1) && r.node != kBroker1.value() &&
        r.node != history::kNoNode) {
      observed.first_election_ns = std::min(observed.first_election_ns, r.time_ns);
    }
    const auto kind = static_cast<history::FaultKind>(r.detail);
    if (r.kind == history::RecordKind::fault && r.node == kBroker1.value() && observed.stopped_ns == kTimeNeverNs &&
        (kind == history::FaultKind::crash || kind == history::FaultKind::shutdown)) {
      observed.stopped_ns = r.time_ns;
      observed.stop_kind = kind;
    }
  }
  observed.lost = check::check(output.history).counters.lost;
  return observed;
}

}  // namespace

BOOST_AUTO_TEST_CASE(leadership_moves_before_the_broker_stops) {
  const Observed shutdown = observe(FaultAction::controlled_shutdown);
  BOOST_TEST(static_cast<int>(shutdown.stop_kind) == static_cast<int>(history::FaultKind::shutdown));
  BOOST_TEST(shutdown.first_election_ns < seconds(1) + milliseconds(20));
  BOOST_TEST(shutdown.first_election_ns <= shutdown.stopped_ns);
  BOOST_TEST(shutdown.lost == 0u);
}

BOOST_AUTO_TEST_CASE(a_crash_waits_for_the_session_timeout) {
  const Observed crash = observe(FaultAction::crash);
  BOOST_TEST(static_cast<int>(crash.stop_kind) == static_cast<int>(history::FaultKind::crash));
  // The controller notices the crash only after broker.session.timeout.ms (9 s; the broker
  // is back after 1 s, re-registers and is fenced then).
  BOOST_TEST(crash.first_election_ns > seconds(1) + milliseconds(500));
}
