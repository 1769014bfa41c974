#include "sim/run/expectation_judge.h"

#include <algorithm>

namespace ksim::run {

std::string_view to_string(ExpectationVerdict verdict) {
  switch (verdict) {
    case ExpectationVerdict::held: return "held";
    case ExpectationVerdict::failed: return "failed";
    case ExpectationVerdict::inconclusive: return "inconclusive";
  }
  return "failed";
}

std::optional<ExpectationVerdict> parse_expectation_verdict(std::string_view text) {
  for (const auto verdict : {ExpectationVerdict::held, ExpectationVerdict::failed, ExpectationVerdict::inconclusive}) {
    if (to_string(verdict) == text) return verdict;
  }
  return std::nullopt;
}

namespace {

struct Tally {
  std::uint64_t checked = 0;
  std::uint64_t observed = 0;
  const RunFigures* decisive = nullptr;  // the failing (every-seed) or witness (some-seed) run
  std::uint64_t inconclusive = 0;
  const RunFigures* first_inconclusive = nullptr;
};

Tally tally_runs(const ExpectationSpec& spec, const std::vector<RunFigures>& runs) {
  const bool every = spec.quantifier == check::Quantifier::every_seed;
  Tally tally;
  for (const RunFigures& run : runs) {
    if (run.mode != spec.mode) continue;
    if (run.verdict == RunVerdict::inconclusive) {
      if (tally.inconclusive++ == 0) tally.first_inconclusive = &run;
      continue;
    }
    ++tally.checked;
    const std::uint64_t value = run.counter(spec.counter);
    const bool holds = spec.bound.holds(static_cast<double>(value));
    if (tally.decisive == nullptr && holds != every) {
      tally.decisive = &run;
      tally.observed = value;
    }
    if (tally.decisive == nullptr) tally.observed = std::max(tally.observed, value);
  }
  return tally;
}

ExpectationVerdict verdict_of(const Tally& tally, bool every) {
  if (every && tally.decisive != nullptr) return ExpectationVerdict::failed;
  if (tally.inconclusive > 0) return ExpectationVerdict::inconclusive;
  if (tally.checked == 0) return ExpectationVerdict::failed;  // nothing ran for it: not shown to hold
  if (every) return ExpectationVerdict::held;
  return tally.decisive != nullptr ? ExpectationVerdict::held : ExpectationVerdict::failed;
}

}  // namespace

JudgedExpectation judge_expectation(const ExpectationSpec& spec, const std::vector<RunFigures>& runs) {
  const bool every = spec.quantifier == check::Quantifier::every_seed;
  const Tally tally = tally_runs(spec, runs);
  JudgedExpectation judged;
  judged.spec = spec;
  judged.verdict = verdict_of(tally, every);
  judged.seeds_checked = tally.checked;
  judged.observed = tally.observed;
  if (tally.decisive != nullptr) {
    (every ? judged.failing_seed : judged.witness_seed) = tally.decisive->seed;
    judged.replay = tally.decisive->replay;
  }
  judged.inconclusive_seeds = tally.inconclusive;
  if (const RunFigures* run = tally.first_inconclusive; run != nullptr) {
    judged.inconclusive_seed = run->seed;
    judged.inconclusive_reason = run->inconclusive_reason;
    if (judged.verdict == ExpectationVerdict::inconclusive) judged.replay = run->replay;
  }
  return judged;
}

}  // namespace ksim::run
