#define BOOST_TEST_MODULE yaml_loader
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sim/scenario/did_you_mean.h"
#include "sim/scenario/yaml_loader.h"

using namespace ksim::scenario;

namespace {

// The errors of loading `text` as a.yaml, one per line.
std::string load_errors(const std::string& text, const LoadLimits& limits = {}) {
  InputErrors errors;
  const auto root = load_yaml(text, "a.yaml", errors, limits);
  BOOST_TEST(root.has_value() == errors.empty());
  return errors.to_string();
}

std::string repeat(const std::string& piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_good_file_loads) {
  InputErrors errors;
  const auto root = load_yaml("producers:\n  - config:\n      acks: all\n", "a.yaml", errors);
  BOOST_TEST(errors.empty());
  BOOST_REQUIRE(root.has_value());
  BOOST_TEST((*root)["producers"][0]["config"]["acks"].Scalar() == "all");
}

BOOST_AUTO_TEST_CASE(empty_files) {
  BOOST_TEST(load_errors("") == "a.yaml: file is empty\n");
  BOOST_TEST(load_errors(" \n\n\t\n") == "a.yaml: file is empty\n");
  BOOST_TEST(load_errors("# only a comment\n") == "a.yaml: file is empty (only comments)\n");
}

BOOST_AUTO_TEST_CASE(binary_files) {
  BOOST_TEST(load_errors(std::string("a: 1\nb: \0\n", 10)) == "a.yaml:2:4: not a text file (NUL byte or invalid UTF-8)\n");
  BOOST_TEST(load_errors("a: \xff\xfe\n") == "a.yaml:1:4: not a text file (NUL byte or invalid UTF-8)\n");
  BOOST_TEST(load_errors("a: \xc0\xaf\n") == "a.yaml:1:4: not a text file (NUL byte or invalid UTF-8)\n");    // overlong '/'
  BOOST_TEST(load_errors("a: \xed\xa0\x80\n") == "a.yaml:1:4: not a text file (NUL byte or invalid UTF-8)\n");  // surrogate
  BOOST_TEST(load_errors("a: caf\xc3\xa9\n").empty());
}

BOOST_AUTO_TEST_CASE(huge_files) {
  const std::string text = "a: \"" + std::string(2 * 1024 * 1024, 'x') + "\"\n";
  BOOST_TEST(load_errors(text) == "a.yaml: file is 2097158 bytes; scenario files are limited to 1 MiB\n");
}

BOOST_AUTO_TEST_CASE(huge_files_on_disk_are_not_read_whole) {
  const std::string path = "test_yaml_loader_huge.yaml";
  {
    std::ofstream out(path, std::ios::binary);
    out << "a: \"" << std::string(3 * 1024 * 1024, 'x') << "\"\n";
  }
  InputErrors errors;
  BOOST_TEST(!load_yaml_file(path, errors).has_value());
  BOOST_TEST(errors.to_string() == path + ": file is 3145734 bytes; scenario files are limited to 1 MiB\n");
  std::remove(path.c_str());
  InputErrors missing;
  BOOST_TEST(!load_yaml_file("no/such/file.yaml", missing).has_value());
  BOOST_TEST(missing.to_string() == "no/such/file.yaml: cannot open the file\n");
}

BOOST_AUTO_TEST_CASE(malformed_yaml) {
  BOOST_TEST(load_errors("a: [1, 2\nb: 3\n") == "a.yaml:2:2: malformed YAML: end of sequence flow not found\n");
  BOOST_TEST(load_errors("a: 1\n b: 2\n") == "a.yaml:2:3: malformed YAML: illegal map value\n");
  BOOST_TEST(load_errors("a: b: c\n") == "a.yaml:1:5: malformed YAML: illegal map value\n");
  BOOST_TEST(load_errors("a:\n\t- 1\n") == "a.yaml:2:2: malformed YAML: illegal block entry\n");
  BOOST_TEST(load_errors("a: *nowhere\n") == "a.yaml:1:4: malformed YAML: the referenced anchor is not defined\n");
}

BOOST_AUTO_TEST_CASE(the_top_level_must_be_one_map) {
  BOOST_TEST(load_errors("- 1\n- 2\n") == "a.yaml:1:1: the top level must be a map of sections, got a sequence\n");
  BOOST_TEST(load_errors("just text\n") == "a.yaml:1:1: the top level must be a map of sections, got \"just text\"\n");
  BOOST_TEST(load_errors("a: 1\n---\nb: 2\n") == "a.yaml:2:1: file holds more than one YAML document; a scenario file holds one\n");
}

BOOST_AUTO_TEST_CASE(deep_flow_nesting_is_refused_before_parsing) {
  // 10^5 open brackets would overflow a recursive parser's stack.
  BOOST_TEST(load_errors("a: " + std::string(100'000, '[')) == "a.yaml:1:68: nesting is deeper than 64 levels\n");
  BOOST_TEST(load_errors(std::string(100'000, '{')) == "a.yaml:1:65: nesting is deeper than 64 levels\n");
  BOOST_TEST(load_errors("a: " + std::string(60, '[') + std::string(60, ']') + "\n").empty());
  // Brackets in quotes and comments do not count.
  BOOST_TEST(load_errors("a: \"" + std::string(100, '[') + "\"  # " + std::string(100, '{') + "\n").empty());
  BOOST_TEST(load_errors("a: '" + std::string(100, '[') + "'\n").empty());
}

BOOST_AUTO_TEST_CASE(block_entries_in_flow_collections_never_reach_yaml_cpp) {
  // yaml-cpp 0.7 loops forever on these (found by fuzzing).
  const std::string message = "malformed YAML: a block entry \"- \" inside a flow collection ([...] or {...})\n";
  BOOST_TEST(load_errors("x: [\n -\n") == "a.yaml:2:2: " + message);
  BOOST_TEST(load_errors("{ -\n") == "a.yaml:1:3: " + message);
  BOOST_TEST(load_errors(", a\n") == "a.yaml:1:1: malformed YAML: \",\" outside a flow collection ([...] or {...})\n");
  BOOST_TEST(load_errors("a: x, y\nb: [1, 2]\n").empty());
  BOOST_TEST(load_errors("a: [x, -1, -y]\nb: a[0\n- c\n").find("block entry") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(deep_block_nesting_is_refused) {
  // Block nesting: yaml-cpp's own depth guard, then our limit after parsing.
  BOOST_TEST(load_errors(repeat("- ", 100'000) + "x\n").find("nesting is deeper than 64 levels") != std::string::npos);
  std::string indented;
  for (int i = 0; i < 600; ++i) indented += std::string(static_cast<std::size_t>(i), ' ') + "a:\n";
  BOOST_TEST(load_errors(indented).find("nesting is deeper than 64 levels") != std::string::npos);
  std::string seventy;
  for (int i = 0; i < 70; ++i) seventy += std::string(static_cast<std::size_t>(i), ' ') + "a:\n";
  BOOST_TEST(load_errors(seventy) == "a.yaml:65:65: nesting is deeper than 64 levels\n");
}

BOOST_AUTO_TEST_CASE(alias_bombs_are_refused) {
  // Ten levels of ten aliases each: 10^9 nodes when expanded.
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 9; ++i) {
    const std::string alias = fmt::format("*a{}", i - 1);
    text += fmt::format("a{0}: &a{0} [{1}]\n", i, fmt::join(std::vector<std::string>(10, alias), ", "));
  }
  const std::string errors = load_errors(text);
  BOOST_TEST(errors.find("file has more than 100000 YAML nodes (a node reached through an alias counts each time)") !=
             std::string::npos, errors);
  // A few aliases are fine.
  BOOST_TEST(load_errors("base: &base {acks: all}\np1: *base\np2: *base\n").empty());
}

BOOST_AUTO_TEST_CASE(limits_can_be_set) {
  LoadLimits small;
  small.max_bytes = 10;
  BOOST_TEST(load_errors("a: 12345678901\n", small) == "a.yaml: file is 15 bytes; scenario files are limited to 10 bytes\n");
  LoadLimits few;
  few.max_nodes = 4;
  BOOST_TEST(load_errors("a: 1\nb: 2\n", few) == "a.yaml:1:1: file has more than 4 YAML nodes (a node reached through an alias counts each time)\n");
}

BOOST_AUTO_TEST_CASE(suggestions) {
  BOOST_TEST(edit_distance("acks", "acsk") == 1U);
  BOOST_TEST(edit_distance("ACKS", "acks") == 0U);
  BOOST_TEST(edit_distance("linger.ms", "lingr.ms") == 1U);
  BOOST_TEST(edit_distance("", "abc") == 3U);
  const std::vector<std::string> keys{"acks", "linger.ms", "enable.idempotence"};
  BOOST_TEST(did_you_mean("acsk", keys).value_or("") == "acks");
  BOOST_TEST(did_you_mean("enable.idempotense", keys).value_or("") == "enable.idempotence");
  BOOST_TEST(!did_you_mean("retries", keys).has_value());
  BOOST_TEST(!did_you_mean("x", {"y"}).has_value());
}
