#pragma once
// Kafka release lines a scenario may name (`cluster.kafka.version`, `client.version` on
// producers and consumer groups), and what each line changes in ksim's plain knobs: the
// defaults of the version (applied before a delivery mode's preset and the file's own
// keys) and the features it does not have yet. The model never sees a version, only the
// knobs (sim/kafka/config.h); every entry cites the KIP or JIRA and the release notes
// (docs/upgrade.html) that date it. Table and rules: scenarios/README.md, "Kafka versions".
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/kafka/config/config.h"
#include "sim/kafka/config/consumer_config.h"

namespace ksim::scenario {

// A release line: 0.10.2 is {0, 10, 2}, 0.11 is {0, 11, 0}, 2.4 is {2, 4, 0}. Ordered.
struct KafkaVersion {
  std::array<int, 3> parts{};
  auto operator<=>(const KafkaVersion&) const = default;
  std::string to_string() const;
};

// The newest line ksim models; a file without a version gets its behaviours (see
// apply_broker_version_defaults for the one default that is not 4.1's).
inline constexpr KafkaVersion kNewestKafkaVersion{{4, 1, 0}};

// The accepted spellings: a release line as Kafka names it ("0.10.2", "0.11", "2.0",
// "4.1"), optionally followed by its patch number ("2.0.1", "0.10.2.2", "0.11.0.3").
std::optional<KafkaVersion> parse_kafka_version(std::string_view text);
const std::vector<std::string>& kafka_version_names();

// The broker defaults of `version` (a new cluster created at that version).
void apply_broker_version_defaults(const KafkaVersion& version, kafka::BrokerConfig& config);
// The Java client's defaults of `version`.
void apply_producer_version_defaults(const KafkaVersion& version, kafka::ProducerConfig& config);
// Before 3.0 an idempotent or transactional producer whose acks and retries the user left
// unset got acks=all and retries=Integer.MAX_VALUE instead of the plain defaults
// (KafkaProducer.configureAcks/configureRetries, 0.11-2.8); from 3.0 they are the defaults.
void apply_idempotent_client_defaults(const KafkaVersion& version, bool acks_set, bool retries_set,
                                      kafka::ProducerConfig& config);
void apply_consumer_version_defaults(const KafkaVersion& version, kafka::ConsumerConfig& config);
// What a consumer of any version cannot do against brokers of `cluster`: detect truncation
// before 2.1 (KIP-320's broker side, KAFKA-7395: no leader checks a consumer's epoch).
void apply_consumer_cluster_limits(const KafkaVersion& cluster, kafka::ConsumerConfig& config);

// metadata.leader.epoch.check of a client of `client` against brokers of `cluster`: none
// before brokers 2.1 (no epoch in their answers), nor for a 2.4+ client on brokers before
// 2.4, whose epochs it treats as unreliable (KAFKA-9212, apache/kafka PR 7795/7800, Kafka
// 2.4.0: MetadataResponse.hasReliableLeaderEpochs, version 9 and later).
void apply_metadata_cluster_limits(const KafkaVersion& client, const KafkaVersion& cluster, bool& epoch_check);

// A feature and the first release line that has it.
struct VersionedFeature {
  std::string_view what;    // "transactions", "idempotence", ...
  KafkaVersion since;
  std::string_view source;  // the KIP or JIRA that brought it
};

// nullopt when `version` has `feature`; else the message saying why it does not.
std::optional<std::string> missing_feature(const KafkaVersion& version, const VersionedFeature& feature,
                                           std::string_view whose);

inline constexpr VersionedFeature kIdempotence{"idempotence", {{0, 11, 0}}, "KIP-98"};
inline constexpr VersionedFeature kTransactions{"transactions", {{0, 11, 0}}, "KIP-98"};
inline constexpr VersionedFeature kStickyAssignor{"the sticky assignor", {{0, 11, 0}}, "KIP-54"};
inline constexpr VersionedFeature kCooperativeSticky{"the cooperative-sticky assignor", {{2, 4, 0}}, "KIP-429"};
inline constexpr VersionedFeature kLeaderEpochTruncation{"leader-epoch truncation", {{0, 11, 0}}, "KIP-101"};
// The leader names the epoch it found in its OffsetsForLeaderEpoch answer (v1, 2.0.0).
inline constexpr VersionedFeature kLeaderEpochRefinement{"leader-epoch truncation with the leader's epoch",
                                                         {{2, 0, 0}}, "KIP-279, KAFKA-6361"};
// KIP-320's consumer side: the Java consumer sends the leader epoch of its position with
// every fetch and validates a position after a leader change or resumed from a committed
// offset (KAFKA-7440, KAFKA-7747: Kafka 2.3.0's changelog). Its broker side, the leader
// checking a fetcher's epoch, and OffsetCommit v6 carrying the epoch came in 2.1.0
// (KAFKA-7395, KAFKA-7437).
inline constexpr VersionedFeature kConsumerTruncationDetection{"consumer truncation detection", {{2, 3, 0}},
                                                               "KIP-320, KAFKA-7440 and KAFKA-7747"};
inline constexpr VersionedFeature kConsumerEpochChecks{"leader epoch checks of consumer fetches", {{2, 1, 0}},
                                                       "KIP-320, KAFKA-7395"};
// A client ignores metadata whose leader epoch for a partition is older than one it has seen
// (KAFKA-7738 "Track leader epochs in Metadata", apache/kafka PR 6045: Kafka 2.2.0), which
// needs brokers that put the leader epoch in MetadataResponse (v7, KIP-320: Kafka 2.1.0).
inline constexpr VersionedFeature kMetadataEpochCheck{"the metadata leader epoch check", {{2, 2, 0}}, "KAFKA-7738"};
inline constexpr VersionedFeature kMetadataLeaderEpochs{"leader epochs in metadata answers", {{2, 1, 0}},
                                                        "KIP-320 (MetadataResponse v7)"};
inline constexpr VersionedFeature kBouncedBrokerDetection{"bounced broker detection", {{2, 2, 0}}, "KIP-380, KAFKA-7235"};
inline constexpr VersionedFeature kTransactionVerification{"transaction partition verification", {{3, 6, 0}},
                                                            "KIP-890"};
inline constexpr VersionedFeature kExponentialRetryBackoff{"retry.backoff.max.ms (exponential retry backoff)",
                                                           {{3, 7, 0}}, "KIP-580"};
// KIP-951's leader discovery (3.7): errors name the new leader, and clients use it
// (KAFKA-15415's retry without backoff is its client half too).
inline constexpr KafkaVersion kLeaderDiscovery{{3, 7, 0}};
inline constexpr VersionedFeature kEligibleLeaderReplicas{"eligible leader replicas", {{4, 0, 0}}, "KIP-966"};
// Kafka 4.0 removed ZooKeeper (KIP-500, KIP-833): every cluster is KRaft, whose controller
// always fences a broker that registers again.
inline constexpr KafkaVersion kKraftOnly{{4, 0, 0}};

}  // namespace ksim::scenario
