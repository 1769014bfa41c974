#pragma once
// Judging a scenario's `expect` block over the runs of a batch.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/run/run_once.h"
#include "sim/scenario/scenario.h"

namespace ksim::run {

struct ExpectationResult {
  scenario::Expectation expectation;
  bool held = false;
  std::uint64_t seeds_checked = 0;
  std::optional<std::uint64_t> failing_seed;  // every-seed: the first seed that broke the bound
  std::uint64_t observed = 0;                 // the counter at the failing seed, or its maximum
  std::optional<std::uint64_t> witness_seed;  // some-seed: the first seed that showed it
};

std::vector<ExpectationResult> evaluate_expectations(const scenario::Scenario& scenario,
                                                     const std::vector<RunReport>& reports);

struct CounterAggregate {
  std::uint64_t min = 0, median = 0, max = 0, sum = 0;
  std::uint64_t nonzero_seeds = 0;  // seeds where the counter was above 0
};

// Aggregate of `counter` over the reports of one mode.
CounterAggregate aggregate(const std::vector<RunReport>& reports, const std::string& mode, const std::string& counter);

}  // namespace ksim::run
