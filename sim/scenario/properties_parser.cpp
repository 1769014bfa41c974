#include "sim/scenario/properties_parser.h"

#include <cstdint>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "sim/scenario/text_checks.h"

namespace ksim::scenario {
namespace {

// Properties.load's white space; line terminators are handled apart.
bool is_white(char c) { return c == ' ' || c == '\t' || c == '\f'; }
bool is_terminator(char c) { return c == '\n' || c == '\r'; }

// A logical line: its characters, continuations removed, and where each byte stands in
// the file, so a key, a value or a bad escape is reported at its own line and column.
struct LogicalLine {
  std::string text;
  std::vector<SourceLocation> at;
  SourceLocation start;  // where it starts, even if continuations leave nothing
};

// Cuts the text into the logical lines that hold data, skipping blank and comment lines
// (Java's Properties.LineReader).
class LineSplitter {
 public:
  explicit LineSplitter(std::string_view text) : text_(text) {}

  // The next logical line that is neither blank nor a comment; false at the end.
  bool next(LogicalLine& line) {
    while (true) {
      line.text.clear();
      line.at.clear();
      if (!skip_to_data()) return false;
      line.start = where_;
      const bool escaped = collect(line);
      if (at_end() && escaped) {
        // A backslash ending the file is dropped, as Java's LineReader drops it; the line
        // counts even if nothing is left ("\" alone is the key "" with the value "").
        drop_last(line);
        return true;
      }
      if (!at_end()) skip_terminator();
      // Continuations that leave nothing (a backslash, then a line of white space) make a
      // blank line for Java too.
      if (!line.text.empty()) return true;
    }
  }

 private:
  // The characters up to the first line terminator that no odd run of backslashes
  // escapes, or the end; true if an odd run of backslashes ends the text.
  bool collect(LogicalLine& line) {
    bool escaped = false;
    while (!at_end()) {
      const char c = text_[pos_];
      if (is_terminator(c)) {
        if (!escaped) break;
        // A continuation: the backslash, the terminator and the next line's leading
        // white space are dropped. A next line of white space only ends the logical line.
        drop_last(line);
        skip_terminator();
        skip_white();
        escaped = false;
        continue;
      }
      line.text.push_back(c);
      line.at.push_back(where_);
      escaped = c == '\\' ? !escaped : false;
      advance();
    }
    return escaped;
  }

  bool at_end() const { return pos_ >= text_.size(); }
  // One byte on; columns count characters (as yaml-cpp's and find_non_text's do), so a
  // UTF-8 continuation byte does not move the column.
  void advance() {
    ++pos_;
    if (at_end() || (static_cast<std::uint8_t>(text_[pos_]) & 0xc0U) != 0x80U) ++where_.column;
  }
  void skip_terminator() {  // \n, \r or \r\n
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++where_.line;
    where_.column = 1;
  }
  void skip_white() {
    while (!at_end() && is_white(text_[pos_])) advance();
  }
  static void drop_last(LogicalLine& line) {
    line.text.pop_back();
    line.at.pop_back();
  }
  // Past blank and comment lines; false at the end. A comment ends at its own line's end:
  // a backslash there does not continue it.
  bool skip_to_data() {
    while (true) {
      skip_white();
      if (at_end()) return false;
      const char c = text_[pos_];
      if (is_terminator(c)) {
        skip_terminator();
      } else if (c == '#' || c == '!') {
        while (!at_end() && !is_terminator(text_[pos_])) advance();
      } else {
        return true;
      }
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  SourceLocation where_{1, 1};
};

// Where the key ends and the value starts in a logical line (Java's Properties.load0).
struct KeySplit {
  std::size_t key_end = 0;
  std::size_t value_start = 0;
};

KeySplit split_key(std::string_view line) {
  KeySplit split{0, line.size()};
  bool has_separator = false;
  bool escaped = false;
  for (; split.key_end < line.size(); ++split.key_end) {
    const char c = line[split.key_end];
    if (!escaped && (c == '=' || c == ':')) {
      split.value_start = split.key_end + 1;
      has_separator = true;
      break;
    }
    if (!escaped && is_white(c)) {
      split.value_start = split.key_end + 1;
      break;
    }
    escaped = c == '\\' ? !escaped : false;
  }
  // White space, at most one '=' or ':' (unless one ended the key), white space.
  while (split.value_start < line.size()) {
    const char c = line[split.value_start];
    if (!is_white(c)) {
      if (has_separator || (c != '=' && c != ':')) break;
      has_separator = true;
    }
    ++split.value_start;
  }
  return split;
}

void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out.push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (code >> 6)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3f)));
  } else if (code < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (code >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (code >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3f)));
  }
}

