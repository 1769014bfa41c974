#define BOOST_TEST_MODULE swarm
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>

#include <unistd.h>

#include "sim/scenario/scenario_loader.h"
#include "sim/scenario/yaml_loader.h"
#include "sim/shrink/scenario_tree.h"
#include "sim/shrink/violation.h"
#include "sim/swarm/ranges.h"
#include "sim/swarm/swarm.h"
#include "sim/swarm/variant.h"
#include "sim/swarm/version_draw.h"

// ksim swarm: variants drawn from the run number alone, within their ranges; bad
// `swarm:` sections named by file:line:column; a weak configuration in range is found,
// written as a failing scenario and shrunk, the same at any -j.

using namespace ksim;

namespace {

const std::string kGeneral = std::string(KSIM_SWARM_TEST_DIR) + "/general-base.yaml";
const std::string kWeak = std::string(KSIM_SWARM_TEST_DIR) + "/weak-acks.yaml";

YAML::Node tree_of(const std::string& file) {
  scenario::InputErrors errors;
  const std::optional<YAML::Node> root = scenario::load_yaml_file(file, errors);
  BOOST_REQUIRE_MESSAGE(root, errors.to_string());
  return *root;
}

swarm::Ranges ranges_of(const YAML::Node& root, const std::string& file) {
  scenario::InputErrors errors;
  const std::optional<swarm::Ranges> ranges = swarm::read_ranges(root, file, errors);
  BOOST_REQUIRE_MESSAGE(ranges, errors.to_string());
  return *ranges;
}

std::string variant_text(const YAML::Node& base, const swarm::Ranges& ranges, std::uint64_t run) {
  return shrink::emit_yaml(swarm::draw_variant(base, "base.yaml", ranges, run).tree);
}

std::string value_of(const swarm::Variant& variant, const std::string& dimension) {
  for (const auto& [name, value] : variant.dimensions) {
    if (name == dimension) return value;
  }
  BOOST_FAIL("no dimension " + dimension);
  return "";
}

// The errors a `swarm:` section gives, as the CLI prints them.
std::string errors_of(const std::string& section) {
  const std::string text = "version: 1\nname: x\ncluster: {brokers: 3}\nproducers: [{messages: 10}]\nswarm:\n" + section;
  scenario::InputErrors errors;
  const std::optional<YAML::Node> root = scenario::load_yaml(text, "base.yaml", errors);
  BOOST_REQUIRE(root);
  BOOST_CHECK(!swarm::read_ranges(*root, "base.yaml", errors));
  return errors.to_string();
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_same_run_draws_the_same_variant_and_other_runs_others) {
  const YAML::Node base = tree_of(kGeneral);
  const swarm::Ranges ranges = ranges_of(base, kGeneral);
  BOOST_CHECK_EQUAL(variant_text(base, ranges, 7), variant_text(base, ranges, 7));
  BOOST_CHECK_EQUAL(variant_text(tree_of(kGeneral), ranges, 7), variant_text(base, ranges, 7));
  std::set<std::string> texts;
  for (std::uint64_t run = 1; run <= 20; ++run) texts.insert(variant_text(base, ranges, run));
  BOOST_CHECK_EQUAL(texts.size(), 20U);
}

BOOST_AUTO_TEST_CASE(every_variant_loads_as_a_scenario_of_its_one_run) {
  const YAML::Node base = tree_of(kGeneral);
  const swarm::Ranges ranges = ranges_of(base, kGeneral);
  for (std::uint64_t run = 1; run <= 50; ++run) {
    const swarm::Variant variant = swarm::draw_variant(base, kGeneral, ranges, run);
    const std::optional<scenario::Scenario> loaded = shrink::load_tree(variant.tree, "variant.yaml");
    BOOST_REQUIRE_MESSAGE(loaded, shrink::emit_yaml(variant.tree));
    BOOST_CHECK_EQUAL(loaded->seed, run);
    BOOST_REQUIRE_EQUAL(loaded->modes.size(), 1U);
    BOOST_CHECK_EQUAL(loaded->modes.front().name(), variant.mode);
    BOOST_CHECK(!variant.tree["swarm"]);
  }
}

BOOST_AUTO_TEST_CASE(draws_stay_within_their_ranges_and_reach_every_value) {
  const YAML::Node base = tree_of(kGeneral);
  swarm::Ranges ranges;
  ranges.brokers = {2, 4};
  ranges.replication_factor = {2, 3};
  ranges.min_insync_replicas = {1, 3};
  ranges.modes = {"at-least-once", "exactly-once"};
  std::set<std::string> brokers, modes, crash;
  for (std::uint64_t run = 1; run <= 400; ++run) {
    const swarm::Variant variant = swarm::draw_variant(base, kGeneral, ranges, run);
    const int drawn_brokers = variant.tree["cluster"]["brokers"].as<int>();
    const int rf = variant.tree["cluster"]["topics"][0]["replication.factor"].as<int>();
    const int min_isr = variant.tree["cluster"]["topics"][0]["min.insync.replicas"].as<int>();
    BOOST_CHECK(drawn_brokers >= 2 && drawn_brokers <= 4);
    BOOST_CHECK(rf >= 2 && rf <= std::min(3, drawn_brokers));
    BOOST_CHECK(min_isr >= 1 && min_isr <= rf);
    brokers.insert(std::to_string(drawn_brokers));
    modes.insert(variant.mode);
    crash.insert(value_of(variant, "crash") == "off" ? "off" : "on");
    // Not among the default fault kinds: never drawn.
    BOOST_CHECK(!variant.tree["nemesis"] || !variant.tree["nemesis"]["power-failure"]);
  }
  BOOST_CHECK(brokers == (std::set<std::string>{"2", "3", "4"}));
  BOOST_CHECK(modes == (std::set<std::string>{"at-least-once", "exactly-once"}));
  BOOST_CHECK(crash == (std::set<std::string>{"off", "on"}));
}

BOOST_AUTO_TEST_CASE(a_dimension_draws_from_its_own_stream) {
  const YAML::Node base = tree_of(kGeneral);
  swarm::Ranges narrow;
  swarm::Ranges wide = narrow;
  wide.loss = {"0", "0.5%", "1%", "2%", "5%"};
  wide.modes = {"exactly-once"};
  for (std::uint64_t run = 1; run <= 30; ++run) {
    const swarm::Variant a = swarm::draw_variant(base, kGeneral, narrow, run);
    const swarm::Variant b = swarm::draw_variant(base, kGeneral, wide, run);
    BOOST_CHECK_EQUAL(value_of(a, "brokers"), value_of(b, "brokers"));
    BOOST_CHECK_EQUAL(value_of(a, "latency"), value_of(b, "latency"));
    BOOST_CHECK_EQUAL(value_of(a, "crash"), value_of(b, "crash"));
  }
}

// swarm.cued_faults: faults aimed by role and cued by events, appended to the base's. Every
// drawn fault loads without a warning (the loader warns about a cue that can never fire),
// every kind, role and event is reached, and the count has its own stream.
BOOST_AUTO_TEST_CASE(cued_faults_load_without_warnings_and_reach_every_kind_role_and_event) {
  const YAML::Node base = tree_of(kGeneral);
  swarm::Ranges ranges;
  ranges.cued_faults = {0, 2};
  ranges.fault_kinds = {"crash", "power-failure", "pause", "partition"};
  std::set<std::string> kinds, roles, events;
  std::set<std::size_t> counts;
  for (std::uint64_t run = 1; run <= 200; ++run) {
    const swarm::Variant variant = swarm::draw_variant(base, kGeneral, ranges, run);
    const YAML::Node faults = variant.tree["faults"];
    counts.insert(faults ? faults.size() : 0);
    for (std::size_t i = 0; faults && i < faults.size(); ++i) {
      const YAML::Node fault = faults[i];
      kinds.insert(fault["kind"].as<std::string>());
      const YAML::Node target = fault["kind"].as<std::string>() == "network" ? fault["from"][0] : fault["target"];
      roles.insert(target.IsScalar() ? target.as<std::string>() : target.begin()->first.as<std::string>());
      events.insert(fault["when"]["event"].as<std::string>());
    }
    scenario::InputErrors errors;
    const auto loaded = scenario::load_scenario_text(shrink::emit_yaml(variant.tree), "variant.yaml", errors);
    BOOST_REQUIRE_MESSAGE(loaded, errors.to_string() + "\n" + shrink::emit_yaml(variant.tree));
    BOOST_CHECK_MESSAGE(errors.warnings().empty(), errors.warnings_to_string() + "\n" + shrink::emit_yaml(variant.tree));
  }
  BOOST_CHECK(counts == (std::set<std::size_t>{0, 1, 2}));
  BOOST_CHECK(kinds == (std::set<std::string>{"crash", "power-failure", "pause", "network"}));
  BOOST_CHECK(roles == (std::set<std::string>{"leader-of", "follower-of", "coordinator-of-group", "random-broker"}));
  BOOST_CHECK(events == (std::set<std::string>{"acknowledged-sends", "isr-shrink", "leader-election", "consumer-commit",
                                               "transaction-prepare-commit"}));
  // Widening the count never moves the first fault's draws, nor the other dimensions.
  swarm::Ranges one = ranges;
  one.cued_faults = {1, 1};
  swarm::Ranges three = ranges;
  three.cued_faults = {3, 3};
  for (std::uint64_t run = 1; run <= 20; ++run) {
    const swarm::Variant a = swarm::draw_variant(base, kGeneral, one, run);
    const swarm::Variant b = swarm::draw_variant(base, kGeneral, three, run);
    BOOST_CHECK_EQUAL(shrink::emit_yaml(a.tree["faults"][0]), shrink::emit_yaml(b.tree["faults"][0]));
    BOOST_CHECK_EQUAL(value_of(a, "brokers"), value_of(b, "brokers"));
    BOOST_CHECK_EQUAL(value_of(a, "crash"), value_of(b, "crash"));
    BOOST_CHECK_EQUAL(value_of(a, "cued_fault.1.cue"), value_of(b, "cued_fault.1.cue"));
    BOOST_CHECK_EQUAL(value_of(b, "cued_faults"), "3");
  }
}

// swarm.kafka.version: each run gets a listed version under which it loads. Transactions and
// idempotence need 0.11 (KIP-98), so exactly-once runs always get 3.9 while at-most-once
// runs get either; the order is the run's own, so the same run gets the same version.
BOOST_AUTO_TEST_CASE(a_drawn_kafka_version_is_one_the_variant_loads_under) {
  const YAML::Node base = tree_of(kGeneral);
  swarm::Ranges ranges;
  ranges.modes = {"at-most-once", "exactly-once-transactions"};
  ranges.kafka_version = {"0.10.2", "3.9"};
  std::set<std::string> at_most_once, transactions;
  for (std::uint64_t run = 1; run <= 40; ++run) {
    swarm::Variant variant = swarm::draw_variant(base, kGeneral, ranges, run);
    std::string text;
    scenario::InputErrors errors;
    BOOST_REQUIRE_MESSAGE(swarm::load_variant(variant, kGeneral, ranges.kafka_version, text, errors), errors.to_string());
    const std::string version = value_of(variant, "kafka.version");
    BOOST_CHECK_EQUAL(variant.tree["cluster"]["kafka.version"].as<std::string>(), version);
    BOOST_CHECK_NE(text.find("kafka.version=" + version), std::string::npos);
    (variant.mode == "at-most-once" ? at_most_once : transactions).insert(version);
    BOOST_CHECK(swarm::version_order(ranges.kafka_version, run) == swarm::version_order(ranges.kafka_version, run));
  }
  BOOST_CHECK(at_most_once == (std::set<std::string>{"0.10.2", "3.9"}));
  BOOST_CHECK(transactions == (std::set<std::string>{"3.9"}));
  BOOST_CHECK_NE(errors_of("  kafka.version: [\"9.9\"]\n").find("swarm.kafka.version"), std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_swarm_sections_are_named_by_line_and_column) {
  BOOST_CHECK_NE(errors_of("  brokers: 5..3\n").find("base.yaml:6:12: swarm.brokers: empty range"), std::string::npos);
  BOOST_CHECK_NE(errors_of("  modes: []\n").find("base.yaml:6:10: swarm.modes: is empty"), std::string::npos);
  BOOST_CHECK_NE(errors_of("  brokers: 1..2\n  replication.factor: 3\n").find("base.yaml:7:23: swarm.replication.factor"),
                 std::string::npos);
  BOOST_CHECK_NE(errors_of("  replication.factor: 1..2\n  min.insync.replicas: 3..3\n").find("base.yaml:7:24"),
                 std::string::npos);
  BOOST_CHECK_NE(errors_of("  acks: [all, some]\n").find("unknown value \"some\""), std::string::npos);
  BOOST_CHECK_NE(errors_of("  loss: [1%, lots]\n").find("expected a probability"), std::string::npos);
  BOOST_CHECK_NE(errors_of("  brokerz: 3..5\n").find("did you mean \"brokers\""), std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_weak_configuration_in_range_is_found_written_and_shrunk_alike_at_any_jobs) {
  // Its own folder: /tmp is shared with whatever else runs on the machine.
  const std::filesystem::path out =
      std::filesystem::temp_directory_path() / ("ksim-test-swarm-" + std::to_string(::getpid()));
  std::filesystem::remove_all(out);
  swarm::SwarmRequest request;
  request.base = tree_of(kWeak);
  request.file = kWeak;
  request.ranges = ranges_of(request.base, kWeak);
  request.first_run = 25;
  request.last_run = 30;
  request.out_dir = (out / "j1").string();
  const swarm::SwarmResult one = swarm::run_swarm(request, {});
  request.jobs = 2;
  request.out_dir = (out / "j2").string();
  const swarm::SwarmResult two = swarm::run_swarm(request, {});
  BOOST_REQUIRE(!one.findings.empty());
  BOOST_REQUIRE_EQUAL(one.runs.size(), two.runs.size());
  for (std::size_t i = 0; i < one.runs.size(); ++i) {
    BOOST_CHECK_EQUAL(one.runs[i].run, two.runs[i].run);
    BOOST_CHECK(one.runs[i].dimensions == two.runs[i].dimensions);
    BOOST_CHECK_EQUAL(one.runs[i].violations.size(), two.runs[i].violations.size());
  }
  const swarm::Finding& finding = one.findings.front();
  BOOST_CHECK_EQUAL(finding.violation.counter, "lost");
  // The written variant is a standalone scenario that fails the same way on its own.
  scenario::InputErrors errors;
  const std::optional<scenario::Scenario> written = scenario::load_scenario_file(finding.file, errors);
  BOOST_REQUIRE_MESSAGE(written, errors.to_string());
  BOOST_CHECK(shrink::same_violation(finding.violation,
                                     shrink::judge_run(*written, written->modes.front(), finding.run).violations));
  BOOST_REQUIRE(!finding.shrunk_file.empty());
  const std::optional<scenario::Scenario> shrunk = scenario::load_scenario_file(finding.shrunk_file, errors);
  BOOST_REQUIRE_MESSAGE(shrunk, errors.to_string());
  BOOST_CHECK(shrink::same_violation(finding.violation,
                                     shrink::judge_run(*shrunk, shrunk->modes.front(), finding.run).violations));
  BOOST_CHECK_LE(finding.after.messages, finding.before.messages);
  std::filesystem::remove_all(out);
}
