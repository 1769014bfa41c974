#pragma once
// Problems with a scenario file. Bad input is expected, so it is collected, never thrown
// or asserted: every reader adds to one InputErrors sink and carries on, so a user sees
// all the mistakes of a file in one go, each with file:line:column and the key path.
// Warnings (a key of a Kafka .properties file that ksim does not model) are kept apart:
// they are shown, but they do not make the input bad.
#include <cstddef>
#include <string>
#include <vector>

#include "sim/core/config_issue.h"
#include "sim/scenario/source_location.h"

namespace ksim::scenario {

struct InputError {
  std::string file;
  int line = 0;    // 1-based; 0 when the problem concerns the whole file
  int column = 0;  // 1-based
  std::string key_path;  // e.g. "producers[0].config.acks"; empty at the top level
  std::string message;
  bool warning = false;

  // "file:line:column: key_path: message" ("file:line:column: warning: key_path: message"
  // for a warning), leaving out the parts that are unknown.
  std::string to_string() const;
};

class InputErrors {
 public:
  void add(InputError error);
  void add(const std::string& file, SourceLocation where, std::string key_path, std::string message);
  // Validators of the config layer report ConfigIssues without positions; the loader
  // places them at the node they came from.
  void add(const std::string& file, SourceLocation where, const ConfigIssue& issue);

  void add_warning(const std::string& file, SourceLocation where, std::string key_path, std::string message);

  // About errors only: warnings never make the input bad.
  bool empty() const { return errors_.empty(); }
  std::size_t size() const { return errors_.size(); }
  const std::vector<InputError>& all() const { return errors_; }
  const std::vector<InputError>& warnings() const { return warnings_; }

  // Orders by (file, line, column). The sort is stable, so errors at one position keep
  // the order in which they were found: the output never depends on anything else.
  void sort();
  // Every error on its own line, sorted, newline-terminated.
  std::string to_string() const;
  // The same for the warnings.
  std::string warnings_to_string() const;

 private:
  std::vector<InputError> errors_;
  std::vector<InputError> warnings_;
};

}  // namespace ksim::scenario
