#define BOOST_TEST_MODULE net_link_draws
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>

#include "sim/net/latency.h"
#include "sim/net/link_state.h"
#include "sim/net/loss.h"

using namespace ksim;
using namespace ksim::net;

namespace {

// Tolerances are 6 standard errors: a correct model fails with probability < 2e-9,
// while a wrong parameterisation lands far outside.
constexpr double kStandardErrors = 6.0;

LatencyDistribution clamped(LatencyDistribution d, TimeNs min_ns, TimeNs max_ns) {
  d.latency_ns_min = min_ns;
  d.latency_ns_max = max_ns;
  return d;
}

double sample_mean(const LatencyDistribution& d, std::uint64_t seed, int draws) {
  RandomStream random(seed, "test.latency");
  double sum = 0;
  for (int i = 0; i < draws; ++i) sum += static_cast<double>(d.draw(random));
  return sum / draws;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_latency_kind_stays_within_its_clamps) {
  const TimeNs min_ns = 200'000;
  const TimeNs max_ns = 3'000'000;
  const LatencyDistribution kinds[] = {
      {.kind = LatencyKind::constant, .mean_ns = 5'000'000},  // above max: clamped down
      {.kind = LatencyKind::uniform, .uniform_low_ns = 0, .uniform_high_ns = 4'000'000},
      {.kind = LatencyKind::exponential, .mean_ns = 1'000'000},
      {.kind = LatencyKind::normal, .mean_ns = 1'000'000, .stddev_ns = 2'000'000},  // negative draws too
      {.kind = LatencyKind::lognormal, .lognormal_mu = 13.8, .lognormal_sigma = 1.0},
      {.kind = LatencyKind::pareto, .pareto_scale_ns = 100'000, .pareto_shape = 1.1},
  };
  for (const LatencyDistribution& kind : kinds) {
    const LatencyDistribution d = clamped(kind, min_ns, max_ns);
    BOOST_TEST_REQUIRE(validate(d, "latency").empty());
    RandomStream random(7, "test.latency.clamp");
    bool hit_min = false;
    bool hit_max = false;
    for (int i = 0; i < 100'000; ++i) {
      const TimeNs delay = d.draw(random);
      BOOST_TEST_REQUIRE(delay >= min_ns);
      BOOST_TEST_REQUIRE(delay <= max_ns);
      hit_min = hit_min || delay == min_ns;
      hit_max = hit_max || delay == max_ns;
    }
    // Every kind above has mass outside [min, max] (the constant only above), so the
    // clamps must actually act, not merely be respected.
    BOOST_TEST(hit_max, "kind " << to_string(d.kind) << " never clamped at max");
    if (d.kind != LatencyKind::constant) BOOST_TEST(hit_min, "kind " << to_string(d.kind) << " never clamped at min");
  }
}

BOOST_AUTO_TEST_CASE(constant_latency_is_exact) {
  const LatencyDistribution d{.kind = LatencyKind::constant, .mean_ns = 1'234'567};
  RandomStream random(1, "test.latency.constant");
  for (int i = 0; i < 1000; ++i) BOOST_TEST_REQUIRE(d.draw(random) == 1'234'567);
}

BOOST_AUTO_TEST_CASE(exponential_and_uniform_sample_means) {
  constexpr int kDraws = 100'000;
  // Exponential: stddev = mean, so the standard error of the mean is mean / sqrt(n).
  // (Rounding to whole ns moves the mean by < 1 ns, far below the tolerance.)
  const LatencyDistribution exponential{.kind = LatencyKind::exponential, .mean_ns = 2'000'000};
  const double exponential_tolerance = kStandardErrors * 2e6 / std::sqrt(kDraws);
  BOOST_TEST(std::abs(sample_mean(exponential, 3, kDraws) - 2e6) <= exponential_tolerance);
  // Uniform integers on [a, b]: stddev = (b - a) / sqrt(12) (up to the +1 of the
  // integer range, negligible here).
  const LatencyDistribution uniform{.kind = LatencyKind::uniform, .uniform_low_ns = 1'000'000,
                                    .uniform_high_ns = 5'000'000};
  const double uniform_tolerance = kStandardErrors * (4e6 / std::sqrt(12.0)) / std::sqrt(kDraws);
  BOOST_TEST(std::abs(sample_mean(uniform, 4, kDraws) - 3e6) <= uniform_tolerance);
}

BOOST_AUTO_TEST_CASE(independent_loss_and_duplication_rates) {
  constexpr int kMessages = 1'000'000;
  LinkProfile profile;
  profile.loss.loss_probability = 0.1;
  profile.duplicate_probability = 0.05;
  LinkState link(11, "test.link");
  int lost = 0;
  int duplicated = 0;
  for (int i = 0; i < kMessages; ++i) {
    const HopDraws draws = link.draw(profile);
    lost += draws.lost;
    duplicated += draws.duplicated;
  }
  // Binomial standard error sqrt(p (1 - p) / n): 3e-4 for p = 0.1, 2.2e-4 for p = 0.05.
  const double loss_rate = static_cast<double>(lost) / kMessages;
  const double duplicate_rate = static_cast<double>(duplicated) / kMessages;
  BOOST_TEST(std::abs(loss_rate - 0.1) <= kStandardErrors * std::sqrt(0.1 * 0.9 / kMessages));
  BOOST_TEST(std::abs(duplicate_rate - 0.05) <= kStandardErrors * std::sqrt(0.05 * 0.95 / kMessages));
}

namespace {

struct LossRuns {
  double loss_rate = 0;
  double mean_run_length = 0;  // mean length of maximal runs of consecutive losses
};

LossRuns measure_runs(const LossModel& model, std::uint64_t seed, int messages) {
  RandomStream random(seed, "test.loss.runs");
  LossState state;
  int lost = 0;
  int runs = 0;
  bool previous = false;
  for (int i = 0; i < messages; ++i) {
    const bool now = decide_loss(model, state, random);
    lost += now;
    runs += now && !previous;
    previous = now;
  }
  return {static_cast<double>(lost) / messages, runs == 0 ? 0.0 : static_cast<double>(lost) / runs};
}

}  // namespace

BOOST_AUTO_TEST_CASE(bursty_loss_models_keep_the_average_but_lengthen_runs) {
  constexpr int kMessages = 1'000'000;
  const LossModel independent{.kind = LossModelKind::independent, .loss_probability = 0.1};
  // Bad state 10% of the time (0.02 / (0.02 + 0.18)), losing everything there.
  const LossModel gilbert_elliott{.kind = LossModelKind::gilbert_elliott, .good_to_bad_probability = 0.02,
                                  .bad_to_good_probability = 0.18, .loss_probability_good = 0,
                                  .loss_probability_bad = 1};
  const LossModel correlated{.kind = LossModelKind::correlated, .loss_probability = 0.1, .loss_correlation = 0.75};
  BOOST_TEST(gilbert_elliott.average_loss_probability() == 0.1, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(correlated.average_loss_probability() == 0.1);

  const LossRuns base = measure_runs(independent, 21, kMessages);
  const LossRuns burst_ge = measure_runs(gilbert_elliott, 22, kMessages);
  const LossRuns burst_corr = measure_runs(correlated, 23, kMessages);
  // Expected mean runs: independent 1 / (1 - p) = 1.11; Gilbert-Elliott 1 / 0.18 = 5.6;
  // correlated 1 / ((1 - c)(1 - p)) = 4.4.
  BOOST_TEST(base.mean_run_length < 1.2);
  BOOST_TEST(burst_ge.mean_run_length > 2 * base.mean_run_length);
  BOOST_TEST(burst_corr.mean_run_length > 2 * base.mean_run_length);
  // Correlated outcomes inflate the variance of the mean by (1 + l) / (1 - l), l the
  // lag-1 correlation: l = 1 - 0.02 - 0.18 = 0.8 gives 9, l = c = 0.75 gives 7. So the
  // standard error is at most sqrt(9 * 0.09 / 1e6) = 9e-4, and 6 of them is 5.4e-3.
  const double tolerance = kStandardErrors * std::sqrt(9.0 * 0.1 * 0.9 / kMessages);
  BOOST_TEST(std::abs(base.loss_rate - 0.1) <= tolerance);
  BOOST_TEST(std::abs(burst_ge.loss_rate - 0.1) <= tolerance);
  BOOST_TEST(std::abs(burst_corr.loss_rate - 0.1) <= tolerance);
}

BOOST_AUTO_TEST_CASE(absorbing_bad_state_averages_to_its_loss_probability) {
  const LossModel absorbing{.kind = LossModelKind::gilbert_elliott, .good_to_bad_probability = 0.5,
                            .bad_to_good_probability = 0, .loss_probability_good = 0,
                            .loss_probability_bad = 0.7};
  BOOST_TEST(validate(absorbing, "loss").empty());
  BOOST_TEST(absorbing.average_loss_probability() == 0.7);
}

BOOST_AUTO_TEST_CASE(serialization_delay_rounds_up_without_overflow) {
  BOOST_TEST(serialization_delay_ns(1000, 1'000'000) == 1'000'000);  // 1 KB at 1 MB/s: 1 ms
  BOOST_TEST(serialization_delay_ns(1, 3) == 333'333'334);           // 1/3 s rounded up
  // Largest message on the slowest link: 4.29e18 ns, no overflow.
  BOOST_TEST(serialization_delay_ns(0xFFFF'FFFF, 1) == std::int64_t{0xFFFF'FFFF} * 1'000'000'000);
}
