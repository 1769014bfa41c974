#pragma once
// The classic hold-model benchmark of an event scheduler: keep N events pending; pop the
// earliest and schedule one at now + Exp(mean). Measures the core alone, no model.
#include <cstdint>

namespace ksim {

struct CoreBenchResult {
  std::uint64_t pending_events = 0;
  std::uint64_t events = 0;
  double wall_seconds = 0;
  double events_per_second = 0;
  std::uint64_t peak_rss_bytes = 0;
  std::uint64_t fingerprint = 0;
};

CoreBenchResult run_core_bench(std::uint64_t pending_events, std::uint64_t events, std::uint64_t seed);

}  // namespace ksim
