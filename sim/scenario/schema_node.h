#pragma once
// What the loader's own reads say about the scenario format, recorded as a tree while a
// MapReader reads (ReadContext with a SchemaNode root): each key asked for, its value type
// (the ValueTraits type the loader parses it as), its default (the fallback the loader
// passes), its range, its allowed spellings, whether it is required, and which maps and
// lists nest where. `ksim schema` (schema.h) prints this tree as a JSON Schema, so the
// schema is the loader's reading code itself and cannot drift from it.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "sim/scenario/yaml_values.h"

namespace ksim::scenario {

// The JSON Schema of one scalar value type as a YAML file may write it: the loader reads
// only the text, so `acks: 1` and `acks: "1"` are alike and both are allowed.
template <class T>
nlohmann::ordered_json value_shape();

// A JSON value for a default or a range end: numbers as numbers, the rest as the text the
// loader would accept back.
template <class T>
nlohmann::ordered_json value_literal(const T& value) {
  if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::int64_t> || std::is_same_v<T, std::uint64_t> ||
                std::is_same_v<T, double>) {
    return value;
  } else {
    return ValueTraits<T>::format(value);
  }
}

struct SchemaNode {
  nlohmann::ordered_json scalar;          // null: not read as a scalar
  std::vector<std::string> enum_values;   // one of these spellings (read as an enum)
  bool object = false;                    // read as a map
  bool array = false;                     // read as a sequence
  bool data_keyed = false;                // its keys are names (expect: modes, zones, ...)
  std::vector<std::pair<std::string, std::unique_ptr<SchemaNode>>> properties;  // first asked first
  // How many maps were read at this node, and in how many of them each key was read as
  // required: a key required in only some branches (a fault kind's) is not required.
  std::size_t reads = 0;
  std::vector<std::pair<std::string, std::size_t>> required_counts;
  std::unique_ptr<SchemaNode> items;      // an array's elements
  std::unique_ptr<SchemaNode> values;     // a data-keyed map's values

  // The node of `key` (a property, or the values of a data-keyed map).
  SchemaNode& slot(std::string_view key);
  void count_required(std::string_view key);
  std::vector<std::string> always_required() const;
  SchemaNode& item();

  template <class T>
  void record(const T* fallback, const Range<T>* range) {
    if (!scalar.is_null()) return;  // the first read describes the key
    scalar = value_shape<T>();
    if (fallback != nullptr) scalar["default"] = value_literal(*fallback);
    if constexpr (std::totally_ordered<T>) {
      if (range != nullptr) {
        // minimum/maximum constrain numbers only; a range of durations or sizes is said in words.
        if (range->min) set_limit("minimum", "at least", value_literal(*range->min));
        if (range->max) set_limit("maximum", "at most", value_literal(*range->max));
      }
    }
  }
  void set_limit(const char* keyword, const char* words, const nlohmann::ordered_json& limit);
  void record_enum(const std::vector<std::string>& allowed, const std::optional<std::string>& fallback);
};

// A place where the loader read an enum: the schema generator tries every spelling there,
// so the keys each choice brings (a fault kind's, a latency distribution's) are recorded.
struct EnumSite {
  YAML::Node map;  // a handle into the explored tree
  std::string key;
  std::vector<std::string> allowed;
};

// The sinks of a recording read.
struct SchemaRecording {
  SchemaNode root;
  std::vector<EnumSite> enum_sites;
  void note_enum(const YAML::Node& map, std::string_view key, const std::vector<std::string>& allowed);
};

}  // namespace ksim::scenario