// The UTF-16 code unit of "\uXXXX" starting at text[at] (the backslash), if well formed.
std::optional<std::uint32_t> code_unit(std::string_view text, std::size_t at, std::size_t end) {
  if (at + 6 > end || text[at] != '\\' || text[at + 1] != 'u') return std::nullopt;
  std::uint32_t unit = 0;
  for (std::size_t k = at + 2; k < at + 6; ++k) {
    const char c = text[k];
    const int digit = c >= '0' && c <= '9'   ? c - '0'
                      : c >= 'a' && c <= 'f' ? c - 'a' + 10
                      : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                             : -1;
    if (digit < 0) return std::nullopt;
    unit = unit * 16 + static_cast<std::uint32_t>(digit);
  }
  return unit;
}

// The characters [from, to) of a logical line with their escapes replaced; nullopt after
// reporting a malformed \uXXXX. A surrogate pair written as two escapes ("\uD83D\uDE00",
// how Java writes characters beyond U+FFFF) becomes one character; half a pair cannot be
// UTF-8 and is an error.
std::optional<std::string> unescape(const LogicalLine& line, std::size_t from, std::size_t to, const std::string& file,
                                    InputErrors& errors) {
  std::string out;
  for (std::size_t i = from; i < to;) {
    const char c = line.text[i];
    if (c != '\\' || i + 1 >= to) {
      if (c != '\\') out.push_back(c);  // a lone backslash at the end cannot occur: LineSplitter drops it
      ++i;
      continue;
    }
    const char escaped = line.text[i + 1];
    if (escaped != 'u') {
      out.push_back(escaped == 't' ? '\t' : escaped == 'n' ? '\n' : escaped == 'r' ? '\r' : escaped == 'f' ? '\f' : escaped);
      i += 2;
      continue;
    }
    const auto unit = code_unit(line.text, i, to);
    if (!unit) {
      errors.add(file, line.at[i], "", "malformed \\uXXXX escape: \\u must be followed by four hex digits");
      return std::nullopt;
    }
    std::uint32_t code = *unit;
    std::size_t length = 6;
    if (code >= 0xd800 && code <= 0xdbff) {
      const auto low = code_unit(line.text, i + 6, to);
      if (low && *low >= 0xdc00 && *low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (*low - 0xdc00);
        length = 12;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      errors.add(file, line.at[i], "", fmt::format("\\u{:04X} is half of a UTF-16 surrogate pair", code));
      return std::nullopt;
    }
    append_utf8(out, code);
    i += length;
  }
  return out;
}

}  // namespace

std::vector<Property> parse_properties(std::string_view text, const std::string& file, InputErrors& errors) {
  if (const auto where = find_non_text(text)) {
    errors.add(file, *where, "", "not a text file (NUL byte or invalid UTF-8)");
    return {};
  }
  if (text.substr(0, 3) == "\xef\xbb\xbf") {
    // Kafka reads ISO 8859-1, so a byte order mark becomes part of the first key, which
    // then silently configures nothing: refuse it rather than follow.
    errors.add(file, {1, 1}, "",
               "the file starts with a UTF-8 byte order mark, which Kafka reads as part of the first key; remove it");
    return {};
  }
  std::vector<std::optional<Property>> found;
  std::map<std::string, std::size_t, std::less<>> last_of;  // key -> its latest place in `found`
  LineSplitter splitter(text);
  LogicalLine line;
  while (splitter.next(line)) {
    if (last_of.size() == kMaxProperties) {
      errors.add(file, line.start, "", fmt::format("more than {} keys; a properties file holds far fewer", kMaxProperties));
      return {};
    }
    const KeySplit split = split_key(line.text);
    auto key = unescape(line, 0, split.key_end, file, errors);
    auto value = unescape(line, split.value_start, line.text.size(), file, errors);
    if (!key || !value) continue;
    const SourceLocation value_at = split.value_start < line.at.size() ? line.at[split.value_start]
                                    : line.at.empty()                    ? line.start
                                                                         : SourceLocation{line.at.back().line, line.at.back().column + 1};
    const auto [previous, inserted] = last_of.try_emplace(*key, found.size());
    if (!inserted) {
      found[previous->second].reset();  // the last value wins, as in Java
      previous->second = found.size();
    }
    found.push_back(Property{std::move(*key), std::move(*value), line.start, value_at});
  }
  std::vector<Property> properties;
  for (std::optional<Property>& property : found) {
    if (property) properties.push_back(std::move(*property));
  }
  return properties;
}

}  // namespace ksim::scenario
