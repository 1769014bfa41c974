#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sim/scenario/scenario_loader.h"

namespace ksim::scenario {

namespace {

struct PathWord {
  std::string name;
  std::optional<std::size_t> index;  // "producers[0]"
};

std::optional<PathWord> parse_word(std::string_view text) {
  PathWord word;
  const std::size_t bracket = text.find('[');
  word.name = std::string(text.substr(0, bracket));
  if (bracket != std::string_view::npos) {
    if (text.back() != ']' || bracket + 2 > text.size() - 1 + 1) return std::nullopt;
    const std::string digits(text.substr(bracket + 1, text.size() - bracket - 2));
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 6) {
      return std::nullopt;
    }
    word.index = std::stoul(digits);
  }
  if (word.name.empty()) return std::nullopt;
  return word;
}

std::string join(const std::vector<PathWord>& words, std::size_t from, std::size_t to) {
  std::string key;
  for (std::size_t i = from; i < to; ++i) key += (i == from ? "" : ".") + words[i].name;
  return key;
}

}  // namespace

// Keys may contain dots (Kafka's names), so each step takes the longest run of words
// that names an existing key; a key that does not exist yet is one word, except inside
// a `config` map, where the rest of the path is the Kafka config name.
std::optional<std::string> set_scalar(YAML::Node& root, std::string_view key_path, const std::string& value) {
  std::vector<PathWord> words;
  std::size_t start = 0;
  while (start <= key_path.size()) {
    const std::size_t dot = key_path.find('.', start);
    const std::string_view text = key_path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    const auto word = parse_word(text);
    if (!word) return fmt::format("bad key path \"{}\" near \"{}\"", key_path, text);
    words.push_back(*word);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  YAML::Node node = root;
  std::string parent;
  std::size_t i = 0;
  while (i < words.size()) {
    if (!node.IsMap() && !node.IsNull()) return fmt::format("\"{}\" is not a map in \"{}\"", parent, key_path);
    std::size_t end = 0;
    for (std::size_t j = words.size(); j > i; --j) {
      // An index may only close the run of words that names a key.
      bool inner_index = false;
      for (std::size_t k = i; k + 1 < j; ++k) inner_index = inner_index || words[k].index.has_value();
      if (inner_index) continue;
      const YAML::Node& existing = node;
      if (existing.IsMap() && existing[join(words, i, j)].IsDefined()) {
        end = j;
        break;
      }
    }
    if (end == 0) end = parent == "config" && !words.back().index ? words.size() : i + 1;
    const std::string key = join(words, i, end);
    const std::optional<std::size_t> index = words[end - 1].index;
    parent = key;
    i = end;
    YAML::Node child = node[key];
    if (index) {
      if (!child.IsSequence() || *index >= child.size()) {
        return fmt::format("\"{}\" has no element [{}] in \"{}\"", key, *index, key_path);
      }
      // reset() rebinds the handle; `child = ...` would overwrite the sequence itself.
      const YAML::Node element = child[*index];
      child.reset(element);
    }
    if (i == words.size()) {
      if (child.IsMap() || child.IsSequence()) return fmt::format("\"{}\" is not a single value", key_path);
      child = value;
      return std::nullopt;
    }
    node.reset(child);
  }
  return std::nullopt;
}

}  // namespace ksim::scenario
