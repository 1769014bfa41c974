#pragma once
// Kafka's .properties files (server.properties, producer.properties, consumer.properties)
// read as Kafka reads them: Kafka's Utils.loadProps hands the file to
// java.util.Properties.load, whose rules (the javadoc of Properties.load(Reader)) are:
//   - a natural line ends at \n, \r or \r\n; a logical line is one or more natural lines
//     joined where a line terminator follows an odd number of backslashes: the backslash,
//     the terminator and the white space starting the next natural line are dropped;
//   - white space is ' ', '\t' and '\f'; a natural line of white space only is blank;
//   - a comment line has '#' or '!' as its first non-white-space character and cannot be
//     continued (but a continued line that starts with '#' is data, not a comment);
//   - the key runs from the first non-white-space character to the first unescaped '=',
//     ':' or white space; white space after it is skipped, then one '=' or ':' if it is
//     there, then white space again; the rest of the logical line is the value, possibly "";
//   - escapes in keys and values: \t \n \r \f, \uXXXX (four hex digits, else Java's
//     "Malformed \uxxxx encoding"), and a backslash before any other character stands for
//     that character (so "\=" is "=" and "\b" is "b");
//   - a key given twice: the last value wins (Properties is a Hashtable).
// One deliberate difference: Properties.load(InputStream) decodes ISO 8859-1, while ksim
// reads UTF-8 and refuses anything else (NUL bytes, invalid UTF-8), as it does for
// scenario files. A file of ASCII (what Kafka's files are; \uXXXX covers the rest) reads
// alike either way. A UTF-8 byte order mark, which Kafka would take into the first key
// (so that key would configure nothing), is an error.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/input_error.h"
#include "sim/scenario/source_location.h"

namespace ksim::scenario {

struct Property {
  std::string key;
  std::string value;
  SourceLocation key_at;    // the key's first character
  SourceLocation value_at;  // the value's first character (just after the key when empty)
};

// A real file holds a few hundred keys at most; more than this is refused rather than
// carried into every key lookup and did-you-mean.
inline constexpr std::size_t kMaxProperties = 10'000;

// Pure: the properties of `text` in file order (a repeated key at its last place), or
// errors in `errors` (a malformed \uXXXX, text that is not UTF-8, too many keys). `file`
// only labels errors. The caller bounds the size of `text`.
std::vector<Property> parse_properties(std::string_view text, const std::string& file, InputErrors& errors);

}  // namespace ksim::scenario
