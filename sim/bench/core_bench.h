#pragma once
// The classic hold-model benchmark of an event scheduler: keep N events pending; pop the
// earliest and schedule one at now + Exp(mean). Measures the core alone, no model, against
// a plain binary heap doing the same work in the same process (binary_heap_baseline.h).
#include <cstdint>

namespace ksim {

struct CoreBenchResult {
  std::uint64_t pending_events = 0;
  std::uint64_t events = 0;
  double wall_seconds = 0;
  double events_per_second = 0;
  double baseline_events_per_second = 0;  // the plain binary heap's, same events, same order
  double speed_vs_baseline = 0;           // events_per_second / baseline_events_per_second
  std::uint32_t repeats = 1;              // each figure is the best of this many runs
  std::uint64_t peak_rss_bytes = 0;
  std::uint64_t fingerprint = 0;
};

CoreBenchResult run_core_bench(std::uint64_t pending_events, std::uint64_t events, std::uint64_t seed,
                               std::uint32_t repeats);

}  // namespace ksim
