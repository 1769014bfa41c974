#include "sim/net/link_state.h"

#include <algorithm>

#include "sim/core/assert.h"

namespace ksim::net {

TimeNs serialization_delay_ns(std::uint32_t size_bytes, std::uint64_t bandwidth_bytes_per_second) {
  KSIM_ASSERT(bandwidth_bytes_per_second > 0, "serialization delay needs a bandwidth");
  const std::uint64_t bits_ns = std::uint64_t{size_bytes} * static_cast<std::uint64_t>(kNanosecondsPerSecond);
  const std::uint64_t delay = bits_ns / bandwidth_bytes_per_second + (bits_ns % bandwidth_bytes_per_second != 0);
  return static_cast<TimeNs>(delay);
}

TimeNs saturating_add_ns(TimeNs a, TimeNs b) {
  KSIM_ASSERT(a >= 0 && b >= 0, "saturating_add_ns of negative times {} and {}", a, b);
  return b > kTimeNeverNs - a ? kTimeNeverNs : a + b;
}

HopDraws LinkState::draw(const LinkProfile& profile) {
  HopDraws draws;
  draws.lost = decide_loss(profile.loss, loss_state_, random_);
  draws.duplicated = random_.bernoulli(profile.duplicate_probability);
  draws.latency_ns = profile.latency.draw(random_);
  draws.copy_latency_ns = profile.latency.draw(random_);
  return draws;
}

std::optional<TimeNs> LinkState::retransmission_delay_ns(const LinkProfile& profile) {
  constexpr TimeNs kMaxRetransmissionTimeoutNs = 120'000'000'000;  // TCP_RTO_MAX
  TimeNs delay_ns = 0;
  TimeNs timeout_ns = profile.retransmission_timeout_ns;
  for (std::uint32_t attempt = 0; attempt < profile.max_retransmissions; ++attempt) {
    delay_ns = saturating_add_ns(delay_ns, timeout_ns);
    timeout_ns = std::min(kMaxRetransmissionTimeoutNs, saturating_add_ns(timeout_ns, timeout_ns));
    if (!decide_loss(profile.loss, loss_state_, random_)) return delay_ns;
  }
  return std::nullopt;
}

TimeNs LinkState::serialize(const LinkProfile& profile, TimeNs enter_ns, std::uint32_t size_bytes) {
  if (profile.bandwidth_bytes_per_second == 0) return enter_ns;
  const TimeNs start_ns = std::max(enter_ns, busy_until_ns_);
  busy_until_ns_ = saturating_add_ns(start_ns, serialization_delay_ns(size_bytes, profile.bandwidth_bytes_per_second));
  return busy_until_ns_;
}

TimeNs LinkState::propagate(const LinkProfile& profile, TimeNs left_ns, TimeNs latency_ns) {
  TimeNs deliver_ns = saturating_add_ns(left_ns, latency_ns);
  if (profile.fifo) deliver_ns = std::max(deliver_ns, last_delivery_ns_);
  // Tracked on non-FIFO links too, so a link degraded to or from FIFO stays consistent.
  last_delivery_ns_ = std::max(last_delivery_ns_, deliver_ns);
  return deliver_ns;
}

}  // namespace ksim::net
