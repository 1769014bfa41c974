#define BOOST_TEST_MODULE set_scalar
#include <boost/test/unit_test.hpp>

#include <string>

#include "sim/scenario/scenario_loader.h"

// --set KEY=VALUE on any documented key, whether the file has it or not: dotted names
// resolved against the keys the schema asks about, missing maps created, and the value
// then validated as if the file held it.

using namespace ksim;
using namespace ksim::scenario;

namespace {

// Lacks limits, consumers[0].processing.time, producers[0].config and message.size.
const std::string kScenario = R"(version: 1
name: t
modes: [as-configured]
cluster:
  brokers: 3
  topics:
    - {name: orders, partitions: 2}
producers:
  - name: p
    messages: 10
consumers:
  - name: g
    members: 1
)";

YAML::Node tree_with(const std::string& key_path, const std::string& value) {
  YAML::Node root = YAML::Load(kScenario);
  const auto error = set_scalar(root, key_path, value);
  BOOST_TEST(!error.has_value(), error.value_or(""));
  return root;
}

// The errors of loading the tree after one --set.
std::string errors_after(const std::string& key_path, const std::string& value) {
  const YAML::Node root = tree_with(key_path, value);
  InputErrors errors;
  BOOST_TEST(!load_scenario_node(root, "s.yaml", errors).has_value());
  return errors.to_string();
}

kafka::WorldConfig config_after(const std::string& key_path, const std::string& value) {
  const YAML::Node root = tree_with(key_path, value);
  InputErrors errors;
  const auto scenario = load_scenario_node(root, "s.yaml", errors);
  BOOST_REQUIRE_MESSAGE(scenario.has_value(), errors.to_string());
  return build_mode_config(*scenario, scenario->modes.front(), errors);
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_dotted_key_the_element_lacks_is_created_whole) {
  const YAML::Node root = tree_with("consumers[0].processing.time", "2ms");
  BOOST_TEST(root["consumers"][0]["processing.time"].as<std::string>() == "2ms");
  BOOST_TEST(!root["consumers"][0]["processing"].IsDefined());
  BOOST_TEST(config_after("consumers[0].processing.time", "2ms").consumer_groups.at(0).processing_time_per_record_ns ==
             milliseconds(2));
  BOOST_TEST(config_after("producers[0].message.size", "1KiB").producers.at(0).message_size_bytes == 1024u);
  BOOST_TEST(tree_with("cluster.topics[0].min.insync.replicas", "2")["cluster"]["topics"][0]["min.insync.replicas"]
                 .as<std::string>() == "2");
}

BOOST_AUTO_TEST_CASE(a_missing_map_is_created) {
  const YAML::Node root = tree_with("limits.max_events", "2000");
  BOOST_TEST(root["limits"]["max_events"].as<std::string>() == "2000");
  BOOST_TEST(config_after("limits.max_events", "2000").limits.max_events == 2000u);
  // A missing config map, then a dotted Kafka name inside it.
  const YAML::Node with_config = tree_with("producers[0].config.linger.ms", "7");
  BOOST_TEST(with_config["producers"][0]["config"]["linger.ms"].as<std::string>() == "7");
  BOOST_TEST(config_after("producers[0].config.linger.ms", "7").producers.at(0).config.linger_ns == milliseconds(7));
  BOOST_TEST(config_after("cluster.config.min.insync.replicas", "2").cluster.broker.min_insync_replicas == 2u);
}

BOOST_AUTO_TEST_CASE(a_created_value_is_validated_as_in_the_file) {
  BOOST_TEST(errors_after("consumers[0].processing.time", "soon") ==
             "s.yaml: consumers[0].processing.time: expected a duration such as 250ms, got \"soon\"\n");
  BOOST_TEST(errors_after("limits.max_events", "0") == "s.yaml: limits.max_events: must be between 1 and 2000000000, got \"0\"\n");
  BOOST_TEST(errors_after("producers[0].config.acks", "2") ==
             "s.yaml: producers[0].config.acks: expected one of 0, 1, all, -1, got \"2\"\n");
}

BOOST_AUTO_TEST_CASE(an_unknown_key_is_created_and_refused_with_a_suggestion) {
  BOOST_TEST(errors_after("producers[0].config.lingr.ms", "5") ==
             "s.yaml: producers[0].config: unknown key \"lingr.ms\"; did you mean \"linger.ms\"?\n");
  BOOST_TEST(errors_after("limitz.max_events", "5") == "s.yaml: unknown key \"limitz\"; did you mean \"limits\"?\n");
  BOOST_TEST(errors_after("limits.max_event", "5") == "s.yaml: limits: unknown key \"max_event\"; did you mean \"max_events\"?\n");
}

BOOST_AUTO_TEST_CASE(paths_that_cannot_be_set) {
  YAML::Node root = YAML::Load(kScenario);
  BOOST_TEST(set_scalar(root, "producers[1].messages", "1").value_or("") == "\"producers\" has no element [1] in \"producers[1].messages\"");
  BOOST_TEST(set_scalar(root, "cluster", "3").value_or("") == "\"cluster\" is not a single value");
  BOOST_TEST(set_scalar(root, "name.first", "x").value_or("") == "\"name\" is not a map in \"name.first\"");
  BOOST_TEST(set_scalar(root, "a..b", "x").value_or("") == "bad key path \"a..b\"");
  BOOST_TEST(set_scalar(root, "faults[0].at", "1s").value_or("") == "\"faults\" has no element [0] in \"faults[0].at\"");
}
