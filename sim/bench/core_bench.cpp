#include "sim/bench/core_bench.h"

#include <chrono>

#include "sim/bench/peak_memory.h"
#include "sim/core/simulator.h"
#include "sim/random/random_stream.h"

namespace ksim {

namespace {

// Exp(mean) increments drawn ahead of the timed loop, so the figure measures the
// scheduler, as ns-3's and the hand-written heap's figures do, not log1p().
class HoldModel {
 public:
  HoldModel(std::uint64_t seed, std::uint64_t draws) {
    RandomStream stream(seed, "bench.core.hold");
    increments_ns_.reserve(draws);
    // A power of two, so the replay index wraps with a mask instead of a division.
    for (std::uint64_t i = 0; i < draws; ++i) {
      increments_ns_.push_back(static_cast<TimeNs>(stream.exponential(kMeanIncrementNs)));
    }
  }
  TimeNs next_increment() { return increments_ns_[next_++ & (increments_ns_.size() - 1)]; }
  void handle(Simulator& simulator, const Event& event) {
    simulator.schedule_after(next_increment(), EventBody{1, event.body.target, event.body.source, 0, event.seq});
  }

 private:
  static constexpr double kMeanIncrementNs = 1'000'000.0;
  std::vector<TimeNs> increments_ns_;
  std::size_t next_ = 0;
};

}  // namespace

CoreBenchResult run_core_bench(std::uint64_t pending_events, std::uint64_t events, std::uint64_t seed) {
  HoldModel model(seed, 1 << 20);
  Simulator simulator;
  simulator.reserve(pending_events + 1);
  for (std::uint64_t i = 0; i < pending_events; ++i) {
    simulator.schedule_at(model.next_increment(), EventBody{1, static_cast<std::uint32_t>(i), 0, 0, i});
  }
  // The benchmark is the one place that reads the wall clock: it measures, it does not simulate.
  const auto start = std::chrono::steady_clock::now();
  const RunResult result = simulator.run(model, RunLimits{events, kTimeNeverNs});
  const auto stop = std::chrono::steady_clock::now();
  CoreBenchResult bench;
  bench.pending_events = pending_events;
  bench.events = result.events_executed;
  bench.wall_seconds = std::chrono::duration<double>(stop - start).count();
  bench.events_per_second = bench.wall_seconds > 0 ? static_cast<double>(bench.events) / bench.wall_seconds : 0;
  bench.peak_rss_bytes = peak_rss_bytes();
  bench.fingerprint = result.fingerprint;
  return bench;
}

}  // namespace ksim
