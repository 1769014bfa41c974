#include "sim/check/bound.h"

#include <fmt/format.h>

namespace ksim::check {

bool Bound::holds(double x) const {
  switch (op) {
    case Op::eq: return x == value;
    case Op::lt: return x < value;
    case Op::le: return x <= value;
    case Op::gt: return x > value;
    case Op::ge: return x >= value;
    case Op::between: return value <= x && x <= upper;
  }
  return false;
}

std::string Bound::to_string() const {
  switch (op) {
    case Op::eq: return fmt::format("== {}", value);
    case Op::lt: return fmt::format("< {}", value);
    case Op::le: return fmt::format("<= {}", value);
    case Op::gt: return fmt::format("> {}", value);
    case Op::ge: return fmt::format(">= {}", value);
    case Op::between: return fmt::format("{}..{}", value, upper);
  }
  return {};
}

std::string_view to_string(Quantifier quantifier) {
  return quantifier == Quantifier::every_seed ? "every-seed" : "some-seed";
}

}  // namespace ksim::check
