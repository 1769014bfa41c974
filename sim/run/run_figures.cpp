#include "sim/run/run_figures.h"

namespace ksim::run {

std::string_view to_string(RunVerdict verdict) {
  switch (verdict) {
    case RunVerdict::held: return "held";
    case RunVerdict::broken: return "broken";
    case RunVerdict::inconclusive: return "inconclusive";
  }
  return "held";
}

std::optional<RunVerdict> parse_run_verdict(std::string_view text) {
  for (const RunVerdict verdict : {RunVerdict::held, RunVerdict::broken, RunVerdict::inconclusive}) {
    if (to_string(verdict) == text) return verdict;
  }
  return std::nullopt;
}

double acknowledged_per_s(const RunThroughput& throughput) {
  const double per_s = throughput.workload_ns == 0 ? 0.0
                                                   : static_cast<double>(throughput.acknowledged_in_workload) * 1e9 /
                                                         static_cast<double>(throughput.workload_ns);
  return static_cast<double>(static_cast<std::uint64_t>(per_s * 10 + 0.5)) / 10;
}

std::uint64_t RunFigures::counter(const std::string& name) const {
  const auto found = counters.find(name);
  if (found != counters.end()) return found->second;
  // "orders.lost": a topic's counter (several topics); the topic is named up to the last dot.
  // "end_to_end.duplicated": a pipeline stage's counter (the stage is named up to the first dot).
  if (const std::size_t first_dot = name.find('.'); first_dot != std::string::npos) {
    const auto stage = pipeline.find(name.substr(0, first_dot));
    if (stage != pipeline.end()) {
      const auto counter = stage->second.find(name.substr(first_dot + 1));
      return counter == stage->second.end() ? 0 : counter->second;
    }
  }
  const std::size_t dot = name.rfind('.');
  if (dot == std::string::npos) return 0;
  const auto topic = topics.find(name.substr(0, dot));
  if (topic == topics.end()) return 0;
  const auto counter = topic->second.find(name.substr(dot + 1));
  return counter == topic->second.end() ? 0 : counter->second;
}

}  // namespace ksim::run
