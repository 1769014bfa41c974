#pragma once
// A run history as Chrome trace-event JSON, for ui.perfetto.dev or chrome://tracing:
// nodes are processes (pid = node index), partitions are threads (tid = partition + 1),
// records are instant events, high watermarks are counters, and each message's hops
// (send → leader append → every effect) are flow arrows.
#include <cstddef>
#include <string>

#include "sim/history/history.h"

namespace ksim::reports {

inline constexpr std::size_t kDefaultTraceEventLimit = 200'000;

// At most `max_events` events; past that the trace ends with one instant event saying it
// was truncated, so a huge run still gives a file a browser can open.
std::string render_chrome_trace(const history::History& history, std::size_t max_events = kDefaultTraceEventLimit);

}  // namespace ksim::reports
