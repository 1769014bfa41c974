#define BOOST_TEST_MODULE kafka_version
#include <boost/test/unit_test.hpp>

#include <string>

#include "sim/scenario/kafka_version.h"
#include "sim/scenario/scenario_loader.h"
#include "tests/scenario/world_from_text.h"

// kafka.version and client.version (scenarios/README.md, "Kafka versions"): the accepted
// spellings, the defaults each version sets, the order version < mode preset < file, the
// knobs that may keep an older behaviour, and the errors (at file:line:column) for a knob
// or feature the version did not have.

using namespace ksim;
using namespace ksim::scenario;

namespace {

// A one-mode scenario: `cluster` and `producer` are flow maps' inner text.
std::string scenario_text(const std::string& cluster, const std::string& producer = "",
                          const std::string& mode = "as-configured", const std::string& consumer = "") {
  std::string text = "version: 1\nname: v\nmodes: [" + mode + "]\ncluster: {brokers: 3" +
                     (cluster.empty() ? "" : ", " + cluster) + "}\nproducers: [{messages: 10" +
                     (producer.empty() ? "" : ", " + producer) + "}]\n";
  if (!consumer.empty()) text += "consumers: [{" + consumer + "}]\n";
  return text;
}

std::string errors_of(const std::string& text) {
  InputErrors errors;
  const auto scenario = load_scenario_text(text, "s.yaml", errors);
  BOOST_TEST(!scenario.has_value());
  return errors.to_string();
}

bool contains(const std::string& haystack, const std::string& needle) {
  const bool found = haystack.find(needle) != std::string::npos;
  if (!found) BOOST_TEST_MESSAGE("missing <" << needle << "> in:\n" << haystack);
  return found;
}

}  // namespace

BOOST_AUTO_TEST_CASE(release_lines_with_an_optional_patch_number_are_accepted) {
  for (const char* text : {"0.10.2", "0.10.2.1", "0.11", "0.11.0", "0.11.0.3", "2.0", "2.0.1", "3.9", "4.1", "4.1.0"}) {
    BOOST_TEST(parse_kafka_version(text).has_value(), text);
  }
  for (const char* text : {"", "2", "0.10.1", "0.10.3", "2.9", "5.0", "2.0.", "2.0.x", "v2.0", "2.01", "0.11.1"}) {
    BOOST_TEST(!parse_kafka_version(text).has_value(), text);
  }
  BOOST_TEST(parse_kafka_version("0.10.2.2")->to_string() == "0.10.2");
  BOOST_TEST(parse_kafka_version("0.11.0.3")->to_string() == "0.11");
  BOOST_TEST((*parse_kafka_version("0.11") < *parse_kafka_version("1.0")));
  BOOST_TEST(!parse_kafka_version("2.10.0").has_value());  // not 2.1's patch: no 2.10 line
}

