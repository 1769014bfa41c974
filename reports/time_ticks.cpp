#include "reports/time_ticks.h"

#include <cmath>

#include <fmt/format.h>

namespace ksim::reports {

namespace {

struct Unit {
  double ns;
  const char* name;
};

Unit unit_for(double magnitude_ns) {
  if (magnitude_ns >= 1e9) return {1e9, "s"};
  if (magnitude_ns >= 1e6) return {1e6, "ms"};
  if (magnitude_ns >= 1e3) return {1e3, "µs"};
  return {1, "ns"};
}

// The value in `unit` with as many decimals as `step` needs (at most 3), trailing zeros cut.
std::string in_unit(double ns, Unit unit, double step_ns) {
  int decimals = 0;
  while (decimals < 3 && std::fabs(step_ns / unit.ns * std::pow(10.0, decimals) -
                                   std::round(step_ns / unit.ns * std::pow(10.0, decimals))) > 1e-6) {
    ++decimals;
  }
  std::string text = fmt::format("{:.{}f}", ns / unit.ns, decimals);
  if (text == "-0") text = "0";
  return text + " " + unit.name;
}

}  // namespace

std::vector<TimeTick> time_ticks(double from_ns, double to_ns, int target) {
  std::vector<TimeTick> ticks;
  const double span = to_ns - from_ns;
  if (!(span > 0) || target < 1) return ticks;
  const double raw = span / target;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power * 10;
  for (const double factor : {1.0, 2.0, 5.0}) {
    if (power * factor >= raw) {
      step = power * factor;
      break;
    }
  }
  step = std::max(step, 1.0);  // simulated time is whole nanoseconds
  const Unit unit = unit_for(std::max(step, std::fabs(to_ns) >= 1e9 && step >= 1e8 ? 1e9 : step));
  for (double t = std::ceil(from_ns / step) * step; t <= to_ns + step * 1e-9; t += step) {
    ticks.push_back({t, in_unit(t, unit, step)});
  }
  return ticks;
}

std::string readable_time(double ns) {
  const Unit unit = unit_for(std::fabs(ns));
  std::string text = fmt::format("{:.3f}", ns / unit.ns);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text + " " + unit.name;
}

}  // namespace ksim::reports
