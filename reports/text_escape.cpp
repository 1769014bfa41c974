#include "reports/text_escape.h"

#include <algorithm>
#include <cstdint>

namespace ksim::reports {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the UTF-8 sequence starting at text[i] and its code point, or 0 if invalid.
std::size_t decode_utf8(std::string_view text, std::size_t i, std::uint32_t& code_point) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  }
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    code_point = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    code_point = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not valid UTF-8.
  static constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code_point < kMinimum[length] || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) return 0;
  return length;
}

bool xml_allowed(std::uint32_t c) {
  if (c < 0x20) return c == 0x09 || c == 0x0A || c == 0x0D;
  return c != 0xFFFE && c != 0xFFFF;
}

}  // namespace

std::string xml_clean(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t code_point = 0;
    const std::size_t length = decode_utf8(text, i, code_point);
    if (length == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (xml_allowed(code_point)) {
      out.append(text.substr(i, length));
    } else {
      out += kReplacement;
    }
    i += length;
  }
  return out;
}

std::string xml_escape(std::string_view text) {
  const std::string clean = xml_clean(text);
  std::string out;
  out.reserve(clean.size());
  for (const char c : clean) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string markdown_escape(std::string_view text) {
  // Inline syntax is escaped everywhere; block syntax (#, -, +, =, "1.") only matters at
  // the start of a line, which is the start of the text since newlines become spaces.
  // Escaping only what Markdown reads keeps names like "at-least-once" readable in the
  // source of the summary.
  static constexpr std::string_view kInline = "\\`*_{}[]|~";
  static constexpr std::string_view kBlockStart = "#-+=";
  const std::string clean = xml_clean(text);
  std::string out;
  out.reserve(clean.size());
  std::size_t leading_digits = 0;
  while (leading_digits < clean.size() && clean[leading_digits] >= '0' && clean[leading_digits] <= '9') ++leading_digits;
  for (std::size_t i = 0; i < clean.size(); ++i) {
    const char c = clean[i];
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
    } else {
      const bool block_start = (i == 0 && kBlockStart.find(c) != std::string_view::npos) ||
                               (i > 0 && i == leading_digits && (c == '.' || c == ')'));
      if (block_start || kInline.find(c) != std::string_view::npos) out += '\\';
      out += c;
    }
  }
  return out;
}

std::string markdown_code_span(std::string_view text) {
  std::string body = xml_clean(text);
  std::replace_if(body.begin(), body.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  // A pipe ends a table cell even inside a code span (GFM), so it stays escaped there.
  std::string escaped;
  std::size_t longest_run = 0;
  std::size_t run = 0;
  for (const char c : body) {
    run = (c == '`') ? run + 1 : 0;
    longest_run = std::max(longest_run, run);
    if (c == '|') escaped += '\\';
    escaped += c;
  }
  const std::string fence(longest_run + 1, '`');
  const bool pad = !escaped.empty() && (escaped.front() == '`' || escaped.back() == '`');
  return fence + (pad ? " " : "") + escaped + (pad ? " " : "") + fence;
}

}  // namespace ksim::reports