BOOST_AUTO_TEST_CASE(without_a_version_the_defaults_are_unchanged) {
  const kafka::WorldConfig config = testing::first_mode_world(scenario_text(""));
  const kafka::BrokerConfig defaults;
  BOOST_TEST((config.cluster.broker.log_truncation == kafka::LogTruncation::leader_epoch));
  BOOST_TEST(config.cluster.broker.unclean_leader_election_enable == defaults.unclean_leader_election_enable);
  BOOST_TEST(config.cluster.broker.bounced_broker_detection);
  BOOST_TEST(!config.cluster.broker.eligible_leader_replicas);
  BOOST_TEST(!config.cluster.broker.strict_min_isr);
  BOOST_TEST((config.producers.front().config.acks == kafka::Acks::all));
  BOOST_TEST(config.producers.front().config.enable_idempotence);
  BOOST_TEST(config.producers.front().config.linger_ns == milliseconds(5));
  BOOST_TEST(config.consumer_groups.front().config.session_timeout_ns == milliseconds(45'000));
}

BOOST_AUTO_TEST_CASE(each_version_sets_its_broker_defaults) {
  struct Row {
    const char* version;
    kafka::LogTruncation truncation;
    bool unclean, bounced, elr;
  };
  using enum kafka::LogTruncation;
  for (const Row& row : {Row{"0.10.2", high_watermark, true, false, false}, Row{"0.11", leader_epoch_kip101, false, false, false},
                         Row{"1.1", leader_epoch_kip101, false, false, false}, Row{"2.0", leader_epoch, false, false, false},
                         Row{"2.1", leader_epoch, false, false, false}, Row{"2.2", leader_epoch, false, true, false},
                         Row{"3.9", leader_epoch, false, true, false}, Row{"4.0", leader_epoch, false, true, false},
                         Row{"4.1", leader_epoch, false, true, true}}) {
    BOOST_TEST_CONTEXT(row.version) {
      const kafka::BrokerConfig broker =
          testing::first_mode_world(scenario_text(std::string("kafka.version: \"") + row.version + "\"")).cluster.broker;
      BOOST_TEST((broker.log_truncation == row.truncation));
      BOOST_TEST(broker.unclean_leader_election_enable == row.unclean);
      BOOST_TEST(broker.bounced_broker_detection == row.bounced);
      BOOST_TEST(broker.eligible_leader_replicas == row.elr);
      BOOST_TEST(broker.strict_min_isr == row.elr);
    }
  }
}

BOOST_AUTO_TEST_CASE(each_client_version_sets_its_client_defaults) {
  struct Row {
    const char* version;
    bool acks_all, idempotence, retries, linger_5ms, session_45s;
  };
  for (const Row& row : {Row{"0.10.2", false, false, false, false, false}, Row{"2.1", false, false, true, false, false},
                         Row{"3.0", true, true, true, false, true}, Row{"4.0", true, true, true, true, true}}) {
    BOOST_TEST_CONTEXT(row.version) {
      // The cluster's version is the clients' unless they say otherwise.
      const kafka::WorldConfig config =
          testing::first_mode_world(scenario_text(std::string("kafka.version: \"") + row.version + "\"", "", "as-configured", "name: g"));
      const kafka::ProducerConfig& producer = config.producers.front().config;
      BOOST_TEST((producer.acks == kafka::Acks::all) == row.acks_all);
      BOOST_TEST(producer.enable_idempotence == row.idempotence);
      BOOST_TEST((producer.retries > 0) == row.retries);
      BOOST_TEST((producer.linger_ns == milliseconds(5)) == row.linger_5ms);
      BOOST_TEST((config.consumer_groups.front().config.session_timeout_ns == milliseconds(45'000)) == row.session_45s);
    }
  }
  const kafka::WorldConfig mixed = testing::first_mode_world(
      scenario_text("kafka.version: \"3.9\"", "client.version: \"2.0\"", "as-configured", "client.version: \"2.8\""));
  BOOST_TEST((mixed.producers.front().config.acks == kafka::Acks::leader));
  BOOST_TEST(mixed.consumer_groups.front().config.session_timeout_ns == milliseconds(10'000));
  BOOST_TEST(mixed.cluster.broker.bounced_broker_detection);
}

BOOST_AUTO_TEST_CASE(the_mode_preset_wins_over_the_version_and_the_file_over_both) {
  const kafka::WorldConfig preset = testing::first_mode_world(scenario_text("kafka.version: \"2.0\"", "", "exactly-once"));
  BOOST_TEST((preset.producers.front().config.acks == kafka::Acks::all));
  BOOST_TEST(preset.producers.front().config.enable_idempotence);
  const kafka::WorldConfig file =
      testing::first_mode_world(scenario_text("kafka.version: \"2.0\"", "config: {acks: all, retries: 3, linger.ms: 7}"));
  BOOST_TEST((file.producers.front().config.acks == kafka::Acks::all));
  BOOST_TEST(file.producers.front().config.retries == 3u);
  BOOST_TEST(file.producers.front().config.linger_ns == milliseconds(7));
}

BOOST_AUTO_TEST_CASE(an_idempotent_producer_before_3_0_gets_acks_all_and_retries_unless_set) {
  // KafkaProducer.configureAcks/configureRetries (0.11-2.8).
  for (const char* producer : {"config: {enable.idempotence: true}", "config: {transactional.id: t}"}) {
    BOOST_TEST_CONTEXT(producer) {
      const kafka::ProducerConfig config =
          testing::first_mode_world(scenario_text("kafka.version: \"2.0\"", producer)).producers.front().config;
      BOOST_TEST((config.acks == kafka::Acks::all));
      BOOST_TEST(config.retries == kafka::ProducerConfig{}.retries);
    }
  }
  BOOST_TEST(contains(errors_of(scenario_text("kafka.version: \"2.0\"", "config: {acks: 1, enable.idempotence: true}")),
                      "enable.idempotence=true conflicts with this configuration: acks must be all"));
}

BOOST_AUTO_TEST_CASE(a_knob_may_keep_an_older_behaviour_on_a_newer_version) {
  const kafka::BrokerConfig broker = testing::first_mode_world(scenario_text(
      "kafka.version: \"3.9\", config: {log.truncation: high-watermark, bounced.broker.detection: false, "
      "unclean.leader.election.enable: true, strict.min.isr: true}")).cluster.broker;
  BOOST_TEST((broker.log_truncation == kafka::LogTruncation::high_watermark));
  BOOST_TEST(!broker.bounced_broker_detection);
  BOOST_TEST(broker.unclean_leader_election_enable);
  BOOST_TEST(broker.strict_min_isr);  // ksim's own knob: allowed on any version
  const kafka::BrokerConfig off =
      testing::first_mode_world(scenario_text("kafka.version: \"4.1\", config: {eligible.leader.replicas.version: 0}")).cluster.broker;
  BOOST_TEST(!off.eligible_leader_replicas);
  BOOST_TEST(!off.strict_min_isr);
  const kafka::BrokerConfig old =
      testing::first_mode_world(scenario_text("kafka.version: \"0.10.2\", config: {unclean.leader.election.enable: false}")).cluster.broker;
  BOOST_TEST(!old.unclean_leader_election_enable);
}

BOOST_AUTO_TEST_CASE(a_knob_that_gives_a_version_a_newer_behaviour_is_an_error) {
  // KIP-279 (2.0): leader-epoch on 0.11-1.1 is refused, KIP-101's first answer is not; on
  // 0.10.2 both are (KIP-101); on 2.0 the older answer is allowed.
  BOOST_TEST(contains(errors_of(scenario_text("kafka.version: \"1.1\", config: {log.truncation: leader-epoch}")),
                      "cluster.config.log.truncation: leader-epoch truncation with the leader's epoch came with "
                      "KIP-279, KAFKA-6361 in Kafka 2.0; kafka.version is 1.1"));
  BOOST_TEST(contains(errors_of(scenario_text("kafka.version: \"0.10.2\", config: {log.truncation: leader-epoch-kip101}")),
                      "leader-epoch truncation came with KIP-101 in Kafka 0.11; kafka.version is 0.10.2"));
  BOOST_TEST((testing::first_mode_world(scenario_text("kafka.version: \"1.1\", config: {log.truncation: leader-epoch-kip101}"))
                  .cluster.broker.log_truncation == kafka::LogTruncation::leader_epoch_kip101));
  BOOST_TEST((testing::first_mode_world(scenario_text("kafka.version: \"2.0\", config: {log.truncation: leader-epoch-kip101}"))
                  .cluster.broker.log_truncation == kafka::LogTruncation::leader_epoch_kip101));
  BOOST_TEST(contains(errors_of(scenario_text("kafka.version: \"0.10.2\", config: {log.truncation: leader-epoch}")),
                      "s.yaml:4:73: cluster.config.log.truncation: leader-epoch truncation came with KIP-101 in Kafka "
                      "0.11; kafka.version is 0.10.2: a knob may keep an older behaviour"));
  BOOST_TEST(contains(errors_of(scenario_text("kafka.version: \"3.6\", config: {eligible.leader.replicas.version: 1}")),
                      "s.yaml:4:88: cluster.config.eligible.leader.replicas.version: eligible leader replicas came "
                      "with KIP-966 in Kafka 4.0; kafka.version is 3.6"));
  BOOST_TEST(contains(errors_of(scenario_text("kafka.version: \"2.1\", config: {bounced.broker.detection: true}")),
                      "cluster.config.bounced.broker.detection: bounced broker detection came with KIP-380, KAFKA-7235 "
                      "in Kafka 2.2; kafka.version is 2.1"));
  BOOST_TEST(contains(errors_of(scenario_text("kafka.version: \"4.0\", config: {bounced.broker.detection: false}")),
                      "cluster.config.bounced.broker.detection: false is ZooKeeper-era behaviour, but kafka.version is "
                      "4.0"));
  BOOST_TEST(contains(errors_of(scenario_text("kafka.version: \"4.1\", config: {strict.min.isr: false}")),
                      "cluster.config.strict.min.isr: eligible.leader.replicas.version=1 (the default from "
                      "kafka.version 4.1; set it to 0 to turn both off)"));
}

BOOST_AUTO_TEST_CASE(an_unknown_version_is_an_error_at_its_position) {
  BOOST_TEST(contains(errors_of(scenario_text("kafka.version: \"2.9\"")),
                      "s.yaml:4:38: cluster.kafka.version: unknown Kafka version \"2.9\"; accepted: 0.10.2, 0.11,"));
  BOOST_TEST(contains(errors_of(scenario_text("", "client.version: \"3.10\"")),
                      "s.yaml:5:44: producers[0].client.version: unknown Kafka version \"3.10\""));
}

BOOST_AUTO_TEST_CASE(a_feature_newer_than_the_version_is_an_error) {
  BOOST_TEST(contains(errors_of(scenario_text("kafka.version: \"0.10.2\"", "config: {transactional.id: t}")),
                      "s.yaml:5:55: producers[0].config.transactional.id: transactions came with KIP-98 in Kafka 0.11; "
                      "cluster.kafka.version is 0.10.2"));
  BOOST_TEST(contains(errors_of(scenario_text("", "client.version: \"0.10.2\", config: {enable.idempotence: true}")),
                      "producers[0].config.enable.idempotence: idempotence came with KIP-98 in Kafka 0.11; "
                      "producers[0].client.version is 0.10.2"));
  // A mode's preset that needs a newer version: said at the version, naming the preset.
  BOOST_TEST(contains(errors_of(scenario_text("kafka.version: \"0.10.2\"", "", "exactly-once")),
                      "s.yaml:4:38: cluster.kafka.version: idempotence came with KIP-98 in Kafka 0.11; "
                      "cluster.kafka.version is 0.10.2"));
  // A 3.0 client's idempotence default against a 0.10.2 cluster: the cluster lacks it.
  BOOST_TEST(contains(errors_of(scenario_text("kafka.version: \"0.10.2\"", "client.version: \"3.0\"")),
                      "cluster.kafka.version: idempotence came with KIP-98 in Kafka 0.11"));
  BOOST_TEST(contains(errors_of(scenario_text("kafka.version: \"2.3\"", "", "as-configured",
                                              "config: {partition.assignment.strategy: cooperative-sticky}")),
                      "consumers[0].config.partition.assignment.strategy: the cooperative-sticky assignor came with "
                      "KIP-429 in Kafka 2.4; cluster.kafka.version is 2.3"));
  BOOST_TEST(contains(errors_of(scenario_text("kafka.version: \"0.10.2\"", "", "as-configured",
                                              "config: {isolation.level: read_committed}")),
                      "consumers[0].config.isolation.level: read_committed reads transactions came with KIP-98"));
  BOOST_TEST(contains(errors_of(scenario_text("kafka.version: \"0.10.2\"", "", "as-configured", "commit: transactional")),
                      "consumers[0].commit: transactions came with KIP-98 in Kafka 0.11"));
  // The same features on the versions that have them load.
  testing::first_mode_world(scenario_text("kafka.version: \"2.4\"", "", "as-configured",
                          "config: {partition.assignment.strategy: cooperative-sticky}"));
  testing::first_mode_world(scenario_text("kafka.version: \"0.11\"", "", "exactly-once-transactions"));
}

BOOST_AUTO_TEST_CASE(clients_and_brokers_2_1_apart_from_4_0_refuse_each_other) {
  BOOST_TEST(contains(errors_of(scenario_text("kafka.version: \"4.0\"", "client.version: \"2.0\"")),
                      "producers[0].client.version: Kafka 4.0 brokers refuse clients older than 2.1 (KIP-896"));
  BOOST_TEST(contains(errors_of(scenario_text("kafka.version: \"2.0\"", "client.version: \"4.0\", config: {acks: all}")),
                      "producers[0].client.version: Kafka 4.0 clients need brokers 2.1 or later (KIP-896)"));
  testing::first_mode_world(scenario_text("kafka.version: \"4.0\"", "client.version: \"2.1\""));
  testing::first_mode_world(scenario_text("kafka.version: \"0.11\"", "client.version: \"3.9\""));  // KIP-97: newer clients work
}

// Issue 18 item 3: KIP-890 part 1's transaction.partition.verification.enable, default true
// from 3.6 and false before; false allowed on 3.6+, true before 3.6 an error.
BOOST_AUTO_TEST_CASE(transaction_partition_verification_follows_the_version) {
  BOOST_TEST(!testing::first_mode_world(scenario_text("kafka.version: \"3.5\"")).cluster.broker.transaction_partition_verification_enable);
  BOOST_TEST(testing::first_mode_world(scenario_text("kafka.version: \"3.6\"")).cluster.broker.transaction_partition_verification_enable);
  BOOST_TEST(testing::first_mode_world(scenario_text("")).cluster.broker.transaction_partition_verification_enable);
  BOOST_TEST(!testing::first_mode_world(scenario_text("kafka.version: \"4.1\", config: {transaction.partition.verification.enable: false}"))
                  .cluster.broker.transaction_partition_verification_enable);
  BOOST_TEST(contains(errors_of(scenario_text("kafka.version: \"3.5\", config: {transaction.partition.verification.enable: true}")),
                      "cluster.config.transaction.partition.verification.enable: transaction partition verification "
                      "came with KIP-890 in Kafka 3.6; kafka.version is 3.5"));
}

// KIP-320's consumer side follows the client version (2.3: KAFKA-7440, KAFKA-7747), and needs
// brokers that check a consumer's epoch (2.1: KAFKA-7395); `log.truncation.detection: false`
// keeps an older consumer's behaviour on any version, `true` only where both sides had it.
BOOST_AUTO_TEST_CASE(consumer_truncation_detection_follows_the_client_version) {
  auto detects = [](const std::string& cluster, const std::string& consumer) {
    return testing::first_mode_world(scenario_text(cluster, "", "as-configured", consumer))
        .consumer_groups.front()
        .config.truncation_detection;
  };
  BOOST_TEST(detects("", "name: g"));
  BOOST_TEST(!detects("kafka.version: \"2.2\"", "name: g"));
  BOOST_TEST(detects("kafka.version: \"2.3\"", "name: g"));
  BOOST_TEST(!detects("", "client.version: \"2.2\""));
  BOOST_TEST(detects("kafka.version: \"2.1\"", "client.version: \"3.9\""));
  BOOST_TEST(!detects("kafka.version: \"2.0\"", "client.version: \"3.9\""));  // the brokers check no epoch
  BOOST_TEST(!detects("", "config: {log.truncation.detection: false}"));
  BOOST_TEST(detects("kafka.version: \"2.3\"", "config: {log.truncation.detection: true}"));
  const auto refused = [](const std::string& cluster, const std::string& consumer, const std::string& message) {
    return contains(errors_of(scenario_text(cluster, "", "as-configured", consumer)), message);
  };
  const std::string key = "consumers[0].config.log.truncation.detection: ";
  BOOST_TEST(refused("", "client.version: \"2.2\", config: {log.truncation.detection: true}",
                     "s.yaml:6:72: " + key + "consumer truncation detection came with KIP-320, KAFKA-7440 and "
                     "KAFKA-7747 in Kafka 2.3; consumers[0].client.version is 2.2"));
  BOOST_TEST(refused("kafka.version: \"2.0\"", "client.version: \"2.3\", config: {log.truncation.detection: true}",
                     key + "leader epoch checks of consumer fetches came with KIP-320, KAFKA-7395 in Kafka 2.1; "
                     "cluster.kafka.version is 2.0"));
  BOOST_TEST(refused("", "config: {log.truncation.detection: sometimes}", key + "expected true or false"));
}

// KIP-580 (clients 3.7+): retries back off exponentially up to retry.backoff.max.ms; a
// client before 3.7 waits retry.backoff.ms every time and has no retry.backoff.max.ms.
BOOST_AUTO_TEST_CASE(exponential_retry_backoff_follows_the_client_version) {
  for (const auto& [version, exponential] :
       {std::pair{"3.6", false}, std::pair{"3.7", true}, std::pair{"4.0", true}}) {
    BOOST_TEST_CONTEXT(version) {
      const kafka::WorldConfig config =
          testing::first_mode_world(scenario_text("", std::string("client.version: \"") + version + "\""));
      BOOST_TEST(config.producers.front().config.exponential_retry_backoff == exponential);
    }
  }
  BOOST_TEST(testing::first_mode_world(scenario_text("")).producers.front().config.exponential_retry_backoff);
  const kafka::WorldConfig set =
      testing::first_mode_world(scenario_text("", "config: {retry.backoff.max.ms: 250}"));
  BOOST_TEST(set.producers.front().config.retry_backoff_max_ns == milliseconds(250));
  const std::string too_old = "client.version: \"3.6\", config: {retry.backoff.max.ms: 250}";
  BOOST_TEST(contains(errors_of(scenario_text("", too_old)),
                      "producers[0].config.retry.backoff.max.ms: retry.backoff.max.ms (exponential retry backoff) "
                      "came with KIP-580 in Kafka 3.7; producers[0].client.version is 3.6"));
}

// KIP-951 (3.7): brokers name the current leader in a NOT_LEADER_OR_FOLLOWER answer, and
// clients take it (and skip a retry's backoff to a new leader, KAFKA-15415); each side
// follows its own version.
BOOST_AUTO_TEST_CASE(leader_discovery_follows_the_broker_and_client_versions) {
  for (const auto& [version, discovery] :
       {std::pair{"3.6", false}, std::pair{"3.7", true}, std::pair{"4.1", true}}) {
    BOOST_TEST_CONTEXT(version) {
      const std::string quoted = std::string("\"") + version + "\"";
      const kafka::WorldConfig brokers = testing::first_mode_world(scenario_text("kafka.version: " + quoted));
      BOOST_TEST(brokers.cluster.broker.current_leader_in_errors == discovery);
      const kafka::WorldConfig client = testing::first_mode_world(scenario_text("", "client.version: " + quoted));
      BOOST_TEST(client.producers.front().config.leader_from_error_answers == discovery);
      BOOST_TEST(client.producers.front().config.retry_to_new_leader_skips_backoff == discovery);
      const std::string consumer = "name: g, client.version: " + quoted;
      const kafka::WorldConfig group = testing::first_mode_world(scenario_text("", "", "as-configured", consumer));
      BOOST_TEST(group.consumer_groups.front().config.leader_from_error_answers == discovery);
    }
  }
  const kafka::WorldConfig newest = testing::first_mode_world(scenario_text(""));
  BOOST_TEST(newest.cluster.broker.current_leader_in_errors);
  BOOST_TEST(newest.producers.front().config.leader_from_error_answers);
  BOOST_TEST(newest.consumer_groups.front().config.leader_from_error_answers);
}
