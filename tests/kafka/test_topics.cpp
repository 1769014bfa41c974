#define BOOST_TEST_MODULE kafka_topics
#include <boost/test/unit_test.hpp>

#include <string>
#include <type_traits>
#include <vector>

#include "sim/check/checker.h"
#include "sim/history/records.h"
#include "sim/kafka/config/topic_layout.h"
#include "sim/kafka/world.h"
#include "sim/scenario/input_error.h"
#include "sim/scenario/scenario_loader.h"

// Several topics in one run (issue 15 item 5): partitions numbered globally, each client on
// its own topic's range, per-topic counters from the history header's partition table, and
// the loader's refusals of bad topic names, with file:line:column.
using namespace ksim;

namespace {

// orders: global partitions 0..2; clicks: 3..4 (replication factor 1, pinned on broker 2).
const std::string kTwoTopics = R"(version: 1
name: topics
duration: 2s
cluster:
  brokers: 3
  config: {min.insync.replicas: 2}
  topics:
    - {name: orders, partitions: 3, replication.factor: 3}
    - {name: clicks, replica.assignment: "2,2", min.insync.replicas: 1}
producers:
  - {name: checkout, topic: orders, messages: 600, rate: 1000/s, keys: 6}
  - {name: tracker, topic: clicks, messages: 400, rate: 1000/s, config: {partitioner: round-robin}}
consumers:
  - {name: billing, topic: orders, members: 2, config: {auto.offset.reset: earliest}}
  - {name: analytics, topic: clicks, config: {auto.offset.reset: earliest}}
modes: [at-least-once]
)";

scenario::Scenario load(const std::string& text) {
  scenario::InputErrors errors;
  auto loaded = scenario::load_scenario_text(text, "topics.yaml", errors);
  BOOST_REQUIRE_MESSAGE(loaded.has_value(), errors.to_string());
  return *loaded;
}

std::string load_errors(const std::string& text) {
  scenario::InputErrors errors;
  const auto loaded = scenario::load_scenario_text(text, "topics.yaml", errors);
  BOOST_TEST(!loaded.has_value());
  return errors.to_string();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  BOOST_REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

history::History run(const scenario::Scenario& loaded, std::uint64_t seed = 1) {
  scenario::InputErrors errors;
  kafka::WorldConfig config = scenario::build_world_config(loaded, loaded.modes.front(), seed, errors);
  BOOST_REQUIRE_MESSAGE(errors.empty(), errors.to_string());
  kafka::World world(std::move(config));
  return world.run().history;
}

}  // namespace

BOOST_AUTO_TEST_CASE(partitions_are_numbered_topic_after_topic) {
  scenario::InputErrors errors;
  const kafka::WorldConfig config = scenario::build_world_config(load(kTwoTopics), {}, 1, errors);
  BOOST_REQUIRE_MESSAGE(errors.empty(), errors.to_string());
  const kafka::ClusterConfig& cluster = config.cluster;
  BOOST_TEST(kafka::total_partitions(cluster) == 5u);
  BOOST_TEST(kafka::topic_range(cluster, 1).first == 3u);
  BOOST_TEST(kafka::topic_range(cluster, 1).count == 2u);
  BOOST_TEST(kafka::topic_of_partition(cluster, PartitionId{2}) == 0u);
  BOOST_TEST(kafka::topic_of_partition(cluster, PartitionId{3}) == 1u);
  BOOST_TEST(kafka::partition_named(cluster, "clicks-1").value_or(99) == 4u);
  BOOST_TEST(kafka::partition_named(cluster, "orders-0").value_or(99) == 0u);
  BOOST_TEST(!kafka::partition_named(cluster, "clicks-2").has_value());
  BOOST_TEST(!kafka::partition_named(cluster, "clicks-01").has_value());
  BOOST_TEST(!kafka::partition_named(cluster, "clicks").has_value());
  BOOST_TEST(kafka::partition_names_text(cluster) == "orders-0..orders-2, clicks-0..clicks-1");
}

BOOST_AUTO_TEST_CASE(each_client_stays_on_its_topic_and_counts_split_by_topic) {
  const history::History history = run(load(kTwoTopics));
  BOOST_REQUIRE(history.partitions.size() == 5u);
  BOOST_TEST(history.partitions[2].topic == "orders");
  BOOST_TEST(history.partitions[2].index == 2u);
  BOOST_TEST(history.partitions[4].topic == "clicks");
  BOOST_TEST(history.partitions[4].index == 1u);
  // The topic's own replication settings in the header: clicks pinned on broker-2 alone.
  BOOST_TEST(history.replication[4].replicas.size() == 1u);
  BOOST_TEST(history.replication[4].min_insync_replicas == 1u);
  BOOST_TEST(history.replication[0].min_insync_replicas == 2u);
  BOOST_TEST(
      (history.groups[0].partitions ==
       std::vector<ksim::PartitionId>{ksim::PartitionId{0}, ksim::PartitionId{1}, ksim::PartitionId{2}}));
  BOOST_TEST((history.groups[1].partitions ==
              std::vector<ksim::PartitionId>{ksim::PartitionId{3}, ksim::PartitionId{4}}));
  const ksim::NodeId checkout{4};  // controller, 3 brokers, then the producers
  std::vector<std::uint32_t> sends_per_partition(5, 0);
  std::uint32_t assignments_outside_topic = 0;
  for (const history::Record& record : history.records) {
    history::visit(record, [&]<class Typed>(const Typed& typed) {
      if constexpr (std::is_same_v<Typed, history::SendRecord>) {
        BOOST_TEST((typed.partition.value() < 3) == (typed.producer == checkout));
        ++sends_per_partition[typed.partition.index()];
      } else if constexpr (std::is_same_v<Typed, history::PartitionAssignedRecord>) {
        if ((typed.group.value() == 0) != (typed.partition.value() < 3)) ++assignments_outside_topic;
      }
    });
  }
  BOOST_TEST(assignments_outside_topic == 0u);
  // Round robin over clicks' two partitions: 200 each.
  BOOST_TEST(sends_per_partition[3] == 200u);
  BOOST_TEST(sends_per_partition[4] == 200u);
  const check::Outcome outcome = check::check(history);
  BOOST_REQUIRE(outcome.topics.size() == 2u);
  BOOST_TEST(outcome.topics[0].name == "orders");
  BOOST_TEST(outcome.topics[0].produced == 600u);
  BOOST_TEST(outcome.topics[1].name == "clicks");
  BOOST_TEST(outcome.topics[1].produced == 400u);
  BOOST_TEST(outcome.topics[1].delivered == 400u);
  BOOST_TEST(outcome.topics[0].delivered + outcome.topics[1].delivered == outcome.counters.delivered);
  BOOST_TEST(outcome.counters.lost == 0u);
}

