#include "sim/net/latency.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "sim/core/assert.h"
#include "sim/net/check.h"

namespace ksim::net {

namespace {

// Rounds a drawn delay to whole nanoseconds. Negative draws (normal tails) become 0 and
// anything at or beyond the range of TimeNs saturates, so a heavy tail cannot overflow.
TimeNs to_time_ns(double delay_ns) {
  KSIM_ASSERT(!std::isnan(delay_ns), "latency draw produced NaN");
  if (delay_ns <= 0.0) return 0;
  if (delay_ns >= 9.2e18) return kTimeNeverNs;  // just below 2^63
  return static_cast<TimeNs>(std::llround(delay_ns));
}

double draw_unclamped_ns(const LatencyDistribution& d, RandomStream& random) {
  switch (d.kind) {
    case LatencyKind::constant:
      return static_cast<double>(d.mean_ns);
    case LatencyKind::uniform:
      return static_cast<double>(random.uniform_int(d.uniform_low_ns, d.uniform_high_ns));
    case LatencyKind::exponential:
      return random.exponential(static_cast<double>(d.mean_ns));
    case LatencyKind::normal:
      return random.normal(static_cast<double>(d.mean_ns), static_cast<double>(d.stddev_ns));
    case LatencyKind::lognormal:
      return random.lognormal(d.lognormal_mu, d.lognormal_sigma);
    case LatencyKind::pareto:
      return random.pareto(static_cast<double>(d.pareto_scale_ns), d.pareto_shape);
  }
  KSIM_ASSERT(false, "unknown latency kind {}", static_cast<int>(d.kind));
  return 0;
}

}  // namespace

std::string_view to_string(LatencyKind kind) {
  switch (kind) {
    case LatencyKind::constant: return "constant";
    case LatencyKind::uniform: return "uniform";
    case LatencyKind::exponential: return "exponential";
    case LatencyKind::normal: return "normal";
    case LatencyKind::lognormal: return "lognormal";
    case LatencyKind::pareto: return "pareto";
  }
  return "unknown";
}

TimeNs LatencyDistribution::draw(RandomStream& random) const {
  // The constant kind stays in integers so large values are exact.
  const TimeNs raw = kind == LatencyKind::constant ? mean_ns : to_time_ns(draw_unclamped_ns(*this, random));
  return std::clamp(raw, latency_ns_min, latency_ns_max);
}

double LatencyDistribution::mean_latency_ns_estimate() const {
  double mean = 0;
  switch (kind) {
    case LatencyKind::constant:
    case LatencyKind::exponential:
    case LatencyKind::normal:
      mean = static_cast<double>(mean_ns);
      break;
    case LatencyKind::uniform:
      mean = (static_cast<double>(uniform_low_ns) + static_cast<double>(uniform_high_ns)) / 2.0;
      break;
    case LatencyKind::lognormal:
      mean = std::exp(lognormal_mu + lognormal_sigma * lognormal_sigma / 2.0);
      break;
    case LatencyKind::pareto:
      mean = pareto_shape > 1.0 ? static_cast<double>(pareto_scale_ns) * pareto_shape / (pareto_shape - 1.0)
                                : std::numeric_limits<double>::infinity();
      break;
  }
  return std::clamp(mean, static_cast<double>(latency_ns_min), static_cast<double>(latency_ns_max));
}

ConfigIssues validate(const LatencyDistribution& d, const std::string& key_path) {
  ConfigIssues issues;
  check_non_negative_ns(issues, key_path, "mean_ns", d.mean_ns);
  check_non_negative_ns(issues, key_path, "stddev_ns", d.stddev_ns);
  check_non_negative_ns(issues, key_path, "uniform_low_ns", d.uniform_low_ns);
  check_non_negative_ns(issues, key_path, "uniform_high_ns", d.uniform_high_ns);
  check_non_negative_ns(issues, key_path, "pareto_scale_ns", d.pareto_scale_ns);
  check_non_negative_ns(issues, key_path, "latency_ns_min", d.latency_ns_min);
  check_non_negative_ns(issues, key_path, "latency_ns_max", d.latency_ns_max);
  if (d.latency_ns_min > d.latency_ns_max) {
    issues.push_back({join_key(key_path, "latency_ns_min"),
                      fmt::format("latency_ns_min ({} ns) must not exceed latency_ns_max ({} ns)", d.latency_ns_min,
                                  d.latency_ns_max)});
  }
  switch (d.kind) {
    case LatencyKind::constant:
    case LatencyKind::normal:
      break;
    case LatencyKind::uniform:
      if (d.uniform_low_ns > d.uniform_high_ns) {
        issues.push_back({join_key(key_path, "uniform_low_ns"),
                          fmt::format("uniform_low_ns ({} ns) must not exceed uniform_high_ns ({} ns)",
                                      d.uniform_low_ns, d.uniform_high_ns)});
      }
      break;
    case LatencyKind::exponential:
      if (d.mean_ns == 0) {
        issues.push_back({join_key(key_path, "mean_ns"), "mean_ns of an exponential latency must be > 0 ns, got 0 ns"});
      }
      break;
    case LatencyKind::lognormal:
      check_finite(issues, key_path, "lognormal_mu", d.lognormal_mu);
      if (!(d.lognormal_sigma >= 0.0 && std::isfinite(d.lognormal_sigma))) {
        issues.push_back({join_key(key_path, "lognormal_sigma"),
                          fmt::format("lognormal_sigma must be finite and >= 0, got {}", d.lognormal_sigma)});
      }
      break;
    case LatencyKind::pareto:
      if (d.pareto_scale_ns == 0) {
        issues.push_back(
            {join_key(key_path, "pareto_scale_ns"), "pareto_scale_ns of a pareto latency must be > 0 ns, got 0 ns"});
      }
      if (!(d.pareto_shape > 0.0 && std::isfinite(d.pareto_shape))) {
        issues.push_back({join_key(key_path, "pareto_shape"),
                          fmt::format("pareto_shape must be finite and > 0, got {}", d.pareto_shape)});
      }
      break;
  }
  return issues;
}

}  // namespace ksim::net
