#define BOOST_TEST_MODULE net_network
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <vector>

#include "sim/net/network.h"
#include "tests/net/net_fixtures.h"

using namespace ksim;
using namespace ksim::net;
using ksim::net::testing::constant_link;
using ksim::net::testing::numbered_nodes;

namespace {

// Two nodes a, b with one link a > b of the given profile.
Network two_nodes(const LinkProfile& profile, std::uint64_t seed) {
  Topology topology;
  const NodeId a = topology.add_node({"a", "producer", "z"});
  const NodeId b = topology.add_node({"b", "broker", "z"});
  topology.add_link(a, b, profile);
  return Network(std::move(topology), seed);
}

LinkProfile high_variance_link(bool fifo) {
  LinkProfile profile;
  profile.latency = LatencyDistribution{.kind = LatencyKind::exponential, .mean_ns = 5'000'000};
  profile.duplicate_probability = 0.1;
  profile.fifo = fifo;
  return profile;
}

// Delivery times of 10^5 messages sent 10 us apart, in send order (original, then copy).
std::vector<TimeNs> deliveries_in_send_order(Network& network) {
  std::vector<TimeNs> times;
  for (int i = 0; i < 100'000; ++i) {
    const Transmission t = network.transmit(i * microseconds(10), NodeId{0}, NodeId{1}, 100);
    for (int d = 0; d < t.delivery_count; ++d) times.push_back(t.deliveries[d].deliver_at_ns);
  }
  return times;
}

}  // namespace

