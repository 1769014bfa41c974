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
  draws.lost = decide_impaired_loss(profile.loss);
  draws.duplicated = random_.bernoulli(profile.duplicate_probability);
  draws.latency_ns = profile.latency.draw(random_);
  draws.copy_latency_ns = profile.latency.draw(random_);
  if (added_latency_ns_ > 0) {
    draws.latency_ns = saturating_add_ns(draws.latency_ns, added_latency_ns_);
    draws.copy_latency_ns = saturating_add_ns(draws.copy_latency_ns, added_latency_ns_);
  }
  return draws;
}

bool LinkState::decide_impaired_loss(const LossModel& loss) {
  const bool own_loss = decide_loss(loss, loss_state_, random_);
  if (impairment_loss_probability_ <= 0) return own_loss;
  const bool impaired_loss = impairment_random_->bernoulli(impairment_loss_probability_);
  return own_loss || impaired_loss;
}

void LinkState::set_impairment(TimeNs added_latency_ns, double loss_probability, std::uint64_t root_seed,
                               std::string_view stream_name) {
  KSIM_ASSERT(added_latency_ns >= 0 && loss_probability >= 0 && loss_probability <= 1,
              "link impairment with latency {} ns, loss {}", added_latency_ns, loss_probability);
  added_latency_ns_ = added_latency_ns;
  impairment_loss_probability_ = loss_probability;
  if (loss_probability > 0 && !impairment_random_) impairment_random_.emplace(root_seed, stream_name);
}

std::optional<TimeNs> LinkState::fast_retransmit_delay_ns(const LinkProfile& profile, TimeNs enter_ns,
                                                           TimeNs latency_ns) const {
  if (enter_count_ < kDuplicateAckThreshold) return std::nullopt;
  // Multi-hop routes can enter a link out of time order: a later entry counts as now.
  const TimeNs oldest_enter_ns =
      std::min(enter_ns, *std::min_element(recent_enter_ns_.begin(), recent_enter_ns_.end()));
  // The followers come at the same pace: the third one kDuplicateAckThreshold gaps later.
  const TimeNs third_follower_ns = enter_ns - oldest_enter_ns;
  // It arrives (one latency), its duplicate ACK comes back (one more; the reverse link's
  // delay is taken to be this link's), and the sender retransmits at once.
  const TimeNs found_ns = saturating_add_ns(third_follower_ns, saturating_add_ns(latency_ns, latency_ns));
  if (found_ns >= profile.retransmission_timeout_ns) return std::nullopt;  // the timer fires first
  return found_ns;
}

void LinkState::note_send(TimeNs enter_ns) {
  recent_enter_ns_[enter_count_ % kDuplicateAckThreshold] = enter_ns;
  ++enter_count_;
}

std::optional<TimeNs> LinkState::retransmission_delay_ns(const LinkProfile& profile,
                                                         std::optional<TimeNs> fast_retransmit_delay_ns) {
  constexpr TimeNs kMaxRetransmissionTimeoutNs = 120'000'000'000;  // TCP_RTO_MAX
  TimeNs delay_ns = 0;
  TimeNs timeout_ns = profile.retransmission_timeout_ns;
  for (std::uint32_t attempt = 0; attempt < profile.max_retransmissions; ++attempt) {
    if (attempt == 0 && fast_retransmit_delay_ns) {
      delay_ns = *fast_retransmit_delay_ns;
    } else {
      delay_ns = saturating_add_ns(delay_ns, timeout_ns);
      timeout_ns = std::min(kMaxRetransmissionTimeoutNs, saturating_add_ns(timeout_ns, timeout_ns));
    }
    if (!decide_impaired_loss(profile.loss)) return delay_ns;
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
