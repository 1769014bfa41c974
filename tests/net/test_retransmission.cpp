#define BOOST_TEST_MODULE net_retransmission
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <optional>
#include <set>

#include "sim/net/network.h"
#include "tests/net/net_fixtures.h"

// TCP-like links (max_retransmissions > 0): a lost message arrives late instead of never.
// Issue 11, bug 7: every loss used to cost a full retransmission timeout (200 ms); a loss
// with traffic behind it is now found by three duplicate ACKs after about one round trip
// (RFC 5681 section 3.2), and only a tail loss waits for the timeout (RFC 6298).

using namespace ksim;
using namespace ksim::net;
using ksim::net::testing::constant_link;
using ksim::net::testing::numbered_nodes;

namespace {

constexpr TimeNs kLatencyNs = 1'000'000;
constexpr TimeNs kTimeoutNs = 200'000'000;

LinkProfile retransmitting_link(double loss_probability, bool fifo) {
  LinkProfile profile = constant_link(kLatencyNs);
  profile.loss.loss_probability = loss_probability;
  profile.fifo = fifo;
  profile.max_retransmissions = 15;
  profile.retransmission_timeout_ns = kTimeoutNs;
  return profile;
}

struct Sent {
  TimeNs sent_ns = 0;
  TimeNs delivered_ns = 0;
  bool retransmitted = false;  // this message itself was lost at least once
};

// Sends `count` messages n0 > n1 every gap_ns and records each one's fate.
std::vector<Sent> send_evenly(Network& network, int count, TimeNs gap_ns) {
  std::vector<Sent> sent;
  for (int i = 0; i < count; ++i) {
    const TimeNs now_ns = i * gap_ns;
    const std::uint64_t retransmitted_before = network.counters(NodeId{0}, NodeId{1}).retransmitted;
    const Transmission transmission = network.transmit(now_ns, NodeId{0}, NodeId{1}, 100);
    BOOST_REQUIRE(transmission.delivery_count == 1);
    sent.push_back({now_ns, transmission.deliveries[0].deliver_at_ns,
                    network.counters(NodeId{0}, NodeId{1}).retransmitted > retransmitted_before});
  }
  return sent;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_single_loss_followed_by_traffic_is_retransmitted_after_about_one_round_trip) {
  Network network(Topology::full_mesh(numbered_nodes(2), retransmitting_link(0.01, true)), 3);
  const TimeNs gap_ns = 100'000;
  const std::vector<Sent> sent = send_evenly(network, 2'000, gap_ns);
  std::size_t first_loss = 0;
  while (first_loss < sent.size() && !sent[first_loss].retransmitted) ++first_loss;
  BOOST_REQUIRE(first_loss >= kDuplicateAckThreshold);  // traffic before it sets the pace
  BOOST_REQUIRE(first_loss < sent.size());
  // Three followers sent (3 gaps) and arrived (1 latency), a duplicate ACK back (1), the
  // retransmission's trip (1): 3.3 ms, where the timeout would have taken 201 ms.
  const Sent& lost = sent[first_loss];
  BOOST_TEST(lost.delivered_ns - lost.sent_ns == 3 * gap_ns + 3 * kLatencyNs);
  // In order, as TCP delivers: the followers wait behind the hole, then arrive with it.
  for (std::size_t i = first_loss + 1; i < first_loss + 10; ++i) {
    BOOST_TEST(sent[i].delivered_ns >= lost.delivered_ns);
    BOOST_TEST(sent[i].delivered_ns - sent[i].sent_ns < 10 * kLatencyNs);
  }
}

BOOST_AUTO_TEST_CASE(a_tail_loss_waits_for_the_retransmission_timeout) {
  // One message a second: no segment follows a lost one before its timer fires.
  Network network(Topology::full_mesh(numbered_nodes(2), retransmitting_link(0.3, true)), 3);
  int losses = 0;
  for (const Sent& message : send_evenly(network, 200, 1'000'000'000)) {
    if (!message.retransmitted) continue;
    ++losses;
    BOOST_TEST(message.delivered_ns - message.sent_ns >= kTimeoutNs + kLatencyNs);
  }
  BOOST_TEST(losses > 20);
}

BOOST_AUTO_TEST_CASE(a_lost_fast_retransmission_falls_back_to_the_doubling_timeout) {
  // Not FIFO, so each message's delay is its own, not that of a loss ahead of it.
  Network network(Topology::full_mesh(numbered_nodes(2), retransmitting_link(0.3, false)), 3);
  const TimeNs gap_ns = 100'000;
  const TimeNs fast_ns = 3 * gap_ns + 2 * kLatencyNs;
  std::set<int> retransmissions_seen;
  const std::vector<Sent> sent = send_evenly(network, 4'000, gap_ns);
  for (std::size_t i = kDuplicateAckThreshold; i < sent.size(); ++i) {
    if (!sent[i].retransmitted) continue;
    // Fast, then fast + RTO, fast + RTO + 2 RTO, ...: the timer, restarted by the fast
    // retransmission, doubles on each further loss.
    const TimeNs delay_ns = sent[i].delivered_ns - sent[i].sent_ns - kLatencyNs;
    std::optional<int> attempts;
    for (int k = 0; k < 9 && !attempts; ++k) {
      if (delay_ns == fast_ns + kTimeoutNs * ((TimeNs{1} << k) - 1)) attempts = k + 1;
    }
    BOOST_TEST_REQUIRE(attempts.has_value(), "message " << i << " delayed " << delay_ns << " ns");
    retransmissions_seen.insert(*attempts);
  }
  BOOST_TEST(retransmissions_seen.count(1) == 1u);  // the fast retransmission got through
  BOOST_TEST(retransmissions_seen.count(2) == 1u);  // it was lost, the timer's one got through
  BOOST_TEST(retransmissions_seen.count(3) == 1u);  // that was lost too: twice the timeout
}

// Every retransmission lost: the message is dropped after max_retransmissions attempts.
BOOST_AUTO_TEST_CASE(retransmitting_links_deliver_late_what_they_lose_and_drop_only_the_hopeless) {
  Network network(Topology::full_mesh(numbered_nodes(2), retransmitting_link(0.2, true)), 3);
  TimeNs previous_ns = 0;
  for (const Sent& message : send_evenly(network, 10'000, 1'000'000)) {
    BOOST_REQUIRE(message.delivered_ns >= previous_ns);  // FIFO
    previous_ns = message.delivered_ns;
  }
  BOOST_TEST(network.counters(NodeId{0}, NodeId{1}).lost == 0u);
  BOOST_TEST(network.counters(NodeId{0}, NodeId{1}).retransmitted > 1'800u);

  Network hopeless(Topology::full_mesh(numbered_nodes(2), retransmitting_link(1.0, true)), 3);
  BOOST_TEST(hopeless.transmit(0, NodeId{0}, NodeId{1}, 100).delivery_count == 0);
  BOOST_TEST(hopeless.counters(NodeId{0}, NodeId{1}).lost == 1u);
}