// A power failure of the only replica of clicks-0 loses clicks' acknowledged, unflushed
// records and none of the replicated orders': the per-topic counters tell them apart.
BOOST_AUTO_TEST_CASE(per_topic_counters_show_where_messages_were_lost) {
  // The analytics consumer is paused meanwhile, so what it has not read is on broker-2 only.
  const std::string text = kTwoTopics + R"(faults:
  - {at: 0s, kind: pause, targets: [analytics-0], duration: 1500ms}
  - {at: 1s, kind: power-failure, target: {leader-of: clicks-0}, duration: 300ms}
)";
  const scenario::Scenario loaded = load(text);
  const check::Outcome outcome = check::check(run(loaded));
  BOOST_REQUIRE(outcome.topics.size() == 2u);
  BOOST_TEST(outcome.topics[0].lost == 0u);
  BOOST_TEST(outcome.topics[1].lost > 0u);
  BOOST_TEST(outcome.topics[0].lost + outcome.topics[1].lost == outcome.counters.lost);
}

BOOST_AUTO_TEST_CASE(per_topic_expectations_load_and_bad_ones_are_refused) {
  const scenario::Scenario loaded = load(kTwoTopics + "expect:\n  at-least-once: {orders.lost: 0, clicks.delivered: \"> 0\"}\n");
  BOOST_REQUIRE(loaded.expectations.size() == 2u);
  BOOST_TEST(loaded.expectations[0].counter == "orders.lost");
  const std::string unknown = load_errors(kTwoTopics + "expect:\n  at-least-once: {audit.lost: 0}\n");
  BOOST_TEST(unknown.find("topics.yaml:18:") != std::string::npos, unknown);
  BOOST_TEST(unknown.find("no topic \"audit\"") != std::string::npos, unknown);
}

BOOST_AUTO_TEST_CASE(loader_refuses_bad_topics_naming_the_place) {
  struct Case {
    std::string text;
    std::string where;
    std::string says;
  };
  const std::vector<Case> cases{
      {replaced(kTwoTopics, "topic: clicks, messages", "topic: click, messages"), "topics.yaml:12:",
       "unknown topic \"click\""},
      {replaced(kTwoTopics, "{name: analytics, topic: clicks,", "{name: analytics, topic: audit,"), "topics.yaml:15:",
       "unknown topic \"audit\""},
      {replaced(kTwoTopics, "{name: checkout, topic: orders,", "{name: checkout,"), "topics.yaml:11:",
       "is required: the cluster has 2 topics (orders, clicks)"},
      {replaced(kTwoTopics, "{name: clicks,", "{name: orders,"), "topics.yaml:9:", "topic \"orders\" is listed twice"},
      {replaced(kTwoTopics, "{name: clicks,", "{name: \"click stream\","), "topics.yaml:9:",
       "is not a legal Kafka topic name"},
      {kTwoTopics + "faults:\n  - {at: 1s, kind: crash, target: {leader-of: clicks-2}}\n", "topics.yaml:18:",
       "no partition \"clicks-2\"; the topics' partitions are orders-0..orders-2, clicks-0..clicks-1"},
  };
  for (const Case& c : cases) {
    const std::string errors = load_errors(c.text);
    BOOST_TEST(errors.find(c.where) != std::string::npos, errors);
    BOOST_TEST(errors.find(c.says) != std::string::npos, errors);
  }
}

// One topic: clients need not name it (every bundled scenario), and its partitions keep the
// plain numbering.
BOOST_AUTO_TEST_CASE(one_topic_needs_no_topic_key) {
  const scenario::Scenario loaded = load(R"(version: 1
name: one
duration: 1s
cluster: {brokers: 3, topics: [{name: orders, partitions: 2}]}
producers: [{messages: 100}]
modes: [at-least-once]
expect: {at-least-once: {lost: 0}}
)");
  const check::Outcome outcome = check::check(run(loaded));
  BOOST_TEST(outcome.topics.size() == 1u);
  BOOST_TEST(outcome.topics[0].produced == 100u);
  const std::string refused = load_errors(R"(version: 1
name: one
cluster: {brokers: 3, topics: [{name: orders}]}
producers: [{messages: 100}]
modes: [at-least-once]
expect: {at-least-once: {orders.lost: 0}}
)");
  BOOST_TEST(refused.find("per-topic counters need several topics") != std::string::npos, refused);
}
