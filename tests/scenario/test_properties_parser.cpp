#define BOOST_TEST_MODULE properties_parser
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "sim/scenario/properties_parser.h"

// Kafka's .properties files as java.util.Properties.load reads them: each rule of its
// javadoc, the places reported for keys and values, and the errors.

using namespace ksim::scenario;

namespace {

std::vector<Property> parse(const std::string& text) {
  InputErrors errors;
  auto properties = parse_properties(text, "p.properties", errors);
  BOOST_TEST(errors.empty(), errors.to_string());
  return properties;
}

// "key=value" for each property, in order, joined by '|'.
std::string pairs(const std::string& text) {
  std::string out;
  for (const Property& property : parse(text)) out += (out.empty() ? "" : "|") + property.key + "=" + property.value;
  return out;
}

std::string errors_of(const std::string& text) {
  InputErrors errors;
  (void)parse_properties(text, "p.properties", errors);
  return errors.to_string();
}

}  // namespace

BOOST_AUTO_TEST_CASE(separators_are_equals_colon_or_white_space) {
  BOOST_TEST(pairs("a=1\nb:2\nc 3\nd\t4\ne\f5\n") == "a=1|b=2|c=3|d=4|e=5");
  // White space around the separator is skipped; only one '=' or ':' is a separator.
  BOOST_TEST(pairs("Truth = Beauty\n  Truth2:Beauty\nTruth3          :Beauty\n") == "Truth=Beauty|Truth2=Beauty|Truth3=Beauty");
  BOOST_TEST(pairs("a = = b\n") == "a== b");
  BOOST_TEST(pairs("a  :=b\n") == "a==b");
  BOOST_TEST(pairs("url=http://host:9092\n") == "url=http://host:9092");
  // Trailing white space belongs to the value.
  BOOST_TEST(pairs("a=1  \n") == "a=1  ");
}

BOOST_AUTO_TEST_CASE(a_key_alone_has_an_empty_value) {
  BOOST_TEST(pairs("cheeses\n") == "cheeses=");
  BOOST_TEST(pairs("cheeses=\n") == "cheeses=");
  BOOST_TEST(pairs("cheeses   \n") == "cheeses=");
}

BOOST_AUTO_TEST_CASE(comments_and_blank_lines_are_skipped) {
  BOOST_TEST(pairs("# comment\n! also a comment\n   # indented\n\n \t \na=1\n") == "a=1");
  // A comment cannot be continued: its backslash does nothing.
  BOOST_TEST(pairs("# comment \\\na=1\n") == "a=1");
  // '#' inside a value is data.
  BOOST_TEST(pairs("a=1 # not a comment\n") == "a=1 # not a comment");
}

BOOST_AUTO_TEST_CASE(line_terminators_are_lf_cr_and_crlf) {
  BOOST_TEST(pairs("a=1\rb=2\r\nc=3\n") == "a=1|b=2|c=3");
  BOOST_TEST(pairs("a=1") == "a=1");  // no terminator at the end
}

BOOST_AUTO_TEST_CASE(continuations_join_natural_lines) {
  BOOST_TEST(pairs("fruits  apple, banana, \\\n        cantaloupe, \\\n    kiwi\n") == "fruits=apple, banana, cantaloupe, kiwi");
  BOOST_TEST(pairs("a=1\\\r\n   2\n") == "a=12");
  BOOST_TEST(pairs("a=1\\\r   2\n") == "a=12");
  // A key may be continued too.
  BOOST_TEST(pairs("lin\\\n  ger.ms=5\n") == "linger.ms=5");
  // A continued line starting with '#' is data, not a comment.
  BOOST_TEST(pairs("a=1\\\n#2\n") == "a=1#2");
  // An even run of backslashes does not continue the line: it is escaped backslashes.
  BOOST_TEST(pairs("a=x\\\\\nb=2\n") == "a=x\\|b=2");
  BOOST_TEST(pairs("a=x\\\\\\\n  y\n") == "a=x\\y");
  // A continuation onto a line of white space only ends the logical line there.
  BOOST_TEST(pairs("a=1\\\n   \nb=2\n") == "a=1|b=2");
  // A backslash ending the file is dropped, as Java's LineReader drops it; alone, it
  // still makes a line: the key "" with the value "" (found by fuzzing: it crashed).
  BOOST_TEST(pairs("a=1\\") == "a=1");
  BOOST_TEST(pairs("# c\n\\") == "=");
  const auto alone = parse("# c\n  \\");
  BOOST_REQUIRE(alone.size() == 1u);
  BOOST_TEST(alone[0].key_at.line == 2);
  BOOST_TEST(alone[0].key_at.column == 3);
  BOOST_TEST(alone[0].value_at.column == 3);
  // Continuations that leave nothing make a blank line, as in Java.
  BOOST_TEST(pairs("\\\n   \nb=2\n") == "b=2");
  BOOST_TEST(pairs("\\\n").empty());
}

