#pragma once
// How long a failed produce request's batch waits before its retry, by client version.
#include <algorithm>
#include <cstdint>

#include "sim/core/sim_time.h"

namespace ksim::kafka {

// KIP-580 (Kafka 3.7.0, KAFKA-9800; ExponentialBackoff, CommonClientConfigs): the wait after
// the n-th consecutive failure is retry.backoff.ms x 2^(n-1), times a jitter factor drawn
// uniformly from [0.8, 1.2), capped at retry.backoff.max.ms. Kafka's exponent stops at
// log2(max / initial), where the term equals the max, so the term is min(initial x 2^(n-1),
// max). When retry.backoff.ms >= retry.backoff.max.ms the wait is the max, with no jitter.
// `unit_draw` is a uniform draw in [0, 1) from the client's random stream (Kafka draws the
// jitter each time it checks a batch; ksim once per failure). Before 3.7 every retry waits
// retry.backoff.ms.
inline TimeNs exponential_backoff_ns(TimeNs initial_ns, TimeNs max_ns, std::uint32_t failures,
                                     double unit_draw) {
  if (max_ns <= initial_ns) return max_ns;
  const std::uint32_t doublings = failures == 0 ? 0 : failures - 1;
  TimeNs term_ns = initial_ns;
  for (std::uint32_t i = 0; i < doublings && term_ns < max_ns; ++i) term_ns *= 2;
  term_ns = std::min(term_ns, max_ns);
  constexpr double kJitter = 0.2;
  const double factor = 1 - kJitter + 2 * kJitter * unit_draw;
  return std::min(static_cast<TimeNs>(factor * static_cast<double>(term_ns)), max_ns);
}

}  // namespace ksim::kafka
