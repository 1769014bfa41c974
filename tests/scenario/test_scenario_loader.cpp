#define BOOST_TEST_MODULE scenario_loader
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>

#include "sim/random/random_stream.h"
#include "sim/scenario/scenario_loader.h"
#include "tests/scenario/world_from_text.h"

// The scenario schema on top of the YAML readers: a good file becomes the WorldConfig it
// describes (defaults, then the mode's preset, then the file's settings), and every
// class of bad input gives its own message at file:line:column with the key path.

using namespace ksim;
using namespace ksim::scenario;

namespace {

const std::string kGood = R"(version: 1
name: good
seeds: 1..20
duration: 2s
cluster:
  brokers: 3
  config:
    min.insync.replicas: 2
    replica.lag.time.max.ms: 10000
  topics:
    - {name: orders, partitions: 6, replication.factor: 3}
producers:
  - name: checkout
    count: 2
    messages: 500
    rate: 250/s
    keys: 16
    config:
      linger.ms: 10ms
      max.in.flight.requests.per.connection: 1
consumers:
  - name: billing
    members: 2
network:
  loss: 1%
  latency: {distribution: exponential, mean: 2ms, max: 50ms}
faults:
  - {at: 1s, kind: crash, targets: [broker-2], duration: 3s}
  - {at: 1s, kind: partition, groups: [[broker-1], [broker-2, broker-3]], duration: 500ms}
expect:
  at-least-once:
    lost: 0
  at-most-once:
    lost: {bound: "> 0", in: some-seed}
)";

std::string errors_of(const std::string& text) {
  InputErrors errors;
  const auto scenario = load_scenario_text(text, "s.yaml", errors);
  BOOST_TEST(!scenario.has_value());
  errors.sort();
  return errors.to_string();
}

bool contains(const std::string& haystack, const std::string& needle) {
  const bool found = haystack.find(needle) != std::string::npos;
  if (!found) BOOST_TEST_MESSAGE("missing <" << needle << "> in:\n" << haystack);
  return found;
}

// The smallest scenario the loader accepts with one mode; tests append what they vary.
const std::string kOneModeScenario = R"(version: 1
name: small
modes: [as-configured]
cluster: {brokers: 3}
producers: [{name: app, messages: 10}]
)";

}  // namespace

