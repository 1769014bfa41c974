#pragma once
// Zipf-distributed keys: key k (0-based) is drawn with probability proportional to
// 1 / (k + 1)^exponent, so a few hot keys get most records, as real key spaces do. A
// table of the cumulative distribution is built once and searched per draw.
#include <cstdint>
#include <vector>

#include "sim/random/random_stream.h"

namespace ksim {

class ZipfTable {
 public:
  static constexpr std::uint64_t kMaxKeys = 1'000'000;  // 8 MB of table at most

  // Preconditions (validated by the scenario loader): 1 <= keys <= kMaxKeys, exponent > 0.
  ZipfTable(std::uint64_t keys, double exponent);

  std::uint64_t draw(RandomStream& random) const;
  std::uint64_t keys() const { return cumulative_.size(); }

 private:
  std::vector<double> cumulative_;  // cumulative_[k] = P(key <= k), last == 1
};

}  // namespace ksim
