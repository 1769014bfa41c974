#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "sim/scenario/read_world.h"

namespace ksim::scenario {

namespace {

constexpr std::uint64_t kMaxBrokers = 100;
constexpr std::uint64_t kMaxPartitions = 10'000;  // per topic, and over all topics
constexpr std::uint64_t kMaxTopics = 100;

// The key to read a setting under: Kafka names the broker-wide default of a topic config
// differently (flush.messages is log.flush.interval.messages in server.properties), and a
// server.properties must not have its flush settings ignored as "not modelled". Both
// names at once is a contradiction.
std::string_view setting_name(MapReader& reader, std::string_view topic_name, std::string_view broker_name) {
  if (!reader.has(broker_name)) return topic_name;
  if (reader.has(topic_name)) {
    reader.report(broker_name, fmt::format("sets the same as {}: give one of them", topic_name));
    reader.skip(broker_name);
    return topic_name;
  }
  return broker_name;
}

// log.truncation: leader-epoch (KIP-279, 2.0+), leader-epoch-kip101 (KIP-101 as first
// shipped, 0.11 to 1.1) or high-watermark (before 0.11).
kafka::LogTruncation read_log_truncation(MapReader& reader, kafka::LogTruncation fallback) {
  static const std::vector<std::pair<std::string, kafka::LogTruncation>> kNames{
      {"leader-epoch", kafka::LogTruncation::leader_epoch},
      {"leader-epoch-kip101", kafka::LogTruncation::leader_epoch_kip101},
      {"high-watermark", kafka::LogTruncation::high_watermark}};
  std::vector<std::string> allowed;
  std::string fallback_name;
  for (const auto& [name, value] : kNames) {
    allowed.push_back(name);
    if (value == fallback) fallback_name = name;
  }
  const std::string chosen = reader.optional_enum("log.truncation", allowed, fallback_name);
  for (const auto& [name, value] : kNames) {
    if (name == chosen) return value;
  }
  return fallback;
}

// __transaction_state's layout (kafka/config/config.h): a replication factor above the
// broker count could never be placed (Kafka refuses to create the topic).
void read_transaction_state_config(MapReader& reader, kafka::BrokerConfig& config, std::uint32_t brokers) {
  config.transaction_state_partitions = static_cast<std::uint32_t>(reader.optional<std::uint64_t>(
      "transaction.state.log.num.partitions", config.transaction_state_partitions, between<std::uint64_t>(1, 50)));
  // Unset (0 in BrokerConfig): min(3, brokers), as the offsets partition's.
  const std::uint32_t default_factor = config.transaction_state_replication_factor > 0
                                           ? config.transaction_state_replication_factor
                                           : std::min<std::uint32_t>(3, brokers);
  config.transaction_state_replication_factor = static_cast<std::uint32_t>(reader.optional<std::uint64_t>(
      "transaction.state.log.replication.factor", default_factor, between<std::uint64_t>(1, kMaxBrokers)));
  if (config.transaction_state_replication_factor > brokers) {
    reader.report("transaction.state.log.replication.factor",
                  fmt::format("is {} but the cluster has only {} brokers", config.transaction_state_replication_factor,
                              brokers));
  }
  config.transaction_state_min_isr = static_cast<std::uint32_t>(reader.optional<std::uint64_t>(
      "transaction.state.log.min.isr", config.transaction_state_min_isr, between<std::uint64_t>(1, kMaxBrokers)));
}

void read_broker_config(MapReader& reader, kafka::BrokerConfig& config, const VersionSetting& version,
                        std::uint32_t brokers) {
  auto ms = [&](std::string_view key, TimeNs& field_ns) { read_kafka_ms(reader, key, field_ns); };
  ms("replica.lag.time.max.ms", config.replica_lag_time_max_ns);
  ms("replica.fetch.wait.max.ms", config.replica_fetch_wait_max_ns);
  ms("replica.fetch.backoff.ms", config.replica_fetch_backoff_ns);
  ms("replica.socket.timeout.ms", config.replica_socket_timeout_ns);
  ms("broker.heartbeat.interval.ms", config.broker_heartbeat_interval_ns);
  ms("broker.session.timeout.ms", config.broker_session_timeout_ns);
  ms(setting_name(reader, "flush.ms", "log.flush.interval.ms"), config.flush_ns);
  config.os_flush_interval_ns = reader.optional<Duration>("os.flush.interval", Duration{config.os_flush_interval_ns}).ns;
  config.coordinator_load_base_ns =
      reader.optional<Duration>("ksim.coordinator.load.base", Duration{config.coordinator_load_base_ns}).ns;
  config.coordinator_load_per_entry_ns =
      reader.optional<Duration>("ksim.coordinator.load.per.entry", Duration{config.coordinator_load_per_entry_ns}).ns;
  config.replica_fetch_max_records = static_cast<std::uint32_t>(
      reader.optional<std::uint64_t>("replica.fetch.max.records", config.replica_fetch_max_records, between<std::uint64_t>(1, 100'000)));
  config.unclean_leader_election_enable =
      reader.optional<bool>("unclean.leader.election.enable", config.unclean_leader_election_enable);
  config.min_insync_replicas = static_cast<std::uint32_t>(
      reader.optional<std::uint64_t>("min.insync.replicas", config.min_insync_replicas, between<std::uint64_t>(1, kMaxBrokers)));
  config.strict_min_isr = reader.optional<bool>("strict.min.isr", config.strict_min_isr);
  config.bounced_broker_detection = reader.optional<bool>("bounced.broker.detection", config.bounced_broker_detection);
  config.transaction_partition_verification_enable = reader.optional<bool>(
      "transaction.partition.verification.enable", config.transaction_partition_verification_enable);
  // KIP-966: eligible.leader.replicas.version (a feature level, 0 or 1) needs the strict
  // min ISR rule, which it turns on; an explicit strict.min.isr: false contradicts it.
  config.eligible_leader_replicas =
      reader.optional<std::uint64_t>("eligible.leader.replicas.version", config.eligible_leader_replicas ? 1 : 0,
                                     between<std::uint64_t>(0, 1)) == 1;
  // Without its own key, strict.min.isr follows ELR (a version's default or the file's).
  if (!reader.has("strict.min.isr")) config.strict_min_isr = config.eligible_leader_replicas;
  if (config.eligible_leader_replicas) {
    if (reader.has("strict.min.isr") && !config.strict_min_isr) {
      reader.report("strict.min.isr",
                    fmt::format("eligible.leader.replicas.version=1{} needs the strict min ISR rule (KIP-966)",
                                reader.has("eligible.leader.replicas.version")
                                    ? ""
                                    : " (the default from kafka.version 4.1; set it to 0 to turn both off)"));
    }
    config.strict_min_isr = true;
  }
  config.flush_messages =
      reader.optional<std::uint64_t>(setting_name(reader, "flush.messages", "log.flush.interval.messages"), config.flush_messages);
  config.log_truncation = read_log_truncation(reader, config.log_truncation);
  read_transaction_state_config(reader, config, brokers);
  if (version.version) check_broker_knobs(reader, *version.version, config);
  if (config.broker_heartbeat_interval_ns <= 0) reader.report("broker.heartbeat.interval.ms", "must be greater than 0");
  if (config.replica_lag_time_max_ns <= 0) reader.report("replica.lag.time.max.ms", "must be greater than 0");
  if (config.os_flush_interval_ns <= 0) reader.report("os.flush.interval", "must be greater than 0");
  // Bounded so that base + per entry x entries stays far from overflowing TimeNs.
  constexpr TimeNs kMaxLoadBaseNs = milliseconds(3'600'000), kMaxLoadPerEntryNs = milliseconds(1'000);
  if (config.coordinator_load_base_ns < 0 || config.coordinator_load_base_ns > kMaxLoadBaseNs) {
    reader.report("ksim.coordinator.load.base", "must be between 0 and 1h");
  }
  if (config.coordinator_load_per_entry_ns < 0 || config.coordinator_load_per_entry_ns > kMaxLoadPerEntryNs) {
    reader.report("ksim.coordinator.load.per.entry", "must be between 0 and 1s");
  }
  if (config.replica_socket_timeout_ns <= 0) reader.report("replica.socket.timeout.ms", "must be greater than 0");
  reader.finish();
}

// One rack per broker (broker.rack); null or "" is a broker without one. Kafka assigns
// replicas rack-aware when every broker has a rack and refuses to create a topic when only
// some do ("Not all brokers have rack information"), so a partial list is an error here.
void read_racks(MapReader& cluster, SequenceReader& racks, kafka::ClusterConfig& config) {
  config.broker_racks.clear();
  std::vector<std::size_t> without_rack;
  for (std::size_t i = 0; i < racks.size(); ++i) {
    config.broker_racks.push_back(racks.is_null(i) ? std::string() : racks.get<std::string>(i));
    if (config.broker_racks.back().empty()) without_rack.push_back(i);
  }
  if (config.broker_racks.size() != config.brokers) {
    cluster.report("racks", fmt::format("needs one rack per broker: {} brokers, {} racks", config.brokers,
                                        config.broker_racks.size()));
  } else if (!without_rack.empty() && without_rack.size() < config.brokers) {
    racks.report(without_rack.front(),
                 fmt::format("broker-{} has no rack but {} of {} brokers have one: Kafka's rack-aware replica "
                             "assignment needs a rack on every broker or on none",
                             without_rack.front() + 1, config.brokers - without_rack.size(), config.brokers));
  }
}

// Pinned writeback phases (kafka/broker/os_writeback.h), broker order: each a duration in
// [0, os.flush.interval), ~ to leave a broker's drawn; at most one per broker (a shorter
// list leaves the rest drawn).
void read_os_flush_phases(MapReader& cluster, SequenceReader& phases, kafka::ClusterConfig& config) {
  config.os_flush_phases_ns.clear();
  const TimeNs interval_ns = config.broker.os_flush_interval_ns;
  for (std::size_t i = 0; i < phases.size(); ++i) {
    if (phases.is_null(i)) {
      config.os_flush_phases_ns.push_back(-1);
      continue;
    }
    const TimeNs phase_ns = phases.get<Duration>(i).ns;
    if (phase_ns < 0 || phase_ns >= interval_ns) {
      phases.report(i, fmt::format("is {} but a phase lies in [0, os.flush.interval) = [0, {})",
                                   ValueTraits<Duration>::format(Duration{phase_ns}),
                                   ValueTraits<Duration>::format(Duration{interval_ns})));
    }
    config.os_flush_phases_ns.push_back(phase_ns);
  }
  if (config.os_flush_phases_ns.size() > config.brokers) {
    cluster.report("os.flush.phases", fmt::format("lists {} phases for {} brokers: at most one per broker",
                                                  config.os_flush_phases_ns.size(), config.brokers));
  }
}

// Kafka refuses --partitions or --replication-factor beside --replica-assignment; here they
// may be given when they agree with it, as a check.
void check_pinned_counts(MapReader& topic, const kafka::TopicConfig& entry) {
  const auto& pinned = entry.replica_assignment;
  if (pinned.empty()) return;
  if (pinned.size() != entry.partitions) {
    topic.report("partitions", fmt::format("is {} but replica.assignment lists {} partitions", entry.partitions,
                                           pinned.size()));
  }
  if (pinned.front().size() != entry.replication_factor) {
    topic.report("replication.factor", fmt::format("is {} but replica.assignment lists {} replicas per partition",
                                                   entry.replication_factor, pinned.front().size()));
  }
}

// Several topics (issue 15 item 5): names as Kafka allows them (Topic.validate: at most
// 249 characters of ASCII letters, digits, '.', '_' and '-', not "." or ".."), each once.
void check_topic_name(MapReader& topic, const kafka::ClusterConfig& config, const kafka::TopicConfig& entry) {
  const std::string& name = entry.name;
  const bool legal_characters = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
  if (name.empty() || name.size() > 249 || name == "." || name == ".." || !legal_characters) {
    topic.report("name", fmt::format("\"{}\" is not a legal Kafka topic name: 1 to 249 of a-z A-Z 0-9 . _ -, "
                                     "not . or ..", name));
  }
  for (const kafka::TopicConfig& earlier : config.topics) {
    if (earlier.name == name) topic.report("name", fmt::format("topic \"{}\" is listed twice", name));
  }
}

void check_topic_count(MapReader& cluster, const kafka::ClusterConfig& config) {
  if (config.topics.empty()) {
    cluster.report("topics", "lists no topic: a run needs at least one");
    return;
  }
  std::uint64_t partitions = 0;
  for (const kafka::TopicConfig& topic : config.topics) partitions += topic.partitions;
  if (config.topics.size() > kMaxTopics || partitions > kMaxPartitions) {
    cluster.report("topics", fmt::format("{} topics with {} partitions in all: at most {} topics and {} partitions",
                                         config.topics.size(), partitions, kMaxTopics, kMaxPartitions));
  }
}

}  // namespace

VersionSetting read_cluster(MapReader& cluster, kafka::ClusterConfig& config) {
  const VersionSetting version = read_cluster_version(cluster);
  if (version.version) apply_broker_version_defaults(*version.version, config.broker);
  config.brokers = static_cast<std::uint32_t>(
      cluster.optional<std::uint64_t>("brokers", config.brokers, between<std::uint64_t>(1, kMaxBrokers)));
  // KRaft's controller quorum (KIP-595/KIP-631): 1 by default (the bundled library's), 3 is
  // Kafka's usual. Kafka accepts an even count, but a majority of 2 of 2 survives no
  // failure and 3 of 4 no more than 2 of 3 does: one more machine, no more tolerance.
  config.controllers = static_cast<std::uint32_t>(cluster.optional<std::uint64_t>(
      "controllers", config.controllers, between<std::uint64_t>(1, kafka::kMaxControllers)));
  if (config.controllers % 2 == 0) {
    cluster.context().warn(cluster.location_of("controllers"), cluster.key_path("controllers"),
                           fmt::format("{} controllers: a majority is {}, so the quorum survives {} failure(s), no more than "
                             "{} controllers would; an odd count (3 or 5) is the usual choice",
                             config.controllers, config.controllers / 2 + 1, config.controllers / 2 - 1,
                             config.controllers - 1));
  }
  if (auto racks = cluster.optional_sequence("racks")) read_racks(cluster, *racks, config);
  if (auto broker = read_kafka_config(cluster)) read_broker_config(*broker, config.broker, version, config.brokers);
  // After the config: a phase is judged against os.flush.interval.
  if (auto phases = cluster.optional_sequence("os.flush.phases")) read_os_flush_phases(cluster, *phases, config);
  if (auto topics = cluster.optional_sequence("topics")) {
    config.topics.clear();
    for (std::size_t i = 0; i < topics->size(); ++i) {
      MapReader topic = topics->map(i);
      kafka::TopicConfig entry;
      entry.name = topic.required<std::string>("name");
      if (topic.has("replica.assignment")) read_replica_assignment(topic, config.brokers, entry);
      const auto& pinned = entry.replica_assignment;
      entry.partitions = static_cast<std::uint32_t>(topic.optional<std::uint64_t>(
          "partitions", pinned.empty() ? 1 : pinned.size(), between<std::uint64_t>(1, kMaxPartitions)));
      entry.replication_factor = static_cast<std::uint32_t>(topic.optional<std::uint64_t>(
          "replication.factor", pinned.empty() ? std::min<std::uint64_t>(3, config.brokers) : pinned.front().size(),
          between<std::uint64_t>(1, kMaxBrokers)));
      check_pinned_counts(topic, entry);
      if (entry.replication_factor > config.brokers) {
        topic.report("replication.factor", fmt::format("is {} but the cluster has only {} brokers",
                                                       entry.replication_factor, config.brokers));
      }
      if (topic.has("min.insync.replicas")) {
        entry.min_insync_replicas = static_cast<std::int32_t>(
            topic.required<std::uint64_t>("min.insync.replicas", between<std::uint64_t>(1, kMaxBrokers)));
        if (static_cast<std::uint32_t>(entry.min_insync_replicas) > entry.replication_factor) {
          // Kafka accepts it, but then acks=all can never succeed: almost surely a mistake.
          topic.report("min.insync.replicas",
                       fmt::format("is {} but replication.factor is {}: acks=all could never succeed",
                                   entry.min_insync_replicas, entry.replication_factor));
        }
      }
      check_topic_name(topic, config, entry);
      topic.finish();
      config.topics.push_back(entry);
    }
    check_topic_count(cluster, config);
  } else {
    config.topics = {kafka::TopicConfig{"events", 1, std::min<std::uint32_t>(3, config.brokers), -1}};
  }
  cluster.finish();
  return version;
}

}  // namespace ksim::scenario