BOOST_AUTO_TEST_CASE(a_good_file_becomes_its_world_for_each_mode) {
  InputErrors errors;
  const auto scenario = load_scenario_text(kGood, "s.yaml", errors);
  BOOST_REQUIRE_MESSAGE(scenario.has_value(), errors.to_string());
  BOOST_TEST(scenario->name == "good");
  BOOST_TEST(scenario->seeds.first == 1u);
  BOOST_TEST(scenario->seeds.last == 20u);
  BOOST_TEST(scenario->modes.size() == 4u);  // no `modes`: all four delivery modes
  BOOST_TEST(scenario->expectations.size() == 2u);
  BOOST_TEST((scenario->expectations[1].quantifier == Quantifier::some_seed));

  const kafka::WorldConfig at_least_once =
      build_world_config(*scenario, ModeChoice{kafka::DeliveryMode::at_least_once}, 7, errors);
  BOOST_TEST(errors.empty());
  BOOST_TEST(at_least_once.seed == 7u);
  BOOST_TEST(at_least_once.workload_duration_ns == seconds(2));
  BOOST_TEST(at_least_once.cluster.broker.min_insync_replicas == 2u);
  BOOST_TEST(at_least_once.cluster.broker.replica_lag_time_max_ns == milliseconds(10'000));
  BOOST_TEST(at_least_once.cluster.topics.front().partitions == 6u);
  BOOST_TEST(at_least_once.producers.front().count == 2u);
  BOOST_TEST(at_least_once.producers.front().rate_per_second == 250.0);
  BOOST_TEST(at_least_once.producers.front().config.linger_ns == milliseconds(10));
  BOOST_TEST(at_least_once.producers.front().config.max_in_flight_requests_per_connection == 1u);
  BOOST_TEST((at_least_once.producers.front().config.acks == kafka::Acks::all));  // the preset
  BOOST_TEST(!at_least_once.producers.front().config.enable_idempotence);
  BOOST_TEST((at_least_once.consumer_groups.front().commit_strategy == kafka::CommitStrategy::after_processing));
  BOOST_TEST(at_least_once.link_profile.loss.loss_probability == 0.01);
  BOOST_TEST(at_least_once.link_profile.latency.latency_ns_max == milliseconds(50));
  BOOST_TEST(at_least_once.faults.size() == 2u);
  BOOST_TEST(at_least_once.faults[1].groups.size() == 2u);

  const kafka::WorldConfig at_most_once =
      build_world_config(*scenario, ModeChoice{kafka::DeliveryMode::at_most_once}, 7, errors);
  BOOST_TEST((at_most_once.producers.front().config.acks == kafka::Acks::none));
  BOOST_TEST((at_most_once.consumer_groups.front().commit_strategy == kafka::CommitStrategy::before_processing));
  const kafka::WorldConfig exactly_once =
      build_world_config(*scenario, ModeChoice{kafka::DeliveryMode::exactly_once}, 7, errors);
  BOOST_TEST(exactly_once.producers.front().config.enable_idempotence);
  BOOST_TEST((exactly_once.consumer_groups.front().sink == kafka::SinkKind::idempotent));
}

BOOST_AUTO_TEST_CASE(explicit_settings_override_the_mode_preset) {
  const std::string text = R"(version: 1
name: override
modes: [at-most-once]
cluster: {brokers: 1}
producers:
  - {messages: 10, config: {acks: 1}}
)";
  InputErrors errors;
  const auto scenario = load_scenario_text(text, "s.yaml", errors);
  BOOST_REQUIRE_MESSAGE(scenario.has_value(), errors.to_string());
  const auto config = build_world_config(*scenario, scenario->modes.front(), 1, errors);
  BOOST_TEST((config.producers.front().config.acks == kafka::Acks::leader));
}

BOOST_AUTO_TEST_CASE(unknown_key_with_did_you_mean) {
  const std::string text = "version: 1\nname: x\ncluster: {brokers: 1}\nproducers:\n  - messages: 1\n    config:\n      lingr.ms: 5\n";
  BOOST_TEST(contains(errors_of(text), "s.yaml:7:7: producers[0].config: unknown key \"lingr.ms\"; did you mean \"linger.ms\"?"));
}

BOOST_AUTO_TEST_CASE(wrong_type_out_of_range_and_missing_keys) {
  const std::string text = "version: 1\ncluster: {brokers: many}\nproducers:\n  - {messages: 0}\n";
  const std::string errors = errors_of(text);
  BOOST_TEST(contains(errors, "s.yaml:1:1: missing required key \"name\""));
  BOOST_TEST(contains(errors, "s.yaml:2:20: cluster.brokers: expected a non-negative integer, got \"many\""));
  BOOST_TEST(contains(errors, "s.yaml:4:16: producers[0].messages: must be between 1 and 100000000, got \"0\""));
}

BOOST_AUTO_TEST_CASE(absurd_sizes_are_refused) {
  const std::string text =
      "version: 1\nname: x\ncluster: {brokers: 1000}\nproducers:\n  - {messages: 1000000000000, count: 5000}\n";
  const std::string errors = errors_of(text);
  BOOST_TEST(contains(errors, "cluster.brokers: must be between 1 and 100, got \"1000\""));
  BOOST_TEST(contains(errors, "producers[0].messages: must be between 1 and 100000000, got \"1000000000000\""));
  BOOST_TEST(contains(errors, "producers[0].count: must be between 1 and 1000, got \"5000\""));
}

// The application's queue bound and the producer's buffer.memory / max.block.ms (issue 13).
BOOST_AUTO_TEST_CASE(application_queue_buffer_memory_and_max_block_ms_are_validated) {
  const std::string text = R"(version: 1
name: x
cluster: {brokers: 3}
producers:
  - messages: 10
    application_queue: lots
    config: {buffer.memory: 0, max.block.ms: -5}
  - {messages: 10, application_queue: 0}
)";
  const std::string errors = errors_of(text);
  BOOST_TEST(contains(errors, "s.yaml:6:24: producers[0].application_queue: expected a message count or unbounded, got \"lots\""));
  BOOST_TEST(contains(errors, "s.yaml:7:29: producers[0].config.buffer.memory: must be between 1B and"));
  BOOST_TEST(contains(errors, "s.yaml:7:46: producers[0].config.max.block.ms: expected milliseconds"));
  BOOST_TEST(contains(errors, "s.yaml:8:39: producers[1].application_queue: must be between 1 and 100000000, got \"0\""));

  const kafka::WorldConfig config = testing::first_mode_world(R"(version: 1
name: small
modes: [as-configured]
cluster: {brokers: 3}
producers:
  - messages: 10
    application_queue: 500
    config: {buffer.memory: 1MiB, max.block.ms: 250}
  - {messages: 10, application_queue: unbounded}
)");
  BOOST_TEST(config.producers[0].application_queue_max_messages == 500u);
  BOOST_TEST(config.producers[0].config.buffer_memory_bytes == 1'048'576u);
  BOOST_TEST(config.producers[0].config.max_block_ns == milliseconds(250));
  BOOST_TEST(config.producers[1].application_queue_max_messages == 0u);  // no bound
  BOOST_TEST(config.producers[1].config.buffer_memory_bytes == 33'554'432u);  // Kafka's default
}

