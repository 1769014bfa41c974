#pragma once
// Checks on raw text run before any YAML parsing: is it text at all, and how deeply are
// its flow collections nested. Each returns where the first problem is.
#include <optional>
#include <string_view>

#include "sim/scenario/source_location.h"

namespace ksim::scenario {

// Where the first NUL byte or invalid UTF-8 sequence is (overlong forms, surrogates and
// code points above U+10FFFF are invalid too), or nullopt for valid text.
std::optional<SourceLocation> find_non_text(std::string_view text);

// Where a '[' or '{' first opens nesting level max_depth + 1, outside quotes and comments.
// The scan is approximate YAML lexing, erring towards counting a bracket: a real scenario
// file never comes near the limit, a hostile one must not reach yaml-cpp's recursion.
std::optional<SourceLocation> find_deep_flow_nesting(std::string_view text, int max_depth);

}  // namespace ksim::scenario
