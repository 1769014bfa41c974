#pragma once
// `ksim schema`: a JSON Schema (draft 2020-12) of scenario files, for editors (completion
// and validation while typing, e.g. yaml-language-server) and for CI. It is not written by
// hand: the loader's own reading code is run in recording mode (schema_node.h) over small
// exploration documents, every enum spelling is tried where the loader reads one (so the
// keys a fault kind or a latency distribution brings are read too), and what the loader
// asked for is printed: keys, value types, defaults, ranges, allowed spellings, required
// keys, and a one-line description per key from key_descriptions.cpp.
#include <string>
#include <vector>

namespace ksim::scenario {

struct ScenarioSchema {
  std::string json;                      // the schema, pretty-printed
  std::vector<std::string> undescribed;  // key patterns with no description (a test keeps it empty)
  std::vector<std::string> unexplored;   // keys the exploration never saw a value of
  std::vector<std::string> unused_descriptions;  // descriptions of keys the loader never read
};

ScenarioSchema scenario_schema();

// One-line descriptions by key pattern: "producers[].config.acks" ([] an element of a
// list, * any name of a map whose keys are names, e.g. expect's modes).
const std::vector<std::pair<std::string, std::string>>& key_descriptions();

}  // namespace ksim::scenario
