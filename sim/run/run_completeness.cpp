#include "sim/run/run_completeness.h"

#include <fmt/format.h>

#include "sim/core/event_queue.h"

namespace ksim::run {

namespace {

std::string seconds_of(TimeNs time_ns) { return fmt::format("{:.3f} s", to_seconds(time_ns)); }

// Which bound stopped the run. The world stops the loop at the earlier of
// limits.max_time and the end of the drain's bound (sim/kafka/world.cpp, World::run),
// so a time limit is one or the other.
std::string stopping_bound(const kafka::WorldConfig& config, const RunResult& run) {
  const TimeNs drain_end_ns = config.workload_duration_ns + config.drain_max_ns;
  switch (run.stop_reason) {
    case StopReason::event_limit:
      return fmt::format("stopped at the event limit (limits.max_events = {})", config.limits.max_events);
    case StopReason::time_limit:
      if (config.limits.max_time_ns < drain_end_ns) {
        return fmt::format("stopped at the time limit (limits.max_time = {})", seconds_of(config.limits.max_time_ns));
      }
      return fmt::format("stopped at the drain's bound (drain = {} after the {} workload)",
                         seconds_of(config.drain_max_ns), seconds_of(config.workload_duration_ns));
    case StopReason::queue_limit:
      return fmt::format("stopped at the event queue's bound ({} pending events)", EventQueue::kMaxPendingEvents);
    case StopReason::queue_empty:
      return "ran out of events";
    case StopReason::stopped_by_model:
      return "stopped";
  }
  return "stopped";
}

}  // namespace

std::string inconclusive_reason(const kafka::WorldConfig& config, const RunResult& run, bool drain_completed,
                                const std::string& drain_blocker) {
  if (drain_completed) return "";
  std::string reason = fmt::format("{} at {} simulated", stopping_bound(config, run), seconds_of(run.end_time_ns));
  if (run.end_time_ns < config.workload_duration_ns) return reason + ", during the workload (the drain never began)";
  reason += ", before the drain completed";
  // The world checks the drain's end periodically; a bound can fall after the work is done
  // and before a check confirmed it, and then nothing is named.
  reason += drain_blocker.empty() ? "; nothing was pending, but no drain check had confirmed it yet"
                                  : fmt::format("; the drain was waiting for: {}", drain_blocker);
  return reason;
}

}  // namespace ksim::run
