#pragma once
// Typed, schema-agnostic reading of a loaded scenario file. The schema (which sections
// and keys exist) is written on top: it asks a MapReader for each key it knows, then calls
// finish(), which reports every key of the file nobody asked for, with a did-you-mean.
//
//   ReadContext context(file, errors);
//   MapReader producer(node, "producers[0]", context);
//   MapReader config = producer.map("config");
//   auto acks = config.required_enum("acks", {"0", "1", "all", "-1"});
//   auto linger = config.optional<Duration>("linger", Duration{0});
//   config.finish();
//   producer.finish();
//   if (!errors.empty()) ...
//
// Nothing throws on bad input. Every problem goes to the shared InputErrors with the
// node's own line and column and the key path, and reading carries on, so one pass finds
// all the errors of a file. After an error a getter returns a placeholder (the fallback,
// or T{}); the caller must not use the values unless errors.empty() at the end.
//
// Keys are plain strings, dots included: `enable.idempotence` is one key, as in Kafka.
// A key given twice in one map is an error (yaml-cpp keeps both pairs; the reader checks).
//
// A map may also take the keys of a Kafka .properties file under its own (add_properties):
// they are read through the same getters, so a value from the file is validated exactly
// as the same value written in YAML, and every problem is reported at the file's own line
// and column. An unknown key from a file is only a warning (real files carry many keys
// ksim does not model) unless it is a misspelling of a key ksim knows: that is an error.
#include <algorithm>
#include <concepts>
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "sim/scenario/input_error.h"
#include "sim/scenario/properties_files.h"
#include "sim/scenario/quote.h"
#include "sim/scenario/schema_node.h"
#include "sim/scenario/yaml_node_info.h"
#include "sim/scenario/yaml_values.h"

namespace ksim::scenario {

// Every key a schema asked about, by map path ("producers[0].config"): what a dry read
// of a tree learns about the keys each map may have (for --set, set_scalar.cpp).
using KnownKeys = std::map<std::string, std::set<std::string, std::less<>>, std::less<>>;

// The file name and the sinks shared by every reader of one file. Must outlive them.
class ReadContext {
 public:
  // `properties_files`: where `config_file` keys are read from; nullptr reads none (a
  // dry read). `known_keys`: where to record the keys asked about, if anywhere.
  ReadContext(std::string file, InputErrors& errors, PropertiesFiles* properties_files = nullptr,
              KnownKeys* known_keys = nullptr)
      : file_(std::move(file)), errors_(&errors), properties_files_(properties_files), known_keys_(known_keys) {}
  void report(SourceLocation where, std::string key_path, std::string message) {
    errors_->add(file_, where, std::move(key_path), std::move(message));
  }
  void warn(SourceLocation where, std::string key_path, std::string message) {
    errors_->add_warning(file_, where, std::move(key_path), std::move(message));
  }
  // The same sinks for what another file says (a .properties file merged into a map).
  ReadContext for_file(std::string file) const {
    ReadContext other(std::move(file), *errors_, properties_files_, known_keys_);
    other.recording_ = recording_;
    return other;
  }
  void learn(const std::string& path, std::string_view key) {
    if (known_keys_ != nullptr) (*known_keys_)[path].emplace(key);
  }
  const std::string& file() const { return file_; }
  InputErrors& errors() const { return *errors_; }
  PropertiesFiles* properties_files() const { return properties_files_; }
  // A recording read (schema.h): every reader also describes what it reads.
  void record_schema(SchemaRecording* recording) { recording_ = recording; }
  SchemaRecording* recording() const { return recording_; }

 private:
  std::string file_;
  InputErrors* errors_;
  PropertiesFiles* properties_files_;
  KnownKeys* known_keys_;
  SchemaRecording* recording_ = nullptr;
};

namespace detail {

// Reads a T from a scalar node, reporting a wrong kind of node or unparsable text.
template <class T>
std::optional<T> read_value(const YAML::Node& node, SourceLocation where, const std::string& key_path, ReadContext& context) {
  if (!node.IsScalar()) {
    context.report(where, key_path, fmt::format("expected {}, got {}", ValueTraits<T>::noun, describe_node(node)));
    return std::nullopt;
  }
  auto parsed = ValueTraits<T>::parse(node.Scalar());
  if (!parsed) {
    context.report(where, key_path, parsed.error());
    return std::nullopt;
  }
  return parsed.value();
}

template <std::totally_ordered T>
bool in_range(const T& value, const Range<T>& range, SourceLocation where, const std::string& key_path,
              const std::string& text, ReadContext& context) {
  const bool low = range.min && value < *range.min;
  const bool high = range.max && *range.max < value;
  if (!low && !high) return true;
  std::string expected;
  if (range.min && range.max) {
    expected = fmt::format("between {} and {}", ValueTraits<T>::format(*range.min), ValueTraits<T>::format(*range.max));
  } else if (range.min) {
    expected = fmt::format("at least {}", ValueTraits<T>::format(*range.min));
  } else {
    expected = fmt::format("at most {}", ValueTraits<T>::format(*range.max));
  }
  context.report(where, key_path, fmt::format("must be {}, got {}", expected, quote(text)));
  return false;
}

}  // namespace detail

class SequenceReader;

class MapReader {
  friend class SequenceReader;

