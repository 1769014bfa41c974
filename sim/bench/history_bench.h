#pragma once
// Speed check of `ksim check-history`: a synthetic, healthy client history of about `ops`
// operations (per message a send's invoke and ok; per ten messages one poll and one apply,
// each an invoke and an ok), written as a ksim-client-history file, then read and judged,
// timed with the wall clock; the peak RSS is that of the read and the judgement alone.
#include <cstdint>

namespace ksim {

struct HistoryBenchResult {
  std::uint64_t operations = 0;  // operation lines in the file
  std::uint64_t messages = 0;
  std::uint64_t file_bytes = 0;
  double write_seconds = 0;  // rendering and writing the file (not part of the figure)
  double read_seconds = 0;   // reading and validating the file into history records
  double check_seconds = 0;  // check() on them
  double cpu_seconds = 0;    // CPU time of read + check (this process, all threads)
  double operations_per_second = 0;  // operations / (read + check), wall clock
  std::uint64_t peak_rss_bytes = 0;
  std::uint64_t delivered = 0;  // sanity: equals messages
  std::uint64_t lost = 0;       // sanity: 0
};

HistoryBenchResult run_history_bench(std::uint64_t ops);

}  // namespace ksim