// KIP-966: eligible leader replicas need (and turn on) the strict min ISR rule.
BOOST_AUTO_TEST_CASE(eligible_leader_replicas_imply_strict_min_isr) {
  const std::string contradiction = R"(version: 1
name: x
cluster: {brokers: 3, config: {eligible.leader.replicas.version: 1, strict.min.isr: false}}
producers: [{messages: 10}]
)";
  BOOST_TEST(contains(errors_of(contradiction), "s.yaml:3:85: cluster.config.strict.min.isr: eligible.leader.replicas.version=1 "
                                                "needs the strict min ISR rule (KIP-966)"));
  const std::string bad_level = R"(version: 1
name: x
cluster: {brokers: 3, config: {eligible.leader.replicas.version: 2}}
producers: [{messages: 10}]
)";
  BOOST_TEST(contains(errors_of(bad_level), "cluster.config.eligible.leader.replicas.version: must be between 0 and 1"));
  const kafka::WorldConfig config = testing::first_mode_world(R"(version: 1
name: small
modes: [as-configured]
cluster: {brokers: 3, config: {eligible.leader.replicas.version: 1}}
producers: [{name: app, messages: 10}]
)");
  BOOST_TEST(config.cluster.broker.eligible_leader_replicas);
  BOOST_TEST(config.cluster.broker.strict_min_isr);
}

BOOST_AUTO_TEST_CASE(contradictory_kafka_settings_are_refused_as_kafka_does) {
  const std::string text = R"(version: 1
name: x
modes: [as-configured]
cluster: {brokers: 3}
producers:
  - messages: 10
    config: {acks: 1, enable.idempotence: true}
)";
  BOOST_TEST(contains(errors_of(text), "s.yaml:7:43: producers[0].config.enable.idempotence: enable.idempotence=true "
                                       "conflicts with this configuration: acks must be all"));
}

BOOST_AUTO_TEST_CASE(a_preset_that_contradicts_an_explicit_setting_is_named) {
  const std::string text = R"(version: 1
name: x
modes: [exactly-once, at-most-once]
cluster: {brokers: 3}
producers:
  - messages: 10
    config: {enable.idempotence: true}
)";
  BOOST_TEST(contains(errors_of(text), "conflicts with this configuration: acks must be all (with the at-most-once preset)"));
}

