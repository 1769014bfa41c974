#pragma once
#include <cstdint>

namespace ksim {
// Peak resident set size of this process in bytes (VmHWM from /proc/self/status), or 0
// where that is not available.
std::uint64_t peak_rss_bytes();
// Current resident set size in bytes (VmRSS), or 0 where that is not available.
std::uint64_t current_rss_bytes();
}  // namespace ksim
