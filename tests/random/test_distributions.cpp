#define BOOST_TEST_MODULE distributions
#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <functional>

#include "sim/core/assert.h"
#include "sim/random/random_stream.h"
#include "sim/random/zipf.h"

using namespace ksim;

namespace {

constexpr int kDraws = 1'000'000;
// Tolerance in standard errors. With 10^6 draws the sample mean's standard error is
// sigma/1000 and the sample variance's is sqrt((mu4 - sigma^4)/n). A correct
// distribution lands beyond 6 standard errors with probability below 2e-9; a wrong
// parameterisation (e.g. rate for mean, variance for stddev) lands hundreds away.
constexpr double kStandardErrors = 6.0;

// Checks sample mean and variance against the values implied by the raw moments
// E[X], E[X^2], E[X^3], E[X^4] of the distribution.
void check_moments(const std::function<double()>& draw, const std::array<double, 4>& raw_moments) {
  const auto [e1, e2, e3, e4] = raw_moments;
  const double mean = e1;
  const double variance = e2 - e1 * e1;
  const double mu4 = e4 - 4 * e3 * e1 + 6 * e2 * e1 * e1 - 3 * e1 * e1 * e1 * e1;
  double sum = 0;
  double sum_squares = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double x = draw();
    sum += x;
    sum_squares += x * x;
  }
  const double sample_mean = sum / kDraws;
  const double sample_variance = sum_squares / kDraws - sample_mean * sample_mean;
  const double mean_tolerance = kStandardErrors * std::sqrt(variance / kDraws);
  const double variance_tolerance = kStandardErrors * std::sqrt((mu4 - variance * variance) / kDraws);
  BOOST_TEST(std::abs(sample_mean - mean) <= mean_tolerance,
             "mean " << sample_mean << " expected " << mean << " +- " << mean_tolerance);
  BOOST_TEST(std::abs(sample_variance - variance) <= variance_tolerance,
             "variance " << sample_variance << " expected " << variance << " +- " << variance_tolerance);
}

}  // namespace

BOOST_AUTO_TEST_CASE(uniform01_moments) {
  RandomStream random(1, "test.uniform");
  check_moments([&] { return random.uniform01(); }, {1.0 / 2, 1.0 / 3, 1.0 / 4, 1.0 / 5});
}

BOOST_AUTO_TEST_CASE(uniform_real_stays_in_range) {
  RandomStream random(2, "test.uniform_real");
  for (int i = 0; i < 100'000; ++i) {
    const double x = random.uniform_real(-3.0, 5.0);
    BOOST_REQUIRE(x >= -3.0);
    BOOST_REQUIRE(x < 5.0);
  }
}

BOOST_AUTO_TEST_CASE(bernoulli_rate) {
  RandomStream random(3, "test.bernoulli");
  const double p = 0.3;
  check_moments([&] { return random.bernoulli(p) ? 1.0 : 0.0; }, {p, p, p, p});
  RandomStream edges(3, "test.bernoulli.edges");
  for (int i = 0; i < 10'000; ++i) {
    BOOST_REQUIRE(!edges.bernoulli(0.0));
    BOOST_REQUIRE(edges.bernoulli(1.0));
  }
}

BOOST_AUTO_TEST_CASE(exponential_moments) {
  RandomStream random(4, "test.exponential");
  const double mean = 2.5;
  // E[X^k] = k! mean^k
  check_moments([&] { return random.exponential(mean); },
                {mean, 2 * std::pow(mean, 2), 6 * std::pow(mean, 3), 24 * std::pow(mean, 4)});
}

BOOST_AUTO_TEST_CASE(normal_moments) {
  RandomStream random(5, "test.normal");
  const double mu = 10.0;
  const double sigma = 3.0;
  const double s2 = sigma * sigma;
  check_moments([&] { return random.normal(mu, sigma); },
                {mu, mu * mu + s2, mu * mu * mu + 3 * mu * s2, std::pow(mu, 4) + 6 * mu * mu * s2 + 3 * s2 * s2});
}

BOOST_AUTO_TEST_CASE(lognormal_moments) {
  RandomStream random(6, "test.lognormal");
  const double mu = 1.0;
  const double sigma = 0.5;
  auto raw = [&](double k) { return std::exp(k * mu + k * k * sigma * sigma / 2); };  // E[X^k]
  check_moments([&] { return random.lognormal(mu, sigma); }, {raw(1), raw(2), raw(3), raw(4)});
}