BOOST_AUTO_TEST_CASE(unknown_nodes_topics_modes_and_counters) {
  const std::string text = R"(version: 1
name: x
modes: [at-least-once, exactly-twice]
cluster: {brokers: 2, topics: [{name: orders}]}
producers:
  - {messages: 10, topic: ordres}
faults:
  - {at: 1s, kind: crash, targets: [broker-3]}
  - {at: 1s, kind: power-failure, targets: [producer-0]}
expect:
  at-least-once: {lots: 0}
  exactly-once: {lost: 0}
)";
  const std::string errors = errors_of(text);
  BOOST_TEST(contains(errors, "modes[1]: unknown mode \"exactly-twice\""));
  BOOST_TEST(contains(errors, "producers[0].topic: unknown topic \"ordres\""));
  BOOST_TEST(contains(errors, "faults[0].targets: unknown node \"broker-3\""));
  BOOST_TEST(contains(errors, "faults[1].targets: power-failure applies to servers (brokers and controllers)"));
  BOOST_TEST(contains(errors, "expect.at-least-once.lots: unknown counter \"lots\"; did you mean \"lost\"?"));
  BOOST_TEST(contains(errors, "expect.exactly-once: expectations for mode \"exactly-once\", which this scenario does not run"));
}

BOOST_AUTO_TEST_CASE(malformed_empty_and_binary_files) {
  BOOST_TEST(contains(errors_of(""), "s.yaml: file is empty"));
  BOOST_TEST(contains(errors_of(std::string("version: 1\0\x01\x02", 13)), "not a text file"));
  BOOST_TEST(contains(errors_of("version: 1\nname: [x\n"), "s.yaml:"));
  BOOST_TEST(contains(errors_of("version: 2\nname: x\ncluster: {}\nproducers: [{messages: 1}]\n"),
                      "version: this ksim reads scenario version 1, the file says 2"));
}

BOOST_AUTO_TEST_CASE(all_errors_of_a_file_come_at_once_in_line_order) {
  const std::string text = "version: 1\nname: x\ncluster: {brokers: 0}\nproducers:\n  - {messages: 0}\nnetwork: {loss: 2}\n";
  InputErrors errors;
  BOOST_TEST(!load_scenario_text(text, "s.yaml", errors).has_value());
  errors.sort();
  BOOST_REQUIRE(errors.size() == 3u);
  BOOST_TEST(errors.all()[0].line == 3);
  BOOST_TEST(errors.all()[1].line == 5);
  BOOST_TEST(errors.all()[2].line == 6);
}

BOOST_AUTO_TEST_CASE(set_replaces_scalars_along_dotted_kafka_names) {
  InputErrors errors;
  auto root = YAML::Load(kGood);
  BOOST_TEST(!set_scalar(root, "network.loss", "5%").has_value());
  BOOST_TEST(!set_scalar(root, "producers[0].config.max.in.flight.requests.per.connection", "5").has_value());
  const auto error = set_scalar(root, "producers[0].config.enable.idempotence", "false");
  BOOST_TEST(!error.has_value(), error.value_or(""));
  BOOST_TEST(!set_scalar(root, "cluster.config.unclean.leader.election.enable", "true").has_value());
  BOOST_TEST(set_scalar(root, "producers[7].messages", "1").has_value());
  BOOST_TEST(set_scalar(root, "cluster", "3").has_value());
  BOOST_TEST(root["network"]["loss"].as<std::string>() == "5%");
  BOOST_TEST(root["producers"][0]["config"]["max.in.flight.requests.per.connection"].as<std::string>() == "5");
  BOOST_TEST(root["producers"][0]["config"]["enable.idempotence"].as<std::string>() == "false");
  BOOST_TEST(root["cluster"]["config"]["unclean.leader.election.enable"].as<std::string>() == "true");
}

