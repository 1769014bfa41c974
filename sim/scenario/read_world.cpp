#include "sim/scenario/read_world.h"

#include <fmt/format.h>

namespace ksim::scenario {

namespace {
constexpr TimeNs kMaxPhaseNs = 24 * 3'600 * kNanosecondsPerSecond;  // one simulated day
}

kafka::WorldConfig read_world(MapReader& top, const ModeChoice& mode, std::uint64_t seed) {
  kafka::WorldConfig config;
  config.seed = seed;
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
  read_cluster(cluster, config.cluster);
  read_producers(top.sequence("producers"), mode, config.cluster, config.producers);
  if (auto consumers = top.optional_sequence("consumers")) {
    read_consumers(*consumers, mode, config.cluster, config.consumer_groups);
  } else {
    config.consumer_groups.front().commit_strategy = kafka::CommitStrategy::auto_commit;
    if (mode.mode) kafka::apply_consumer_preset(*mode.mode, config.consumer_groups.front());
  }
  if (auto network = top.optional_map("network")) read_network(*network, config.link_profile);
  if (auto faults = top.optional_sequence("faults")) read_faults(*faults, config, config.faults);
  return config;
}

}  // namespace ksim::scenario
