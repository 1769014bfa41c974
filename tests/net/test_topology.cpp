#define BOOST_TEST_MODULE net_topology
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "sim/net/partition.h"
#include "sim/net/topology.h"
#include "tests/net/net_fixtures.h"

using namespace ksim;
using namespace ksim::net;
using ksim::net::testing::constant_link;

namespace {

// True when some issue has this key and its message contains every fragment given
// (the parameter's name and the offending value).
bool has_issue(const ConfigIssues& issues, const std::string& key, std::initializer_list<std::string> fragments) {
  for (const ConfigIssue& issue : issues) {
    if (issue.key_path != key) continue;
    bool all = true;
    for (const std::string& fragment : fragments) all = all && issue.message.find(fragment) != std::string::npos;
    if (all) return true;
  }
  return false;
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++count;
  return count;
}

}  // namespace

BOOST_AUTO_TEST_CASE(zoned_mesh_picks_intra_inter_and_override_profiles) {
  const std::vector<NodeInfo> nodes = {{"a1", "broker", "a"}, {"a2", "broker", "a"}, {"b1", "broker", "b"},
                                       {"c1", "broker", "c"}};
  const Topology topology = Topology::zoned_mesh(nodes, constant_link(100), constant_link(2000),
                                                 {{{"c", "a"}, constant_link(9000)}});
  BOOST_TEST(topology.node_count() == 4u);
  BOOST_TEST(topology.link_count() == 12u);  // every ordered pair
  BOOST_TEST(topology.link(NodeId{0}, NodeId{1}).latency.mean_ns == 100);
  BOOST_TEST(topology.link(NodeId{0}, NodeId{2}).latency.mean_ns == 2000);
  BOOST_TEST(topology.link(NodeId{2}, NodeId{3}).latency.mean_ns == 2000);
  BOOST_TEST(topology.link(NodeId{3}, NodeId{0}).latency.mean_ns == 9000);  // (c, a) given
  BOOST_TEST(topology.link(NodeId{0}, NodeId{3}).latency.mean_ns == 9000);  // (a, c) falls back on (c, a)
  BOOST_TEST(topology.find_node("b1").value() == NodeId{2});
  BOOST_TEST(!topology.find_node("nobody").has_value());
  BOOST_TEST(!topology.has_link(NodeId{0}, NodeId{0}));
}

BOOST_AUTO_TEST_CASE(set_link_replaces_without_renumbering) {
  Topology topology;
  topology.add_node({"x", "k", "z"});
  topology.add_node({"y", "k", "z"});
  topology.set_link(NodeId{0}, NodeId{1}, constant_link(5));
  topology.set_link(NodeId{1}, NodeId{0}, constant_link(6));
  topology.set_link(NodeId{0}, NodeId{1}, constant_link(7));
  BOOST_TEST(topology.link_count() == 2u);
  BOOST_TEST(topology.link_id(NodeId{0}, NodeId{1}).value() == 0u);
  BOOST_TEST(topology.link(NodeId{0}, NodeId{1}).latency.mean_ns == 7);
}

BOOST_AUTO_TEST_CASE(graphviz_names_every_node_and_draws_every_link) {
  const std::vector<NodeInfo> nodes = {{"broker-1", "broker", "eu"}, {"broker-2", "broker", "us"},
                                       {"producer \"p\"", "producer", "eu"}};
  LinkProfile lossy = constant_link(milliseconds(2));
  lossy.loss.loss_probability = 0.25;
  const Topology topology = Topology::full_mesh(nodes, lossy);
  const std::string dot = topology.to_graphviz();
  BOOST_TEST(dot.rfind("digraph", 0) == 0u);
  BOOST_TEST(dot.find('{') != std::string::npos);
  BOOST_TEST(dot[dot.find_last_not_of(" \n")] == '}');
  BOOST_TEST(dot.find("broker-1") != std::string::npos);
  BOOST_TEST(dot.find("broker-2") != std::string::npos);
  BOOST_TEST(dot.find("producer \\\"p\\\"") != std::string::npos);  // quotes escaped
  BOOST_TEST(dot.find("zone=\"us\"") != std::string::npos);
  BOOST_TEST(count_of(dot, "->") == topology.link_count());
  for (const Link& link : topology.links()) {
    BOOST_TEST(dot.find(std::to_string(link.from.value()) + "->" + std::to_string(link.to.value()) + " ") != std::string::npos);
  }
  BOOST_TEST(count_of(dot, "loss 0.25") == topology.link_count());
  BOOST_TEST(count_of(dot, "constant mean 2.000 ms") == topology.link_count());
}

