#pragma once
// Always-on invariant checks. A failed check is a bug in the simulator, never bad
// user input: it throws InvariantViolation with a formatted message naming the file
// and line, so the command line can print it together with the seed that replays it.
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace ksim {

class InvariantViolation : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

[[noreturn]] void fail_invariant(const char* file, int line, const char* condition, const std::string& message);

}  // namespace ksim

// KSIM_ASSERT(condition, "format {}", args...). The condition must have no side effects.
#define KSIM_ASSERT(condition, ...)                                                          \
  do {                                                                                       \
    if (!(condition)) [[unlikely]] {                                                         \
      ::ksim::fail_invariant(__FILE__, __LINE__, #condition, ::fmt::format(__VA_ARGS__));    \
    }                                                                                        \
  } while (false)