BOOST_AUTO_TEST_CASE(pareto_moments) {
  RandomStream random(7, "test.pareto");
  const double scale = 2.0;
  const double shape = 9.0;  // > 4, so the fourth moment that bounds the variance's error exists
  auto raw = [&](double k) { return shape * std::pow(scale, k) / (shape - k); };  // E[X^k]
  check_moments([&] { return random.pareto(scale, shape); }, {raw(1), raw(2), raw(3), raw(4)});
  RandomStream floor_check(7, "test.pareto.floor");
  for (int i = 0; i < 100'000; ++i) BOOST_REQUIRE(floor_check.pareto(scale, 1.5) >= scale);
}

// Each face of a die within 6 standard errors of 1/6, over 10^6 rolls.
BOOST_AUTO_TEST_CASE(bounded_integers_are_uniform) {
  RandomStream random(8, "test.bounded");
  std::array<int, 6> counts{};
  for (int i = 0; i < kDraws; ++i) ++counts[random.uniform_below(6)];
  const double expected = kDraws / 6.0;
  const double tolerance = kStandardErrors * std::sqrt(kDraws * (1.0 / 6) * (5.0 / 6));
  for (const int count : counts) BOOST_TEST(std::abs(count - expected) <= tolerance);
}

// With bound = 3 * 2^62, "next() % bound" would return values below 2^62 with
// probability 1/2 instead of 1/3: the unbiased method must give 1/3.
BOOST_AUTO_TEST_CASE(bounded_integers_have_no_modulo_bias) {
  RandomStream random(9, "test.bias");
  const std::uint64_t bound = 3ULL << 62;
  int below = 0;
  for (int i = 0; i < kDraws; ++i) {
    const std::uint64_t x = random.uniform_below(bound);
    BOOST_REQUIRE(x < bound);
    if (x < (1ULL << 62)) ++below;
  }
  const double tolerance = kStandardErrors * std::sqrt(kDraws * (1.0 / 3) * (2.0 / 3));
  BOOST_TEST(std::abs(below - kDraws / 3.0) <= tolerance);
}

BOOST_AUTO_TEST_CASE(uniform_int_covers_inclusive_range) {
  RandomStream random(10, "test.uniform_int");
  std::array<int, 5> counts{};
  for (int i = 0; i < 10'000; ++i) {
    const auto x = random.uniform_int(-2, 2);
    BOOST_REQUIRE(x >= -2);
    BOOST_REQUIRE(x <= 2);
    ++counts[static_cast<std::size_t>(x + 2)];
  }
  for (const int count : counts) BOOST_TEST(count > 0);
  BOOST_TEST(random.uniform_int(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()) != 0);
}

BOOST_AUTO_TEST_CASE(invalid_parameters_are_rejected) {
  RandomStream random(11, "test.invalid");
  BOOST_CHECK_THROW(random.uniform_below(0), InvariantViolation);
  BOOST_CHECK_THROW(random.exponential(-1.0), InvariantViolation);
  BOOST_CHECK_THROW(random.exponential(std::nan("")), InvariantViolation);
  BOOST_CHECK_THROW(random.normal(0.0, -1.0), InvariantViolation);
  BOOST_CHECK_THROW(random.pareto(0.0, 1.0), InvariantViolation);
  BOOST_CHECK_THROW(random.uniform_int(3, 2), InvariantViolation);
}

// Zipf with exponent 1 over 100 keys: P(key 0) = 1 / H(100) = 0.19277; within 6 standard
// errors over 10^6 draws. Key 1 is half as likely as key 0.
BOOST_AUTO_TEST_CASE(zipf_keys_follow_their_law) {
  const ZipfTable table(100, 1.0);
  RandomStream random(12, "test.zipf");
  std::array<int, 100> counts{};
  for (int i = 0; i < kDraws; ++i) ++counts[table.draw(random)];
  double harmonic = 0;
  for (int k = 1; k <= 100; ++k) harmonic += 1.0 / k;
  const double p0 = 1.0 / harmonic;
  BOOST_TEST(std::abs(counts[0] - kDraws * p0) <= kStandardErrors * std::sqrt(kDraws * p0 * (1 - p0)));
  BOOST_TEST(std::abs(static_cast<double>(counts[0]) / counts[1] - 2.0) < 0.05);
  BOOST_TEST(counts[99] > 0);
}
