#include "sim/run/expectations.h"

#include <algorithm>

#include "sim/core/assert.h"
#include "sim/run/counter_names.h"

namespace ksim::run {

namespace {

std::uint64_t value_of(const RunReport& report, const std::string& counter) {
  const auto value = counter_value(report.outcome, counter);
  KSIM_ASSERT(value.has_value(), "counter {} is not known (the loader validates names)", counter);
  return *value;
}

}  // namespace

std::vector<ExpectationResult> evaluate_expectations(const scenario::Scenario& scenario,
                                                     const std::vector<RunReport>& reports) {
  std::vector<ExpectationResult> results;
  for (const scenario::Expectation& expectation : scenario.expectations) {
    ExpectationResult result;
    result.expectation = expectation;
    const bool every = expectation.quantifier == scenario::Quantifier::every_seed;
    result.held = every;
    for (const RunReport& report : reports) {
      if (report.mode != expectation.mode) continue;
      ++result.seeds_checked;
      const std::uint64_t value = value_of(report, expectation.counter);
      const bool holds = expectation.bound.holds(static_cast<double>(value));
      if (every && !holds && !result.failing_seed) {
        result.held = false;
        result.failing_seed = report.seed;
        result.observed = value;
      }
      if (!every && holds && !result.witness_seed) {
        result.held = true;
        result.witness_seed = report.seed;
        result.observed = value;
      }
      if (!result.failing_seed && !result.witness_seed) result.observed = std::max(result.observed, value);
    }
    if (result.seeds_checked == 0) result.held = false;  // nothing ran for it: not shown to hold
    results.push_back(result);
  }
  return results;
}

CounterAggregate aggregate(const std::vector<RunReport>& reports, const std::string& mode, const std::string& counter) {
  std::vector<std::uint64_t> values;
  for (const RunReport& report : reports) {
    if (report.mode == mode) values.push_back(value_of(report, counter));
  }
  CounterAggregate result;
  if (values.empty()) return result;
  std::sort(values.begin(), values.end());
  result.min = values.front();
  result.max = values.back();
  result.median = values[(values.size() - 1) / 2];
  for (const std::uint64_t value : values) {
    result.sum += value;
    result.nonzero_seeds += value > 0 ? 1 : 0;
  }
  return result;
}

}  // namespace ksim::run
