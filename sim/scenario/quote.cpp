#include "sim/scenario/quote.h"

#include <fmt/format.h>

namespace ksim::scenario {

std::string quote(std::string_view text, std::size_t limit) {
  std::string out = "\"";
  const bool cut = text.size() > limit;
  if (cut) {
    // Cut before a UTF-8 continuation byte, never inside a character.
    while (limit > 0 && (static_cast<unsigned char>(text[limit]) & 0xc0) == 0x80) --limit;
    text = text.substr(0, limit);
  }
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      // Printable ASCII, and the bytes of UTF-8 text (the loader has checked it is valid).
      out += c;
    }
  }
  out += '"';
  if (cut) out += "...";
  return out;
}

}  // namespace ksim::scenario
