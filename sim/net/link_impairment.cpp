#include "sim/net/link_impairment.h"

#include <algorithm>

#include "sim/net/link_state.h"

namespace ksim::net {

LinkImpairment compose(const LinkImpairment& a, const LinkImpairment& b) {
  LinkImpairment both;
  both.cut = a.cut || b.cut;
  both.added_latency_ns = saturating_add_ns(a.added_latency_ns, b.added_latency_ns);
  both.loss_probability = 1.0 - (1.0 - a.loss_probability) * (1.0 - b.loss_probability);
  both.bandwidth_bytes_per_second = capped_bandwidth(a.bandwidth_bytes_per_second, b.bandwidth_bytes_per_second);
  return both;
}

std::uint64_t capped_bandwidth(std::uint64_t link_bandwidth, std::uint64_t cap) {
  if (cap == 0) return link_bandwidth;
  if (link_bandwidth == 0) return cap;
  return std::min(link_bandwidth, cap);
}

}  // namespace ksim::net
