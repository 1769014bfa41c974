#pragma once
// A deterministic log-bucketed histogram of durations in integer nanoseconds (HdrHistogram's
// layout, 7 significant bits): values 0..127 have a bucket each
// (exact); above, every power of two [2^e, 2^(e+1)) is cut into 64 equal buckets, so a
// bucket is at most 1/64 of its lowest value wide. A percentile is reported as the middle of
// its bucket, clamped to the exact [min, max] seen, hence within 1/128 (0.78%) of a value
// that was recorded at that rank. Counts are integers and min/max/sum exact, so merging
// (seeds, sweep shards, `ksim merge`) is exact and does not depend on the order.
//
// It lives in the checker because the checker is what measures latencies from a history;
// run, reports and bench read it from there (layer order core < ... < check < run < reports).
#include <cstdint>
#include <vector>

namespace ksim::check {

class LatencyHistogram {
 public:
  static constexpr std::uint32_t kExactBuckets = 128;  // values below are their own bucket
  static constexpr std::uint32_t kBucketsPerPowerOfTwo = 64;

  static std::uint32_t bucket_of(std::uint64_t value_ns);
  static std::uint64_t bucket_low_ns(std::uint32_t bucket);   // smallest value of the bucket
  static std::uint64_t bucket_high_ns(std::uint32_t bucket);  // largest value of the bucket

  // Negative durations (which the history should never give) count as 0.
  void record(std::int64_t value_ns);
  void merge(const LatencyHistogram& other);

  // Rebuilds a histogram from its stored form (reports read it back from results.json):
  // counts of the buckets first_bucket, first_bucket + 1, ..., and the exact extremes and sum.
  static LatencyHistogram from_buckets(std::uint32_t first_bucket, const std::vector<std::uint64_t>& counts,
                                       std::uint64_t min_ns, std::uint64_t max_ns, std::uint64_t sum_ns);

  std::uint64_t count() const { return count_; }
  std::uint64_t sum_ns() const { return sum_ns_; }
  std::uint64_t min_ns() const { return count_ == 0 ? 0 : min_ns_; }
  std::uint64_t max_ns() const { return max_ns_; }
  // The value at nearest rank ceil(count * per_mille / 1000) (at least rank 1): p50 is 500,
  // p99.9 is 999, 1000 gives max. 0 for an empty histogram.
  std::uint64_t percentile_ns(std::uint32_t per_mille) const;

  // The non-empty range of buckets: counts of first_bucket() onwards, no zero at either end.
  std::uint32_t first_bucket() const;
  std::vector<std::uint64_t> bucket_counts() const;

  friend bool operator==(const LatencyHistogram&, const LatencyHistogram&) = default;

 private:
  std::vector<std::uint64_t> counts_;  // by bucket, up to the highest bucket used
  std::uint64_t count_ = 0;
  std::uint64_t sum_ns_ = 0;
  std::uint64_t min_ns_ = 0;  // meaningful only when count_ > 0
  std::uint64_t max_ns_ = 0;
};

}  // namespace ksim::check