 public:
  // `path` is the key path of this map ("" for the top level). A node that is not a map
  // is reported and read as an empty map.
  MapReader(const YAML::Node& node, std::string path, ReadContext& context);
  // An empty map at `where`, for keys that come only from a .properties file.
  static MapReader empty(std::string path, SourceLocation where, ReadContext& context);

  // Adds the properties of `file` whose keys this map does not have itself: the map's own
  // entries win over the file's.
  void add_properties(const std::string& file, const std::vector<Property>& properties);

  template <class T>
  T required(std::string_view key) {
    return read<T>(key, static_cast<const T*>(nullptr), nullptr).value_or(T{});
  }
  template <std::totally_ordered T>
  T required(std::string_view key, const Range<T>& range) {
    return read<T>(key, static_cast<const T*>(nullptr), &range).value_or(T{});
  }
  // A missing key gives the fallback; a key with a bad value (null included) is an error.
  template <class T>
  T optional(std::string_view key, T fallback) {
    return read<T>(key, &fallback, nullptr).value_or(T{});
  }
  template <std::totally_ordered T>
  T optional(std::string_view key, T fallback, const Range<T>& range) {
    return read<T>(key, &fallback, &range).value_or(T{});
  }

  // One of a fixed list of spellings, compared exactly: "expected one of 0, 1, all, -1".
  std::string required_enum(std::string_view key, const std::vector<std::string>& allowed);
  std::string optional_enum(std::string_view key, const std::vector<std::string>& allowed, std::string fallback);

  // Child readers. A missing required child is reported and read as empty.
  MapReader map(std::string_view key);
  std::optional<MapReader> optional_map(std::string_view key);
  SequenceReader sequence(std::string_view key);
  std::optional<SequenceReader> optional_sequence(std::string_view key);

  // Whether the key is present. Makes it a known key (for suggestions) without reading it.
  bool has(std::string_view key);
  // Whether the key is present and its value is a map (for keys with a short scalar form
  // and a long map form).
  bool is_map(std::string_view key);
  bool is_sequence(std::string_view key);
  // Accepts the key, if present, without reading it (e.g. free-text descriptions).
  void skip(std::string_view key);
  // Every key in file order, for maps whose keys are data (topic names, ...). Reading
  // them goes through the getters as usual.
  std::vector<std::string> keys() const;

  // Reports each key that no getter asked for as unknown, with the closest known key.
  void finish();

  // Reports a problem that involves `key` beyond its own value (a contradiction between
  // settings, an unknown name): at the key's value when present, else at the map.
  void report(std::string_view key, std::string message);

  const std::string& path() const { return path_; }
  SourceLocation location() const { return location_; }
  ReadContext& context() const { return *context_; }
  // Where the value of `key` is (the map's own place if the key is absent).
  SourceLocation location_of(std::string_view key) const;
  std::string key_path(std::string_view key) const;

 private:
  struct Entry {
    std::string key;
    SourceLocation key_location;
    YAML::Node value;
    bool used = false;
    std::string file;          // a .properties file the entry comes from; "" for the map's own
    SourceLocation value_at;   // the value's place in that file
  };

  // A stand-in for a child that is absent or of the wrong kind (already reported): it
  // reports nothing more, so one mistake does not cascade into "missing key" errors.
  MapReader(std::string path, ReadContext& context) : path_(std::move(path)), context_(&context), quiet_(true) {}

