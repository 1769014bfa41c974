#include "sim/core/assert.h"

namespace ksim {

void fail_invariant(const char* file, int line, const char* condition, const std::string& message) {
  throw InvariantViolation(fmt::format("invariant violated at {}:{}: ({}) {}", file, line, condition, message));
}

}  // namespace ksim
