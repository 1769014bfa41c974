#include "sim/scenario/kafka_version.h"

#include <algorithm>

#include <fmt/format.h>

namespace ksim::scenario {

namespace {

struct ReleaseLine {
  std::string_view name;
  KafkaVersion version;
};

// Apache Kafka's release lines from 0.10.2 on (kafka.apache.org/downloads). Older lines
// are not accepted: before 0.10.1 the consumer had no max.poll.interval.ms (KIP-62),
// which ksim's consumer always has.
constexpr std::array<ReleaseLine, 25> kLines{{
    {"0.10.2", {{0, 10, 2}}}, {"0.11", {{0, 11, 0}}}, {"1.0", {{1, 0, 0}}}, {"1.1", {{1, 1, 0}}},
    {"2.0", {{2, 0, 0}}},     {"2.1", {{2, 1, 0}}},   {"2.2", {{2, 2, 0}}}, {"2.3", {{2, 3, 0}}},
    {"2.4", {{2, 4, 0}}},     {"2.5", {{2, 5, 0}}},   {"2.6", {{2, 6, 0}}}, {"2.7", {{2, 7, 0}}},
    {"2.8", {{2, 8, 0}}},     {"3.0", {{3, 0, 0}}},   {"3.1", {{3, 1, 0}}}, {"3.2", {{3, 2, 0}}},
    {"3.3", {{3, 3, 0}}},     {"3.4", {{3, 4, 0}}},   {"3.5", {{3, 5, 0}}}, {"3.6", {{3, 6, 0}}},
    {"3.7", {{3, 7, 0}}},     {"3.8", {{3, 8, 0}}},   {"3.9", {{3, 9, 0}}}, {"4.0", {{4, 0, 0}}},
    {"4.1", {{4, 1, 0}}},
}};

bool is_patch(std::string_view rest) {
  // ".N": a patch release of the line.
  return rest.size() >= 2 && rest.front() == '.' &&
         std::all_of(rest.begin() + 1, rest.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string KafkaVersion::to_string() const {
  if (parts[0] == 0 && parts[1] == 10) return fmt::format("0.10.{}", parts[2]);
  return fmt::format("{}.{}", parts[0], parts[1]);
}

std::optional<KafkaVersion> parse_kafka_version(std::string_view text) {
  for (const ReleaseLine& line : kLines) {
    if (text.substr(0, line.name.size()) != line.name) continue;
    std::string_view rest = text.substr(line.name.size());
    // 0.11's releases are named 0.11.0.0, 0.11.0.1, ...
    if (line.name == "0.11") {
      if (rest.empty()) return line.version;
      if (rest.substr(0, 2) != ".0") continue;
      rest.remove_prefix(2);
    }
    if (rest.empty() || is_patch(rest)) return line.version;
  }
  return std::nullopt;
}

const std::vector<std::string>& kafka_version_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const ReleaseLine& line : kLines) out.emplace_back(line.name);
    return out;
  }();
  return names;
}

void apply_broker_version_defaults(const KafkaVersion& version, kafka::BrokerConfig& config) {
  // KIP-101 (0.11.0): followers truncate by leader epoch; before, to their high watermark.
  // KIP-279 (2.0.0, KAFKA-6361): the leader's answer names the epoch it found.
  config.log_truncation = version >= kLeaderEpochRefinement.since  ? kafka::LogTruncation::leader_epoch
                          : version >= kLeaderEpochTruncation.since ? kafka::LogTruncation::leader_epoch_kip101
                                                                    : kafka::LogTruncation::high_watermark;
  // KIP-106 (0.11.0): unclean.leader.election.enable defaults to false; true before.
  config.unclean_leader_election_enable = version < KafkaVersion{{0, 11, 0}};
  // KIP-380 / KAFKA-7235 (2.2): the controller notices a bounced broker by its epoch.
  config.bounced_broker_detection = version >= kBouncedBrokerDetection.since;
  // KIP-966: eligible.leader.replicas.version=1 is the default of a cluster created at
  // 4.1 or later (docs "Eligible Leader Replicas"); in 4.0 it is opt-in. It brings the
  // strict min ISR rule. A file without kafka.version keeps ksim's default 0, as a cluster
  // upgraded to 4.1 from an older line does (the feature is not raised on upgrade).
  config.eligible_leader_replicas = version >= KafkaVersion{{4, 1, 0}};
  config.strict_min_isr = config.eligible_leader_replicas;
  // KIP-890 part 1 (3.6): transaction.partition.verification.enable, default true.
  config.transaction_partition_verification_enable = version >= kTransactionVerification.since;
  // KIP-951 (3.7): NOT_LEADER_OR_FOLLOWER answers name the current leader.
  config.current_leader_in_errors = version >= kLeaderDiscovery;
}

void apply_producer_version_defaults(const KafkaVersion& version, kafka::ProducerConfig& config) {
  // KIP-679 (3.0): acks=all and enable.idempotence=true by default; acks=1 and no
  // idempotence before. (3.0.0 and 3.1.0 did not apply the idempotence default, KAFKA-13598;
  // ksim follows the KIP, as 3.0.1, 3.1.1 and 3.2 do.)
  const bool stronger_defaults = version >= KafkaVersion{{3, 0, 0}};
  config.acks = stronger_defaults ? kafka::Acks::all : kafka::Acks::leader;
  config.enable_idempotence = stronger_defaults;
  // KIP-91 (2.1): retries defaults to Integer.MAX_VALUE, bounded by delivery.timeout.ms;
  // 0 before.
  if (version < KafkaVersion{{2, 1, 0}}) config.retries = 0;
  // KIP-1030 (4.0): linger.ms defaults to 5; 0 before.
  if (version < KafkaVersion{{4, 0, 0}}) config.linger_ns = 0;
  // KIP-580 (3.7): retries back off exponentially up to retry.backoff.max.ms.
  config.exponential_retry_backoff = version >= kExponentialRetryBackoff.since;
  // KAFKA-15415 (KIP-951, 3.7): a retry to a new leader skips the backoff.
  config.retry_to_new_leader_skips_backoff = version >= kLeaderDiscovery;
  // KIP-951 (3.7): the leader named by a NOT_LEADER_OR_FOLLOWER answer is taken at once.
  config.leader_from_error_answers = version >= kLeaderDiscovery;
  config.metadata_leader_epoch_check = version >= kMetadataEpochCheck.since;  // KAFKA-7738 (2.2)
}

void apply_idempotent_client_defaults(const KafkaVersion& version, bool acks_set, bool retries_set,
                                      kafka::ProducerConfig& config) {
  const bool idempotent = config.enable_idempotence || !config.transactional_id.empty();
  if (!idempotent || version >= KafkaVersion{{3, 0, 0}}) return;
  if (!acks_set) config.acks = kafka::Acks::all;
  if (!retries_set) config.retries = kafka::ProducerConfig{}.retries;
}

void apply_consumer_version_defaults(const KafkaVersion& version, kafka::ConsumerConfig& config) {
  // KIP-735 (3.0): session.timeout.ms defaults to 45000; 10000 before.
  if (version < KafkaVersion{{3, 0, 0}}) config.session_timeout_ns = milliseconds(10'000);
  // KIP-320 (2.3: KAFKA-7440, KAFKA-7747): fetches carry the leader epoch, positions are
  // validated after a leader change and when resumed from a committed offset.
  config.truncation_detection = version >= kConsumerTruncationDetection.since;
  config.metadata_leader_epoch_check = version >= kMetadataEpochCheck.since;  // KAFKA-7738 (2.2)
  // KIP-951 (3.7): the leader named by a NOT_LEADER_OR_FOLLOWER fetch answer is taken at once.
  config.leader_from_error_answers = version >= kLeaderDiscovery;
}

void apply_metadata_cluster_limits(const KafkaVersion& client, const KafkaVersion& cluster, bool& epoch_check) {
  const KafkaVersion reliable_epochs{{2, 4, 0}};  // KAFKA-9212
  if (cluster < kMetadataLeaderEpochs.since || (client >= reliable_epochs && cluster < reliable_epochs)) {
    epoch_check = false;
  }
}

void apply_consumer_cluster_limits(const KafkaVersion& cluster, kafka::ConsumerConfig& config) {
  if (cluster < kConsumerEpochChecks.since) config.truncation_detection = false;
}

std::optional<std::string> missing_feature(const KafkaVersion& version, const VersionedFeature& feature,
                                           std::string_view whose) {
  if (version >= feature.since) return std::nullopt;
  return fmt::format("{} came with {} in Kafka {}; {} is {}", feature.what, feature.source, feature.since.to_string(),
                     whose, version.to_string());
}

}  // namespace ksim::scenario
