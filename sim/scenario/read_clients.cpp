#include <fmt/format.h>

#include "sim/kafka/config/config_names.h"
#include "sim/kafka/client/producer.h"
#include "sim/random/zipf.h"
#include "sim/scenario/read_world.h"

namespace ksim::scenario {

namespace {

constexpr std::uint64_t kMaxClientsPerGroup = 1'000;
constexpr std::uint64_t kMaxMessagesPerProducer = 100'000'000;
constexpr std::uint64_t kMaxGroups = 100;

bool topic_exists(const kafka::ClusterConfig& cluster, const std::string& name) {
  for (const kafka::TopicConfig& topic : cluster.topics) {
    if (topic.name == name) return true;
  }
  return false;
}

// The topic a producer or group writes or reads (`topic:`): optional with one topic in the
// cluster, required with several (issue 15 item 5); an unknown name is an error.
std::string read_client_topic(MapReader& reader, const kafka::ClusterConfig& cluster) {
  if (cluster.topics.size() > 1 && !reader.has("topic")) {
    std::string names;
    for (const kafka::TopicConfig& topic : cluster.topics) names += (names.empty() ? "" : ", ") + topic.name;
    reader.report("topic", fmt::format("is required: the cluster has {} topics ({})", cluster.topics.size(), names));
    return cluster.topics.front().name;
  }
  std::string topic = reader.optional<std::string>("topic", cluster.topics.empty() ? "" : cluster.topics.front().name);
  if (!topic_exists(cluster, topic)) reader.report("topic", fmt::format("unknown topic \"{}\"", topic));
  return topic;
}

void read_producer_config(MapReader& reader, kafka::ProducerConfig& config, const VersionSetting& client) {
  const std::string acks = reader.optional_enum("acks", {"0", "1", "all", "-1"}, std::string(kafka::to_string(config.acks)));
  config.acks = acks == "0" ? kafka::Acks::none : acks == "1" ? kafka::Acks::leader : kafka::Acks::all;
  config.retries = static_cast<std::uint32_t>(
      reader.optional<std::uint64_t>("retries", config.retries, between<std::uint64_t>(0, 2'147'483'647)));
  auto ms = [&](std::string_view key, TimeNs& field_ns) { read_kafka_ms(reader, key, field_ns); };
  ms("retry.backoff.ms", config.retry_backoff_ns);
  ms("retry.backoff.max.ms", config.retry_backoff_max_ns);
  ms("request.timeout.ms", config.request_timeout_ns);
  ms("delivery.timeout.ms", config.delivery_timeout_ns);
  ms("linger.ms", config.linger_ns);
  ms("metadata.max.age.ms", config.metadata_max_age_ns);
  ms("max.block.ms", config.max_block_ns);
  config.buffer_memory_bytes =
      reader.optional<ByteSize>("buffer.memory", ByteSize{config.buffer_memory_bytes},
                                Range<ByteSize>{ByteSize{1}, ByteSize{std::uint64_t{1} << 40}})
          .bytes;
  config.max_in_flight_requests_per_connection = static_cast<std::uint32_t>(reader.optional<std::uint64_t>(
      "max.in.flight.requests.per.connection", config.max_in_flight_requests_per_connection,
      between<std::uint64_t>(1, 1'000)));
  config.batch_size_bytes = static_cast<std::uint32_t>(
      reader.optional<ByteSize>("batch.size", ByteSize{config.batch_size_bytes}, Range<ByteSize>{ByteSize{1}, ByteSize{64 << 20}})
          .bytes);
  config.max_request_size_bytes = static_cast<std::uint32_t>(
      reader
          .optional<ByteSize>("max.request.size", ByteSize{config.max_request_size_bytes},
                              Range<ByteSize>{ByteSize{1}, ByteSize{std::uint64_t{2'147'483'647}}})
          .bytes);
  if (reader.has("enable.idempotence")) {
    config.enable_idempotence = reader.optional<bool>("enable.idempotence", config.enable_idempotence);
    config.enable_idempotence_explicit = true;
  }
  config.transactional_id = reader.optional<std::string>("transactional.id", config.transactional_id);
  if (client.version) {
    apply_idempotent_client_defaults(*client.version, reader.has("acks"), reader.has("retries"), config);
  }
  config.metadata_leader_epoch_check =
      reader.optional<bool>("metadata.leader.epoch.check", config.metadata_leader_epoch_check);
  ms("transaction.timeout.ms", config.transaction_timeout_ns);
  if (config.transaction_timeout_ns <= 0) reader.report("transaction.timeout.ms", "must be greater than 0");
  const std::string partitioner = reader.optional_enum(
      "partitioner", {"sticky", "round-robin", "uniform"}, std::string(kafka::to_string(config.partitioner)));
  config.partitioner = partitioner == "sticky"        ? kafka::Partitioner::sticky
                       : partitioner == "round-robin" ? kafka::Partitioner::round_robin
                                                      : kafka::Partitioner::uniform;
  if (config.request_timeout_ns <= 0) reader.report("request.timeout.ms", "must be greater than 0");
  if (config.metadata_max_age_ns <= 0) reader.report("metadata.max.age.ms", "must be greater than 0");
  if (config.delivery_timeout_ns < config.linger_ns + config.request_timeout_ns) {
    // Kafka refuses this combination at start-up (ConfigException).
    reader.report("delivery.timeout.ms", "must be at least linger.ms + request.timeout.ms, as Kafka requires");
  }
  // Kafka's idempotence rule: turned off quietly when it was not asked for, an error when it was.
  if (const auto conflict = kafka::resolve_idempotence(config)) reader.report("enable.idempotence", *conflict);
  reader.finish();
}

// partition.assignment.strategy: the assignor's name or Kafka's class name for it. One
// assignor: Kafka's list form (several, the group picking the first all members share)
// would pick the first here too, so a list is not accepted.
kafka::AssignmentStrategy read_assignment_strategy(MapReader& config, kafka::AssignmentStrategy fallback) {
  std::vector<std::string> names;
  for (const kafka::AssignmentStrategy strategy : kafka::kAssignmentStrategies) {
    names.emplace_back(kafka::to_string(strategy));
  }
  for (const kafka::AssignmentStrategy strategy : kafka::kAssignmentStrategies) {
    names.emplace_back(kafka::kafka_class_name(strategy));
  }
  const std::string name =
      config.optional_enum("partition.assignment.strategy", names, std::string(kafka::to_string(fallback)));
  for (const kafka::AssignmentStrategy strategy : kafka::kAssignmentStrategies) {
    if (name == kafka::to_string(strategy) || name == kafka::kafka_class_name(strategy)) return strategy;
  }
  return fallback;  // a bad name, already reported
}

// `application_queue`: how many messages may wait in the application while send() cannot
// take them: `unbounded` (the default) or a count.
std::uint64_t read_application_queue(MapReader& reader) {
  if (!reader.has("application_queue")) return 0;
  const std::string text = reader.optional<std::string>("application_queue", "");
  if (text == "unbounded") return 0;
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
    reader.report("application_queue", fmt::format("expected a message count or unbounded, got \"{}\"", text));
    return 0;
  }
  return reader.optional<std::uint64_t>("application_queue", 0, between<std::uint64_t>(1, kMaxMessagesPerProducer));
}

// A consumer group's `config` map (Kafka's consumer configs); enable.auto.commit, when
// given, is returned in `auto_commit` for the commit strategy to agree with.
void read_consumer_config(MapReader& config, kafka::ConsumerConfig& c, std::optional<bool>& auto_commit) {
  if (config.has("enable.auto.commit")) auto_commit = config.optional<bool>("enable.auto.commit", true);
  read_kafka_ms(config, "auto.commit.interval.ms", c.auto_commit_interval_ns);
  c.max_poll_records = static_cast<std::uint32_t>(
      config.optional<std::uint64_t>("max.poll.records", c.max_poll_records, between<std::uint64_t>(1, 100'000)));
  const std::string reset = config.optional_enum("auto.offset.reset", {"earliest", "latest", "none"}, "latest");
  c.auto_offset_reset = reset == "earliest" ? kafka::OffsetReset::earliest
                        : reset == "latest" ? kafka::OffsetReset::latest
                                            : kafka::OffsetReset::none;
  read_kafka_ms(config, "fetch.max.wait.ms", c.fetch_max_wait_ns);
  read_kafka_ms(config, "request.timeout.ms", c.request_timeout_ns);
  read_kafka_ms(config, "retry.backoff.ms", c.retry_backoff_ns);
  read_kafka_ms(config, "session.timeout.ms", c.session_timeout_ns);
  read_kafka_ms(config, "heartbeat.interval.ms", c.heartbeat_interval_ns);
  read_kafka_ms(config, "max.poll.interval.ms", c.max_poll_interval_ns);
  c.read_committed = config.optional_enum("isolation.level", {"read_uncommitted", "read_committed"},
                                           c.read_committed ? "read_committed" : "read_uncommitted") ==
                     "read_committed";
  c.partition_assignment_strategy = read_assignment_strategy(config, c.partition_assignment_strategy);
  c.truncation_detection = config.optional<bool>("log.truncation.detection", c.truncation_detection);
  c.metadata_leader_epoch_check = config.optional<bool>("metadata.leader.epoch.check", c.metadata_leader_epoch_check);
  if (c.heartbeat_interval_ns <= 0 || c.heartbeat_interval_ns >= c.session_timeout_ns) {
    // Kafka requires heartbeat.interval.ms < session.timeout.ms.
    config.report("heartbeat.interval.ms", "must be greater than 0 and less than session.timeout.ms");
  }
  if (c.max_poll_interval_ns <= 0) config.report("max.poll.interval.ms", "must be greater than 0");
  if (c.auto_commit_interval_ns <= 0) config.report("auto.commit.interval.ms", "must be greater than 0");
  if (c.request_timeout_ns <= 0) config.report("request.timeout.ms", "must be greater than 0");
  config.finish();
}

}  // namespace

void read_producers(SequenceReader producers, const ModeChoice& mode, const kafka::ClusterConfig& cluster,
                    const VersionSetting& cluster_version, std::vector<kafka::ProducerWorkload>& out) {
  out.clear();
  for (std::size_t i = 0; i < producers.size() && i < kMaxGroups; ++i) {
    MapReader reader = producers.map(i);
    kafka::ProducerWorkload workload;
    workload.name = reader.optional<std::string>("name", fmt::format("producer{}", i == 0 ? "" : std::to_string(i)));
    workload.count = static_cast<std::uint32_t>(
        reader.optional<std::uint64_t>("count", 1, between<std::uint64_t>(1, kMaxClientsPerGroup)));
    workload.topic = read_client_topic(reader, cluster);
    workload.messages = reader.required<std::uint64_t>("messages", between<std::uint64_t>(1, kMaxMessagesPerProducer));
    const Rate rate = reader.optional<Rate>("rate", Rate{false, 1'000, kNanosecondsPerSecond});
    workload.rate_per_second = rate.unlimited ? 10'000'000.0 : rate.per_second();
    if (!rate.unlimited && (workload.rate_per_second <= 0 || workload.rate_per_second > 10'000'000)) {
      reader.report("rate", "must be between 1/h and 10000000/s (or unlimited)");
    }
    workload.message_size_bytes = static_cast<std::uint32_t>(
        reader.optional<ByteSize>("message.size", ByteSize{100}, Range<ByteSize>{ByteSize{1}, ByteSize{1 << 20}}).bytes);
    workload.key_space = reader.optional<std::uint64_t>("keys", 0, between<std::uint64_t>(0, 1'000'000'000));
    const std::string distribution =
        reader.optional_enum("key_distribution", {"uniform", "zipf"}, "uniform");
    if (distribution == "zipf") {
      workload.zipf_exponent = reader.optional<double>("zipf_exponent", 1.0, Range<double>{0.01, 10.0});
      if (workload.key_space == 0 || workload.key_space > ZipfTable::kMaxKeys) {
        reader.report("keys", fmt::format("zipf keys need a key space between 1 and {}", ZipfTable::kMaxKeys));
      }
    }
    workload.resend_unacknowledged_after_restart = reader.optional<bool>("resend_on_restart", true);
    workload.application_queue_max_messages = read_application_queue(reader);
    const bool transaction_keys = reader.has("transaction_messages") || reader.has("transaction_abort_probability");
    workload.transaction_messages = static_cast<std::uint32_t>(reader.optional<std::uint64_t>(
        "transaction_messages", workload.transaction_messages, between<std::uint64_t>(1, 1'000'000)));
    workload.transaction_abort_probability =
        reader.optional<double>("transaction_abort_probability", 0.0, Range<double>{0.0, 1.0});
    const VersionSetting client = read_client_version(reader, cluster_version);
    check_client_compatibility(reader, client, cluster_version);
    if (client.version) apply_producer_version_defaults(*client.version, workload.config);
    if (client.version && cluster_version.version) {
      apply_metadata_cluster_limits(*client.version, *cluster_version.version, workload.config.metadata_leader_epoch_check);
    }
    if (mode.mode) kafka::apply_producer_preset(*mode.mode, workload.config);
    std::optional<MapReader> config = read_kafka_config(reader);
    if (config) {
      read_producer_config(*config, workload.config, client);
    } else if (const auto conflict = kafka::resolve_idempotence(workload.config)) {
      reader.report("config", *conflict);
    }
    check_producer_features(reader, config ? &*config : nullptr, client, cluster_version, workload.config);
    if (transaction_keys && workload.config.transactional_id.empty()) {
      reader.report(reader.has("transaction_messages") ? "transaction_messages" : "transaction_abort_probability",
                    "needs config.transactional.id: only a transactional producer commits or aborts transactions");
    }
    reader.finish();
    out.push_back(workload);
  }
  if (producers.size() > kMaxGroups) {
    // Reported once; the extra groups are not read.
    MapReader last = producers.map(kMaxGroups);
    last.report("name", fmt::format("at most {} producer groups per scenario", kMaxGroups));
    last.finish();
  }
}

namespace {

// The client's version defaults, then what its brokers' version takes away.
void apply_consumer_versions(const VersionSetting& client, const VersionSetting& cluster, kafka::ConsumerConfig& config) {
  if (client.version) apply_consumer_version_defaults(*client.version, config);
  if (cluster.version) apply_consumer_cluster_limits(*cluster.version, config);
  if (client.version && cluster.version) {
    apply_metadata_cluster_limits(*client.version, *cluster.version, config.metadata_leader_epoch_check);
  }
}

// Pipelines (issue 15 item 6): `output: {topic: T}` makes the group's members processors
// writing one record to T per record they read (sim/kafka/client/consumer_output.cpp).
void read_output(MapReader& reader, const kafka::ClusterConfig& cluster, kafka::ConsumerGroupConfig& group) {
  std::optional<MapReader> output = reader.optional_map("output");
  if (!output) return;
  const std::string topic = output->required<std::string>("topic");
  if (!topic_exists(cluster, topic)) {
    output->report("topic", fmt::format("unknown topic \"{}\"", topic));
  } else if (topic == group.topic) {
    output->report("topic", fmt::format("is the group's input topic \"{}\": a processor writes another topic", topic));
  } else {
    group.output.topic = topic;
  }
  output->finish();
}

}  // namespace

void read_consumers(SequenceReader consumers, const ModeChoice& mode, const kafka::ClusterConfig& cluster,
                    const VersionSetting& cluster_version, std::vector<kafka::ConsumerGroupConfig>& out) {
  out.clear();
  for (std::size_t i = 0; i < consumers.size() && i < kMaxGroups; ++i) {
    MapReader reader = consumers.map(i);
    kafka::ConsumerGroupConfig group;
    group.name = reader.optional<std::string>("name", fmt::format("group{}", i == 0 ? "" : std::to_string(i)));
    group.topic = read_client_topic(reader, cluster);
    group.members = static_cast<std::uint32_t>(
        reader.optional<std::uint64_t>("members", 1, between<std::uint64_t>(1, kMaxClientsPerGroup)));
    group.processing_time_per_record_ns =
        reader.optional<Duration>("processing.time", Duration{group.processing_time_per_record_ns}).ns;
    group.start_ns = reader.optional<Duration>("start", Duration{0}).ns;
    if (group.start_ns < 0) reader.report("start", "must not be negative");
    // Kafka's default is enable.auto.commit=true; a mode's preset states its own strategy.
    group.commit_strategy = kafka::CommitStrategy::auto_commit;
    const VersionSetting client = read_client_version(reader, cluster_version);
    check_client_compatibility(reader, client, cluster_version);
    apply_consumer_versions(client, cluster_version, group.config);
    if (mode.mode) kafka::apply_consumer_preset(*mode.mode, group);
    std::optional<bool> auto_commit;
    std::optional<MapReader> config = read_kafka_config(reader);
    if (config) read_consumer_config(*config, group.config, auto_commit);
    if (auto_commit) {
      group.commit_strategy = *auto_commit ? kafka::CommitStrategy::auto_commit
                              : group.commit_strategy == kafka::CommitStrategy::auto_commit
                                  ? kafka::CommitStrategy::after_processing
                                  : group.commit_strategy;
    }
    if (reader.has("commit")) {
      const std::string commit =
          reader.required_enum("commit", {"auto", "before-processing", "after-processing", "async", "transactional"});
      group.commit_strategy = commit == "auto"                ? kafka::CommitStrategy::auto_commit
                              : commit == "before-processing" ? kafka::CommitStrategy::before_processing
                              : commit == "async"             ? kafka::CommitStrategy::async_processing
                              : commit == "transactional"     ? kafka::CommitStrategy::transactional
                                                              : kafka::CommitStrategy::after_processing;
      // auto and async commit through enable.auto.commit; the others commit by hand.
      const bool commits_automatically = group.commit_strategy == kafka::CommitStrategy::auto_commit ||
                                         group.commit_strategy == kafka::CommitStrategy::async_processing;
      if (auto_commit && *auto_commit != commits_automatically) {
        reader.report("commit", fmt::format("commit: {} contradicts config.enable.auto.commit: {}", commit,
                                            *auto_commit ? "true" : "false"));
      }
    }
    const bool transaction_keys = reader.has("transaction_abort_probability") || reader.has("seek_on_abort");
    group.transaction_abort_probability =
        reader.optional<double>("transaction_abort_probability", group.transaction_abort_probability, Range<double>{0.0, 1.0});
    group.seek_on_abort = reader.optional<bool>("seek_on_abort", group.seek_on_abort);
    if (transaction_keys && group.commit_strategy != kafka::CommitStrategy::transactional) {
      reader.report(reader.has("seek_on_abort") ? "seek_on_abort" : "transaction_abort_probability",
                    "needs commit: transactional (consume-transform-produce)");
    }
    if (reader.has("sink")) {
      group.sink = reader.required_enum("sink", {"plain", "idempotent"}) == "plain" ? kafka::SinkKind::plain
                                                                                   : kafka::SinkKind::idempotent;
    }
    read_output(reader, cluster, group);
    check_consumer_features(reader.context(), &reader, config ? &*config : nullptr, client, cluster_version, group);
    reader.finish();
    out.push_back(group);
  }
  if (consumers.size() > kMaxGroups) {
    MapReader last = consumers.map(kMaxGroups);
    last.report("name", fmt::format("at most {} consumer groups per scenario", kMaxGroups));
    last.finish();
  }
}

}  // namespace ksim::scenario
