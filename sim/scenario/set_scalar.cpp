#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sim/scenario/read_world.h"
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

std::optional<std::vector<PathWord>> split_path(std::string_view key_path) {
  std::vector<PathWord> words;
  std::size_t start = 0;
  while (start <= key_path.size()) {
    const std::size_t dot = key_path.find('.', start);
    const auto word = parse_word(key_path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (!word) return std::nullopt;
    words.push_back(*word);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return words;
}

std::string join(const std::vector<PathWord>& words, std::size_t from, std::size_t to) {
  std::string key;
  for (std::size_t i = from; i < to; ++i) key += (i == from ? "" : ".") + words[i].name;
  return key;
}

// How many words from `from` the next key takes: the longest run that names a key the
// map has or the schema knows there (an index may only close the run); failing that, one
// word, except inside a `config` map, where the rest of the path is a Kafka config name.
std::size_t key_end(const std::vector<PathWord>& words, std::size_t from, const YAML::Node& map,
                    const std::set<std::string, std::less<>>* known, bool in_config) {
  std::size_t last_plain = from;  // words up to here carry no index
  while (last_plain < words.size() && !words[last_plain].index) ++last_plain;
  const std::size_t longest = std::min(words.size(), last_plain + 1);
  for (std::size_t to = longest; to > from; --to) {
    const std::string key = join(words, from, to);
    if (map[key].IsDefined() || (known != nullptr && known->count(key) != 0)) return to;
  }
  return in_config && last_plain == words.size() ? words.size() : from + 1;
}

}  // namespace

// Dotted keys exist outside `config` too (`processing.time`, `message.size`), and a key
// the file does not have yet names nothing in the tree, so the path is resolved against
// the keys the schema asks about, learnt by a dry read of the tree (known_keys). A map
// the path goes through that the file lacks (`limits`) is created empty and the tree
// read again, so the schema's keys inside it are known too. A key nobody knows is created
// as written and left to validation, which reports it with a did-you-mean.
std::optional<std::string> set_scalar(YAML::Node& root, std::string_view key_path, const std::string& value) {
  const auto words = split_path(key_path);
  if (!words) return fmt::format("bad key path \"{}\"", key_path);
  KnownKeys known = known_keys(root);
  YAML::Node node = root;
  std::string path;    // the map's key path, as readers name it ("producers[0].config")
  std::string parent;  // the last key taken
  for (std::size_t i = 0; i < words->size();) {
    if (!node.IsMap()) return fmt::format("\"{}\" is not a map in \"{}\"", parent, key_path);
    const auto known_here = known.find(path);
    const std::size_t end = key_end(*words, i, node, known_here == known.end() ? nullptr : &known_here->second,
                                    parent == "config");
    const std::string key = join(*words, i, end);
    const std::optional<std::size_t> index = (*words)[end - 1].index;
    parent = key;
    path = path.empty() ? key : fmt::format("{}.{}", path, key);
    i = end;
    YAML::Node child = node[key];
    if (index) {
      if (!child.IsSequence() || *index >= child.size()) {
        return fmt::format("\"{}\" has no element [{}] in \"{}\"", key, *index, key_path);
      }
      // reset() rebinds the handle; `child = ...` would overwrite the sequence itself.
      const YAML::Node element = child[*index];
      child.reset(element);
      path += fmt::format("[{}]", *index);
    }
    if (i == words->size()) {
      if (child.IsMap() || child.IsSequence()) return fmt::format("\"{}\" is not a single value", key_path);
      child = value;
      return std::nullopt;
    }
    if (!index && (!child.IsDefined() || child.IsNull())) {
      node[key] = YAML::Node(YAML::NodeType::Map);
      child.reset(node[key]);
      known = known_keys(root);  // what the schema asks inside the new map
    }
    node.reset(child);
  }
  return std::nullopt;
}

}  // namespace ksim::scenario
