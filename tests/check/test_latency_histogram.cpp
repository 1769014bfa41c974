#define BOOST_TEST_MODULE latency_histogram
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/check/latency_histogram.h"

using ksim::check::LatencyHistogram;

namespace {

LatencyHistogram of(const std::vector<std::int64_t>& values) {
  LatencyHistogram h;
  for (const std::int64_t v : values) h.record(v);
  return h;
}

// The nearest-rank percentile of sorted data, the exact answer the histogram approximates.
std::uint64_t exact_percentile(std::vector<std::int64_t> values, std::uint32_t per_mille) {
  std::sort(values.begin(), values.end());
  const std::uint64_t rank = std::max<std::uint64_t>(1, (values.size() * per_mille + 999) / 1000);
  return static_cast<std::uint64_t>(values[rank - 1]);
}

}  // namespace

BOOST_AUTO_TEST_CASE(small_values_are_exact_buckets) {
  for (std::uint64_t v = 0; v < 128; ++v) {
    BOOST_TEST(LatencyHistogram::bucket_of(v) == v);
    BOOST_TEST(LatencyHistogram::bucket_low_ns(static_cast<std::uint32_t>(v)) == v);
    BOOST_TEST(LatencyHistogram::bucket_high_ns(static_cast<std::uint32_t>(v)) == v);
  }
  // 128..255 is cut into 64 buckets of width 2.
  BOOST_TEST(LatencyHistogram::bucket_of(128) == 128U);
  BOOST_TEST(LatencyHistogram::bucket_of(129) == 128U);
  BOOST_TEST(LatencyHistogram::bucket_of(130) == 129U);
  BOOST_TEST(LatencyHistogram::bucket_of(255) == 191U);
  BOOST_TEST(LatencyHistogram::bucket_of(256) == 192U);
  BOOST_TEST(LatencyHistogram::bucket_high_ns(191) == 255U);
}

BOOST_AUTO_TEST_CASE(buckets_tile_the_values_and_stay_narrow) {
  // Every bucket holds exactly [low, high], the next starts at high + 1, and no bucket is
  // wider than 1/64 of its low end: the relative precision the header promises.
  for (std::uint32_t b = 0; b < 3000; ++b) {
    const std::uint64_t low = LatencyHistogram::bucket_low_ns(b);
    const std::uint64_t high = LatencyHistogram::bucket_high_ns(b);
    BOOST_TEST_INFO("bucket " << b);
    BOOST_TEST(LatencyHistogram::bucket_of(low) == b);
    BOOST_TEST(LatencyHistogram::bucket_of(high) == b);
    BOOST_TEST(LatencyHistogram::bucket_low_ns(b + 1) == high + 1);
    BOOST_TEST((high - low + 1) * 64 <= std::max<std::uint64_t>(low, 64));
  }
  BOOST_TEST(LatencyHistogram::bucket_of(UINT64_MAX) < 4000U);
}

