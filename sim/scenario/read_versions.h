#pragma once
// Reading `cluster.kafka.version` and `client.version`, and judging a file's knobs and
// features against them: a knob may pick an older behaviour than its version's default
// (Kafka let operators keep one, e.g. an older inter.broker.protocol.version), never a
// behaviour its version did not have; a feature newer than the version is an error.
// Internal to the loader; the tables are in kafka_version.h.
#include <optional>
#include <string>

#include "sim/kafka/config/config.h"
#include "sim/kafka/config/consumer_config.h"
#include "sim/scenario/kafka_version.h"
#include "sim/scenario/yaml_reader.h"

namespace ksim::scenario {

// A version a part of the file runs, and where the file says so (for messages).
struct VersionSetting {
  std::optional<KafkaVersion> version;  // nullopt: not given (the newest behaviours, ksim's defaults)
  SourceLocation where;
  std::string key_path;
};

// `kafka.version` of the cluster map.
VersionSetting read_cluster_version(MapReader& cluster);
// `client.version` of a producer or consumer group; without it, the cluster's.
VersionSetting read_client_version(MapReader& client, const VersionSetting& cluster);

// Kafka 4.0 talks only to the other side's 2.1 or later (KIP-896: older protocol versions
// removed); clients and brokers from 0.10.2 on are otherwise compatible both ways (KIP-97).
// Judged only when the file gives both versions.
void check_client_compatibility(MapReader& client_reader, const VersionSetting& client, const VersionSetting& cluster);

// The broker knobs the file set (in `config`) against the cluster's version.
void check_broker_knobs(MapReader& config, const KafkaVersion& version, const kafka::BrokerConfig& broker);
// The producer's features (after its preset and config) against its client's and the
// cluster's versions. `config` is the producer's config map, if it has one.
void check_producer_features(MapReader& producer, MapReader* config, const VersionSetting& client,
                             const VersionSetting& cluster, const kafka::ProducerConfig& settings);
// The same for a consumer group; `group` is null for the default group the file does not list.
void check_consumer_features(ReadContext& context, MapReader* group, MapReader* config, const VersionSetting& client,
                             const VersionSetting& cluster, const kafka::ConsumerGroupConfig& settings);

}  // namespace ksim::scenario
