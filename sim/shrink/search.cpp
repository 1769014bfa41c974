#include "sim/shrink/search.h"

#include <algorithm>

#include <fmt/format.h>

#include "sim/shrink/scenario_tree.h"

namespace ksim::shrink {

Search::Search(YAML::Node start, Judged judged, Violation target, scenario::ModeChoice mode, std::uint64_t seed,
               std::string file, Budget budget)
    : current_(std::move(start)),
      judged_(std::move(judged)),
      target_(std::move(target)),
      mode_(mode),
      seed_(seed),
      file_(std::move(file)),
      budget_(budget) {}

bool Search::stopped() const {
  if (out_of_budget_) return true;
  out_of_budget_ = candidates_ >= budget_.max_candidates ||
                   (budget_.deadline && std::chrono::steady_clock::now() >= *budget_.deadline);
  return out_of_budget_;
}

bool Search::attempt(const YAML::Node& candidate, const std::string& step) {
  if (stopped()) return false;
  ++candidates_;
  const std::optional<scenario::Scenario> loaded = load_tree(candidate, file_);
  if (!loaded) return false;  // e.g. a fault left after its node was removed: not a scenario
  Judged judged = judge_run(*loaded, mode_, seed_);
  if (!judged.loaded || !same_violation(target_, judged.violations)) return false;
  current_ = YAML::Clone(candidate);
  judged_ = std::move(judged);
  steps_.push_back(step);
  return true;
}

std::uint64_t shrink_integer(Search& search, std::uint64_t value, std::uint64_t lowest, const std::string& what,
                             const std::function<YAML::Node(std::uint64_t)>& candidate_for,
                             std::uint64_t finest_step) {
  if (value <= lowest) return value;
  if (search.attempt(candidate_for(lowest), fmt::format("{} {} -> {}", what, value, lowest))) return lowest;
  std::uint64_t step = (value - lowest) / 2;
  while (step >= std::max<std::uint64_t>(finest_step, 1) && !search.stopped()) {
    if (search.attempt(candidate_for(value - step), fmt::format("{} {} -> {}", what, value, value - step))) {
      value -= step;
      step = std::min(step, (value - lowest) / 2);
    } else {
      step /= 2;
    }
  }
  return value;
}

}  // namespace ksim::shrink

namespace ksim::shrink {

std::uint64_t finest_time_step(std::uint64_t value_ms) { return std::max<std::uint64_t>(1, value_ms / 64); }

}  // namespace ksim::shrink
