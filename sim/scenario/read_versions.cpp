#include "sim/scenario/read_versions.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sim/scenario/did_you_mean.h"

namespace ksim::scenario {

namespace {

VersionSetting read_version(MapReader& reader, std::string_view key) {
  VersionSetting setting;
  if (!reader.has(key)) return setting;
  setting.where = reader.location_of(key);
  setting.key_path = reader.key_path(key);
  const std::string text = reader.optional<std::string>(key, "");
  setting.version = parse_kafka_version(text);
  if (!setting.version) {
    const auto suggestion = did_you_mean(text, kafka_version_names());
    reader.report(key, fmt::format("unknown Kafka version \"{}\"; accepted: {} (a release line, optionally with its "
                                   "patch number, e.g. \"2.0.1\"){}",
                                   text, fmt::join(kafka_version_names(), ", "),
                                   suggestion ? fmt::format("; did you mean \"{}\"?", *suggestion) : std::string()));
  }
  return setting;
}

// Reports at `key` of `reader` when the file wrote it there, else where the version is set:
// the feature then came from a default or a delivery mode's preset.
void report_feature(ReadContext& context, MapReader* reader, std::string_view key, const VersionSetting& version,
                    const std::string& message) {
  if (reader != nullptr && reader->has(key)) {
    reader->report(key, message);
  } else {
    context.report(version.where, version.key_path, message);
  }
}

// The first of the client's and the cluster's versions that lacks `feature`, as a message.
std::optional<std::string> lacking(const VersionedFeature& feature, const VersionSetting& client,
                                   const VersionSetting& cluster, const VersionSetting** which) {
  for (const VersionSetting* setting : {&client, &cluster}) {
    if (!setting->version) continue;
    if (auto message = missing_feature(*setting->version, feature, setting->key_path)) {
      *which = setting;
      return message;
    }
  }
  return std::nullopt;
}

constexpr std::string_view kNoNewerBehaviour =
    ": a knob may keep an older behaviour on a newer version, not give a version one it did not have "
    "(raise kafka.version or remove the key)";

}  // namespace

VersionSetting read_cluster_version(MapReader& cluster) { return read_version(cluster, "kafka.version"); }

VersionSetting read_client_version(MapReader& client, const VersionSetting& cluster) {
  VersionSetting setting = read_version(client, "client.version");
  if (!client.has("client.version")) return cluster;
  return setting;
}

void check_client_compatibility(MapReader& client_reader, const VersionSetting& client, const VersionSetting& cluster) {
  if (!client.version || !cluster.version || !client_reader.has("client.version")) return;
  const KafkaVersion oldest_peer{{2, 1, 0}};
  if (*cluster.version >= kKraftOnly && *client.version < oldest_peer) {
    client_reader.report("client.version", fmt::format("Kafka {} brokers refuse clients older than 2.1 (KIP-896 removed "
                                                       "the older protocol versions in 4.0)",
                                                       cluster.version->to_string()));
  } else if (*client.version >= kKraftOnly && *cluster.version < oldest_peer) {
    client_reader.report("client.version", fmt::format("Kafka {} clients need brokers 2.1 or later (KIP-896); "
                                                       "kafka.version is {}",
                                                       client.version->to_string(), cluster.version->to_string()));
  }
}

void check_broker_knobs(MapReader& config, const KafkaVersion& version, const kafka::BrokerConfig& broker) {
  const std::string whose = "kafka.version";
  auto newer = [&](std::string_view key, const VersionedFeature& feature) {
    if (auto message = missing_feature(version, feature, whose)) config.report(key, *message + std::string(kNoNewerBehaviour));
  };
  if (config.has("log.truncation") && broker.log_truncation != kafka::LogTruncation::high_watermark) {
    // Before 0.11 leader epochs themselves are missing (KIP-101); 0.11 to 1.1 lack only
    // KIP-279's answer with the epoch.
    const bool refined = broker.log_truncation == kafka::LogTruncation::leader_epoch;
    newer("log.truncation", refined && version >= kLeaderEpochTruncation.since ? kLeaderEpochRefinement
                                                                               : kLeaderEpochTruncation);
  }
  if (config.has("bounced.broker.detection") && broker.bounced_broker_detection) {
    newer("bounced.broker.detection", kBouncedBrokerDetection);
  }
  if (config.has("bounced.broker.detection") && !broker.bounced_broker_detection && version >= kKraftOnly) {
    config.report("bounced.broker.detection",
                  fmt::format("false is ZooKeeper-era behaviour, but kafka.version is {}: Kafka 4.0 removed ZooKeeper "
                              "(KIP-833) and KRaft's controller always fences a broker that registers again",
                              version.to_string()));
  }
  if (config.has("transaction.partition.verification.enable") && broker.transaction_partition_verification_enable) {
    newer("transaction.partition.verification.enable", kTransactionVerification);
  }
  if (config.has("eligible.leader.replicas.version") && broker.eligible_leader_replicas) {
    newer("eligible.leader.replicas.version", kEligibleLeaderReplicas);
  }
}

namespace {

// A client knob set true that needs `in_client` of the client and `in_cluster` of the
// brokers: log.truncation.detection (2.3 client, 2.1 brokers checking its epoch, KIP-320),
// metadata.leader.epoch.check (2.2 client, KAFKA-7738; 2.1 brokers whose answers carry the
// epoch, KIP-320).
void check_client_knob(MapReader* config, std::string_view key, bool value, const VersionedFeature& in_client,
                       const VersionedFeature& in_cluster, const VersionSetting& client, const VersionSetting& cluster) {
  if (config == nullptr || !config->has(key) || !value) return;
  const VersionSetting no_version;
  const VersionSetting* lacks = nullptr;
  std::optional<std::string> message = lacking(in_client, client, no_version, &lacks);
  if (!message) message = lacking(in_cluster, no_version, cluster, &lacks);
  if (message) {
    config->report(key, *message + ": a knob may keep an older behaviour on a newer version, not give a version one it "
                                   "did not have (raise the version or remove the key)");
  }
}

}  // namespace

void check_producer_features(MapReader& producer, MapReader* config, const VersionSetting& client,
                             const VersionSetting& cluster, const kafka::ProducerConfig& settings) {
  const VersionSetting* which = nullptr;
  check_client_knob(config, "metadata.leader.epoch.check", settings.metadata_leader_epoch_check, kMetadataEpochCheck,
                    kMetadataLeaderEpochs, client, cluster);
  if (config != nullptr && config->has("retry.backoff.max.ms")) {
    const VersionSetting no_cluster;  // a client setting: only the client's version matters
    if (auto message = lacking(kExponentialRetryBackoff, client, no_cluster, &which)) {
      report_feature(producer.context(), config, "retry.backoff.max.ms", *which, *message);
    }
  }
  if (!settings.transactional_id.empty()) {
    if (auto message = lacking(kTransactions, client, cluster, &which)) {
      report_feature(producer.context(), config, "transactional.id", *which, *message);
    }
  } else if (settings.enable_idempotence) {
    if (auto message = lacking(kIdempotence, client, cluster, &which)) {
      report_feature(producer.context(), config, "enable.idempotence", *which,
                     *message + " (set enable.idempotence: false, or use a mode without it)");
    }
  }
}

void check_consumer_features(ReadContext& context, MapReader* group, MapReader* config, const VersionSetting& client,
                             const VersionSetting& cluster, const kafka::ConsumerGroupConfig& settings) {
  const VersionSetting* which = nullptr;
  const VersionSetting no_cluster;  // assignors run in the client: only its version matters
  const kafka::AssignmentStrategy strategy = settings.config.partition_assignment_strategy;
  const VersionedFeature* assignor = strategy == kafka::AssignmentStrategy::cooperative_sticky ? &kCooperativeSticky
                                     : strategy == kafka::AssignmentStrategy::sticky           ? &kStickyAssignor
                                                                                              : nullptr;
  if (assignor != nullptr) {
    if (auto message = lacking(*assignor, client, no_cluster, &which)) {
      report_feature(context, config, "partition.assignment.strategy", *which, *message);
    }
  }
  // The client detects (2.3), and only against brokers that check its epoch (2.1).
  check_client_knob(config, "log.truncation.detection", settings.config.truncation_detection,
                    kConsumerTruncationDetection, kConsumerEpochChecks, client, cluster);
  check_client_knob(config, "metadata.leader.epoch.check", settings.config.metadata_leader_epoch_check,
                    kMetadataEpochCheck, kMetadataLeaderEpochs, client, cluster);
  if (settings.commit_strategy == kafka::CommitStrategy::transactional) {
    if (auto message = lacking(kTransactions, client, cluster, &which)) {
      report_feature(context, group, "commit", *which, *message);
    }
  } else if (settings.config.read_committed) {
    if (auto message = lacking(kTransactions, client, cluster, &which)) {
      report_feature(context, config, "isolation.level", *which, "read_committed reads " + *message);
    }
  }
}

}  // namespace ksim::scenario
