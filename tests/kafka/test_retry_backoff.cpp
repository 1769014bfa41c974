#define BOOST_TEST_MODULE retry_backoff
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "sim/history/records.h"
#include "sim/kafka/client/retry_backoff.h"
#include "tests/kafka/retrying_scenario.h"
#include "tests/kafka/run_text.h"

// KIP-580 (clients 3.7+): a batch's retries back off exponentially with +/-20% jitter up to
// retry.backoff.max.ms; before 3.7 every retry waits retry.backoff.ms.
using namespace ksim;
using ksim::kafka::exponential_backoff_ns;
using ksim::testing::records_of;

BOOST_AUTO_TEST_CASE(the_wait_doubles_per_failure_up_to_the_max) {
  const TimeNs initial = milliseconds(100);
  const TimeNs max = milliseconds(1000);
  // A draw of 0.5 is a jitter factor of 1.
  BOOST_TEST(exponential_backoff_ns(initial, max, 1, 0.5) == milliseconds(100));
  BOOST_TEST(exponential_backoff_ns(initial, max, 2, 0.5) == milliseconds(200));
  BOOST_TEST(exponential_backoff_ns(initial, max, 3, 0.5) == milliseconds(400));
  BOOST_TEST(exponential_backoff_ns(initial, max, 4, 0.5) == milliseconds(800));
  BOOST_TEST(exponential_backoff_ns(initial, max, 5, 0.5) == milliseconds(1000));
  BOOST_TEST(exponential_backoff_ns(initial, max, 4'000'000'000U, 0.5) == milliseconds(1000));
}

BOOST_AUTO_TEST_CASE(jitter_spreads_the_wait_by_a_fifth_either_way_and_the_max_still_caps_it) {
  const TimeNs initial = milliseconds(100);
  const TimeNs max = milliseconds(1000);
  BOOST_TEST(exponential_backoff_ns(initial, max, 4, 0.0) == milliseconds(640));
  BOOST_TEST(exponential_backoff_ns(initial, max, 4, 0.999999) < milliseconds(960));
  BOOST_TEST(exponential_backoff_ns(initial, max, 4, 0.999999) > milliseconds(959));
  BOOST_TEST(exponential_backoff_ns(initial, max, 6, 0.0) == milliseconds(800));
  BOOST_TEST(exponential_backoff_ns(initial, max, 6, 0.999999) == milliseconds(1000));
}

// "If retry.backoff.ms is set to be higher than retry.backoff.max.ms, then
// retry.backoff.max.ms will be used as a constant backoff from the beginning" (CommonClientConfigs).
BOOST_AUTO_TEST_CASE(an_initial_wait_above_the_max_is_the_max_every_time_without_jitter) {
  for (const std::uint32_t failures : {1U, 2U, 7U}) {
    for (const double draw : {0.0, 0.7}) {
      BOOST_TEST(exponential_backoff_ns(milliseconds(2000), milliseconds(1000), failures, draw) ==
                 milliseconds(1000));
    }
  }
}

namespace {

// NotEnoughReplicas for about a second and a half; retries every 50 ms at first.
std::string retrying_scenario(const std::string& client_version) {
  return ksim::testing::not_enough_replicas_scenario("    client.version: \"" + client_version + "\"\n",
                                                     "retries: 100, retry.backoff.ms: 50", "2s");
}

// The gaps between successive attempts of the message retried most often.
std::vector<TimeNs> retry_gaps_of_most_retried(const history::History& history) {
  std::map<std::uint64_t, std::vector<TimeNs>> attempts_ns;
  for (const history::Record& record : records_of(history, history::RecordKind::send_attempt)) {
    attempts_ns[record.message_id].push_back(history::as_send_attempt(record).time_ns);
  }
  std::vector<TimeNs> most;
  for (const auto& [message, times] : attempts_ns) {
    if (times.size() > most.size()) most = times;
  }
  std::vector<TimeNs> gaps;
  for (std::size_t i = 1; i < most.size(); ++i) gaps.push_back(most[i] - most[i - 1]);
  return gaps;
}

}  // namespace

// Each gap between two retries is a backoff plus a round trip of 2 ms: a 3.7 client's are
// about 100, 200, 400, 800 ms (the waits after the second to fifth failures, each within
// +/-20%), then 1 s at most; a 3.6 client's are all about 50 ms. Before KIP-580 was
// modelled every client retried every 50 ms.
BOOST_AUTO_TEST_CASE(retries_back_off_exponentially_from_3_7_and_evenly_before) {
  const std::vector<TimeNs> growing =
      retry_gaps_of_most_retried(ksim::testing::run_text(retrying_scenario("3.7"), 1).history);
  BOOST_REQUIRE(growing.size() >= 3U);
  BOOST_TEST(growing[0] < milliseconds(125));
  BOOST_TEST(growing[2] > milliseconds(320));
  for (const TimeNs gap : growing) BOOST_TEST(gap <= milliseconds(1'010));
  const std::vector<TimeNs> even =
      retry_gaps_of_most_retried(ksim::testing::run_text(retrying_scenario("3.6"), 1).history);
  BOOST_REQUIRE(even.size() >= 4U);
  for (const TimeNs gap : even) BOOST_TEST(gap < milliseconds(60));
}

namespace {

// One partition led by broker-1 of three, a producer of 1,000 records a second without
// idempotence whose every retry waits 500 ms (from 3.7 retry.backoff.max.ms = retry.backoff.ms:
// no growth, no jitter), and `fault` moving the leadership away from broker-1 at 1 s.
struct LeaderChange {
  std::string cluster_version;  // empty: the newest
  std::string client_version;
  std::string fault;
  std::string latency = "1ms";
  std::string seconds = "3";  // of the workload
  bool backoff_max = true;    // set retry.backoff.max.ms (an error before client 3.7)
};

std::string leader_change_scenario(const LeaderChange& change) {
  const std::string cluster_version =
      change.cluster_version.empty() ? "" : "  kafka.version: \"" + change.cluster_version + "\"\n";
  const std::string backoff_max = change.backoff_max ? ", retry.backoff.max.ms: 500" : "";
  return R"(version: 1
name: leader-change
duration: )" + change.seconds +
         R"(s
drain: 60s
cluster:
)" + cluster_version +
         R"(  brokers: 3
  config: {min.insync.replicas: 1}
  topics:
    - {name: orders, partitions: 1, replication.factor: 3, replica.assignment: "1:2:3"}
producers:
  - name: p
    messages: )" + change.seconds +
         R"(000
    rate: 1000/s
    client.version: ")" +
         change.client_version + R"("
    config: {acks: all, enable.idempotence: false, retry.backoff.ms: 500)" +
         backoff_max + R"(}
network:
  latency: {distribution: constant, mean: )" +
         change.latency + R"(}
faults:
  - )" + change.fault + R"(
modes: [as-configured]
)";
}

// broker-1 shuts down in a controlled way: the controller moves the leadership at once, and
// broker-1 stops, resetting the connections its requests were on. The producer's metadata,
// last fetched near 0 s, may be refreshed at once.
std::string controlled_shutdown_scenario(const std::string& client_version) {
  LeaderChange change;
  change.client_version = client_version;
  change.fault = "{at: 1s, kind: controlled-shutdown, targets: [broker-1], duration: 1s}";
  change.backoff_max = client_version != "3.6";  // the key is refused before 3.7
  return leader_change_scenario(change);
}

TimeNs first_retry_ns(const history::History& history) {
  TimeNs first = std::numeric_limits<TimeNs>::max();
  for (const history::Record& record : records_of(history, history::RecordKind::send_attempt)) {
    first = std::min(first, history::as_send_attempt(record).time_ns);
  }
  return first;
}

}  // namespace