  // Marks the key as known and used; nullptr if it is absent (reported if required).
  Entry* take(std::string_view key, bool required);
  // In a recording read, the schema node of `key`; nullptr otherwise.
  // A key read as required only after has() said it is there is optional in the schema.
  SchemaNode* schema_slot(std::string_view key, bool required) {
    if (schema_ == nullptr) return nullptr;
    const bool probed = std::find(probed_.begin(), probed_.end(), key) != probed_.end();
    if (required && !probed && !schema_->data_keyed &&
        std::find(required_asked_.begin(), required_asked_.end(), key) == required_asked_.end()) {
      required_asked_.emplace_back(key);
      schema_->count_required(key);
    }
    return &schema_->slot(key);
  }
  // Starts recording this map's reads at `node`.
  void record_at(SchemaNode& node) {
    schema_ = &node;
    schema_->object = true;
    ++schema_->reads;
  }
  std::optional<std::string> read_enum(std::string_view key, const std::vector<std::string>& allowed,
                                       std::optional<std::string> fallback);
  // Where to point at a value: a null value has no position of its own, so its key's.
  SourceLocation value_location(const Entry& entry) const;
  // The context to report a problem of the entry in: its own file's.
  ReadContext context_of(const Entry& entry) const {
    return entry.file.empty() ? *context_ : context_->for_file(entry.file);
  }
  void report_unknown(const Entry& entry);
  // The child node at `key` if it has the wanted kind; reports otherwise.
  std::optional<YAML::Node> child(std::string_view key, bool required, YAML::NodeType::value kind, std::string_view noun);
  MapReader child_map(std::string_view key, bool required);
  SequenceReader child_sequence(std::string_view key, bool required);

  // `fallback` null: the key is required. (A pointer rather than std::optional: g++ 12
  // warns, wrongly, that a disengaged optional's payload may be used uninitialized.)
  template <class T>
  std::optional<T> read(std::string_view key, const T* fallback, const Range<T>* range) {
    const Entry* entry = take(key, fallback == nullptr);
    if (SchemaNode* node = schema_slot(key, fallback == nullptr)) node->record<T>(fallback, range);
    auto or_fallback = [&]() -> std::optional<T> {
      if (fallback == nullptr) return std::nullopt;
      return *fallback;
    };
    if (entry == nullptr) return or_fallback();
    const SourceLocation where = value_location(*entry);
    ReadContext context = context_of(*entry);
    auto value = detail::read_value<T>(entry->value, where, key_path(key), context);
    if constexpr (std::totally_ordered<T>) {
      if (value && range != nullptr && !detail::in_range(*value, *range, where, key_path(key), entry->value.Scalar(), context)) {
        return or_fallback();
      }
    }
    return value ? value : or_fallback();
  }

  std::string path_;
  SourceLocation location_;
  ReadContext* context_;
  YAML::Node node_;                  // the map itself (a recording read explores its enums)
  SchemaNode* schema_ = nullptr;     // what a recording read learns about this map
  std::vector<std::string> probed_;  // a recording read: keys asked about with has()
  std::vector<std::string> required_asked_;  // ... and keys read as required
  std::vector<Entry> entries_;       // file order
  std::vector<std::string> known_;   // keys the schema asked about, first ask first
  bool finished_ = false;
  bool quiet_ = false;
};

class SequenceReader {
 public:
  // A node that is not a sequence is reported and read as an empty sequence.
  SequenceReader(const YAML::Node& node, std::string path, ReadContext& context);

  std::size_t size() const { return elements_.size(); }
  MapReader map(std::size_t index);
  SequenceReader sequence(std::size_t index);  // a nested sequence (reported if it is not one)
  // Reports a problem with element `index` at its own position.
  void report(std::size_t index, std::string message);
  // Whether element `index` is null (`~`, `null` or nothing), for lists where an empty
  // slot means "not set".
  bool is_null(std::size_t index) const { return elements_.at(index).IsNull(); }
  bool is_map(std::size_t index) const { return elements_.at(index).IsMap(); }
  template <class T>
  T get(std::size_t index) {
    if (schema_ != nullptr) schema_->item().record<T>(nullptr, nullptr);
    return detail::read_value<T>(elements_.at(index), location(index), path(index), *context_).value_or(T{});
  }
  template <std::totally_ordered T>
  T get(std::size_t index, const Range<T>& range) {
    if (schema_ != nullptr) schema_->item().record<T>(nullptr, &range);
    const YAML::Node& node = elements_.at(index);
    const auto value = detail::read_value<T>(node, location(index), path(index), *context_);
    if (!value || !detail::in_range(*value, range, location(index), path(index), node.Scalar(), *context_)) return T{};
    return *value;
  }

  std::string path(std::size_t index) const { return fmt::format("{}[{}]", path_, index); }
  SourceLocation location(std::size_t index) const;

 private:
  std::string path_;
  SourceLocation location_;
  ReadContext* context_;
  std::vector<YAML::Node> elements_;
  SchemaNode* schema_ = nullptr;  // a recording read: this sequence's node
  friend class MapReader;
};

}  // namespace ksim::scenario
