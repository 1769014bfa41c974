#include "sim/kafka/faults/nemesis.h"

#include <algorithm>

#include "sim/random/random_stream.h"

namespace ksim::kafka {

WorldConfig with_seed(const WorldConfig& base, std::uint64_t seed) {
  WorldConfig config = base;
  config.seed = seed;
  if (config.nemesis) {
    const std::vector<FaultSpec> drawn =
        draw_nemesis_faults(*config.nemesis, seed, config.workload_duration_ns, config.nemesis->all_nodes);
    config.faults.insert(config.faults.end(), drawn.begin(), drawn.end());
  }
  return config;
}

std::vector<FaultSpec> draw_nemesis_faults(const NemesisSpec& spec, std::uint64_t seed, TimeNs workload_duration_ns,
                                           const std::vector<std::string>& all_nodes) {
  std::vector<FaultSpec> faults;
  if (spec.targets.empty()) return faults;
  struct Kind {
    FaultAction action;
    double per_second;
    const char* stream;
  };
  const Kind kinds[] = {{FaultAction::crash, spec.crash_per_second, "nemesis.crash"},
                        {FaultAction::power_failure, spec.power_failure_per_second, "nemesis.power-failure"},
                        {FaultAction::pause, spec.pause_per_second, "nemesis.pause"},
                        {FaultAction::partition, spec.partition_per_second, "nemesis.partition"}};
  for (const Kind& kind : kinds) {
    if (kind.per_second <= 0) continue;
    // One stream per kind: a new rate for pauses does not move the crashes.
    RandomStream random(seed, kind.stream);
    const double mean_gap_ns = 1e9 / kind.per_second;
    double at_ns = random.exponential(mean_gap_ns);
    while (at_ns < static_cast<double>(workload_duration_ns) && faults.size() < spec.max_faults) {
      const std::string& target = spec.targets[random.uniform_below(spec.targets.size())];
      FaultSpec fault;
      fault.at_ns = static_cast<TimeNs>(at_ns);
      fault.action = kind.action;
      fault.duration_ns = spec.duration_ns;
      if (kind.action == FaultAction::partition) {
        std::vector<std::string> others;
        for (const std::string& node : all_nodes) {
          if (node != target) others.push_back(node);
        }
        fault.groups = {{target}, others};
      } else {
        fault.targets = {target};
      }
      faults.push_back(std::move(fault));
      at_ns += random.exponential(mean_gap_ns);
    }
  }
  std::stable_sort(faults.begin(), faults.end(), [](const FaultSpec& a, const FaultSpec& b) { return a.at_ns < b.at_ns; });
  return faults;
}

}  // namespace ksim::kafka