BOOST_AUTO_TEST_CASE(percentiles_within_one_128th_of_the_exact_rank) {
  std::vector<std::int64_t> values;
  std::uint64_t x = 12345;
  for (int i = 0; i < 20000; ++i) {  // a wide spread: 1 µs .. about 4 s
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    values.push_back(static_cast<std::int64_t>(1000 + (x >> 33) % 4'000'000'000ULL / (1 + (x >> 60))));
  }
  const LatencyHistogram h = of(values);
  for (const std::uint32_t per_mille : {1U, 500U, 900U, 990U, 999U}) {
    const auto exact = static_cast<double>(exact_percentile(values, per_mille));
    const auto approx = static_cast<double>(h.percentile_ns(per_mille));
    BOOST_TEST_INFO("per mille " << per_mille);
    BOOST_TEST(std::abs(approx - exact) <= exact / 128.0);
  }
  BOOST_TEST(h.percentile_ns(1000) == static_cast<std::uint64_t>(*std::max_element(values.begin(), values.end())));
}

BOOST_AUTO_TEST_CASE(percentiles_on_known_data) {
  // 1..1000 ms: nearest rank gives 500, 900, 990 and 999 ms, each in a bucket 2^20 ns wide
  // at most (values in [2^29, 2^30)), reported as the bucket's middle.
  std::vector<std::int64_t> values;
  for (std::int64_t ms = 1; ms <= 1000; ++ms) values.push_back(ms * 1'000'000);
  const LatencyHistogram h = of(values);
  BOOST_TEST(h.count() == 1000U);
  BOOST_TEST(h.min_ns() == 1'000'000U);
  BOOST_TEST(h.max_ns() == 1'000'000'000U);
  BOOST_TEST(h.sum_ns() == 500'500'000'000U);
  const auto middle = [](std::uint64_t v) {
    const std::uint32_t b = LatencyHistogram::bucket_of(v);
    return LatencyHistogram::bucket_low_ns(b) + (LatencyHistogram::bucket_high_ns(b) - LatencyHistogram::bucket_low_ns(b)) / 2;
  };
  BOOST_TEST(h.percentile_ns(500) == middle(500'000'000));
  BOOST_TEST(h.percentile_ns(900) == middle(900'000'000));
  BOOST_TEST(h.percentile_ns(990) == middle(990'000'000));
  BOOST_TEST(h.percentile_ns(1000) == 1'000'000'000U);
  // 999 ms and 1000 ms share the bucket [998244352, 1006632959], whose middle lies above
  // the maximum: p99.9 is clamped to the exact maximum, still within 1/128 of 999 ms.
  BOOST_TEST(h.percentile_ns(999) == 1'000'000'000U);
  BOOST_TEST(middle(999'000'000) == 1'002'438'655U);
}

BOOST_AUTO_TEST_CASE(single_value_is_exact_through_the_clamp) {
  const LatencyHistogram h = of({5'000'123});
  for (const std::uint32_t per_mille : {500U, 900U, 990U, 999U, 1000U}) BOOST_TEST(h.percentile_ns(per_mille) == 5'000'123U);
}

BOOST_AUTO_TEST_CASE(empty_histogram) {
  const LatencyHistogram h;
  BOOST_TEST(h.count() == 0U);
  BOOST_TEST(h.min_ns() == 0U);
  BOOST_TEST(h.max_ns() == 0U);
  BOOST_TEST(h.percentile_ns(500) == 0U);
  BOOST_TEST(h.percentile_ns(1000) == 0U);
  BOOST_TEST(h.bucket_counts().empty());
  LatencyHistogram merged = of({7});
  merged.merge(h);
  BOOST_TEST((merged == of({7})));
}

BOOST_AUTO_TEST_CASE(negative_values_count_as_zero) {
  const LatencyHistogram h = of({-5});
  BOOST_TEST(h.count() == 1U);
  BOOST_TEST(h.max_ns() == 0U);
}

BOOST_AUTO_TEST_CASE(merge_is_exact_in_any_order) {
  const LatencyHistogram a = of({1, 200, 3'000'000, 3'000'001});
  const LatencyHistogram b = of({50'000'000'000, 17});
  const LatencyHistogram c = of({999, 1'000'000});
  const LatencyHistogram all = of({1, 200, 3'000'000, 3'000'001, 50'000'000'000, 17, 999, 1'000'000});
  const std::vector<const LatencyHistogram*> parts{&a, &b, &c};
  std::vector<std::size_t> order{0, 1, 2};
  do {
    LatencyHistogram merged;
    for (const std::size_t i : order) merged.merge(*parts[i]);
    BOOST_TEST((merged == all));
  } while (std::next_permutation(order.begin(), order.end()));
  LatencyHistogram left = a;  // (a + b) + c == a + (b + c)
  left.merge(b);
  left.merge(c);
  LatencyHistogram right = b;
  right.merge(c);
  LatencyHistogram a_then = a;
  a_then.merge(right);
  BOOST_TEST((left == a_then));
}

BOOST_AUTO_TEST_CASE(stored_form_round_trips) {
  const LatencyHistogram h = of({300, 301, 5'000, 70'000'000, 70'000'001});
  const LatencyHistogram back =
      LatencyHistogram::from_buckets(h.first_bucket(), h.bucket_counts(), h.min_ns(), h.max_ns(), h.sum_ns());
  BOOST_TEST((back == h));
  BOOST_TEST(h.bucket_counts().front() > 0U);
  BOOST_TEST(h.bucket_counts().back() > 0U);
}
