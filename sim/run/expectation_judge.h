#pragma once
// The typed results model, part 2: a scenario's `expect` entries and their verdicts,
// judged on typed bounds (parsed once, sim/check/bound.h) over the runs of their mode.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/check/bound.h"
#include "sim/run/run_figures.h"

namespace ksim::run {

struct ExpectationSpec {
  std::string mode;     // the mode's name
  std::string counter;  // a counter name of sim/check/counter_names, or a Jepsen anomaly
  check::Bound bound;
  check::Quantifier quantifier = check::Quantifier::every_seed;
  bool operator==(const ExpectationSpec&) const = default;
};

// held; failed; inconclusive: nothing failed, but a run of the mode did not complete.
enum class ExpectationVerdict : std::uint8_t { held, failed, inconclusive };
std::string_view to_string(ExpectationVerdict verdict);
std::optional<ExpectationVerdict> parse_expectation_verdict(std::string_view text);

struct JudgedExpectation {
  ExpectationSpec spec;
  ExpectationVerdict verdict = ExpectationVerdict::failed;
  std::uint64_t seeds_checked = 0;   // complete runs of the mode
  std::uint64_t observed = 0;        // the decisive run's value, else the largest seen
  std::optional<std::uint64_t> failing_seed;  // every-seed: the first complete run outside the bound
  std::optional<std::uint64_t> witness_seed;  // some-seed: the first complete run inside it
  std::optional<std::string> replay;          // of the decisive run, or of the first inconclusive one
  std::uint64_t inconclusive_seeds = 0;
  std::optional<std::uint64_t> inconclusive_seed;
  std::optional<std::string> inconclusive_reason;

  bool held() const { return verdict == ExpectationVerdict::held; }
  bool operator==(const JudgedExpectation&) const = default;
};

// Judges `spec` over the runs of its mode, in run order. Only complete runs are judged.
// An every-seed bound fails on the first complete run outside it. Otherwise a run of the
// mode that did not complete makes it inconclusive, because the missing part of its
// history may hold the violation (or, for a some-seed bound, because runs that stop at a
// bound show nothing dependable). No complete run at all is a failure: not shown to hold.
JudgedExpectation judge_expectation(const ExpectationSpec& spec, const std::vector<RunFigures>& runs);

}  // namespace ksim::run
