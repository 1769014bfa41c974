#include "sim/check/latency_histogram.h"

#include <algorithm>
#include <bit>

namespace ksim::check {

namespace {

constexpr std::uint32_t kSubBucketShift = 6;  // log2(kBucketsPerPowerOfTwo)

}  // namespace

std::uint32_t LatencyHistogram::bucket_of(std::uint64_t value_ns) {
  if (value_ns < kExactBuckets) return static_cast<std::uint32_t>(value_ns);
  // value = 2^e * (1 + f): the top 7 bits (a 1 and six of f) pick the bucket within 2^e.
  const auto exponent = static_cast<std::uint32_t>(std::bit_width(value_ns) - 1);  // >= 7
  const std::uint64_t top = value_ns >> (exponent - kSubBucketShift);              // 64..127
  return kExactBuckets + (exponent - 7) * kBucketsPerPowerOfTwo + static_cast<std::uint32_t>(top - kBucketsPerPowerOfTwo);
}

std::uint64_t LatencyHistogram::bucket_low_ns(std::uint32_t bucket) {
  if (bucket < kExactBuckets) return bucket;
  const std::uint32_t exponent = (bucket - kExactBuckets) / kBucketsPerPowerOfTwo + 7;
  const std::uint64_t top = (bucket - kExactBuckets) % kBucketsPerPowerOfTwo + kBucketsPerPowerOfTwo;
  return top << (exponent - kSubBucketShift);
}

std::uint64_t LatencyHistogram::bucket_high_ns(std::uint32_t bucket) {
  if (bucket < kExactBuckets) return bucket;
  const std::uint32_t exponent = (bucket - kExactBuckets) / kBucketsPerPowerOfTwo + 7;
  return bucket_low_ns(bucket) + (std::uint64_t{1} << (exponent - kSubBucketShift)) - 1;
}

void LatencyHistogram::record(std::int64_t value_ns) {
  const std::uint64_t value = value_ns < 0 ? 0 : static_cast<std::uint64_t>(value_ns);
  const std::uint32_t bucket = bucket_of(value);
  if (counts_.size() <= bucket) counts_.resize(bucket + 1, 0);
  ++counts_[bucket];
  min_ns_ = count_ == 0 ? value : std::min(min_ns_, value);
  max_ns_ = std::max(max_ns_, value);
  sum_ns_ += value;
  ++count_;
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  if (counts_.size() < other.counts_.size()) counts_.resize(other.counts_.size(), 0);
  for (std::size_t b = 0; b < other.counts_.size(); ++b) counts_[b] += other.counts_[b];
  min_ns_ = count_ == 0 ? other.min_ns_ : std::min(min_ns_, other.min_ns_);
  max_ns_ = std::max(max_ns_, other.max_ns_);
  sum_ns_ += other.sum_ns_;
  count_ += other.count_;
}

LatencyHistogram LatencyHistogram::from_buckets(std::uint32_t first_bucket, const std::vector<std::uint64_t>& counts,
                                                std::uint64_t min_ns, std::uint64_t max_ns, std::uint64_t sum_ns) {
  LatencyHistogram h;
  for (std::size_t i = 0; i < counts.size(); ++i) h.count_ += counts[i];
  if (h.count_ == 0) return h;
  h.counts_.assign(first_bucket, 0);
  h.counts_.insert(h.counts_.end(), counts.begin(), counts.end());
  // A canonical form (no trailing zero buckets) keeps operator== meaning "same data".
  while (!h.counts_.empty() && h.counts_.back() == 0) h.counts_.pop_back();
  h.min_ns_ = min_ns;
  h.max_ns_ = max_ns;
  h.sum_ns_ = sum_ns;
  return h;
}

std::uint64_t LatencyHistogram::percentile_ns(std::uint32_t per_mille) const {
  if (count_ == 0) return 0;
  if (per_mille >= 1000) return max_ns_;
  // Nearest rank, in integers: ceil(count * per_mille / 1000), at least 1.
  const std::uint64_t rank = std::max<std::uint64_t>(1, (count_ * per_mille + 999) / 1000);
  std::uint64_t seen = 0;
  for (std::uint32_t b = 0; b < counts_.size(); ++b) {
    seen += counts_[b];
    if (seen < rank) continue;
    const std::uint64_t low = bucket_low_ns(b);
    const std::uint64_t middle = low + (bucket_high_ns(b) - low) / 2;
    return std::clamp(middle, min_ns_, max_ns_);
  }
  return max_ns_;
}

std::uint32_t LatencyHistogram::first_bucket() const {
  const auto first = std::find_if(counts_.begin(), counts_.end(), [](std::uint64_t c) { return c > 0; });
  return static_cast<std::uint32_t>(first - counts_.begin());
}

std::vector<std::uint64_t> LatencyHistogram::bucket_counts() const {
  if (count_ == 0) return {};
  return {counts_.begin() + first_bucket(), counts_.end()};  // record() never leaves a zero last
}

}  // namespace ksim::check
