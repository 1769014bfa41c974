#pragma once
// The yardstick of `ksim bench core` (issue 19): the hold model run on a plain, textbook
// binary min-heap of whole events ordered by (time, seq), popped and pushed, folding the
// same fingerprint as the simulator. Equal fingerprints prove both ran the same events in
// the same order; the event core is then judged by its speed relative to this heap.
#include <cstdint>

#include "sim/bench/hold_model.h"

namespace ksim::bench {

struct BaselineRun {
  double wall_seconds = 0;
  std::uint64_t fingerprint = 0;
};

BaselineRun run_binary_heap_baseline(HoldIncrements& increments, std::uint64_t pending_events, std::uint64_t events);

}  // namespace ksim::bench
