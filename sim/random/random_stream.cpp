#include "sim/random/random_stream.h"

#include <cmath>

#include "sim/core/assert.h"

namespace ksim {

std::uint64_t derive_stream_seed(std::uint64_t root_seed, std::string_view component) {
  std::uint64_t hash = 0xCBF29CE484222325ULL;  // FNV-1a offset basis
  for (const char c : component) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001B3ULL;
  }
  std::uint64_t state = root_seed ^ hash;
  splitmix64_next(state);
  return splitmix64_next(state) ^ hash;
}

std::uint64_t RandomStream::uniform_below(std::uint64_t bound) {
  KSIM_ASSERT(bound > 0, "uniform_below needs a positive bound, got {}", bound);
  unsigned __int128 product = static_cast<unsigned __int128>(next_u64()) * bound;
  auto low = static_cast<std::uint64_t>(product);
  if (low < bound) {
    const std::uint64_t threshold = (0 - bound) % bound;  // 2^64 mod bound
    while (low < threshold) {
      product = static_cast<unsigned __int128>(next_u64()) * bound;
      low = static_cast<std::uint64_t>(product);
    }
  }
  return static_cast<std::uint64_t>(product >> 64);
}

std::int64_t RandomStream::uniform_int(std::int64_t low, std::int64_t high) {
  KSIM_ASSERT(low <= high, "uniform_int needs low <= high, got [{}, {}]", low, high);
  const std::uint64_t span = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
  if (span == ~std::uint64_t{0}) return static_cast<std::int64_t>(next_u64());
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + uniform_below(span + 1));
}

double RandomStream::exponential(double mean) {
  KSIM_ASSERT(mean > 0 && std::isfinite(mean), "exponential needs a finite positive mean, got {}", mean);
  return -mean * std::log1p(-uniform01());
}

double RandomStream::normal(double mean, double stddev) {
  KSIM_ASSERT(stddev >= 0 && std::isfinite(stddev) && std::isfinite(mean), "normal needs finite mean {} and stddev {} >= 0",
              mean, stddev);
  double u;
  double v;
  double s;
  do {
    u = 2.0 * uniform01() - 1.0;
    v = 2.0 * uniform01() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  return mean + stddev * u * std::sqrt(-2.0 * std::log(s) / s);
}

double RandomStream::lognormal(double mu, double sigma) { return std::exp(normal(mu, sigma)); }

double RandomStream::pareto(double scale, double shape) {
  KSIM_ASSERT(scale > 0 && shape > 0 && std::isfinite(scale) && std::isfinite(shape),
              "pareto needs positive scale {} and shape {}", scale, shape);
  const double u = 1.0 - uniform01();  // in (0, 1]
  return scale / std::pow(u, 1.0 / shape);
}

}  // namespace ksim
