#include "sim/scenario/read_world.h"

#include <algorithm>

#include <fmt/format.h>

#include "sim/kafka/faults/nemesis.h"

namespace ksim::scenario {

namespace {
constexpr TimeNs kMaxPhaseNs = 24 * 3'600 * kNanosecondsPerSecond;  // one simulated day
}

// nemesis: {targets: brokers, crash: 1/min, pause: 2/min, duration: 5s}
void read_nemesis(MapReader& reader, kafka::WorldConfig& config) {
  const std::vector<std::string> names = node_names(config);
  kafka::NemesisSpec spec;
  const std::string targets =
      reader.optional_enum("targets", {"brokers", "producers", "consumers", "clients", "all", "controllers"}, "brokers");
  for (const std::string& name : names) {
    const bool broker = name.rfind("broker-", 0) == 0;
    const bool controller = is_controller_name(name);
    if (controller && targets == "controllers") spec.targets.push_back(name);  // only when asked for
    const bool producer = std::any_of(config.producers.begin(), config.producers.end(),
                                      [&](const kafka::ProducerWorkload& p) { return name.rfind(p.name + "-", 0) == 0; });
    const bool wanted = !controller && (targets == "all" || (targets == "brokers" && broker) ||
                                        (targets == "producers" && producer) ||
                                        (targets == "consumers" && !broker && !producer) ||
                                        (targets == "clients" && !broker));
    if (wanted) spec.targets.push_back(name);
  }
  auto rate = [&](std::string_view key) {
    const Rate value = reader.optional<Rate>(key, Rate{false, 0, kNanosecondsPerSecond});
    if (value.unlimited) reader.report(key, "a nemesis rate must be finite, e.g. 1/min");
    return value.unlimited ? 0.0 : value.per_second();
  };
  spec.crash_per_second = rate("crash");
  spec.power_failure_per_second = rate("power-failure");
  spec.pause_per_second = rate("pause");
  spec.partition_per_second = rate("partition");
  spec.duration_ns = reader.optional<Duration>("duration", Duration{seconds(5)}, Range<Duration>{Duration{1}, {}}).ns;
  spec.max_faults = static_cast<std::uint32_t>(
      reader.optional<std::uint64_t>("max_faults", 1'000, Range<std::uint64_t>{1, 10'000}));
  reader.finish();
  spec.all_nodes = names;
  config.nemesis = std::move(spec);  // drawn per seed by kafka::with_seed
}

kafka::WorldConfig read_world(MapReader& top, const ModeChoice& mode) {
  kafka::WorldConfig config;
  const Range<Duration> phase{Duration{milliseconds(1)}, Duration{kMaxPhaseNs}};
  config.workload_duration_ns = top.optional<Duration>("duration", Duration{seconds(10)}, phase).ns;
  config.drain_max_ns = top.optional<Duration>("drain", Duration{seconds(120)}, phase).ns;
  if (auto limits = top.optional_map("limits")) {
    config.limits.max_events = limits->optional<std::uint64_t>("max_events", config.limits.max_events,
                                                                Range<std::uint64_t>{1, 2'000'000'000});
    config.limits.max_time_ns =
        limits->optional<Duration>("max_time", Duration{config.limits.max_time_ns}, phase).ns;
    limits->finish();
  }
  MapReader cluster = top.map("cluster");
  const VersionSetting version = read_cluster(cluster, config.cluster);
  read_producers(top.sequence("producers"), mode, config.cluster, version, config.producers);
  if (auto consumers = top.optional_sequence("consumers")) {
    read_consumers(*consumers, mode, config.cluster, version, config.consumer_groups);
  } else {
    kafka::ConsumerGroupConfig& group = config.consumer_groups.front();
    group.commit_strategy = kafka::CommitStrategy::auto_commit;
    if (version.version) {
      apply_consumer_version_defaults(*version.version, group.config);
      apply_metadata_cluster_limits(*version.version, *version.version, group.config.metadata_leader_epoch_check);
    }
    if (mode.mode) kafka::apply_consumer_preset(*mode.mode, group);
    check_consumer_features(top.context(), nullptr, nullptr, version, version, group);
  }
  if (auto network = top.optional_map("network")) read_network(*network, config);
  if (auto faults = top.optional_sequence("faults")) read_faults(*faults, config, config.faults);
  if (auto nemesis = top.optional_map("nemesis")) read_nemesis(*nemesis, config);
  return config;
}

}  // namespace ksim::scenario
