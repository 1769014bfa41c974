#include "reports/client_history_line.h"

#include <charconv>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "reports/client_history_ops.h"

namespace ksim::reports {

const Scalar* FlatObject::find(std::string_view name) const {
  for (std::size_t i = 0; i < used; ++i) {
    if (fields[i].first == name) return &fields[i].second;
  }
  return nullptr;
}

Scalar& FlatObject::add(std::string_view name) {
  if (used == fields.size()) fields.emplace_back();
  auto& [key, value] = fields[used++];
  key.assign(name);
  value.kind = Scalar::Kind::null;
  return value;
}

void FlatLine::clear() {
  top.clear();
  has_values = false;
  value_count = 0;
}

namespace {

// A cursor over one line for the plain subset: bails out (false) on anything else.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool object(FlatObject& out, FlatLine* line) {
    if (!take('{')) return false;
    if (take('}')) return true;
    do {
      std::string_view key;
      if (!string(key) || !take(':')) return false;
      if (line != nullptr && key == "value") {
        if (line->has_values || !values(*line)) return false;
        line->has_values = true;
        continue;
      }
      if (out.find(key) != nullptr || !scalar(out.add(key))) return false;  // a repeated key: the general path
    } while (take(','));
    return take('}');
  }

  bool at_end() {
    skip_space();
    return pos_ == text_.size();
  }

 private:
  bool values(FlatLine& line) {
    if (!take('[')) return false;
    if (take(']')) return true;
    do {
      if (line.value_count == line.values.size()) line.values.emplace_back();
      FlatObject& value = line.values[line.value_count++];
      value.clear();
      if (!object(value, nullptr)) return false;
    } while (take(','));
    return take(']');
  }

  bool scalar(Scalar& out) {
    skip_space();
    if (pos_ >= text_.size()) return false;
    const char c = text_[pos_];
    if (c == '"') {
      std::string_view text;
      if (!string(text)) return false;
      out.kind = Scalar::Kind::string;
      out.text.assign(text);
      return true;
    }
    if (c >= '0' && c <= '9') return natural(out);
    for (const auto& [word, kind, value] : {std::tuple{"null", Scalar::Kind::null, false},
                                            std::tuple{"true", Scalar::Kind::boolean, true},
                                            std::tuple{"false", Scalar::Kind::boolean, false}}) {
      if (text_.substr(pos_).starts_with(word)) {
        pos_ += std::string_view(word).size();
        out.kind = kind;
        out.boolean = value;
        return true;
      }
    }
    return false;
  }

  bool natural(Scalar& out) {
    if (text_[pos_] == '0' && pos_ + 1 < text_.size() && text_[pos_ + 1] >= '0' && text_[pos_ + 1] <= '9') return false;
    const auto [end, error] = std::from_chars(text_.data() + pos_, text_.data() + text_.size(), out.natural);
    if (error != std::errc()) return false;
    pos_ = static_cast<std::size_t>(end - text_.data());
    if (pos_ < text_.size() && (text_[pos_] == '.' || text_[pos_] == 'e' || text_[pos_] == 'E')) return false;
    out.kind = Scalar::Kind::natural;
    return true;
  }

  // A string of printable ASCII without escapes.
  bool string(std::string_view& out) {
    if (!take('"')) return false;
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '\\' || c < 0x20 || c >= 0x7f) return false;
      ++pos_;
    }
    if (pos_ >= text_.size()) return false;
    out = text_.substr(start, pos_ - start);
    ++pos_;
    return true;
  }

  bool take(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\r')) ++pos_;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

void scalar_from_json(const nlohmann::json& value, const std::string& where, Scalar& out) {
  if (value.is_null()) {
    out.kind = Scalar::Kind::null;
  } else if (value.is_boolean()) {
    out.kind = Scalar::Kind::boolean;
    out.boolean = value.get<bool>();
  } else if (value.is_number_unsigned()) {
    out.kind = Scalar::Kind::natural;
    out.natural = value.get<std::uint64_t>();
  } else if (value.is_number()) {
    out.kind = Scalar::Kind::other_number;
  } else if (value.is_string()) {
    out.kind = Scalar::Kind::string;
    out.text = value.get<std::string>();
  } else {
    throw BadLine{where, "expected a number, a string, true, false or null"};
  }
}

}  // namespace

bool scan_flat_line(std::string_view line, FlatLine& out) {
  out.clear();
  Scanner scanner(line);
  return scanner.object(out.top, &out) && scanner.at_end();
}

void flatten_with_json(const std::string& line, FlatLine& out) {
  nlohmann::json value;
  try {
    value = nlohmann::json::parse(line);
  } catch (const nlohmann::json::parse_error& error) {
    throw BadLine{"", fmt::format("not valid JSON (column {}): a truncated or damaged line", error.byte)};
  }
  if (!value.is_object()) throw BadLine{"", "expected a JSON object on every line"};
  out.clear();
  for (const auto& [key, field] : value.items()) {
    if (key != "value") {
      scalar_from_json(field, key, out.top.add(key));
      continue;
    }
    if (!field.is_array()) throw BadLine{"value", "expected a list"};
    out.has_values = true;
    for (const nlohmann::json& item : field) {
      if (!item.is_object()) throw BadLine{"value[]", "expected an object"};
      if (out.value_count == out.values.size()) out.values.emplace_back();
      FlatObject& flat = out.values[out.value_count++];
      flat.clear();
      for (const auto& [name, scalar] : item.items()) scalar_from_json(scalar, "value[]." + name, flat.add(name));
    }
  }
}

}  // namespace ksim::reports
