#pragma once
// The Kafka .properties files one scenario names (`config_file:`), each read once, when
// the scenario is loaded. Every mode and seed then sees the same keys (no file is read
// again while runs go on, when it might have changed), and each problem of a file is
// reported once however many sections name it.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/input_error.h"
#include "sim/scenario/properties_parser.h"

namespace ksim::scenario {

class PropertiesFiles {
 public:
  // The properties of the file at `path`, read on first use; nullptr when it cannot be
  // used. A file that cannot be read (missing, not a regular file, too large) is reported
  // through `report_unreadable`, at the place that names it; a problem inside the file
  // (binary, a malformed escape) goes to `errors` at the file's own line and column.
  const std::vector<Property>* get(const std::string& path, const std::function<void(std::string)>& report_unreadable,
                                   InputErrors& errors);

 private:
  std::map<std::string, std::optional<std::vector<Property>>> files_;  // nullopt: unusable, reported
};

// Where `config_file` is: relative to the folder of the scenario file, as an include is
// relative to its includer (an absolute path stays as it is).
std::string resolve_config_file(const std::string& scenario_file, const std::string& config_file);

}  // namespace ksim::scenario
