#include "reports/judge_expectation.h"

#include <algorithm>
#include <string>

#include "reports/results_doc.h"
#include "sim/scenario/units.h"

namespace ksim::reports {

namespace {

struct Judged {
  std::uint64_t checked = 0;
  std::uint64_t observed = 0;
  const nlohmann::json* decisive = nullptr;  // the failing (every-seed) or witness (some-seed) run
  std::uint64_t inconclusive = 0;
  const nlohmann::json* first_inconclusive = nullptr;
};

Judged judge_runs(const nlohmann::json& expectation, const nlohmann::json& runs) {
  const auto bound = scenario::parse_bound(expectation.at("bound").get<std::string>());
  const bool every = expectation.at("quantifier") == "every-seed";
  const std::string counter = expectation.at("counter").get<std::string>();
  Judged judged;
  for (const nlohmann::json& run : runs) {
    if (run.at("mode") != expectation.at("mode")) continue;
    if (run_verdict(run) == "inconclusive") {
      if (judged.inconclusive++ == 0) judged.first_inconclusive = &run;
      continue;
    }
    ++judged.checked;
    const std::uint64_t value = run_counter(run, counter);
    const bool holds = bound && bound.value().holds(static_cast<double>(value));
    if (judged.decisive == nullptr && holds != every) {
      judged.decisive = &run;
      judged.observed = value;
    }
    if (judged.decisive == nullptr) judged.observed = std::max(judged.observed, value);
  }
  return judged;
}

std::string verdict_of(const Judged& judged, bool every) {
  if (every && judged.decisive != nullptr) return "failed";
  if (judged.inconclusive > 0) return "inconclusive";
  if (judged.checked == 0) return "failed";  // nothing ran for it: not shown to hold
  if (every) return "held";
  return judged.decisive != nullptr ? "held" : "failed";
}

}  // namespace

void judge_expectation(nlohmann::json& expectation, const nlohmann::json& runs) {
  const bool every = expectation.at("quantifier") == "every-seed";
  const Judged judged = judge_runs(expectation, runs);
  const std::string verdict = verdict_of(judged, every);
  const nlohmann::json decisive_seed = judged.decisive == nullptr ? nlohmann::json(nullptr) : judged.decisive->at("seed");
  expectation["held"] = verdict == "held";
  expectation["verdict"] = verdict;
  expectation["seeds_checked"] = judged.checked;
  expectation["observed"] = judged.observed;
  expectation["failing_seed"] = every ? decisive_seed : nlohmann::json(nullptr);
  expectation["witness_seed"] = every ? nlohmann::json(nullptr) : decisive_seed;
  expectation["replay"] = judged.decisive == nullptr ? nlohmann::json(nullptr) : judged.decisive->at("replay");
  expectation["inconclusive_seeds"] = judged.inconclusive;
  expectation["inconclusive_seed"] = nullptr;
  expectation["inconclusive_reason"] = nullptr;
  if (const nlohmann::json* run = judged.first_inconclusive; run != nullptr) {
    expectation["inconclusive_seed"] = run->at("seed");
    expectation["inconclusive_reason"] = text_at(*run, "inconclusive_reason");
    if (verdict == "inconclusive") expectation["replay"] = run->at("replay");
  }
}

}  // namespace ksim::reports
