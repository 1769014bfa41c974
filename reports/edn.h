#pragma once
// A small, bounded reader of EDN (extensible data notation: Clojure's data, what Jepsen writes
// in history.edn), for the subset Jepsen's Kafka workload histories use: maps, vectors,
// lists, sets, keywords, symbols, integers, strings, nil, true/false, and a `#tag` before a
// value (a record such as `#jepsen.history.Op{...}` reads as its map). Anything else (floats,
// characters, ratios, discard `#_`, metadata) is refused with its column, never guessed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ksim::reports {

struct Edn {
  enum class Kind : std::uint8_t { nil, boolean, integer, string, keyword, symbol, vector, map };
  Kind kind = Kind::nil;
  bool boolean = false;
  std::int64_t integer = 0;
  std::string text;                           // string, keyword (without ':'), symbol
  // vector, list, set (as a vector): the elements; map: key, value, key, value, ... in the
  // file's order (std::vector may hold the incomplete Edn, a std::pair of it may not).
  std::vector<Edn> items;

  std::size_t entry_count() const { return kind == Kind::map ? items.size() / 2 : 0; }
  const Edn& key_at(std::size_t entry) const { return items[2 * entry]; }
  const Edn& value_at(std::size_t entry) const { return items[2 * entry + 1]; }

  bool is_keyword(std::string_view name) const { return kind == Kind::keyword && text == name; }
  const Edn* find(std::string_view keyword) const;  // a map's value at :keyword, nullptr if absent
};

struct EdnError {
  std::size_t column = 0;  // 1-based
  std::string message;
};

// Reads exactly one value from `text` (whitespace and commas around it allowed). Bounded:
// nesting at most 64 deep. Throws EdnError.
Edn parse_edn(std::string_view text);

// How a value prints in an error message or a name: `:send`, `5`, `"x"`, `[...]`.
std::string edn_text(const Edn& value);

}  // namespace ksim::reports
