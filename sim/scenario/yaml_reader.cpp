#include "sim/scenario/yaml_reader.h"

#include <algorithm>
#include <cstddef>
#include <map>

#include "sim/scenario/did_you_mean.h"

namespace ksim::scenario {
namespace {

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "" : ", ") + word;
  return out;
}

}  // namespace

MapReader::MapReader(const YAML::Node& node, std::string path, ReadContext& context)
    : path_(std::move(path)), location_(from_yaml_mark(node.Mark())), context_(&context), node_(node) {
  if (path_.empty() && context.recording() != nullptr) record_at(context.recording()->root);
  if (!node.IsMap()) {
    context_->report(location_, path_, fmt::format("expected a map, got {}", describe_node(node)));
    quiet_ = true;
    return;
  }
  std::map<std::string, SourceLocation, std::less<>> first_seen;
  for (const auto& pair : node) {
    const SourceLocation key_location = from_yaml_mark(pair.first.Mark());
    if (!pair.first.IsScalar()) {
      context_->report(key_location, path_, fmt::format("keys must be strings, got {}", describe_node(pair.first)));
      continue;
    }
    const std::string& key = pair.first.Scalar();
    const auto [previous, inserted] = first_seen.emplace(key, key_location);
    if (!inserted) {
      context_->report(key_location, key_path(key),
                       fmt::format("duplicate key {} (first given at line {}, column {})", quote(key),
                                   previous->second.line, previous->second.column));
      continue;
    }
    entries_.push_back(Entry{key, key_location, pair.second, false, "", {}});
  }
}

MapReader MapReader::empty(std::string path, SourceLocation where, ReadContext& context) {
  MapReader reader(YAML::Node(YAML::NodeType::Map), std::move(path), context);
  reader.location_ = where;
  return reader;
}

void MapReader::add_properties(const std::string& file, const std::vector<Property>& properties) {
  if (quiet_) return;  // not a map: reported already
  // Only the map's own entries need checking: a file repeats no key (the parser keeps the
  // last), and a file may hold thousands.
  const auto own_end = static_cast<std::ptrdiff_t>(entries_.size());
  for (const Property& property : properties) {
    const bool own = std::any_of(entries_.begin(), entries_.begin() + own_end, [&](const Entry& e) { return e.key == property.key; });
    if (!own) entries_.push_back(Entry{property.key, property.key_at, YAML::Node(property.value), false, file, property.value_at});
  }
}

std::string MapReader::key_path(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  return fmt::format("{}.{}", path_, key);
}

MapReader::Entry* MapReader::take(std::string_view key, bool required) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
  context_->learn(path_, key);
  const auto entry = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.key == key; });
  if (entry == entries_.end()) {
    if (required && !quiet_) context_->report(location_, path_, fmt::format("missing required key {}", quote(key)));
    return nullptr;
  }
  entry->used = true;
  return &*entry;
}

SourceLocation MapReader::value_location(const Entry& entry) const {
  if (entry.value_at.known()) return entry.value_at;
  if (entry.value.IsNull()) return entry.key_location;
  return from_yaml_mark(entry.value.Mark());
}

std::optional<std::string> MapReader::read_enum(std::string_view key, const std::vector<std::string>& allowed,
                                                std::optional<std::string> fallback) {
  const Entry* entry = take(key, !fallback.has_value());
  if (SchemaNode* node = schema_slot(key, !fallback.has_value())) {
    node->record_enum(allowed, fallback);
    if (node_.IsMap()) context_->recording()->note_enum(node_, key, allowed);
  }
  if (entry == nullptr) return fallback;
  const SourceLocation where = value_location(*entry);
  ReadContext context = context_of(*entry);
  auto value = detail::read_value<std::string>(entry->value, where, key_path(key), context);
  if (!value) return fallback;
  if (std::find(allowed.begin(), allowed.end(), *value) == allowed.end()) {
    context.report(where, key_path(key), fmt::format("expected one of {}, got {}", join(allowed), quote(*value)));
    return fallback;
  }
  return value;
}

std::string MapReader::required_enum(std::string_view key, const std::vector<std::string>& allowed) {
  return read_enum(key, allowed, std::nullopt).value_or(std::string());
}

std::string MapReader::optional_enum(std::string_view key, const std::vector<std::string>& allowed, std::string fallback) {
  return read_enum(key, allowed, std::move(fallback)).value_or(std::string());
}

std::optional<YAML::Node> MapReader::child(std::string_view key, bool required, YAML::NodeType::value kind,
                                           std::string_view noun) {
  const Entry* entry = take(key, required);
  if (entry == nullptr) return std::nullopt;
  if (entry->value.Type() != kind) {
    context_of(*entry).report(value_location(*entry), key_path(key), fmt::format("expected {}, got {}", noun, describe_node(entry->value)));
    return std::nullopt;
  }
  return entry->value;
}

