#pragma once
// The OS page-cache writeback schedule of one broker's machine. Kafka does not fsync by
// default; the kernel's flusher writes dirty pages back in the background. Linux wakes it
// every vm.dirty_writeback_centisecs and writes back the pages older than
// vm.dirty_expire_centisecs (kernel documentation, Documentation/admin-guide/sysctl/vm.rst,
// formerly sysctl/vm.txt): each machine's flusher runs on its own clock, from its own boot,
// so two brokers never write back at the same instants. ksim models that as a phase per
// broker: the writebacks happen at phase + k x os.flush.interval (k = 0, 1, ...; phase in
// [0, interval)), drawn from the broker's own stream ("writeback.broker-N") unless the
// scenario pins it (`cluster.os.flush.phases`). The schedule belongs to the machine, not to
// the Kafka process: a restarted broker keeps its grid (simplification: so does one that
// lost power, whose kernel would start a new clock at boot).
#include <cstdint>
#include <string_view>

#include "sim/core/sim_time.h"

namespace ksim::kafka {

class WritebackSchedule {
 public:
  WritebackSchedule() = default;
  WritebackSchedule(TimeNs interval_ns, TimeNs phase_ns);

  TimeNs interval_ns() const { return interval_ns_; }
  TimeNs phase_ns() const { return phase_ns_; }
  // Time from `now_ns` to the first writeback instant strictly after it (> 0). Phase 0 at
  // time 0 gives one interval, the schedule every broker had before phases.
  TimeNs delay_after(TimeNs now_ns) const;

 private:
  TimeNs interval_ns_ = milliseconds(5'000);
  TimeNs phase_ns_ = 0;
};

// The phase of `broker_name`'s writebacks, uniform in [0, interval_ns), from the stream
// derived from (seed, "writeback." + broker_name): no other component draws from it.
TimeNs draw_writeback_phase_ns(std::uint64_t seed, std::string_view broker_name, TimeNs interval_ns);

}  // namespace ksim::kafka
