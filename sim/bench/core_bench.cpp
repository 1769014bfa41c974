#include "sim/bench/core_bench.h"

#include <algorithm>
#include <chrono>

#include "sim/bench/binary_heap_baseline.h"
#include "sim/bench/hold_model.h"
#include "sim/bench/peak_memory.h"
#include "sim/core/assert.h"
#include "sim/core/simulator.h"

namespace ksim {

namespace {

class HoldModel {
 public:
  explicit HoldModel(bench::HoldIncrements& increments) : increments_(increments) {}
  void handle(Simulator& simulator, const Event& event) {
    simulator.schedule_after(increments_.next_increment(),
                             EventBody{1, event.body.target, event.body.source, 0, event.seq});
  }

 private:
  bench::HoldIncrements& increments_;
};

struct CoreRun {
  double wall_seconds = 0;
  std::uint64_t events = 0;
  std::uint64_t fingerprint = 0;
};

CoreRun run_event_core(bench::HoldIncrements& increments, std::uint64_t pending_events, std::uint64_t events) {
  increments.rewind();
  HoldModel model(increments);
  Simulator simulator;
  simulator.reserve(pending_events + 1);
  for (std::uint64_t i = 0; i < pending_events; ++i) {
    simulator.schedule_at(increments.next_increment(), EventBody{1, static_cast<std::uint32_t>(i), 0, 0, i});
  }
  // The benchmark is the one place that reads the wall clock: it measures, it does not simulate.
  const auto start = std::chrono::steady_clock::now();
  const RunResult result = simulator.run(model, RunLimits{events, kTimeNeverNs});
  const auto stop = std::chrono::steady_clock::now();
  return CoreRun{std::chrono::duration<double>(stop - start).count(), result.events_executed, result.fingerprint};
}

double per_second(std::uint64_t events, double seconds) { return seconds > 0 ? static_cast<double>(events) / seconds : 0; }

}  // namespace

// The core and the plain heap take turns, `repeats` times each, and each keeps its best
// time: on a shared machine the best of several runs is the least disturbed one.
CoreBenchResult run_core_bench(std::uint64_t pending_events, std::uint64_t events, std::uint64_t seed,
                               std::uint32_t repeats) {
  bench::HoldIncrements increments(seed, 1 << 20);
  CoreBenchResult bench;
  bench.pending_events = pending_events;
  bench.repeats = repeats;
  double core_best_s = 0;
  double baseline_best_s = 0;
  for (std::uint32_t round = 0; round < repeats; ++round) {
    const CoreRun core = run_event_core(increments, pending_events, events);
    const bench::BaselineRun baseline = bench::run_binary_heap_baseline(increments, pending_events, core.events);
    KSIM_ASSERT(baseline.fingerprint == core.fingerprint,
                "the event core ran another order of events than the binary heap: fingerprint {:016x} != {:016x}",
                core.fingerprint, baseline.fingerprint);
    core_best_s = round == 0 ? core.wall_seconds : std::min(core_best_s, core.wall_seconds);
    baseline_best_s = round == 0 ? baseline.wall_seconds : std::min(baseline_best_s, baseline.wall_seconds);
    bench.events = core.events;
    bench.fingerprint = core.fingerprint;
  }
  bench.wall_seconds = core_best_s;
  bench.events_per_second = per_second(bench.events, core_best_s);
  bench.baseline_events_per_second = per_second(bench.events, baseline_best_s);
  bench.speed_vs_baseline = baseline_best_s > 0 && core_best_s > 0 ? baseline_best_s / core_best_s : 0;
  bench.peak_rss_bytes = peak_rss_bytes();
  return bench;
}

}  // namespace ksim
