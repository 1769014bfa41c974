// `ksim schema`: generated from the loader's own reads, so every key the loader reads is in
// it, described, with its type; the bundled scenarios are validated against it by
// tests/scenario/test_schema_validates.sh (python3-jsonschema).
#define BOOST_TEST_MODULE schema
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "sim/scenario/schema.h"

namespace ksim::scenario {
namespace {

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) out += word + "\n";
  return out;
}

BOOST_AUTO_TEST_CASE(every_key_read_is_explored_and_described) {
  const ScenarioSchema schema = scenario_schema();
  BOOST_TEST(schema.unexplored.empty(), "keys the exploration documents never reach:\n" << joined(schema.unexplored));
  BOOST_TEST(schema.undescribed.empty(), "keys without a line in key_descriptions.cpp:\n" << joined(schema.undescribed));
  BOOST_TEST(schema.unused_descriptions.empty(),
             "lines in key_descriptions.cpp for keys the loader does not read:\n" << joined(schema.unused_descriptions));
}

BOOST_AUTO_TEST_CASE(types_defaults_ranges_and_enums_come_from_the_loader) {
  const auto schema = nlohmann::json::parse(scenario_schema().json);
  BOOST_TEST(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema");
  const auto& top = schema["properties"];
  BOOST_TEST(schema["required"].dump() == R"(["version","name","cluster","producers"])");
  BOOST_TEST(schema["additionalProperties"] == false);
  // cluster.brokers: optional<uint64_t>("brokers", 3, between(1, 100)) in read_cluster.cpp.
  const auto& brokers = top["cluster"]["properties"]["brokers"];
  BOOST_TEST(brokers["default"] == 3);
  BOOST_TEST(brokers["minimum"] == 1);
  BOOST_TEST(brokers["maximum"] == 100);
  // producers[].config.acks: optional_enum with 0, 1, all, -1 (numbers too: YAML reads `acks: 1` as one).
  const auto& acks = top["producers"]["items"]["properties"]["config"]["properties"]["acks"];
  BOOST_TEST(acks["enum"].dump() == R"(["0",0,"1",1,"all","-1",-1])");
  BOOST_TEST(acks["default"] == "all");
  // A fault kind's own keys are found by trying each kind: partition's groups, rolling-restart's interval.
  const auto& fault = top["faults"]["items"]["properties"];
  BOOST_TEST(fault.contains("groups"));
  BOOST_TEST(fault["interval"]["default"] == "10s");
  // `at` is not always read: a fault fired by an event (`when:`) has none.
  BOOST_TEST(top["faults"]["items"]["required"].dump() == R"(["kind"])");
  BOOST_TEST(fault.contains("when"));
  BOOST_TEST(fault.contains("target"));
  // A network fault's `from` and `to` take the same forms (read_endpoints for both): names,
  // sets, and role maps such as {leader-of: orders-0} on either side.
  for (const char* side : {"from", "to"}) {
    const auto& forms = fault[side]["items"]["anyOf"];
    BOOST_TEST_REQUIRE(forms.size() == 2u, side);
    BOOST_TEST(forms[1]["properties"].contains("leader-of"), side);
    BOOST_TEST(forms[1]["properties"].contains("coordinator-of-transaction"), side);
  }
  // expect: modes and counters are names; a bound or {bound, in}.
  const auto& bound = top["expect"]["additionalProperties"]["additionalProperties"];
  BOOST_TEST(bound["anyOf"].size() == 2u);
}

}  // namespace
}  // namespace ksim::scenario
