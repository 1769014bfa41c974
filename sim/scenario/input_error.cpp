#include "sim/scenario/input_error.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include <fmt/format.h>

namespace ksim::scenario {

std::string InputError::to_string() const {
  std::string out = file;
  if (line > 0) out += fmt::format(":{}:{}", line, column);
  if (!out.empty()) out += ": ";
  if (!key_path.empty()) out += key_path + ": ";
  return out + message;
}

void InputErrors::add(InputError error) { errors_.push_back(std::move(error)); }

void InputErrors::add(const std::string& file, SourceLocation where, std::string key_path, std::string message) {
  errors_.push_back(InputError{file, where.line, where.column, std::move(key_path), std::move(message)});
}

void InputErrors::add(const std::string& file, SourceLocation where, const ConfigIssue& issue) {
  add(file, where, issue.key_path, issue.message);
}

void InputErrors::sort() {
  std::stable_sort(errors_.begin(), errors_.end(), [](const InputError& a, const InputError& b) {
    return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
  });
}

std::string InputErrors::to_string() const {
  InputErrors sorted = *this;
  sorted.sort();
  std::string out;
  for (const InputError& error : sorted.errors_) out += error.to_string() + "\n";
  return out;
}

}  // namespace ksim::scenario
