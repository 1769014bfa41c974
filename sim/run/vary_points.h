#pragma once
// The typed results model, part 4: the curves of `ksim sweep --vary KEY=A..B:STEP`, one
// point per (value, mode): min / median / max over its seeds of the counters that make a
// curve (offered against acknowledged is the saturation curve when KEY is a rate), and of
// the price side (throughput in the workload phase, produce and end-to-end p99 latency).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/run/run_figures.h"

namespace ksim::run {

// One value of the varied key: as passed to --set ("1000/s") and as a number (1000).
struct VaryValue {
  std::string text;
  double number = 0;
  bool operator==(const VaryValue&) const = default;
};

template <class T>
struct Spread {
  T min{};
  T median{};  // the lower median
  T max{};
  bool operator==(const Spread&) const = default;
};

inline constexpr std::array<const char*, 5> kVaryCounters{"lost", "duplicated", "reordered", "offered", "acknowledged"};

struct VaryPoint {
  double value = 0;
  std::string mode;
  std::array<Spread<std::uint64_t>, kVaryCounters.size()> counters{};  // kVaryCounters order
  std::optional<Spread<double>> acknowledged_per_s;  // absent when no run has the figure
  std::optional<Spread<double>> produce_p99_ns;
  std::optional<Spread<double>> end_to_end_p99_ns;
  bool operator==(const VaryPoint&) const = default;
};

// The point of (value, mode) over the runs that ran with that value.
VaryPoint vary_point(const std::vector<RunFigures>& runs, const VaryValue& value, const std::string& mode);
// Every point: for each value, for each mode.
std::vector<VaryPoint> vary_points(const std::vector<RunFigures>& runs, const std::vector<VaryValue>& values,
                                   const std::vector<std::string>& modes);

struct VaryCurves {
  std::string key;
  std::vector<VaryPoint> points;
  bool operator==(const VaryCurves&) const = default;
};

}  // namespace ksim::run
