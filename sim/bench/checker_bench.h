#pragma once
// Speed check of the delivery checker: a synthetic, healthy history of `messages` messages
// over 3 partitions (per message: send, 3 appends, high watermark, acknowledgement, poll,
// effect) judged by check::check(), timed with the wall clock.
#include <cstdint>

namespace ksim {

struct CheckerBenchResult {
  std::uint64_t messages = 0;
  std::uint64_t records = 0;
  double build_seconds = 0;  // building the history (not part of the figure)
  double check_seconds = 0;  // check() alone
  double messages_per_second = 0;
  std::uint64_t peak_rss_bytes = 0;
  std::uint64_t delivered = 0;  // sanity: equals messages
  std::uint64_t lost = 0;       // sanity: 0
};

CheckerBenchResult run_checker_bench(std::uint64_t messages);

}  // namespace ksim
