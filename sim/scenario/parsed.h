#pragma once
// The result of parsing one piece of user text: a value, or a message saying what was
// expected. The message names no file or key; the caller adds those. (std::expected is
// C++23; this is the small part of it the parsers need.)
#include <string>
#include <utility>
#include <variant>

namespace ksim::scenario {

template <class T>
class Parsed {
 public:
  Parsed(T value) : state_(std::move(value)) {}  // NOLINT: implicit, so parsers can `return value;`
  static Parsed failure(std::string message) { return Parsed(Failure{std::move(message)}); }

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const { return std::get<0>(state_); }
  const std::string& error() const { return std::get<1>(state_).message; }

 private:
  struct Failure {
    std::string message;
  };
  explicit Parsed(Failure failure) : state_(std::move(failure)) {}
  std::variant<T, Failure> state_;
};

}  // namespace ksim::scenario