BOOST_AUTO_TEST_CASE(zones_inter_zone_profiles_and_link_overrides) {
  const std::string text = kOneModeScenario + R"(network:
  latency: {distribution: constant, mean: 1ms}
  zones:
    a: [broker-1, app-0]
    b: [broker-2, broker-3]
  inter_zone: {latency: {distribution: constant, mean: 20ms}, loss: 1%}
  links:
    - {from: broker-2, to: broker-3, loss: 50%, both_ways: false}
)";
  const auto config = testing::first_mode_world(text);
  BOOST_TEST(config.zone_of.at("app-0") == "a");
  BOOST_TEST(config.zone_of.at("broker-3") == "b");
  BOOST_REQUIRE(config.inter_zone_profile.has_value());
  BOOST_TEST(config.inter_zone_profile->latency.mean_ns == milliseconds(20));
  BOOST_TEST(config.inter_zone_profile->loss.loss_probability == 0.01);
  BOOST_REQUIRE(config.link_overrides.size() == 1u);
  BOOST_TEST(config.link_overrides[0].profile.loss.loss_probability == 0.5);
  BOOST_TEST(config.link_overrides[0].profile.latency.mean_ns == milliseconds(1));  // from the default profile
  BOOST_TEST(!config.link_overrides[0].both_ways);

  const std::string bad = R"(version: 1
name: zones
cluster: {brokers: 2}
producers: [{messages: 10}]
network:
  zones: {a: [broker-1, broker-9], b: [broker-1]}
  links: [{from: broker-1, to: broker-1}]
)";
  const std::string messages = errors_of(bad);
  BOOST_TEST(contains(messages, "network.zones.a[1]: unknown node \"broker-9\""));
  BOOST_TEST(contains(messages, "network.zones.b[0]: node \"broker-1\" is already in zone \"a\""));
  BOOST_TEST(contains(messages, "network.links[0].to: a link joins two different nodes"));
}

// Issue 11, bug 9: the default network had a constant 1 ms delay, so keyless records on
// the sticky partitioner never arrived out of order. The default now has jitter (a
// lognormal around 1 ms, see tcp_link_profile), and a latency map given in a file is a
// whole distribution: it does not inherit the default's clamps.
BOOST_AUTO_TEST_CASE(the_default_network_has_jitter_and_explicit_latencies_keep_their_values) {
  const auto config = testing::first_mode_world(kOneModeScenario);
  const net::LatencyDistribution& latency = config.link_profile.latency;
  BOOST_TEST((latency.kind != net::LatencyKind::constant));
  RandomStream random(1, "test.default-latency");
  TimeNs latency_ns_low = kTimeNeverNs, latency_ns_high = 0;
  double sum_ns = 0;
  constexpr int kDraws = 10'000;
  for (int i = 0; i < kDraws; ++i) {
    const TimeNs drawn_ns = latency.draw(random);
    latency_ns_low = std::min(latency_ns_low, drawn_ns);
    latency_ns_high = std::max(latency_ns_high, drawn_ns);
    sum_ns += static_cast<double>(drawn_ns);
  }
  BOOST_TEST(latency_ns_high - latency_ns_low > microseconds(500));  // spread, not one value
  BOOST_TEST(sum_ns / kDraws > 0.95e6);                               // still about 1 ms on average
  BOOST_TEST(sum_ns / kDraws < 1.05e6);
  BOOST_TEST(latency_ns_low >= microseconds(100));
  BOOST_TEST(latency_ns_high <= milliseconds(10));

  const auto pinned_config = testing::first_mode_world(kOneModeScenario + R"(network:
  latency: {distribution: constant, mean: 20ms}
)");
  BOOST_TEST(pinned_config.link_profile.latency.draw(random) == milliseconds(20));  // no inherited 10 ms clamp
}

