// The EDN subset of Jepsen's history.edn (edn.h). Recursive descent over one line, with a
// depth bound so that no input can exhaust the stack.
#include "reports/edn.h"

#include <charconv>

#include <fmt/format.h>

namespace ksim::reports {

namespace {

constexpr int kMaxDepth = 64;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ','; }
bool is_delimiter(char c) { return is_space(c) || c == '{' || c == '}' || c == '[' || c == ']' || c == '(' || c == ')' || c == '"'; }

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Edn whole() {
    Edn value = next(0);
    skip_space();
    if (at_ < text_.size()) fail("more after the value");
    return value;
  }

 private:
  [[noreturn]] void fail(const std::string& message) const { throw EdnError{at_ + 1, message}; }

  void skip_space() {
    while (at_ < text_.size()) {
      if (text_[at_] == ';') {  // a comment runs to the end of the line
        at_ = text_.size();
      } else if (is_space(text_[at_])) {
        ++at_;
      } else {
        return;
      }
    }
  }

  Edn next(int depth) {
    if (depth > kMaxDepth) fail(fmt::format("nested deeper than {}", kMaxDepth));
    skip_space();
    if (at_ >= text_.size()) fail("a value is missing (the line ends)");
    const char c = text_[at_];
    if (c == '{') return collection(depth, '}', true);
    if (c == '[' || c == '(') return collection(depth, c == '[' ? ']' : ')', false);
    if (c == '"') return string();
    if (c == '#') return tagged(depth);
    if (c == ':') {
      ++at_;
      Edn keyword = token_value();
      if (keyword.kind != Edn::Kind::symbol) fail("a keyword needs a name");
      keyword.kind = Edn::Kind::keyword;
      return keyword;
    }
    if (c == '}' || c == ']' || c == ')') fail(fmt::format("unexpected '{}'", c));
    return token_value();
  }

  // `#{...}` a set (read as a vector), `#tag value` a tagged value (read as the value).
  Edn tagged(int depth) {
    ++at_;
    if (at_ < text_.size() && text_[at_] == '{') return collection(depth, '}', false);
    if (at_ >= text_.size() || text_[at_] == '_' || is_delimiter(text_[at_])) fail("unsupported '#' form");
    const Edn tag = token_value();
    if (tag.kind != Edn::Kind::symbol) fail("a tag is a symbol");
    return next(depth + 1);
  }

  Edn collection(int depth, char close, bool map) {
    ++at_;
    Edn out;
    out.kind = map ? Edn::Kind::map : Edn::Kind::vector;
    for (;;) {
      skip_space();
      if (at_ >= text_.size()) fail(fmt::format("'{}' is missing (the line ends)", close));
      if (text_[at_] == close) {
        ++at_;
        return out;
      }
      out.items.push_back(next(depth + 1));
      if (!map) continue;
      skip_space();
      if (at_ < text_.size() && text_[at_] == close) fail("a map key without its value");
      out.items.push_back(next(depth + 1));
    }
  }

  Edn string() {
    Edn out;
    out.kind = Edn::Kind::string;
    for (++at_; at_ < text_.size(); ++at_) {
      char c = text_[at_];
      if (c == '"') {
        ++at_;
        return out;
      }
      if (c == '\\') {
        if (++at_ >= text_.size()) break;
        const char e = text_[at_];
        c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
        if (e != 'n' && e != 't' && e != 'r' && e != '"' && e != '\\') fail("unsupported string escape");
      }
      out.text += c;
    }
    fail("a string is not closed (the line ends)");
  }

  // An integer, nil, true, false or a symbol.
  Edn token_value() {
    const std::size_t start = at_;
    while (at_ < text_.size() && !is_delimiter(text_[at_])) ++at_;
    std::string_view token = text_.substr(start, at_ - start);
    if (token.empty()) fail("a value is missing");
    Edn out;
    if (token == "nil") return out;
    if (token == "true" || token == "false") {
      out.kind = Edn::Kind::boolean;
      out.boolean = token == "true";
      return out;
    }
    const char first = token.front();
    const bool signed_number = (first == '-' || first == '+') && token.size() > 1 && token[1] >= '0' && token[1] <= '9';
    if ((first >= '0' && first <= '9') || signed_number) {
      if (token.back() == 'N') token.remove_suffix(1);  // Clojure's arbitrary-precision suffix
      if (first == '+') token.remove_prefix(1);
      const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), out.integer);
      if (error != std::errc{} || end != token.data() + token.size()) {
        at_ = start;
        fail(fmt::format("unsupported number \"{}\" (integers only)", token));
      }
      out.kind = Edn::Kind::integer;
      return out;
    }
    if (first == '\\') fail("characters are not supported");
    out.kind = Edn::Kind::symbol;
    out.text = std::string(token);
    return out;
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

}  // namespace

const Edn* Edn::find(std::string_view keyword) const {
  for (std::size_t entry = 0; entry < entry_count(); ++entry) {
    if (key_at(entry).is_keyword(keyword)) return &value_at(entry);
  }
  return nullptr;
}

Edn parse_edn(std::string_view text) { return Parser(text).whole(); }

std::string edn_text(const Edn& value) {
  switch (value.kind) {
    case Edn::Kind::nil: return "nil";
    case Edn::Kind::boolean: return value.boolean ? "true" : "false";
    case Edn::Kind::integer: return std::to_string(value.integer);
    case Edn::Kind::string: return fmt::format("\"{}\"", value.text);
    case Edn::Kind::keyword: return ":" + value.text;
    case Edn::Kind::symbol: return value.text;
    case Edn::Kind::vector: return "[...]";
    case Edn::Kind::map: return "{...}";
  }
  return "?";
}

}  // namespace ksim::reports
