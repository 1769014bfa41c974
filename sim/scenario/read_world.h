#pragma once
// Reading the sections of a scenario file that describe the world (cluster, producers,
// consumers, network, faults, phases and bounds) into a WorldConfig, applying a delivery
// mode's preset before the file's explicit Kafka settings. Internal to the loader.
#include <optional>

#include "sim/kafka/config/world_config.h"
#include "sim/scenario/read_versions.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/yaml_reader.h"

namespace ksim::scenario {

// The seed-independent configuration of one mode (the nemesis is drawn per seed later,
// by kafka::with_seed).
kafka::WorldConfig read_world(MapReader& top, const ModeChoice& mode);

// Returns the cluster's kafka.version, whose defaults it applied before the file's keys.
VersionSetting read_cluster(MapReader& cluster, kafka::ClusterConfig& config);
// Each client's defaults are those of its client.version (the cluster's version without
// one), then the mode's preset, then the file's keys.
void read_producers(SequenceReader producers, const ModeChoice& mode, const kafka::ClusterConfig& cluster,
                    const VersionSetting& cluster_version, std::vector<kafka::ProducerWorkload>& out);
void read_consumers(SequenceReader consumers, const ModeChoice& mode, const kafka::ClusterConfig& cluster,
                    const VersionSetting& cluster_version, std::vector<kafka::ConsumerGroupConfig>& out);
// A topic's `replica.assignment` (Kafka's --replica-assignment syntax or a YAML list of
// replica lists, broker ids 1..brokers) into entry.replica_assignment (broker indexes).
void read_replica_assignment(MapReader& topic, std::uint32_t brokers, kafka::TopicConfig& entry);
void read_network(MapReader& network, kafka::WorldConfig& config);
void read_faults(SequenceReader faults, const kafka::WorldConfig& config, std::vector<kafka::FaultSpec>& out);

// The Kafka config map of a cluster, producer or consumer group (`owner`): the keys of its
// `config_file` (a .properties file, relative to the scenario file) under those of its
// `config` map, which win. nullopt when it has neither.
std::optional<MapReader> read_kafka_config(MapReader& owner);
// A Kafka `*.ms` setting (an integer of milliseconds, or a duration with its unit) into
// `field_ns`, which holds the default and keeps it when the key is absent.
void read_kafka_ms(MapReader& config, std::string_view key, TimeNs& field_ns);

// The keys a read of the scenario tree asks about in each map, whether the map has them
// or not (the tree's own errors are ignored): what --set may create where.
KnownKeys known_keys(const YAML::Node& root);
// A dry read of `root` that records what the loader reads into `recording` (schema.h).
void record_schema(const YAML::Node& root, SchemaRecording& recording);

// Names of the nodes a world built from `config` has, as faults refer to them.
std::vector<std::string> node_names(const kafka::WorldConfig& config);
// `controller`, or `controller-<i>` of a quorum of several.
bool is_controller_name(const std::string& name);

}  // namespace ksim::scenario