BOOST_AUTO_TEST_CASE(racks_on_every_broker_or_on_none) {
  const std::string good = R"(version: 1
name: racks
modes: [as-configured]
cluster: {brokers: 3, racks: [az-a, az-b, az-c]}
producers: [{messages: 10}]
)";
  InputErrors errors;
  const auto scenario = load_scenario_text(good, "s.yaml", errors);
  BOOST_REQUIRE_MESSAGE(scenario.has_value(), errors.to_string());
  const auto config = build_world_config(*scenario, scenario->modes.front(), 1, errors);
  BOOST_TEST(config.cluster.broker_racks == std::vector<std::string>({"az-a", "az-b", "az-c"}),
             boost::test_tools::per_element());

  const std::string none = "version: 1\nname: x\ncluster: {brokers: 2, racks: [~, \"\"]}\nproducers: [{messages: 1}]\n";
  InputErrors no_errors;
  BOOST_TEST(load_scenario_text(none, "s.yaml", no_errors).has_value(), no_errors.to_string());

  const std::string partial = R"(version: 1
name: x
cluster:
  brokers: 3
  racks: [az-a, ~, az-b]
producers: [{messages: 1}]
)";
  BOOST_TEST(contains(errors_of(partial),
                      "s.yaml:5:17: cluster.racks[1]: broker-2 has no rack but 2 of 3 brokers have one: Kafka's "
                      "rack-aware replica assignment needs a rack on every broker or on none"));
  const std::string short_list = "version: 1\nname: x\ncluster: {brokers: 3, racks: [a, b]}\nproducers: [{messages: 1}]\n";
  BOOST_TEST(contains(errors_of(short_list), "cluster.racks: needs one rack per broker: 3 brokers, 2 racks"));
}

BOOST_AUTO_TEST_CASE(partition_assignment_strategy_by_name_or_kafka_class) {
  auto strategy_of = [](const std::string& value) {
    const std::string text = "version: 1\nname: x\nmodes: [as-configured]\ncluster: {brokers: 1}\n"
                             "producers: [{messages: 1}]\nconsumers:\n  - config: {partition.assignment.strategy: " +
                             value + "}\n";
    InputErrors errors;
    const auto scenario = load_scenario_text(text, "s.yaml", errors);
    BOOST_REQUIRE_MESSAGE(scenario.has_value(), errors.to_string());
    const auto config = build_world_config(*scenario, scenario->modes.front(), 1, errors);
    return config.consumer_groups.front().config.partition_assignment_strategy;
  };
  BOOST_TEST((strategy_of("range") == kafka::AssignmentStrategy::range));
  BOOST_TEST((strategy_of("roundrobin") == kafka::AssignmentStrategy::round_robin));
  BOOST_TEST((strategy_of("sticky") == kafka::AssignmentStrategy::sticky));
  BOOST_TEST((strategy_of("cooperative-sticky") == kafka::AssignmentStrategy::cooperative_sticky));
  BOOST_TEST((strategy_of("org.apache.kafka.clients.consumer.CooperativeStickyAssignor") ==
              kafka::AssignmentStrategy::cooperative_sticky));
  BOOST_TEST((strategy_of("org.apache.kafka.clients.consumer.RoundRobinAssignor") ==
              kafka::AssignmentStrategy::round_robin));

  const std::string bad = R"(version: 1
name: x
cluster: {brokers: 1}
producers: [{messages: 1}]
consumers:
  - config:
      partition.assignment.strategy: round-robin
)";
  BOOST_TEST(contains(errors_of(bad), "s.yaml:7:38: consumers[0].config.partition.assignment.strategy: expected one "
                                      "of range, roundrobin, sticky, cooperative-sticky"));
}

