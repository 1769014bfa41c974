#define BOOST_TEST_MODULE net_link_impairment
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <utility>
#include <vector>

#include "sim/net/network.h"
#include "tests/net/net_fixtures.h"

using namespace ksim;
using namespace ksim::net;
using ksim::net::testing::constant_link;

namespace {

// Nodes a, b, c with links a > b and a > c, 1 ms each, no loss, no retransmission.
Network three_nodes(std::uint64_t seed = 7) {
  Topology topology;
  const NodeId a = topology.add_node({"a", "broker", "z"});
  const NodeId b = topology.add_node({"b", "broker", "z"});
  const NodeId c = topology.add_node({"c", "broker", "z"});
  topology.add_link(a, b, constant_link(milliseconds(1)));
  topology.add_link(a, c, constant_link(milliseconds(1)));
  return Network(std::move(topology), seed);
}

const std::vector<std::pair<NodeId, NodeId>> kAtoB{{NodeId{0}, NodeId{1}}};

}  // namespace

BOOST_AUTO_TEST_CASE(composition_rules) {
  const LinkImpairment slow{.added_latency_ns = 5, .loss_probability = 0.5, .bandwidth_bytes_per_second = 100};
  const LinkImpairment slower{.added_latency_ns = 7, .loss_probability = 0.2, .bandwidth_bytes_per_second = 50};
  const LinkImpairment both = compose(slow, slower);
  BOOST_TEST(both.added_latency_ns == 12);                      // latencies add
  BOOST_TEST(both.loss_probability == 1 - 0.5 * 0.8, boost::test_tools::tolerance(1e-12));  // 1-(1-p)(1-q)
  BOOST_TEST(both.bandwidth_bytes_per_second == 50u);           // the narrowest cap
  BOOST_TEST(!both.cut);
  BOOST_TEST(compose(both, LinkImpairment{.cut = true}).cut);    // a cut wins
  BOOST_TEST(capped_bandwidth(0, 10) == 10u);
  BOOST_TEST(capped_bandwidth(5, 10) == 5u);
  BOOST_TEST(capped_bandwidth(5, 0) == 5u);
}

BOOST_AUTO_TEST_CASE(latency_adds_only_on_the_impaired_links_and_ends) {
  Network network = three_nodes();
  const std::uint32_t id = network.impair_links(kAtoB, LinkImpairment{.added_latency_ns = milliseconds(50)});
  BOOST_TEST(network.transmit(0, NodeId{0}, NodeId{1}, 100).deliveries[0].deliver_at_ns == milliseconds(51));
  BOOST_TEST(network.transmit(0, NodeId{0}, NodeId{2}, 100).deliveries[0].deliver_at_ns == milliseconds(1));  // a > c untouched
  const std::uint32_t second = network.impair_links(kAtoB, LinkImpairment{.added_latency_ns = milliseconds(10)});
  BOOST_TEST(network.transmit(milliseconds(100), NodeId{0}, NodeId{1}, 100).deliveries[0].deliver_at_ns == milliseconds(161));
  network.end_impairment(id);
  BOOST_TEST(network.transmit(milliseconds(200), NodeId{0}, NodeId{1}, 100).deliveries[0].deliver_at_ns == milliseconds(211));
  network.end_impairment(second);
  BOOST_TEST(network.transmit(milliseconds(300), NodeId{0}, NodeId{1}, 100).deliveries[0].deliver_at_ns == milliseconds(301));
}

BOOST_AUTO_TEST_CASE(a_cut_wins_over_other_impairments_and_heals_alone) {
  Network network = three_nodes();
  network.impair_links(kAtoB, LinkImpairment{.added_latency_ns = milliseconds(5)});
  const std::uint32_t cut = network.impair_links(kAtoB, LinkImpairment{.cut = true});
  BOOST_TEST(network.transmit(0, NodeId{0}, NodeId{1}, 100).delivery_count == 0);
  BOOST_TEST((network.transmit(0, NodeId{0}, NodeId{1}, 100).drop_reason == DropReason::partitioned));
  network.end_impairment(cut);
  BOOST_TEST(network.transmit(0, NodeId{0}, NodeId{1}, 100).deliveries[0].deliver_at_ns == milliseconds(6));
  network.heal_all();  // the drain ends every impairment (a later send: FIFO keeps delivery order)
  BOOST_TEST(network.transmit(milliseconds(100), NodeId{0}, NodeId{1}, 100).deliveries[0].deliver_at_ns == milliseconds(101));
}

BOOST_AUTO_TEST_CASE(added_loss_combines_with_its_own_stream) {
  // 10^5 messages, added losses 0.3 and 0.2: expected 1-(0.7)(0.8) = 0.44 lost; the
  // binomial standard deviation is 0.0016, so 0.01 is over six of them.
  Network network = three_nodes(11);
  network.impair_links(kAtoB, LinkImpairment{.loss_probability = 0.3});
  network.impair_links(kAtoB, LinkImpairment{.loss_probability = 0.2});
  int lost = 0;
  for (int i = 0; i < 100'000; ++i) lost += network.transmit(i * 1000, NodeId{0}, NodeId{1}, 100).delivery_count == 0;
  BOOST_TEST(lost / 1e5 == 0.44, boost::test_tools::tolerance(0.01 / 0.44));
  int lost_elsewhere = 0;
  for (int i = 0; i < 1'000; ++i) lost_elsewhere += network.transmit(i * 1000, NodeId{0}, NodeId{2}, 100).delivery_count == 0;
  BOOST_TEST(lost_elsewhere == 0);
}

BOOST_AUTO_TEST_CASE(a_bandwidth_cap_serializes) {
  Network network = three_nodes();
  network.impair_links(kAtoB, LinkImpairment{.bandwidth_bytes_per_second = 1'000});
  // 100 bytes at 1000 B/s: 100 ms on the wire, then 1 ms of latency; the second queues behind.
  BOOST_TEST(network.transmit(0, NodeId{0}, NodeId{1}, 100).deliveries[0].deliver_at_ns == milliseconds(101));
  BOOST_TEST(network.transmit(0, NodeId{0}, NodeId{1}, 100).deliveries[0].deliver_at_ns == milliseconds(201));
}