// KAFKA-15415 (KIP-951, clients 3.7+): once the metadata shows the partition's new leader
// (a newer leader epoch than the batch's last attempt went to), the retry goes at once. A
// 3.6 client waits out retry.backoff.ms first. Before this was modelled every client waited.
BOOST_AUTO_TEST_CASE(a_retry_to_a_new_leader_skips_the_backoff_from_3_7) {
  const kafka::RunOutput newer =
      ksim::testing::run_text(controlled_shutdown_scenario("3.7"), 1);
  BOOST_TEST(newer.drain_completed);
  BOOST_TEST(first_retry_ns(newer.history) > milliseconds(1'000));
  BOOST_TEST(first_retry_ns(newer.history) < milliseconds(1'100));
  const kafka::RunOutput older = ksim::testing::run_text(controlled_shutdown_scenario("3.6"), 1);
  BOOST_TEST(older.drain_completed);
  BOOST_TEST(first_retry_ns(older.history) >= milliseconds(1'500));
  BOOST_TEST(first_retry_ns(older.history) < std::numeric_limits<TimeNs>::max());
}

// KIP-951 (brokers and clients 3.7+): broker-1 leads the partition and is paused from 1 s to
// 13 s; the controller fences it and moves the leadership, and the producer's requests wait
// at broker-1. Once resumed, broker-1 learns it follows now and answers them
// NOT_LEADER_OR_FOLLOWER. A 3.7 broker's answer names the new leader and its epoch, so a 3.7
// client retries there at once; a 3.6 broker's names nothing, and the same client first asks
// for metadata: its retry comes at least one round trip later (40 ms at 20 ms a hop).
std::string paused_leader_scenario(const std::string& cluster_version) {
  LeaderChange change;
  change.cluster_version = cluster_version;
  change.client_version = "3.7";
  change.fault = "{at: 1s, kind: pause, targets: [broker-1], duration: 12s}";
  change.latency = "20ms";
  change.seconds = "16";
  return leader_change_scenario(change);
}

BOOST_AUTO_TEST_CASE(an_error_naming_the_new_leader_saves_the_metadata_round_trip_from_3_7) {
  const kafka::RunOutput named = ksim::testing::run_text(paused_leader_scenario("3.7"), 1);
  const kafka::RunOutput unnamed = ksim::testing::run_text(paused_leader_scenario("3.6"), 1);
  BOOST_TEST(named.drain_completed);
  BOOST_TEST(unnamed.drain_completed);
  const TimeNs named_retry_ns = first_retry_ns(named.history);
  const TimeNs unnamed_retry_ns = first_retry_ns(unnamed.history);
  BOOST_TEST_MESSAGE("first retry at " << named_retry_ns << " ns with the leader named, " << unnamed_retry_ns
                                        << " ns without");
  BOOST_TEST(named_retry_ns > milliseconds(13'000));
  BOOST_TEST(unnamed_retry_ns >= named_retry_ns + milliseconds(40));
  // Neither waits out its backoff: the metadata answer shows the newer epoch too (KAFKA-15415).
  BOOST_TEST(unnamed_retry_ns < named_retry_ns + milliseconds(500));
}
