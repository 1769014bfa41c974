#pragma once
// Readable ticks of a simulated-time axis: about `target` ticks at a 1-2-5 step, labelled
// in the unit that suits the step (s, ms, µs, ns), e.g. "0 s, 0.5 s, 1 s" or "520 ms,
// 540 ms". report.html's timeline script (timeline_script.cpp) computes the same ticks for
// a zoomed window; keep the two in step.
#include <cstdint>
#include <string>
#include <vector>

namespace ksim::reports {

struct TimeTick {
  double t_ns = 0;
  std::string label;
};

std::vector<TimeTick> time_ticks(double from_ns, double to_ns, int target = 8);
// A duration in ns as a person reads it: "1.25 s", "520 ms", "3 µs".
std::string readable_time(double ns);

}  // namespace ksim::reports
