#include "sim/scenario/text_checks.h"

#include <cstddef>
#include <cstdint>

#include <fmt/format.h>

namespace ksim::scenario {
namespace {

// Length of the valid UTF-8 sequence at text[i], or 0 if it is invalid.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
  const std::uint8_t lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  std::uint32_t code = 0;
  std::uint32_t minimum = 0;
  if ((lead & 0xe0) == 0xc0) {
    length = 2, code = lead & 0x1fu, minimum = 0x80;
  } else if ((lead & 0xf0) == 0xe0) {
    length = 3, code = lead & 0x0fu, minimum = 0x800;
  } else if ((lead & 0xf8) == 0xf0) {
    length = 4, code = lead & 0x07u, minimum = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3fu);
  }
  if (code < minimum || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
  return length;
}

}  // namespace

std::optional<SourceLocation> find_non_text(std::string_view text) {
  SourceLocation where{1, 1};
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = text[i] == '\0' ? 0 : utf8_sequence_length(text, i);
    if (length == 0) return where;
    if (text[i] == '\n') {
      ++where.line;
      where.column = 1;
    } else {
      ++where.column;  // columns count characters, as yaml-cpp's do
    }
    i += length;
  }
  return std::nullopt;
}

std::optional<FlowProblem> find_flow_problem(std::string_view text, int max_depth) {
  enum class State { plain, single_quoted, double_quoted, comment };
  State state = State::plain;
  int depth = 0;
  SourceLocation where{1, 0};
  char previous = '\n';
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++where.line;
      where.column = 0;
      if (state == State::comment) state = State::plain;
      previous = c;
      continue;
    }
    ++where.column;
    // A quote opens a quoted scalar only where a scalar can start, so "it's" does not.
    const bool at_token_start = previous == ' ' || previous == '\t' || previous == '\n' || previous == '[' ||
                                previous == '{' || previous == ',' || previous == ':' || previous == '-';
    switch (state) {
      case State::plain:
        if (c == '#' && (previous == ' ' || previous == '\t' || previous == '\n')) {
          state = State::comment;
        } else if (c == '\'' && at_token_start) {
          state = State::single_quoted;
        } else if (c == '"' && at_token_start) {
          state = State::double_quoted;
        } else if ((c == '[' || c == '{') && at_token_start) {
          if (++depth > max_depth) return FlowProblem{where, fmt::format("nesting is deeper than {} levels", max_depth)};
        } else if (c == '-' && depth > 0 && at_token_start &&
                   (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n' || text[i + 1] == '\r' || text[i + 1] == '\t')) {
          return FlowProblem{where, "malformed YAML: a block entry \"- \" inside a flow collection ([...] or {...})"};
        } else if (c == ',' && depth == 0 && at_token_start) {
          // No token starts with ',' outside a flow collection; yaml-cpp 0.7 loops
          // forever on a document starting with one (", a").
          return FlowProblem{where, "malformed YAML: \",\" outside a flow collection ([...] or {...})"};
        } else if ((c == ']' || c == '}') && depth > 0) {
          --depth;
        }
        break;
      case State::single_quoted:
        if (c == '\'') state = State::plain;  // '' (an escaped quote) closes and reopens: harmless
        break;
      case State::double_quoted:
        if (c == '\\' && i + 1 < text.size() && text[i + 1] != '\n') {
          ++i;
          ++where.column;
        } else if (c == '"') {
          state = State::plain;
        }
        break;
      case State::comment:
        break;
    }
    previous = c;
  }
  return std::nullopt;
}

}  // namespace ksim::scenario
