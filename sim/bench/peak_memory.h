#pragma once
#include <cstdint>

namespace ksim {
// Peak resident set size of this process in bytes (VmHWM from /proc/self/status), or 0
// where that is not available.
std::uint64_t peak_rss_bytes();
// Current resident set size in bytes (VmRSS), or 0 where that is not available.
std::uint64_t current_rss_bytes();
// Starts the peak RSS again from the current RSS, so a benchmark can measure one phase's
// peak; does nothing where that is not available.
void reset_peak_rss();
}  // namespace ksim