BOOST_AUTO_TEST_CASE(transactional_producers_and_isolation_level) {
  const std::string text = R"(version: 1
name: x
modes: [as-configured]
cluster: {brokers: 1}
producers:
  - messages: 10
    transaction_messages: 5
    transaction_abort_probability: 0.25
    config: {transactional.id: ledger, transaction.timeout.ms: 2000, enable.idempotence: true}
consumers:
  - config: {isolation.level: read_committed}
)";
  InputErrors errors;
  const auto scenario = load_scenario_text(text, "s.yaml", errors);
  BOOST_REQUIRE_MESSAGE(scenario.has_value(), errors.to_string());
  const auto config = build_world_config(*scenario, scenario->modes.front(), 1, errors);
  BOOST_REQUIRE_MESSAGE(errors.empty(), errors.to_string());
  const kafka::ProducerWorkload& producer = config.producers.front();
  BOOST_TEST(producer.config.transactional_id == "ledger");
  BOOST_TEST(producer.config.transaction_timeout_ns == ksim::milliseconds(2'000));
  BOOST_TEST(producer.transaction_messages == 5u);
  BOOST_TEST(producer.transaction_abort_probability == 0.25);
  BOOST_TEST(config.consumer_groups.front().config.read_committed);

  // Transaction knobs without a transactional id; a transactional producer without
  // idempotence or with acks=1 (Kafka refuses both); an unknown isolation level.
  const std::string bad = R"(version: 1
name: x
cluster: {brokers: 1}
producers:
  - messages: 10
    transaction_messages: 5
  - messages: 10
    config: {transactional.id: a, enable.idempotence: false}
  - messages: 10
    config: {transactional.id: b, acks: 1}
consumers:
  - config: {isolation.level: committed}
)";
  const std::string messages = errors_of(bad);
  BOOST_TEST(contains(messages, "s.yaml:6:27: producers[0].transaction_messages: needs config.transactional.id"));
  BOOST_TEST(contains(messages, "producers[1].config.enable.idempotence: transactional.id needs enable.idempotence=true"));
  BOOST_TEST(contains(messages, "producers[2].config.enable.idempotence: enable.idempotence=true conflicts with this "
                                "configuration: acks must be all"));
  BOOST_TEST(contains(messages, "s.yaml:12:31: consumers[0].config.isolation.level: expected one of read_uncommitted, "
                                "read_committed"));
}

// controlled-shutdown and rolling-restart: brokers only; a rolling restart expands into one
// controlled shutdown per broker, each `duration + interval` after the previous one, and
// must fit the workload phase.
BOOST_AUTO_TEST_CASE(controlled_shutdowns_and_rolling_restarts) {
  const std::string base = R"(version: 1
name: rolling
duration: 20s
cluster: {brokers: 3, topics: [{name: orders, replication.factor: 3}]}
producers: [{messages: 10}]
)";
  InputErrors errors;
  const auto scenario = load_scenario_text(
      base + "faults:\n  - {at: 1s, kind: rolling-restart, duration: 2s, interval: 3s}\n"
             "  - {at: 2s, kind: controlled-shutdown, targets: [broker-2], duration: 1s}\n",
      "s.yaml", errors);
  BOOST_REQUIRE_MESSAGE(scenario.has_value(), errors.to_string());
  const kafka::WorldConfig config = build_world_config(*scenario, scenario->modes.front(), 1, errors);
  BOOST_REQUIRE(config.faults.size() == 4u);
  for (std::size_t b = 0; b < 3; ++b) {
    BOOST_TEST(static_cast<int>(config.faults[b].action) == static_cast<int>(kafka::FaultAction::controlled_shutdown));
    BOOST_TEST(config.faults[b].targets == std::vector<std::string>{"broker-" + std::to_string(b + 1)});
    BOOST_TEST(config.faults[b].at_ns == seconds(1) + static_cast<TimeNs>(b) * seconds(5));
    BOOST_TEST(config.faults[b].duration_ns == seconds(2));
  }
  const std::string bad = errors_of(base + "faults:\n  - {at: 1s, kind: controlled-shutdown, targets: [producer-0]}\n"
                                           "  - {at: 15s, kind: rolling-restart, duration: 2s}\n"
                                           "  - {at: 1s, kind: rolling-restart}\n");
  BOOST_TEST(contains(bad, "faults[0].targets: controlled-shutdown applies to brokers, not \"producer-0\""));
  BOOST_TEST(contains(bad, "faults[1].at: the rolling restart of 3 brokers shuts the last one down at 39 s"));
  BOOST_TEST(contains(bad, "faults[2].duration: a rolling restart needs each broker's down time (> 0)"));
}
