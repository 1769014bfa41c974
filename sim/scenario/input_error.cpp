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
  if (warning) out += "warning: ";
  if (!key_path.empty()) out += key_path + ": ";
  return out + message;
}

void InputErrors::add(InputError error) { errors_.push_back(std::move(error)); }

void InputErrors::add(const std::string& file, SourceLocation where, std::string key_path, std::string message) {
  errors_.push_back(InputError{file, where.line, where.column, std::move(key_path), std::move(message), false});
}

void InputErrors::add_warning(const std::string& file, SourceLocation where, std::string key_path, std::string message) {
  warnings_.push_back(InputError{file, where.line, where.column, std::move(key_path), std::move(message), true});
}

void InputErrors::add(const std::string& file, SourceLocation where, const ConfigIssue& issue) {
  add(file, where, issue.key_path, issue.message);
}

namespace {

void sort_by_place(std::vector<InputError>& errors) {
  std::stable_sort(errors.begin(), errors.end(), [](const InputError& a, const InputError& b) {
    return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
  });
}

std::string lines_of(std::vector<InputError> errors) {
  sort_by_place(errors);
  std::string out;
  for (const InputError& error : errors) out += error.to_string() + "\n";
  return out;
}

}  // namespace

void InputErrors::sort() {
  sort_by_place(errors_);
  sort_by_place(warnings_);
}

std::string InputErrors::to_string() const { return lines_of(errors_); }

std::string InputErrors::warnings_to_string() const { return lines_of(warnings_); }

}  // namespace ksim::scenario
