#pragma once
// Timed impairments of sets of directed links (a scenario's network faults): a cut, added
// latency, added loss and a bandwidth cap. Several may cover one link at once; they
// compose as follows, whatever their order:
// - a cut wins: the message is dropped at send time (DropReason::partitioned), as under a
//   partition, and nothing else of the link applies;
// - added latencies add up, on top of each latency the link's own distribution draws;
// - loss probabilities combine as independent losses: q = 1 - (1 - q1)(1 - q2)..., drawn
//   after the link's own loss model (so the total is 1 - (1 - p)(1 - q) for a link with
//   independent loss p); under TCP an impaired loss is retransmitted like any other;
// - bandwidth caps: the narrowest applies, and only if it is below the link's own.
// The network knows node indexes and links only; what a link set means is the caller's.
#include <cstdint>

#include "sim/core/sim_time.h"

namespace ksim::net {

struct LinkImpairment {
  bool cut = false;
  TimeNs added_latency_ns = 0;
  double loss_probability = 0;                   // on top of the link's own loss model
  std::uint64_t bandwidth_bytes_per_second = 0;  // 0: no cap

  bool any_effect_on_carry() const {
    return added_latency_ns > 0 || loss_probability > 0 || bandwidth_bytes_per_second > 0;
  }
};

// a and b both in force, by the rules above.
LinkImpairment compose(const LinkImpairment& a, const LinkImpairment& b);

// The bandwidth a link has under a cap: the cap when the link is unlimited (0) or faster.
std::uint64_t capped_bandwidth(std::uint64_t link_bandwidth, std::uint64_t cap);

}  // namespace ksim::net