BOOST_AUTO_TEST_CASE(escapes) {
  BOOST_TEST(pairs("a=\\t\\n\\r\\f\n") == "a=\t\n\r\f");
  // A backslash before any other character stands for that character.
  BOOST_TEST(pairs("a=\\b\\q\\\\\n") == "a=bq\\");
  // Key terminators escaped into a key.
  BOOST_TEST(pairs("\\:\\==x\n") == ":==x");
  BOOST_TEST(pairs("key\\ with\\ spaces = v\n") == "key with spaces=v");
  BOOST_TEST(pairs("\\#not.a.comment=1\n") == "#not.a.comment=1");
  // \uXXXX, case-insensitive hex, to UTF-8; a surrogate pair is one character.
  BOOST_TEST(pairs("a=\\u0041\\u00e9\\u20AC\n") == "a=A\xc3\xa9\xe2\x82\xac");
  BOOST_TEST(pairs("a=\\uD83D\\uDE00\n") == "a=\xf0\x9f\x98\x80");
  BOOST_TEST(pairs("\\u0061=1\n") == "a=1");
  // UTF-8 text passes through.
  BOOST_TEST(pairs("a=caf\xc3\xa9\n") == "a=caf\xc3\xa9");
}

BOOST_AUTO_TEST_CASE(a_repeated_key_keeps_its_last_value_at_its_last_place) {
  const auto properties = parse("a=1\nb=2\na=3\n");
  BOOST_REQUIRE(properties.size() == 2u);
  BOOST_TEST(properties[0].key == "b");
  BOOST_TEST(properties[1].key == "a");
  BOOST_TEST(properties[1].value == "3");
  BOOST_TEST(properties[1].key_at.line == 3);
}

BOOST_AUTO_TEST_CASE(keys_and_values_are_placed_at_their_own_line_and_column) {
  const auto properties = parse("# header\n\n   linger.ms =  20\nr\\\n  equest.timeout.ms=\\\n    2000\nk\xc3\xa9y=v\ne=\n");
  BOOST_REQUIRE(properties.size() == 4u);
  BOOST_TEST(properties[0].key_at.line == 3);
  BOOST_TEST(properties[0].key_at.column == 4);
  BOOST_TEST(properties[0].value_at.line == 3);
  BOOST_TEST(properties[0].value_at.column == 17);
  BOOST_TEST(properties[1].key == "request.timeout.ms");
  BOOST_TEST(properties[1].key_at.line == 4);
  BOOST_TEST(properties[1].value_at.line == 6);  // the value starts on its continuation line
  BOOST_TEST(properties[1].value_at.column == 5);
  BOOST_TEST(properties[2].value_at.column == 5);  // columns count characters, not bytes
  BOOST_TEST(properties[3].value_at.line == 8);    // an empty value: just after the separator
  BOOST_TEST(properties[3].value_at.column == 3);
}

BOOST_AUTO_TEST_CASE(malformed_unicode_escapes_are_errors_at_their_place) {
  BOOST_TEST(errors_of("a=1\nb=x\\u12G4\n") ==
             "p.properties:2:4: malformed \\uXXXX escape: \\u must be followed by four hex digits\n");
  BOOST_TEST(errors_of("b=\\u12") == "p.properties:1:3: malformed \\uXXXX escape: \\u must be followed by four hex digits\n");
  BOOST_TEST(errors_of("b=\\uD800x\n") == "p.properties:1:3: \\uD800 is half of a UTF-16 surrogate pair\n");
}

BOOST_AUTO_TEST_CASE(binary_text_is_refused) {
  BOOST_TEST(errors_of(std::string("a=1\nb=\0\n", 8)) == "p.properties:2:3: not a text file (NUL byte or invalid UTF-8)\n");
  BOOST_TEST(errors_of("a=\xff\n") == "p.properties:1:3: not a text file (NUL byte or invalid UTF-8)\n");
}

BOOST_AUTO_TEST_CASE(a_byte_order_mark_is_refused) {
  // Kafka would read it as part of the key "\xef\xbb\xbfacks" and ignore acks.
  BOOST_TEST(errors_of("\xef\xbb\xbf" "acks=all\n") ==
             "p.properties:1:1: the file starts with a UTF-8 byte order mark, which Kafka reads as part of the first key; "
             "remove it\n");
}

BOOST_AUTO_TEST_CASE(too_many_keys_are_refused) {
  std::string text;
  for (std::size_t i = 0; i <= kMaxProperties; ++i) text += fmt::format("k{}=1\n", i);
  BOOST_TEST(errors_of(text) == fmt::format("p.properties:{}:1: more than {} keys; a properties file holds far fewer\n",
                                            kMaxProperties + 1, kMaxProperties));
  // A repeated key counts once.
  std::string repeated;
  for (std::size_t i = 0; i <= kMaxProperties; ++i) repeated += "k=1\n";
  BOOST_TEST(pairs(repeated) == "k=1");
}

BOOST_AUTO_TEST_CASE(an_empty_file_has_no_properties) {
  BOOST_TEST(pairs("").empty());
  BOOST_TEST(pairs("# only comments\n\n").empty());
}
