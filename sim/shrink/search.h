#pragma once
// The state of one shrink: the smallest tree found so far, the violation it must keep,
// and the budget. Every candidate is a normal deterministic run of a scenario document;
// the order candidates are tried in is fixed, so only the budget can change the result.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/shrink/violation.h"

namespace ksim::shrink {

// When the search stops early. The wall clock decides only when to stop, never what to
// try next, so with an ample budget the same input always shrinks to the same output.
struct Budget {
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::uint64_t max_candidates = UINT64_MAX;  // a deterministic bound, for tests
};

class Search {
 public:
  Search(YAML::Node start, Judged judged, Violation target, scenario::ModeChoice mode, std::uint64_t seed,
         std::string file, Budget budget);

  // Runs `candidate`; when it is a valid scenario that fails the same way it becomes the
  // current tree and `step` is logged. False too once the budget is spent.
  bool attempt(const YAML::Node& candidate, const std::string& step);
  // A deep copy of the current tree, for the next candidate to change.
  YAML::Node copy() const { return YAML::Clone(current_); }
  const YAML::Node& current() const { return current_; }
  const Judged& judged() const { return judged_; }
  // Whether the budget is spent; once it said so it stays so.
  bool stopped() const;
  // Whether the search ever met the spent budget (rather than ending at a fixpoint).
  bool budget_hit() const { return out_of_budget_; }
  std::uint64_t candidates() const { return candidates_; }
  const std::vector<std::string>& steps() const { return steps_; }

 private:
  YAML::Node current_;
  Judged judged_;
  Violation target_;
  scenario::ModeChoice mode_;
  std::uint64_t seed_;
  std::string file_;
  Budget budget_;
  std::uint64_t candidates_ = 0;
  mutable bool out_of_budget_ = false;
  std::vector<std::string> steps_;
};

// Lowers an integer from `value` towards `lowest`: `lowest` first, then steps halving
// from half the distance (Hypothesis-style) down to `finest_step`, each tried with
// `candidate_for(v)` built from the current tree. Returns the value it ends at.
std::uint64_t shrink_integer(Search& search, std::uint64_t value, std::uint64_t lowest, const std::string& what,
                             const std::function<YAML::Node(std::uint64_t)>& candidate_for,
                             std::uint64_t finest_step = 1);

// The finest step for a time in milliseconds: 1/64 of it. Times that must move together
// (a fault inside another's window, the workload's end after the last fault) would
// otherwise creep a millisecond per round, one run per millisecond.
std::uint64_t finest_time_step(std::uint64_t value_ms);

}  // namespace ksim::shrink
