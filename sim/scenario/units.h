#pragma once
// Parsers for the values of scenario files that carry a unit: durations, rates, sizes,
// probabilities, seed ranges and the bounds of expectations. Each is a pure function of
// the text, returning the value or a message. Decimal fractions are read as exact
// decimals, never through a binary double, so "1.1s" is exactly 1'100'000'000 ns and
// every compiler and library reads a file alike.
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/check/bound.h"
#include "sim/core/sim_time.h"
#include "sim/scenario/parsed.h"

namespace ksim::scenario {

// Plain numbers: decimal only, no sign '+', no hex or octal, no '_' separators, nothing
// around them. Doubles must be finite.
Parsed<std::int64_t> parse_int64(std::string_view text);
Parsed<std::uint64_t> parse_uint64(std::string_view text);
Parsed<double> parse_double(std::string_view text);

// "250ms", "1.5s", "2m", "1h", "100us", "10ns", or a bare "0". Units: ns, us, ms, s, m
// (minutes), h. Fractions must come to whole nanoseconds. Negatives only when allowed.
enum class Negative { rejected, allowed };
Parsed<TimeNs> parse_duration(std::string_view text, Negative negative = Negative::rejected);

// A rate of events, "1000/s", "50/ms", "2.5/s", "10/min", or "unlimited". Kept as the
// exact fraction `events` per `per_ns` nanoseconds (reduced), so the simulation can
// compute intervals in integer nanoseconds; per_second() is for reports.
struct Rate {
  bool unlimited = false;
  std::int64_t events = 0;
  TimeNs per_ns = 1;

  double per_second() const;
  bool operator==(const Rate&) const = default;
};
Parsed<Rate> parse_rate(std::string_view text);

// Bytes: "16384", "512B", "16KiB", "1MiB", "1MB" (SI units are powers of 1000, IEC units
// powers of 1024; units are case-sensitive). Fractions must come to whole bytes.
Parsed<std::uint64_t> parse_size(std::string_view text);

// A number in [0, 1], or a percentage "1%", "0.5%" in [0%, 100%].
Parsed<double> parse_probability(std::string_view text);

// Seeds to run: "7" or "1..200" (inclusive). first <= last, and at most max_count seeds,
// so a typo cannot ask for 10^18 runs.
struct SeedRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;

  std::uint64_t count() const { return last - first + 1; }
  bool operator==(const SeedRange&) const = default;
};
inline constexpr std::uint64_t kMaxSeedsPerRange = 1'000'000;
Parsed<SeedRange> parse_seed_range(std::string_view text, std::uint64_t max_count = kMaxSeedsPerRange);

// The bound an expectation puts on a measured number (sim/check/bound.h): "0" (meaning
// == 0), "> 0", ">= 3", "<= 10", "< 5", "== 2", or "0..5" (inclusive both ends).
using Bound = check::Bound;
Parsed<Bound> parse_bound(std::string_view text);

}  // namespace ksim::scenario
