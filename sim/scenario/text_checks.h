#pragma once
// Checks on raw text run before any YAML parsing: is it text at all, and how deeply are
// its flow collections nested. Each returns where the first problem is.
#include <optional>
#include <string>
#include <string_view>

#include "sim/scenario/source_location.h"

namespace ksim::scenario {

// Where the first NUL byte or invalid UTF-8 sequence is (overlong forms, surrogates and
// code points above U+10FFFF are invalid too), or nullopt for valid text.
std::optional<SourceLocation> find_non_text(std::string_view text);

// A problem of flow collections found by scanning the text, outside quotes and comments:
//   - a '[' or '{' opening nesting level max_depth + 1 (yaml-cpp parses recursively);
//   - a block entry "- " inside a flow collection. That is invalid YAML anyway, and
//     yaml-cpp 0.7 loops forever, allocating, on some such texts (",[\n -" found by
//     fuzzing), so it must never see one;
//   - a ',' starting a token outside any flow collection (invalid; yaml-cpp loops on ", a").
// The scan is approximate YAML lexing: a bracket opens a collection only where a token can
// start. It errs towards reporting; real scenario files do not come near either case.
struct FlowProblem {
  SourceLocation where;
  std::string message;
};
std::optional<FlowProblem> find_flow_problem(std::string_view text, int max_depth);

}  // namespace ksim::scenario