BOOST_AUTO_TEST_CASE(latency_issues_name_the_parameter_and_value) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const ConfigIssues negative = validate(LatencyDistribution{.mean_ns = -5}, "l");
  BOOST_TEST(has_issue(negative, "l.mean_ns", {"mean_ns", "-5"}));
  const ConfigIssues stddev = validate(LatencyDistribution{.kind = LatencyKind::normal, .stddev_ns = -7}, "l");
  BOOST_TEST(has_issue(stddev, "l.stddev_ns", {"stddev_ns", "-7"}));
  const ConfigIssues clamps = validate(LatencyDistribution{.latency_ns_min = 10, .latency_ns_max = 3}, "l");
  BOOST_TEST(has_issue(clamps, "l.latency_ns_min", {"latency_ns_min", "10", "latency_ns_max", "3"}));
  const ConfigIssues uniform =
      validate(LatencyDistribution{.kind = LatencyKind::uniform, .uniform_low_ns = 9, .uniform_high_ns = 4}, "l");
  BOOST_TEST(has_issue(uniform, "l.uniform_low_ns", {"uniform_low_ns", "9", "4"}));
  const ConfigIssues shape =
      validate(LatencyDistribution{.kind = LatencyKind::pareto, .pareto_scale_ns = -1, .pareto_shape = 0}, "l");
  BOOST_TEST(has_issue(shape, "l.pareto_shape", {"pareto_shape", "0"}));
  BOOST_TEST(has_issue(shape, "l.pareto_scale_ns", {"pareto_scale_ns", "-1"}));
  const ConfigIssues sigma =
      validate(LatencyDistribution{.kind = LatencyKind::lognormal, .lognormal_mu = nan, .lognormal_sigma = -1}, "l");
  BOOST_TEST(has_issue(sigma, "l.lognormal_mu", {"lognormal_mu", "nan"}));
  BOOST_TEST(has_issue(sigma, "l.lognormal_sigma", {"lognormal_sigma", "-1"}));
  const ConfigIssues exponential = validate(LatencyDistribution{.kind = LatencyKind::exponential, .mean_ns = 0}, "l");
  BOOST_TEST(has_issue(exponential, "l.mean_ns", {"mean_ns", "0"}));
  BOOST_TEST(validate(LatencyDistribution{}, "l").empty());
}

BOOST_AUTO_TEST_CASE(loss_and_link_issues_name_the_parameter_and_value) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  LinkProfile profile;
  profile.loss.loss_probability = 1.5;
  profile.duplicate_probability = nan;
  const ConfigIssues link_issues = validate(profile, "net.default");
  BOOST_TEST(has_issue(link_issues, "net.default.loss.loss_probability", {"loss_probability", "1.5"}));
  BOOST_TEST(has_issue(link_issues, "net.default.duplicate_probability", {"duplicate_probability", "nan"}));

  const ConfigIssues correlation =
      validate(LossModel{.kind = LossModelKind::correlated, .loss_probability = 0.1, .loss_correlation = 1.0}, "x");
  BOOST_TEST(has_issue(correlation, "x.loss_correlation", {"loss_correlation", "1"}));
  const ConfigIssues ge = validate(
      LossModel{.kind = LossModelKind::gilbert_elliott, .good_to_bad_probability = -0.2, .loss_probability_bad = 2},
      "x");
  BOOST_TEST(has_issue(ge, "x.good_to_bad_probability", {"good_to_bad_probability", "-0.2"}));
  BOOST_TEST(has_issue(ge, "x.loss_probability_bad", {"loss_probability_bad", "2"}));
}

BOOST_AUTO_TEST_CASE(topology_and_partition_issues) {
  Topology topology;
  topology.add_node({"a", "k", "z"});
  topology.add_node({"", "k", "z"});
  LinkProfile bad = constant_link(5);
  bad.latency.mean_ns = -3;
  topology.add_link(NodeId{0}, NodeId{1}, bad);
  const ConfigIssues issues = validate(topology);
  BOOST_TEST(has_issue(issues, "nodes.1.name", {"name"}));
  BOOST_TEST(has_issue(issues, "links.a>.latency.mean_ns", {"mean_ns", "-3"}));

  const ConfigIssues groups = validate_partition_groups({{NodeId{0}, NodeId{7}}, {NodeId{0}}}, 3, "p");
  BOOST_TEST(has_issue(groups, "p.groups.0", {"7", "out of range"}));
  BOOST_TEST(has_issue(groups, "p.groups.1", {"0", "more than one group"}));
}
