#include "sim/random/zipf.h"

#include <algorithm>
#include <cmath>

#include "sim/core/assert.h"

namespace ksim {

ZipfTable::ZipfTable(std::uint64_t keys, double exponent) {
  KSIM_ASSERT(keys >= 1 && keys <= kMaxKeys, "zipf over {} keys (1..{})", keys, kMaxKeys);
  KSIM_ASSERT(exponent > 0 && std::isfinite(exponent), "zipf exponent {} must be finite and > 0", exponent);
  cumulative_.resize(keys);
  double sum = 0;
  for (std::uint64_t k = 0; k < keys; ++k) {
    sum += 1.0 / std::pow(static_cast<double>(k + 1), exponent);
    cumulative_[k] = sum;
  }
  for (double& value : cumulative_) value /= sum;
  cumulative_.back() = 1.0;
}

std::uint64_t ZipfTable::draw(RandomStream& random) const {
  const double u = random.uniform01();
  const auto found = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
  return static_cast<std::uint64_t>(std::min<std::ptrdiff_t>(found - cumulative_.begin(),
                                                             static_cast<std::ptrdiff_t>(cumulative_.size()) - 1));
}

}  // namespace ksim
