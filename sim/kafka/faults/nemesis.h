#pragma once
// The random nemesis: faults drawn from the run's seed instead of written out. Each kind
// of fault arrives as a Poisson process at its rate during the workload phase and hits a
// target drawn uniformly from the nemesis's targets. It draws from its own stream
// ("nemesis"), so the same seed gives the same faults in every delivery mode (common
// random numbers) and adding a producer does not move them.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/kafka/config/world_config.h"

namespace ksim::kafka {

// The configuration of one seed: `base` with that seed and the faults its nemesis (if any)
// draws for it, after the scenario's own faults. The rest of a scenario's configuration
// does not depend on the seed, so it is built once per mode and copied per run.
WorldConfig with_seed(const WorldConfig& base, std::uint64_t seed);

// The faults the nemesis draws for `seed` over [0, workload_duration_ns).
std::vector<FaultSpec> draw_nemesis_faults(const NemesisSpec& spec, std::uint64_t seed, TimeNs workload_duration_ns,
                                           const std::vector<std::string>& all_nodes);

}  // namespace ksim::kafka
