#pragma once
// A deadline that each new request moves forward, kept by at most one pending timer
// (issue 19): a request timeout of 30 s set per request left tens of thousands of timers
// pending at once in a busy run, each a cost to the event queue, most of them for requests
// answered long before. The owner sets a timer only when none is pending; a timer that
// fires before the current deadline is set again for the time left, so the deadline is
// still met at its exact time. The pending timer dies with its process (a crash disarms
// every timer), as this state does.
#include "sim/core/sim_time.h"

namespace ksim::kafka {

class DeadlineTimer {
 public:
  // The deadline becomes `deadline_ns`: true when the caller must set a timer to it (none
  // is pending).
  bool move_to(TimeNs deadline_ns) {
    deadline_ns_ = deadline_ns;
    if (pending_) return false;
    pending_ = true;
    return true;
  }
  // The pending timer fired at `now_ns`, for an owner still waiting (`waiting`): the time
  // left to the deadline, 0 when it is due now. When more than 0, the caller sets the timer
  // again for that long.
  TimeNs on_timer(TimeNs now_ns, bool waiting) {
    const TimeNs left_ns = waiting && deadline_ns_ > now_ns ? deadline_ns_ - now_ns : 0;
    pending_ = left_ns > 0;
    return left_ns;
  }

 private:
  TimeNs deadline_ns_ = 0;
  bool pending_ = false;
};

}  // namespace ksim::kafka
