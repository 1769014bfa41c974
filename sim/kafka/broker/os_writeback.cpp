#include "sim/kafka/broker/os_writeback.h"

#include <string>

#include "sim/core/assert.h"
#include "sim/random/random_stream.h"

namespace ksim::kafka {

WritebackSchedule::WritebackSchedule(TimeNs interval_ns, TimeNs phase_ns) : interval_ns_(interval_ns), phase_ns_(phase_ns) {
  KSIM_ASSERT(interval_ns > 0, "writeback interval must be positive, got {} ns (the loader checks it)", interval_ns);
  KSIM_ASSERT(phase_ns >= 0 && phase_ns < interval_ns, "writeback phase {} ns outside [0, {}) ns (the loader checks it)",
              phase_ns, interval_ns);
}

TimeNs WritebackSchedule::delay_after(TimeNs now_ns) const {
  KSIM_ASSERT(now_ns >= 0, "writeback asked about a negative time {} ns", now_ns);
  if (now_ns < phase_ns_) return phase_ns_ - now_ns;
  const TimeNs since_last_ns = (now_ns - phase_ns_) % interval_ns_;
  return interval_ns_ - since_last_ns;
}

TimeNs draw_writeback_phase_ns(std::uint64_t seed, std::string_view broker_name, TimeNs interval_ns) {
  KSIM_ASSERT(interval_ns > 0, "writeback interval must be positive, got {} ns", interval_ns);
  RandomStream stream(seed, "writeback." + std::string(broker_name));
  return static_cast<TimeNs>(stream.uniform_below(static_cast<std::uint64_t>(interval_ns)));
}

}  // namespace ksim::kafka
