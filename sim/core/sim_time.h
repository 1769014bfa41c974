#pragma once
// Simulated time is an integer count of nanoseconds since the start of a run. Never a
// double: floating point time makes event order depend on rounding.
#include <cstdint>
#include <limits>

namespace ksim {

using TimeNs = std::int64_t;

inline constexpr TimeNs kNanosecondsPerMicrosecond = 1'000;
inline constexpr TimeNs kNanosecondsPerMillisecond = 1'000'000;
inline constexpr TimeNs kNanosecondsPerSecond = 1'000'000'000;
inline constexpr TimeNs kTimeNeverNs = std::numeric_limits<TimeNs>::max();

constexpr TimeNs microseconds(std::int64_t n) { return n * kNanosecondsPerMicrosecond; }
constexpr TimeNs milliseconds(std::int64_t n) { return n * kNanosecondsPerMillisecond; }
constexpr TimeNs seconds(std::int64_t n) { return n * kNanosecondsPerSecond; }

constexpr double to_seconds(TimeNs t) { return static_cast<double>(t) / static_cast<double>(kNanosecondsPerSecond); }

}  // namespace ksim