BOOST_AUTO_TEST_CASE(fifo_links_never_reorder_and_datagram_links_do) {
  Network fifo = two_nodes(high_variance_link(true), 5);
  const std::vector<TimeNs> ordered = deliveries_in_send_order(fifo);
  // Mean 5 ms delays on messages 10 us apart: about 10% duplicated, so > 100,000 copies.
  BOOST_TEST(ordered.size() > 105'000u);
  for (std::size_t i = 1; i < ordered.size(); ++i) BOOST_TEST_REQUIRE(ordered[i - 1] <= ordered[i]);

  Network datagram = two_nodes(high_variance_link(false), 5);
  const std::vector<TimeNs> shuffled = deliveries_in_send_order(datagram);
  std::size_t inversions = 0;
  for (std::size_t i = 1; i < shuffled.size(); ++i) inversions += shuffled[i - 1] > shuffled[i];
  // Delay differences of ~5 ms over 10 us spacing reorder about half of neighbours.
  BOOST_TEST(inversions > shuffled.size() / 10);
}

BOOST_AUTO_TEST_CASE(bandwidth_spaces_back_to_back_messages_by_the_serialization_delay) {
  LinkProfile profile = constant_link(milliseconds(1));
  profile.bandwidth_bytes_per_second = 1'000'000;  // 1000 bytes take 1 ms
  Network network = two_nodes(profile, 1);
  for (int i = 0; i < 10; ++i) {
    const Transmission t = network.transmit(0, NodeId{0}, NodeId{1}, 1000);
    BOOST_TEST_REQUIRE(t.delivery_count == 1);
    BOOST_TEST(t.deliveries[0].deliver_at_ns == milliseconds(1) * (i + 1) + milliseconds(1));
  }
  // Once the queue has drained, a message waits only for itself.
  const Transmission later = network.transmit(milliseconds(100), NodeId{0}, NodeId{1}, 500);
  BOOST_TEST(later.deliveries[0].deliver_at_ns == milliseconds(100) + microseconds(500) + milliseconds(1));
}

BOOST_AUTO_TEST_CASE(a_loss_drops_the_message_and_is_counted) {
  LinkProfile profile = constant_link(milliseconds(1));
  profile.loss.loss_probability = 1.0;
  Network network = two_nodes(profile, 1);
  const Transmission t = network.transmit(0, NodeId{0}, NodeId{1}, 10);
  BOOST_TEST(t.delivery_count == 0);
  BOOST_TEST((t.drop_reason == DropReason::loss));
  BOOST_TEST(network.counters(NodeId{0}, NodeId{1}).sent == 1u);
  BOOST_TEST(network.counters(NodeId{0}, NodeId{1}).lost == 1u);
  BOOST_TEST(network.counters(NodeId{0}, NodeId{1}).delivered == 0u);
}

BOOST_AUTO_TEST_CASE(symmetric_partition_cuts_exactly_the_cross_group_links) {
  Network network(Topology::full_mesh(numbered_nodes(5), constant_link(milliseconds(1))), 1);
  // Groups {0,1}, {2,3} and the implicit {4}.
  const std::vector<int> group = {0, 0, 1, 1, 2};
  const std::uint32_t id = network.add_partition({{NodeId{0}, NodeId{1}}, {NodeId{2}, NodeId{3}}}, false);
  for (const NodeId from : ids_below<NodeId>(5)) {
    for (const NodeId to : ids_below<NodeId>(5)) {
      if (from == to) continue;
      BOOST_TEST(network.link_cut(from, to) == (group[from.index()] != group[to.index()]), from << " > " << to);
      BOOST_TEST(network.reachable(from, to) == (group[from.index()] == group[to.index()]), from << " > " << to);
    }
  }
  BOOST_TEST(network.components() == (std::vector<std::uint32_t>{0, 0, 1, 1, 2}), boost::test_tools::per_element());
  const Transmission dropped = network.transmit(0, NodeId{0}, NodeId{2}, 10);
  BOOST_TEST(dropped.delivery_count == 0);
  BOOST_TEST((dropped.drop_reason == DropReason::partitioned));
  BOOST_TEST(network.counters(NodeId{0}, NodeId{2}).cut == 1u);
  BOOST_TEST(network.counters(NodeId{0}, NodeId{2}).sent == 0u);

  network.heal(id);
  for (const NodeId from : ids_below<NodeId>(5)) {
    for (const NodeId to : ids_below<NodeId>(5)) {
      if (from != to) BOOST_TEST(!network.link_cut(from, to));
    }
  }
  BOOST_TEST(network.components() == (std::vector<std::uint32_t>{0, 0, 0, 0, 0}), boost::test_tools::per_element());
  BOOST_TEST(network.transmit(0, NodeId{0}, NodeId{2}, 10).delivery_count == 1);
}

BOOST_AUTO_TEST_CASE(one_way_partition_cuts_only_from_earlier_to_later_groups) {
  Network network(Topology::full_mesh(numbered_nodes(5), constant_link(milliseconds(1))), 1);
  const std::vector<int> group = {0, 0, 1, 1, 1};
  network.add_partition({{NodeId{0}, NodeId{1}}, {NodeId{2}, NodeId{3}, NodeId{4}}}, true);
  for (const NodeId from : ids_below<NodeId>(5)) {
    for (const NodeId to : ids_below<NodeId>(5)) {
      if (from == to) continue;
      BOOST_TEST(network.link_cut(from, to) == (group[from.index()] < group[to.index()]), from << " > " << to);
      BOOST_TEST(network.reachable(from, to) == (group[from.index()] >= group[to.index()]), from << " > " << to);
    }
  }
  // Mutual reachability is lost between the groups although 2..4 still reach 0..1.
  BOOST_TEST(network.components() == (std::vector<std::uint32_t>{0, 0, 1, 1, 1}), boost::test_tools::per_element());
  network.heal_all();
  BOOST_TEST(!network.link_cut(NodeId{0}, NodeId{2}));
}

BOOST_AUTO_TEST_CASE(cut_link_cuts_one_direction_and_overlapping_cuts_heal_independently) {
  Network network(Topology::full_mesh(numbered_nodes(3), constant_link(milliseconds(1))), 1);
  const std::uint32_t single = network.cut_link(NodeId{0}, NodeId{1});
  BOOST_TEST(network.link_cut(NodeId{0}, NodeId{1}));
  BOOST_TEST(!network.link_cut(NodeId{1}, NodeId{0}));
  // No direct link is rerouted: 0 > 1 is dropped even though 0 > 2 > 1 is open.
  BOOST_TEST(network.reachable(NodeId{0}, NodeId{1}));
  BOOST_TEST((network.transmit(0, NodeId{0}, NodeId{1}, 10).drop_reason == DropReason::partitioned));

  const std::uint32_t isolate_0 = network.add_partition({{NodeId{0}}}, false);  // {0} against {1, 2}
  BOOST_TEST(network.link_cut(NodeId{0}, NodeId{2}));
  network.heal(single);
  BOOST_TEST(network.link_cut(NodeId{0}, NodeId{1}));  // still covered by the partition
  network.heal(isolate_0);
  BOOST_TEST(!network.link_cut(NodeId{0}, NodeId{1}));
  BOOST_TEST(!network.link_cut(NodeId{0}, NodeId{2}));

  const std::uint32_t again = network.cut_link(NodeId{0}, NodeId{1});
  const std::uint32_t isolate_again = network.add_partition({{NodeId{0}}}, false);
  network.heal(isolate_again);
  BOOST_TEST(network.link_cut(NodeId{0}, NodeId{1}));  // the single cut outlives the partition
  BOOST_TEST(!network.link_cut(NodeId{0}, NodeId{2}));
  network.heal(again);
  BOOST_TEST(!network.link_cut(NodeId{0}, NodeId{1}));
}

BOOST_AUTO_TEST_CASE(multi_hop_route_sums_latency_and_fails_when_the_middle_is_cut) {
  Topology topology;
  const NodeId a = topology.add_node({"a", "client", "z"});
  const NodeId b = topology.add_node({"b", "router", "z"});
  const NodeId c = topology.add_node({"c", "broker", "z"});
  topology.add_link(a, b, constant_link(milliseconds(1)));
  topology.add_link(b, a, constant_link(milliseconds(1)));
  topology.add_link(b, c, constant_link(milliseconds(2)));
  topology.add_link(c, b, constant_link(milliseconds(2)));
  Network network(std::move(topology), 1);

  const Transmission t = network.transmit(milliseconds(5), a, c, 10);
  BOOST_TEST_REQUIRE(t.delivery_count == 1);
  BOOST_TEST(t.deliveries[0].deliver_at_ns == milliseconds(5 + 1 + 2));
  BOOST_TEST(network.counters(a, b).delivered == 1u);
  BOOST_TEST(network.counters(b, c).delivered == 1u);
  BOOST_TEST(network.reachable(a, c));

  const std::uint32_t isolate_b = network.add_partition({{b}}, false);
  BOOST_TEST(!network.reachable(a, c));
  const Transmission none = network.transmit(milliseconds(6), a, c, 10);
  BOOST_TEST(none.delivery_count == 0);
  BOOST_TEST((none.drop_reason == DropReason::unreachable));
  BOOST_TEST(network.components() == (std::vector<std::uint32_t>{0, 1, 2}), boost::test_tools::per_element());
  network.heal(isolate_b);
  BOOST_TEST(network.reachable(a, c));
}

// Routing rule: a direct link is always used when present; Dijkstra only routes pairs
// without one, by lowest total mean latency, and follows link degradation.
BOOST_AUTO_TEST_CASE(direct_link_wins_and_routes_pick_the_lowest_mean_latency) {
  Topology topology;
  for (const char* name : {"a", "b", "c", "d"}) topology.add_node({name, "node", "z"});
  topology.add_link(NodeId{0}, NodeId{1}, constant_link(milliseconds(1)));   // a > b
  topology.add_link(NodeId{1}, NodeId{3}, constant_link(milliseconds(1)));   // b > d
  topology.add_link(NodeId{0}, NodeId{2}, constant_link(milliseconds(5)));   // a > c
  topology.add_link(NodeId{2}, NodeId{3}, constant_link(milliseconds(5)));   // c > d
  topology.add_link(NodeId{1}, NodeId{2}, constant_link(milliseconds(1)));   // b > c: a > b > c is 2 ms
  Network network(std::move(topology), 1);

  BOOST_TEST(network.transmit(0, NodeId{0}, NodeId{2}, 10).deliveries[0].deliver_at_ns == milliseconds(5));  // direct, though slower
  BOOST_TEST(network.transmit(0, NodeId{0}, NodeId{3}, 10).deliveries[0].deliver_at_ns == milliseconds(2));  // via b
  network.degrade_link(NodeId{0}, NodeId{1}, constant_link(milliseconds(20)));
  BOOST_TEST(network.current_link_profile(NodeId{0}, NodeId{1}).latency.mean_ns == milliseconds(20));
  BOOST_TEST(network.transmit(0, NodeId{0}, NodeId{3}, 10).deliveries[0].deliver_at_ns == milliseconds(10));  // via c
  network.restore_link(NodeId{0}, NodeId{1});
  // Restored: back through b, sent 1 ms later. (The message sent while a > b was
  // degraded went via c, so no earlier FIFO delivery on a > b holds this one back.)
  BOOST_TEST(network.transmit(milliseconds(1), NodeId{0}, NodeId{3}, 10).deliveries[0].deliver_at_ns == milliseconds(3));
}

namespace {

std::vector<TimeNs> fates(Network& network, NodeId from, NodeId to) {
  std::vector<TimeNs> out;
  for (int i = 0; i < 2000; ++i) {
    const Transmission t = network.transmit(i * microseconds(100), from, to, 100);
    out.push_back(t.delivery_count == 0 ? -1 : t.deliveries[0].deliver_at_ns);
    if (t.delivery_count == 2) out.push_back(t.deliveries[1].deliver_at_ns);
  }
  return out;
}

LinkProfile noisy_link() {
  LinkProfile profile;
  profile.latency = LatencyDistribution{.kind = LatencyKind::lognormal, .lognormal_mu = 13.0, .lognormal_sigma = 0.8};
  profile.loss.loss_probability = 0.2;
  profile.duplicate_probability = 0.1;
  profile.fifo = false;
  return profile;
}

}  // namespace

BOOST_AUTO_TEST_CASE(same_seed_same_fates_and_an_extra_node_changes_nothing) {
  Network first(Topology::full_mesh(numbered_nodes(2), noisy_link()), 99);
  Network second(Topology::full_mesh(numbered_nodes(2), noisy_link()), 99);
  Network other_seed(Topology::full_mesh(numbered_nodes(2), noisy_link()), 100);
  Network bigger(Topology::full_mesh(numbered_nodes(3), noisy_link()), 99);
  const std::vector<TimeNs> reference = fates(first, NodeId{0}, NodeId{1});
  BOOST_TEST(fates(second, NodeId{0}, NodeId{1}) == reference, boost::test_tools::per_element());
  BOOST_TEST(fates(bigger, NodeId{0}, NodeId{1}) == reference, boost::test_tools::per_element());
  BOOST_TEST((fates(other_seed, NodeId{0}, NodeId{1}) != reference));
}
