#include "sim/scenario/schema_node.h"

#include <algorithm>

#include <fmt/format.h>

namespace ksim::scenario {

namespace {

using Json = nlohmann::ordered_json;

// A scalar YAML may write as a number or as text matching `pattern`.
Json number_or_text(const char* number_type, const char* pattern) {
  return Json{{"type", Json::array({number_type, "string"})}, {"pattern", pattern}};
}

// The spellings of units.h, as regular expressions (anchored; ECMA-262, as JSON Schema).
constexpr const char* kDecimal = "[0-9]+(\\.[0-9]+)?";
constexpr const char* kDurationPattern = "^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h)|0)$";
constexpr const char* kKafkaMsPattern = "^[0-9]+((\\.[0-9]+)?(ns|us|ms|s|m|h))?$";

}  // namespace

template <>
Json value_shape<bool>() {
  return Json{{"enum", Json::array({true, false, "true", "false"})}};
}
template <>
Json value_shape<std::int64_t>() {
  return number_or_text("integer", "^-?[0-9]+$");
}
template <>
Json value_shape<std::uint64_t>() {
  return Json{{"type", Json::array({"integer", "string"})}, {"pattern", "^[0-9]+$"}, {"minimum", 0}};
}
template <>
Json value_shape<double>() {
  return number_or_text("number", "^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$");
}
template <>
Json value_shape<std::string>() {
  return Json{{"type", Json::array({"string", "number", "boolean"})}};
}
template <>
Json value_shape<Duration>() {
  // A bare number must be 0 (units.h); minimum/maximum bind numbers only, not "250ms".
  return Json{{"type", Json::array({"string", "integer"})}, {"pattern", kDurationPattern}, {"minimum", 0}, {"maximum", 0}};
}
template <>
Json value_shape<KafkaMilliseconds>() {
  return number_or_text("integer", kKafkaMsPattern);
}
template <>
Json value_shape<Rate>() {
  return Json{{"type", "string"}, {"pattern", fmt::format("^({}/(ns|us|ms|s|m|min|h)|unlimited)$", kDecimal)}};
}
template <>
Json value_shape<ByteSize>() {
  return number_or_text("integer", "^[0-9]+(\\.[0-9]+)?(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?$");
}
template <>
Json value_shape<Probability>() {
  Json shape = number_or_text("number", "^[0-9]+(\\.[0-9]+)?%?$");
  shape["minimum"] = 0;
  shape["maximum"] = 1;
  return shape;
}
template <>
Json value_shape<SeedRange>() {
  return number_or_text("integer", "^[0-9]+(\\.\\.[0-9]+)?$");
}
template <>
Json value_shape<Bound>() {
  return number_or_text("number", "^\\s*((==|>=|<=|>|<)\\s*)?-?[0-9]+(\\.[0-9]+)?(\\s*\\.\\.\\s*-?[0-9]+(\\.[0-9]+)?)?\\s*$");
}

SchemaNode& SchemaNode::slot(std::string_view key) {
  if (data_keyed) {
    if (!values) values = std::make_unique<SchemaNode>();
    return *values;
  }
  auto found = std::find_if(properties.begin(), properties.end(), [&](const auto& p) { return p.first == key; });
  if (found == properties.end()) {
    properties.emplace_back(std::string(key), std::make_unique<SchemaNode>());
    found = properties.end() - 1;
  }
  return *found->second;
}

void SchemaNode::count_required(std::string_view key) {
  auto found = std::find_if(required_counts.begin(), required_counts.end(), [&](const auto& p) { return p.first == key; });
  if (found == required_counts.end()) {
    required_counts.emplace_back(std::string(key), 0);
    found = required_counts.end() - 1;
  }
  ++found->second;
}

std::vector<std::string> SchemaNode::always_required() const {
  std::vector<std::string> keys;
  for (const auto& [key, count] : required_counts) {
    if (count == reads) keys.push_back(key);
  }
  return keys;
}

SchemaNode& SchemaNode::item() {
  array = true;
  if (!items) items = std::make_unique<SchemaNode>();
  return *items;
}

void SchemaNode::set_limit(const char* keyword, const char* words, const Json& limit) {
  if (limit.is_number()) {
    scalar[keyword] = limit;
  } else {
    const std::string before = scalar.value("x-ksim-range", std::string());
    scalar["x-ksim-range"] = fmt::format("{}{}{} {}", before, before.empty() ? "" : ", ", words, limit.get<std::string>());
  }
}

void SchemaNode::record_enum(const std::vector<std::string>& allowed, const std::optional<std::string>& fallback) {
  for (const std::string& value : allowed) {
    if (std::find(enum_values.begin(), enum_values.end(), value) == enum_values.end()) enum_values.push_back(value);
  }
  if (fallback && scalar.is_null()) scalar = Json{{"default", *fallback}};
}

void SchemaRecording::note_enum(const YAML::Node& map, std::string_view key, const std::vector<std::string>& allowed) {
  for (const EnumSite& site : enum_sites) {
    if (site.map.is(map) && site.key == key) return;
  }
  enum_sites.push_back(EnumSite{map, std::string(key), allowed});
}

}  // namespace ksim::scenario
