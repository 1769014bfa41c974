#pragma once
// Turns the text of a scenario file into a YAML tree, or into errors. A scenario file is
// user input, possibly hostile: the loader refuses what yaml-cpp would mishandle or what
// would make reading it unbounded, before and after handing the text to yaml-cpp.
//   - larger than max_bytes, empty, not UTF-8 text (NUL bytes, invalid sequences);
//   - "- " inside a flow collection (yaml-cpp can hang on it; see text_checks.h);
//   - flow brackets nested deeper than max_depth (pre-scanned, so yaml-cpp's recursive
//     parser never sees them; its own guard at some hundreds of levels is the backstop for
//     block nesting, which we then bound after parsing);
//   - malformed YAML (yaml-cpp's message at its line and column);
//   - more than one document (yaml-cpp's Load would silently keep only the first);
//   - a top level that is not a map;
//   - more than max_nodes nodes, counting a node reached through an alias each time, so
//     an alias bomb ("billion laughs") is refused instead of walked.
// Known leniency of yaml-cpp 0.7 that we do not second-guess: a quoted scalar left open
// at the end of the file is accepted as if closed there.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "sim/scenario/input_error.h"

namespace ksim::scenario {

struct LoadLimits {
  std::size_t max_bytes = std::size_t{1} << 20;
  int max_depth = 64;
  std::size_t max_nodes = 100'000;
};

// Pure: the same text gives the same tree or the same errors. `file` only labels errors.
std::optional<YAML::Node> load_yaml(std::string_view text, const std::string& file, InputErrors& errors,
                                    const LoadLimits& limits = {});

// Reads the file (refusing it when it cannot be read or is too large) and loads it.
std::optional<YAML::Node> load_yaml_file(const std::string& path, InputErrors& errors, const LoadLimits& limits = {});

}  // namespace ksim::scenario
