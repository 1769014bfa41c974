#pragma once
// A named stream of random numbers with ksim's own distributions. Each component of a
// run (a link, a producer, the nemesis) draws from its own stream derived from
// (root seed, component name), so adding a component or a knob never shifts the draws
// of the others, and two delivery modes run on one seed face the same faults.
//
// The distributions are written here on purpose: <random>'s distributions are allowed
// to differ between libstdc++ and libc++, which would break reproducibility.
#include <cstdint>
#include <string_view>

#include "sim/random/prng.h"

namespace ksim {

// Seed of the stream named `component` under `root_seed` (FNV-1a of the name, then mixed
// with the root seed through splitmix64, so similar names give unrelated streams).
std::uint64_t derive_stream_seed(std::uint64_t root_seed, std::string_view component);

class RandomStream {
 public:
  explicit RandomStream(std::uint64_t seed) : generator_(seed) {}
  RandomStream(std::uint64_t root_seed, std::string_view component)
      : generator_(derive_stream_seed(root_seed, component)) {}

  std::uint64_t next_u64() { return generator_.next(); }

  // Uniform integer in [0, bound), without modulo bias (Lemire's multiply-and-reject).
  // Precondition: bound > 0.
  std::uint64_t uniform_below(std::uint64_t bound);
  // Uniform integer in [low, high]. Precondition: low <= high.
  std::int64_t uniform_int(std::int64_t low, std::int64_t high);
  // Uniform double in [0, 1), 53 random bits.
  double uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform double in [low, high).
  double uniform_real(double low, double high) { return low + (high - low) * uniform01(); }
  // True with probability p, p in [0, 1]; p = 0 never, p = 1 always.
  bool bernoulli(double p) { return uniform01() < p; }
  // Exponential with the given mean (> 0), by inversion.
  double exponential(double mean);
  // Normal (Marsaglia's polar method; the second variate is discarded so a draw
  // consumes a self-contained amount of the stream).
  double normal(double mean, double stddev);
  // exp(Normal(mu, sigma)).
  double lognormal(double mu, double sigma);
  // Pareto type I with minimum `scale` > 0 and tail index `shape` > 0.
  double pareto(double scale, double shape);

 private:
  Xoshiro256StarStar generator_;
};

}  // namespace ksim
