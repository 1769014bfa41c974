#pragma once
// The random nemesis: faults drawn from the run's seed instead of written out. Each kind
// of fault arrives as a Poisson process at its rate during the workload phase and hits a
// target drawn uniformly from the nemesis's targets. It draws from its own stream
// ("nemesis"), so the same seed gives the same faults in every delivery mode (common
// random numbers) and adding a producer does not move them.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/kafka/world_config.h"

namespace ksim::kafka {

struct NemesisSpec {
  std::vector<std::string> targets;    // node names faults may hit
  double crash_per_second = 0;
  double power_failure_per_second = 0;  // brokers only
  double pause_per_second = 0;
  double partition_per_second = 0;      // isolates the target from every other node
  TimeNs duration_ns = seconds(5);      // how long each fault lasts
  std::uint32_t max_faults = 1'000;     // bound on the faults one run may draw
};

// The faults the nemesis draws for `seed` over [0, workload_duration_ns).
std::vector<FaultSpec> draw_nemesis_faults(const NemesisSpec& spec, std::uint64_t seed, TimeNs workload_duration_ns,
                                           const std::vector<std::string>& all_nodes);

}  // namespace ksim::kafka
