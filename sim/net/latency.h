#pragma once
// One-way delay of a link: a distribution over integer nanoseconds, clamped to
// [latency_ns_min, latency_ns_max]. Drawn with ksim's own distributions so every
// compiler and standard library gives the same delays.
#include <string>
#include <string_view>

#include "sim/core/config_issue.h"
#include "sim/core/sim_time.h"
#include "sim/random/random_stream.h"

namespace ksim::net {

enum class LatencyKind { constant, uniform, exponential, normal, lognormal, pareto };

std::string_view to_string(LatencyKind kind);

struct LatencyDistribution {
  LatencyKind kind = LatencyKind::constant;
  TimeNs mean_ns = 1'000'000;  // constant value / exponential mean / normal mean
  TimeNs stddev_ns = 0;        // normal
  TimeNs uniform_low_ns = 0, uniform_high_ns = 0;
  double lognormal_mu = 0, lognormal_sigma = 0;  // of ln(delay in ns)
  TimeNs pareto_scale_ns = 0;
  double pareto_shape = 0;
  TimeNs latency_ns_min = 0;             // clamp
  TimeNs latency_ns_max = kTimeNeverNs;  // clamp

  // One delay, clamped to [latency_ns_min, latency_ns_max], never negative (a normal
  // draw below zero becomes latency_ns_min). Precondition: validate() found no issue.
  TimeNs draw(RandomStream& random) const;

  // The distribution's mean (before clamping), moved into the clamp range. Used as the
  // routing weight of a link; an estimate, not an exact clamped mean. Infinite for a
  // Pareto tail with shape <= 1, whose mean does not exist.
  double mean_latency_ns_estimate() const;
};

ConfigIssues validate(const LatencyDistribution& latency, const std::string& key_path);

}  // namespace ksim::net
