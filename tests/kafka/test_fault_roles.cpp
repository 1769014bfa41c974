#define BOOST_TEST_MODULE kafka_fault_roles
#include <boost/test/unit_test.hpp>

#include <bit>
#include <string>
#include <vector>

#include "sim/history/records.h"
#include "sim/kafka/world.h"
#include "tests/kafka/run_text.h"

// Faults by role and by event, and a pinned replica assignment, on the World: the crash
// hits the node that led the partition when the condition held, `delay` after it.
using namespace ksim;
using ksim::testing::records_of;

namespace {

const std::string kBase = R"(version: 1
name: roles
duration: 3s
cluster:
  brokers: 3
  config: {min.insync.replicas: 2, replica.socket.timeout.ms: 1000, replica.fetch.wait.max.ms: 100}
  topics:
    - name: orders
      replica.assignment: [[2, 3, 1], [3, 1, 2]]
producers:
  - {name: p, messages: 2000, rate: 1000/s, keys: 4}
consumers:
  - {name: g, members: 1, config: {auto.offset.reset: earliest}}
modes: [at-least-once]
faults:
)";

history::History run(const std::string& faults, std::uint64_t seed = 1) {
  return testing::run_text(kBase + faults, seed).history;
}

// The leader of `partition` just before `time_ns`, from the election records.
std::uint32_t leader_before(const history::History& history, std::uint32_t partition, TimeNs time_ns) {
  std::uint32_t leader = history::kNoNode;
  for (const history::Record& record : records_of(history, history::RecordKind::leader_elected)) {
    if (record.partition == partition && record.time_ns <= time_ns) leader = record.node;
  }
  return leader;
}

}  // namespace

BOOST_AUTO_TEST_CASE(pinned_assignment_is_the_history_replica_list) {
  const history::History history = run("  - {at: 2s, kind: crash, targets: [broker-1], duration: 100ms}\n");
  BOOST_REQUIRE(history.replication.size() >= 2);
  // broker-2 is node 2 (the controller is node 0), preferred leader first.
  BOOST_TEST(history.replication[0].replicas == (std::vector<ksim::NodeId>{ksim::NodeId{2}, ksim::NodeId{3}, ksim::NodeId{1}}));
  BOOST_TEST(history.replication[1].replicas == (std::vector<ksim::NodeId>{ksim::NodeId{3}, ksim::NodeId{1}, ksim::NodeId{2}}));
}

BOOST_AUTO_TEST_CASE(leader_crash_after_acknowledged_sends_hits_the_leader_then) {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const history::History history = run(
        "  - kind: crash\n    target: {leader-of: orders-1}\n"
        "    when: {event: acknowledged-sends, count: 500, delay: 2ms}\n    duration: 1s\n",
        seed);
    const auto acks = records_of(history, history::RecordKind::send_acknowledged);
    BOOST_REQUIRE(acks.size() >= 500);
    std::vector<history::FaultRecord> crashes;
    for (const history::Record& record : records_of(history, history::RecordKind::fault)) {
      if (history::as_fault(record).fault == history::FaultKind::crash) crashes.push_back(history::as_fault(record));
    }
    BOOST_REQUIRE_EQUAL(crashes.size(), 1u);
    BOOST_TEST(crashes[0].time_ns == acks[499].time_ns + milliseconds(2));
    BOOST_TEST((crashes[0].role == history::FaultRole::leader));
    BOOST_TEST(crashes[0].argument == 1u);
    BOOST_TEST(crashes[0].node.value() == leader_before(history, 1, crashes[0].time_ns));
  }
}

BOOST_AUTO_TEST_CASE(isr_shrink_triggers_once_at_the_shrink) {
  const history::History history = run(
      "  - {at: 1s, kind: crash, targets: [broker-1], duration: 1s}\n"
      "  - kind: pause\n    target: {follower-of: orders-0}\n"
      "    when: {event: isr-shrink, partition: orders-0, size: 2}\n    duration: 100ms\n");
  TimeNs shrink_ns = -1;
  for (const history::Record& record : records_of(history, history::RecordKind::isr_changed)) {
    if (record.partition == 0 && std::popcount(record.extra) == 2 && shrink_ns < 0) shrink_ns = record.time_ns;
  }
  BOOST_REQUIRE(shrink_ns >= 0);
  int pauses = 0;
  for (const history::Record& record : records_of(history, history::RecordKind::fault)) {
    const history::FaultRecord fault = history::as_fault(record);
    if (fault.fault != history::FaultKind::pause_begin) continue;
    ++pauses;
    BOOST_TEST(fault.time_ns == shrink_ns);
    BOOST_TEST((fault.role == history::FaultRole::follower));
  }
  BOOST_TEST(pauses == 1);
}

BOOST_AUTO_TEST_CASE(random_broker_is_drawn_from_the_seed_and_network_faults_are_recorded) {
  const std::string faults = "  - {at: 1s, kind: crash, target: random-broker, duration: 500ms}\n"
                             "  - {at: 1s, kind: network, from: [brokers], to: [brokers], cut: true, "
                             "flap_period: 200ms, duration: 1s}\n";
  const history::History a = run(faults, 5);
  const history::History b = run(faults, 5);
  BOOST_TEST(a.records.size() == b.records.size());  // the same seed, the same run
  int begins = 0, ends = 0;
  for (const history::Record& record : records_of(a, history::RecordKind::fault)) {
    const history::FaultRecord fault = history::as_fault(record);
    begins += fault.fault == history::FaultKind::network_begin;
    ends += fault.fault == history::FaultKind::network_end;
    if (fault.fault == history::FaultKind::crash) {
      BOOST_TEST((fault.role == history::FaultRole::random_broker));
      BOOST_TEST((fault.node.value() >= 1 && fault.node.value() <= 3));
    }
  }
  BOOST_TEST(begins == 5);  // on at 1.0, 1.2, 1.4, 1.6, 1.8 s, each for 100 ms
  BOOST_TEST(ends == 5);
}

BOOST_AUTO_TEST_CASE(a_controlled_shutdown_by_role_records_the_role_when_it_stops) {
  const history::History history = run("  - {at: 1s, kind: controlled-shutdown, target: {leader-of: orders-0}, "
                                       "duration: 1s}\n");
  int shutdowns = 0;
  for (const history::Record& record : records_of(history, history::RecordKind::fault)) {
    const history::FaultRecord fault = history::as_fault(record);
    if (fault.fault != history::FaultKind::shutdown) continue;
    ++shutdowns;
    BOOST_TEST((fault.role == history::FaultRole::leader));
    BOOST_TEST(fault.node.value() == 2u);  // broker-2, orders-0's preferred leader, still leading at 1 s
  }
  BOOST_TEST(shutdowns == 1);
}
