#include "sim/run/vary_points.h"

#include <algorithm>
#include <functional>

namespace ksim::run {

namespace {

template <class T>
std::optional<Spread<T>> spread_of(std::vector<T> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  return Spread<T>{values.front(), values[(values.size() - 1) / 2], values.back()};
}

// A figure of the runs of the point, for the runs that have it.
std::optional<Spread<double>> figure_spread(const std::vector<const RunFigures*>& runs,
                                            const std::function<std::optional<double>(const RunFigures&)>& figure) {
  std::vector<double> values;
  for (const RunFigures* run : runs) {
    if (const std::optional<double> value = figure(*run)) values.push_back(*value);
  }
  return spread_of(std::move(values));
}

std::optional<double> p99_ns(const RunFigures& run, std::size_t kind) {
  if (!run.latency) return std::nullopt;
  return static_cast<double>(run.latency->histograms[kind].percentile_ns(990));
}

}  // namespace

VaryPoint vary_point(const std::vector<RunFigures>& runs, const VaryValue& value, const std::string& mode) {
  std::vector<const RunFigures*> of_point;
  for (const RunFigures& run : runs) {
    if (run.mode == mode && run.vary_value == value.text) of_point.push_back(&run);
  }
  VaryPoint point;
  point.value = value.number;
  point.mode = mode;
  for (std::size_t c = 0; c < kVaryCounters.size(); ++c) {
    std::vector<std::uint64_t> values;
    for (const RunFigures* run : of_point) values.push_back(run->counter(kVaryCounters[c]));
    point.counters[c] = spread_of(std::move(values)).value_or(Spread<std::uint64_t>{});
  }
  point.acknowledged_per_s = figure_spread(of_point, [](const RunFigures& run) -> std::optional<double> {
    if (!run.throughput) return std::nullopt;
    return acknowledged_per_s(*run.throughput);
  });
  point.produce_p99_ns = figure_spread(of_point, [](const RunFigures& run) { return p99_ns(run, 0); });
  point.end_to_end_p99_ns = figure_spread(of_point, [](const RunFigures& run) { return p99_ns(run, 1); });
  return point;
}

std::vector<VaryPoint> vary_points(const std::vector<RunFigures>& runs, const std::vector<VaryValue>& values,
                                   const std::vector<std::string>& modes) {
  std::vector<VaryPoint> points;
  for (const VaryValue& value : values) {
    for (const std::string& mode : modes) points.push_back(vary_point(runs, value, mode));
  }
  return points;
}

}  // namespace ksim::run
