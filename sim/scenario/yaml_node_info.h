#pragma once
// What error messages say about a YAML node: where it is and what it is.
#include <string>

#include <yaml-cpp/yaml.h>

#include "sim/scenario/quote.h"
#include "sim/scenario/source_location.h"

namespace ksim::scenario {

// yaml-cpp marks are 0-based with -1 for "no mark"; ours are 1-based with 0 for unknown.
inline SourceLocation from_yaml_mark(const YAML::Mark& mark) {
  if (mark.line < 0 || mark.column < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

// For "expected X, got ...": a scalar shows its text, anything else its kind.
inline std::string describe_node(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar: return quote(node.Scalar());
    case YAML::NodeType::Sequence: return "a sequence";
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Null: return "null (no value)";
    case YAML::NodeType::Undefined: break;
  }
  return "nothing";
}

}  // namespace ksim::scenario
