#pragma once
// The hold model's increments, shared by the event core's run and the plain binary heap it
// is compared with (core_bench.cpp): both replay the same Exp(mean) draws in the same order,
// so both execute the same events in the same (time, seq) order.
#include <cstdint>
#include <vector>

#include "sim/core/sim_time.h"
#include "sim/random/random_stream.h"

namespace ksim::bench {

// Exp(mean) increments drawn ahead of the timed loop, so the figure measures the
// scheduler, as ns-3's and the hand-written heap's figures do, not log1p().
class HoldIncrements {
 public:
  HoldIncrements(std::uint64_t seed, std::uint64_t draws) {
    RandomStream stream(seed, "bench.core.hold");
    increments_ns_.reserve(draws);
    // A power of two, so the replay index wraps with a mask instead of a division.
    for (std::uint64_t i = 0; i < draws; ++i) {
      increments_ns_.push_back(static_cast<TimeNs>(stream.exponential(kMeanIncrementNs)));
    }
  }
  TimeNs next_increment() { return increments_ns_[next_++ & (increments_ns_.size() - 1)]; }
  void rewind() { next_ = 0; }

 private:
  static constexpr double kMeanIncrementNs = 1'000'000.0;
  std::vector<TimeNs> increments_ns_;
  std::size_t next_ = 0;
};

}  // namespace ksim::bench
