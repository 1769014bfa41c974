#pragma once
// The bound an expectation puts on a checker counter, and over which seeds it must hold.
// Parsed once from a scenario file (sim/scenario/units.h, parse_bound) or a results
// document; judged on runs by sim/run/expectation_judge.h. Here, below both, so the
// scenario reader and the results model share one type.
#include <cstdint>
#include <string>
#include <string_view>

namespace ksim::check {

// "0" (meaning == 0), "> 0", ">= 3", "<= 10", "< 5", "== 2", or "0..5" (inclusive both ends).
struct Bound {
  enum class Op { eq, lt, le, gt, ge, between };
  Op op = Op::eq;
  double value = 0;  // the lower end for `between`
  double upper = 0;  // only for `between`

  bool holds(double x) const;
  std::string to_string() const;  // the canonical spelling, e.g. ">= 3" or "0..5"
  bool operator==(const Bound&) const = default;
};

enum class Quantifier : std::uint8_t {
  every_seed,  // the bound holds in every seed (a guarantee)
  some_seed,   // the bound holds in at least one seed (an anomaly the scenario exists to show)
};

// "every-seed" / "some-seed", as scenario files and results.json spell them.
std::string_view to_string(Quantifier quantifier);

}  // namespace ksim::check