MapReader MapReader::child_map(std::string_view key, bool required) {
  SchemaNode* schema = schema_slot(key, required);
  const auto node = child(key, required, YAML::NodeType::Map, "a map");
  MapReader reader = node ? MapReader(*node, key_path(key), *context_) : MapReader(key_path(key), *context_);
  if (schema != nullptr) reader.record_at(*schema);
  return reader;
}

SequenceReader MapReader::child_sequence(std::string_view key, bool required) {
  SchemaNode* schema = schema_slot(key, required);
  const auto node = child(key, required, YAML::NodeType::Sequence, "a sequence");
  SequenceReader reader(node.value_or(YAML::Node(YAML::NodeType::Sequence)), key_path(key), *context_);
  if (schema != nullptr) {
    schema->array = true;
    reader.schema_ = schema;
  }
  return reader;
}

MapReader MapReader::map(std::string_view key) { return child_map(key, true); }

std::optional<MapReader> MapReader::optional_map(std::string_view key) {
  if (!has(key)) return std::nullopt;
  return child_map(key, false);
}

SequenceReader MapReader::sequence(std::string_view key) { return child_sequence(key, true); }

std::optional<SequenceReader> MapReader::optional_sequence(std::string_view key) {
  if (!has(key)) return std::nullopt;
  return child_sequence(key, false);
}

bool MapReader::has(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
  context_->learn(path_, key);
  if (schema_ != nullptr) {
    schema_slot(key, false);
    probed_.emplace_back(key);
  }
  return std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.key == key; });
}

void MapReader::skip(std::string_view key) {
  schema_slot(key, false);
  take(key, false);
}

std::vector<std::string> MapReader::keys() const {
  if (schema_ != nullptr) schema_->data_keyed = true;
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const Entry& entry : entries_) out.push_back(entry.key);
  return out;
}

void MapReader::finish() {
  if (finished_ || quiet_) return;
  finished_ = true;
  for (const Entry& entry : entries_) {
    if (!entry.used) report_unknown(entry);
  }
}

void MapReader::report_unknown(const Entry& entry) {
  const auto suggestion = did_you_mean(entry.key, known_);
  if (!entry.file.empty() && !suggestion) {
    // A real .properties file carries many keys ksim does not model (bootstrap.servers,
    // compression.type, ...): say so, but do not refuse the file.
    context_of(entry).warn(entry.key_location, path_, fmt::format("ksim does not model {}; ignored", quote(entry.key)));
    return;
  }
  std::string message = fmt::format("unknown key {}", quote(entry.key));
  if (suggestion) message += fmt::format("; did you mean {}?", quote(*suggestion));
  context_of(entry).report(entry.key_location, path_, std::move(message));
}

SequenceReader::SequenceReader(const YAML::Node& node, std::string path, ReadContext& context)
    : path_(std::move(path)), location_(from_yaml_mark(node.Mark())), context_(&context) {
  if (!node.IsSequence()) {
    context_->report(location_, path_, fmt::format("expected a sequence, got {}", describe_node(node)));
    return;
  }
  for (const YAML::Node& element : node) elements_.push_back(element);
}

MapReader SequenceReader::map(std::size_t index) {
  MapReader reader(elements_.at(index), path(index), *context_);
  if (schema_ != nullptr) reader.record_at(schema_->item());
  return reader;
}

SequenceReader SequenceReader::sequence(std::size_t index) {
  SequenceReader reader(elements_.at(index), path(index), *context_);
  if (schema_ != nullptr) {
    reader.schema_ = &schema_->item();
    reader.schema_->array = true;
  }
  return reader;
}

void SequenceReader::report(std::size_t index, std::string message) {
  context_->report(location(index), path(index), std::move(message));
}

SourceLocation SequenceReader::location(std::size_t index) const {
  const SourceLocation where = from_yaml_mark(elements_.at(index).Mark());
  return where.known() ? where : location_;
}

bool MapReader::is_map(std::string_view key) {
  if (!has(key)) return false;
  for (const Entry& entry : entries_) {
    if (entry.key == key) return entry.value.IsMap();
  }
  return false;
}

bool MapReader::is_sequence(std::string_view key) {
  if (!has(key)) return false;
  for (const Entry& entry : entries_) {
    if (entry.key == key) return entry.value.IsSequence();
  }
  return false;
}

SourceLocation MapReader::location_of(std::string_view key) const {
  for (const Entry& entry : entries_) {
    if (entry.key == key) return value_location(entry);
  }
  return location_;
}

void MapReader::report(std::string_view key, std::string message) {
  for (const Entry& entry : entries_) {
    if (entry.key == key) {
      context_of(entry).report(value_location(entry), key_path(key), std::move(message));
      return;
    }
  }
  context_->report(location_, key_path(key), std::move(message));
}

}  // namespace ksim::scenario
