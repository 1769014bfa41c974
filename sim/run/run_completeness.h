#pragma once
// Whether a run finished, and if not, why: a run stopped by a bound (the event limit,
// the simulated-time limit, the drain's bound, the event queue's bound) or whose drain
// never completed has a partial history, so nothing it shows or fails to show proves
// anything about the guarantee. Such a run is inconclusive, like Jepsen's `:valid?
// :unknown`, and every report says so with this reason.
#include <string>

#include "sim/core/simulator.h"
#include "sim/kafka/config/world_config.h"

namespace ksim::run {

// "" for a run whose drain completed; else which bound stopped it, at what simulated
// time, and what the drain was still waiting for, e.g. "stopped at the event limit
// (limits.max_events = 5000000) at 5.400 s simulated; the drain was waiting for:
// partition 0 has no leader".
std::string inconclusive_reason(const kafka::WorldConfig& config, const RunResult& run, bool drain_completed,
                                const std::string& drain_blocker);

}  // namespace ksim::run
