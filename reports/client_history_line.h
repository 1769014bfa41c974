#pragma once
// Internal to the client-history reader: one operation line as flat fields. Operation lines
// are objects of scalars plus one list of objects of scalars ("value"), so they need no
// general JSON tree: a small scanner reads the plain lines ksim and most recorders write
// (ASCII, no escapes, no fractions) without allocating, and everything else goes through
// nlohmann-json into the same shape, so both are judged by one set of rules.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ksim::reports {

struct Scalar {
  enum class Kind : std::uint8_t { null, boolean, natural, other_number, string };
  Kind kind = Kind::null;
  std::uint64_t natural = 0;  // Kind::natural
  bool boolean = false;       // Kind::boolean
  std::string text;           // Kind::string
};

struct FlatObject {
  std::vector<std::pair<std::string, Scalar>> fields;
  std::size_t used = 0;  // fields[0, used) hold this line's; the rest keep their capacity

  const Scalar* find(std::string_view name) const;
  Scalar& add(std::string_view name);
  void clear() { used = 0; }
};

struct FlatLine {
  FlatObject top;
  bool has_values = false;  // the line has a "value" list
  std::vector<FlatObject> values;
  std::size_t value_count = 0;

  void clear();
};

// Reads `line` into `out`; false when it is not of the flat shape or not plain (then
// flatten_with_json decides, with its error).
bool scan_flat_line(std::string_view line, FlatLine& out);
// The general path: any JSON. Throws BadLine (client_history_ops.h) when the line is not
// valid JSON or not of the flat shape.
void flatten_with_json(const std::string& line, FlatLine& out);

}  // namespace ksim::reports
