#define BOOST_TEST_MODULE shrink
#include <boost/test/unit_test.hpp>

#include <string>

#include "sim/scenario/scenario_loader.h"
#include "sim/scenario/yaml_loader.h"
#include "sim/shrink/scenario_tree.h"
#include "sim/shrink/shrink.h"

// The shrinker on a hand-made failing scenario (tests/shrink/acks-1-leader-crash.yaml:
// acks=1 and a leader crash lose acknowledged records against `lost: 0`, with faults,
// producers, members and settings the loss does not need): the same input gives the same
// bytes, the result fails the same way, and it is minimal.

using namespace ksim;

namespace {

const std::string kFailing = std::string(KSIM_SHRINK_TEST_DIR) + "/acks-1-leader-crash.yaml";
const std::string kCuedNetwork = std::string(KSIM_SHRINK_TEST_DIR) + "/cued-network-duplicates.yaml";
const std::string kNemesis = std::string(KSIM_SCENARIO_DIR) + "/chaos-all-modes.yaml";

YAML::Node tree_of(const std::string& file) {
  scenario::InputErrors errors;
  const std::optional<YAML::Node> root = scenario::load_yaml_file(file, errors);
  BOOST_REQUIRE_MESSAGE(root, errors.to_string());
  return *root;
}

shrink::ShrinkRequest request_for(const std::string& file) {
  shrink::ShrinkRequest request;
  request.root = tree_of(file);
  request.file = file;
  request.seed = 1;
  return request;
}

shrink::ShrinkResult shrunk(const shrink::ShrinkRequest& request) {
  scenario::InputErrors errors;
  const std::optional<shrink::ShrinkResult> result = shrink::shrink_run(request, errors);
  BOOST_REQUIRE_MESSAGE(result, errors.to_string());
  BOOST_REQUIRE(result->failing);
  return *result;
}

// The shrink of the failing scenario, done once for the tests that only read it (each
// shrink is a few hundred runs).
const shrink::ShrinkResult& shrunk_once() {
  static const shrink::ShrinkResult result = shrunk(request_for(kFailing));
  return result;
}

scenario::Scenario loaded(const YAML::Node& tree) {
  const std::optional<scenario::Scenario> scenario = shrink::load_tree(tree, "shrunk.yaml");
  BOOST_REQUIRE(scenario);
  return *scenario;
}

bool reproduces(const YAML::Node& tree, const shrink::Violation& target) {
  const scenario::Scenario scenario = loaded(tree);
  const shrink::Judged judged = shrink::judge_run(scenario, scenario.modes.front(), 1);
  return judged.loaded && shrink::same_violation(target, judged.violations);
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_original_run_fails_on_lost_for_a_leader_failover) {
  const shrink::ShrinkResult& result = shrunk_once();
  BOOST_TEST(result.mode == "as-configured");
  BOOST_TEST(result.violation->counter == "lost");
  BOOST_TEST(result.violation->cause == "leader-failover-truncation");
  BOOST_TEST(result.before.faults == 4U);
  BOOST_TEST(result.before.messages == 1100U);
}

BOOST_AUTO_TEST_CASE(two_shrinks_write_the_same_bytes) {
  const shrink::ShrinkRequest request = request_for(kFailing);
  const std::string first = shrink::shrunk_file_text(request, shrunk_once(), "out.yaml");
  const std::string second = shrink::shrunk_file_text(request, shrunk(request), "out.yaml");
  BOOST_TEST(first == second);
}

BOOST_AUTO_TEST_CASE(the_written_file_loads_and_fails_the_same_way) {
  const shrink::ShrinkRequest request = request_for(kFailing);
  const shrink::ShrinkResult& result = shrunk_once();
  scenario::InputErrors errors;
  const auto scenario =
      scenario::load_scenario_text(shrink::shrunk_file_text(request, result, "out.yaml"), "out.yaml", errors);
  BOOST_REQUIRE_MESSAGE(scenario, errors.to_string());
  const shrink::Judged judged = shrink::judge_run(*scenario, scenario->modes.front(), 1);
  BOOST_TEST(shrink::same_violation(*result.violation, judged.violations));
  BOOST_TEST(judged.events == result.after.events);
}

// Removing any one remaining fault makes the violation go away (ddmin's 1-minimality),
// and the sizes are within what the loss needs: a leader crash (1 fault; 2 allows the
// partition that starves the followers), a leader and a follower to fail over to plus
// one more broker, one producer and one member (5 nodes), and fewer than a tenth of the
// 1,100 messages.
BOOST_AUTO_TEST_CASE(the_result_is_minimal) {
  const shrink::ShrinkResult& result = shrunk_once();
  BOOST_TEST(result.after.faults <= 2U);
  BOOST_TEST(result.after.nodes <= 5U);
  BOOST_TEST(result.after.messages <= 110U);
  BOOST_TEST(!result.budget_spent);
  BOOST_REQUIRE(result.tree["faults"]);
  for (std::size_t i = 0; i < result.tree["faults"].size(); ++i) {
    YAML::Node without = YAML::Clone(result.tree);
    without["faults"].remove(i);
    if (without["faults"].size() == 0) without.remove("faults");
    BOOST_TEST(!reproduces(without, *result.violation), "fault " << i << " is not needed");
  }
}

BOOST_AUTO_TEST_CASE(a_spent_budget_still_gives_a_failing_scenario) {
  shrink::ShrinkRequest request = request_for(kFailing);
  request.budget.max_candidates = 3;
  const shrink::ShrinkResult result = shrunk(request);
  BOOST_TEST(result.budget_spent);
  BOOST_TEST(result.candidates == 3U);
  BOOST_TEST(reproduces(result.tree, *result.violation));
}

// The nemesis's faults written out are the same run: the same fingerprint (chaos-all-modes,
// whose nemesis hits every node, with crashes, pauses and partitions at 60/min; no power
// failures, which on a client are written as crashes, not the same run).
BOOST_AUTO_TEST_CASE(the_explicit_nemesis_faults_are_the_same_run) {
  YAML::Node root = tree_of(kNemesis);
  for (const char* kind : {"crash", "pause", "partition"}) root["nemesis"][kind] = "60/min";
  root["nemesis"].remove("power-failure");
  const scenario::Scenario original = loaded(root);
  const scenario::ModeChoice mode{kafka::DeliveryMode::at_least_once};
  YAML::Node explicit_faults = YAML::Clone(root);
  const shrink::Materialized drawn = shrink::materialize_nemesis(explicit_faults, original, mode, 3);
  BOOST_TEST(drawn.drawn >= 8U);
  BOOST_TEST(drawn.client_power_failures == 0U);
  BOOST_TEST(!explicit_faults["nemesis"]);
  const shrink::Judged before = shrink::judge_run(original, mode, 3);
  const shrink::Judged after = shrink::judge_run(loaded(explicit_faults), mode, 3);
  BOOST_TEST(after.faults == before.faults);
  BOOST_TEST(after.fingerprint == before.fingerprint);
}

BOOST_AUTO_TEST_CASE(a_run_that_does_not_fail_is_not_shrunk) {
  shrink::ShrinkRequest request = request_for(kFailing);
  request.root["expect"]["as-configured"]["lost"] = "< 100000";
  scenario::InputErrors errors;
  const std::optional<shrink::ShrinkResult> result = shrink::shrink_run(request, errors);
  BOOST_REQUIRE(result);
  BOOST_TEST(!result->failing);
  BOOST_TEST(!result->violation);
}

BOOST_AUTO_TEST_CASE(an_unknown_counter_or_mode_is_bad_input) {
  shrink::ShrinkRequest request = request_for(kFailing);
  request.counter = "lots";
  scenario::InputErrors errors;
  BOOST_TEST(!shrink::shrink_run(request, errors));
  BOOST_TEST(errors.to_string().find("--counter: unknown counter \"lots\"") != std::string::npos);
  request.counter = "";
  request.mode = "sometimes";
  scenario::InputErrors mode_errors;
  BOOST_TEST(!shrink::shrink_run(request, mode_errors));
  BOOST_TEST(mode_errors.to_string().find("--mode") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(durations_are_written_exactly) {
  BOOST_TEST(shrink::duration_text(0) == "0s");
  BOOST_TEST(shrink::duration_text(seconds(2)) == "2s");
  BOOST_TEST(shrink::duration_text(milliseconds(1500)) == "1500ms");
  BOOST_TEST(shrink::duration_text(1'234'567) == "1234567ns");
}

// A fault cued by 400 acknowledged sends, cutting the brokers' links to the producer and
// to the consumer, with latency and loss besides: the duplicates need only the cut of the
// producer's links, and a cue of one send, which lets the workload shrink below 400.
BOOST_AUTO_TEST_CASE(a_cue_shrinks_to_one_send_and_a_network_fault_to_what_the_failure_needs) {
  const shrink::ShrinkResult result = shrunk(request_for(kCuedNetwork));
  BOOST_TEST(result.violation->counter == "duplicated");
  BOOST_TEST(!result.budget_spent);
  BOOST_REQUIRE(result.tree["faults"] && result.tree["faults"].size() == 1U);
  const YAML::Node fault = result.tree["faults"][0];
  BOOST_TEST(fault["when"]["count"].as<int>() == 1);
  BOOST_TEST(!fault["latency"]);
  BOOST_TEST(!fault["loss"]);
  BOOST_TEST(fault["cut"].as<bool>());
  BOOST_REQUIRE(fault["to"].size() == 1U);
  BOOST_TEST(fault["to"][0].as<std::string>() == "producers");
  BOOST_TEST(result.after.messages < 400U);
  BOOST_TEST(reproduces(result.tree, *result.violation));
}
