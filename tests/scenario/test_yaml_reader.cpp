#define BOOST_TEST_MODULE yaml_reader
#include <boost/test/unit_test.hpp>

#include <string>

#include "sim/scenario/yaml_loader.h"
#include "sim/scenario/yaml_reader.h"

using namespace ksim;
using namespace ksim::scenario;

namespace {

// Loads `text` as a.yaml and gives a reader of its top level.
struct Fixture {
  explicit Fixture(const std::string& text) : context("a.yaml", errors) {
    root = load_yaml(text, "a.yaml", errors);
    BOOST_REQUIRE_MESSAGE(root.has_value(), errors.to_string());
  }
  MapReader top() { return MapReader(*root, "", context); }
  std::string report() const { return errors.to_string(); }

  InputErrors errors;
  ReadContext context;
  std::optional<YAML::Node> root;
};

}  // namespace

BOOST_AUTO_TEST_CASE(reads_every_type) {
  Fixture f(
      "flag: true\n"
      "count: -3\n"
      "big: 18446744073709551615\n"
      "ratio: 0.25\n"
      "name: orders\n"
      "quoted: \"7\"\n"
      "timeout: 1.1s\n"
      "rate: 2.5/s\n"
      "size: 16KiB\n"
      "loss: 1%\n"
      "seeds: 1..200\n"
      "expect: \">= 3\"\n"
      "acks: all\n");
  MapReader top = f.top();
  BOOST_TEST(top.required<bool>("flag"));
  BOOST_TEST(top.required<std::int64_t>("count") == -3);
  BOOST_TEST(top.required<std::uint64_t>("big") == 18446744073709551615U);
  BOOST_TEST(top.required<double>("ratio") == 0.25);
  BOOST_TEST(top.required<std::string>("name") == "orders");
  BOOST_TEST(top.required<std::int64_t>("quoted") == 7);  // only the text counts
  BOOST_TEST(top.required<Duration>("timeout").ns == 1'100'000'000);
  BOOST_TEST(top.required<Rate>("rate").per_second() == 2.5);
  BOOST_TEST(top.required<ByteSize>("size").bytes == 16384U);
  BOOST_TEST(top.required<Probability>("loss").value == 0.01);
  BOOST_TEST(top.required<SeedRange>("seeds").count() == 200U);
  BOOST_TEST(top.required<Bound>("expect").holds(3));
  BOOST_TEST(top.required_enum("acks", {"0", "1", "all", "-1"}) == "all");
  top.finish();
  BOOST_TEST(f.errors.empty(), f.report());
}

BOOST_AUTO_TEST_CASE(optional_keys_take_the_fallback_only_when_absent) {
  Fixture f("present: 5\nempty:\n");
  MapReader top = f.top();
  BOOST_TEST(top.optional<std::int64_t>("absent", 42) == 42);
  BOOST_TEST(top.optional<std::int64_t>("present", 42) == 5);
  BOOST_TEST(top.optional_enum("mode", {"a", "b"}, "a") == "a");
  BOOST_TEST(!top.optional_map("section").has_value());
  BOOST_TEST(!top.optional_sequence("list").has_value());
  top.optional<std::int64_t>("empty", 1);
  top.finish();
  BOOST_TEST(f.report() == "a.yaml:2:1: empty: expected an integer, got null (no value)\n");
}

BOOST_AUTO_TEST_CASE(dotted_kafka_keys_and_nested_paths) {
  Fixture f(
      "producers:\n"
      "  - config:\n"
      "      enable.idempotence: true\n"
      "      acks: all\n"
      "  - config:\n"
      "      enable.idempotence: yes\n"
      "      acks: 2\n");
  MapReader top = f.top();
  SequenceReader producers = top.sequence("producers");
  BOOST_REQUIRE(producers.size() == 2U);
  for (std::size_t i = 0; i < producers.size(); ++i) {
    MapReader producer = producers.map(i);
    MapReader config = producer.map("config");
    config.required<bool>("enable.idempotence");
    config.required_enum("acks", {"0", "1", "all", "-1"});
    config.finish();
    producer.finish();
  }
  top.finish();
  BOOST_TEST(f.report() ==
             "a.yaml:6:27: producers[1].config.enable.idempotence: expected true or false, got \"yes\"\n"
             "a.yaml:7:13: producers[1].config.acks: expected one of 0, 1, all, -1, got \"2\"\n");
}

BOOST_AUTO_TEST_CASE(unknown_keys_with_did_you_mean) {
  Fixture f(
      "producers:\n"
      "  - config:\n"
      "      acsk: all\n"
      "      colour: red\n");
  MapReader top = f.top();
  SequenceReader producers = top.sequence("producers");
  MapReader producer = producers.map(0);
  MapReader config = producer.map("config");
  config.optional_enum("acks", {"0", "1", "all", "-1"}, "all");
  config.optional<Duration>("linger.ms", Duration{0});
  config.finish();
  producer.finish();
  top.finish();
  BOOST_TEST(f.report() ==
             "a.yaml:3:7: producers[0].config: unknown key \"acsk\"; did you mean \"acks\"?\n"
             "a.yaml:4:7: producers[0].config: unknown key \"colour\"\n");
}

BOOST_AUTO_TEST_CASE(skipped_and_listed_keys_are_not_unknown) {
  Fixture f("description: free text\ntopics:\n  orders: 3\n  payments: 6\n");
  MapReader top = f.top();
  top.skip("description");
  MapReader topics = top.map("topics");
  BOOST_TEST((topics.keys() == std::vector<std::string>{"orders", "payments"}));
  for (const std::string& topic : topics.keys()) topics.required<std::int64_t>(topic, Range<std::int64_t>{1, 100});
  topics.finish();
  top.finish();
  BOOST_TEST(f.errors.empty(), f.report());
}

BOOST_AUTO_TEST_CASE(wrong_types) {
  Fixture f(
      "count: abc\n"
      "list: [1, 2]\n"
      "section: {a: 1}\n"
      "name: [x]\n"
      "child: 5\n"
      "items: {a: 1}\n");
  MapReader top = f.top();
  top.required<std::int64_t>("count");
  top.required<std::int64_t>("list");
  top.required<Duration>("section");
  top.required<std::string>("name");
  top.map("child").required<std::int64_t>("never_reported");
  top.sequence("items");
  top.finish();
  BOOST_TEST(f.report() ==
             "a.yaml:1:8: count: expected an integer, got \"abc\"\n"
             "a.yaml:2:7: list: expected an integer, got a sequence\n"
             "a.yaml:3:10: section: expected a duration such as 250ms, got a map\n"
             "a.yaml:4:7: name: expected a string, got a sequence\n"
             "a.yaml:5:8: child: expected a map, got \"5\"\n"
             "a.yaml:6:8: items: expected a sequence, got a map\n");
}

BOOST_AUTO_TEST_CASE(out_of_range) {
  Fixture f(
      "replicas: 0\n"
      "ratio: 1.5\n"
      "timeout: 2h\n"
      "partitions: 100000\n"
      "seeds: [1, 2, 300]\n"
      "nan: .nan\n");
  MapReader top = f.top();
  BOOST_TEST(top.required<std::int64_t>("replicas", Range<std::int64_t>{1, std::nullopt}) == 0);
  top.required<double>("ratio", Range<double>{0.0, 1.0});
  top.optional<Duration>("timeout", Duration{0}, Range<Duration>{std::nullopt, Duration{seconds(60)}});
  top.required<std::uint64_t>("partitions", Range<std::uint64_t>{1, 1000});
  SequenceReader seeds = top.sequence("seeds");
  for (std::size_t i = 0; i < seeds.size(); ++i) seeds.get<std::int64_t>(i, Range<std::int64_t>{0, 255});
  top.required<double>("nan");
  top.finish();
  BOOST_TEST(f.report() ==
             "a.yaml:1:11: replicas: must be at least 1, got \"0\"\n"
             "a.yaml:2:8: ratio: must be between 0 and 1, got \"1.5\"\n"
             "a.yaml:3:10: timeout: must be at most 1m, got \"2h\"\n"
             "a.yaml:4:13: partitions: must be between 1 and 1000, got \"100000\"\n"
             "a.yaml:5:15: seeds[2]: must be between 0 and 255, got \"300\"\n"
             "a.yaml:6:6: nan: expected a number, got \".nan\"\n");
}

BOOST_AUTO_TEST_CASE(missing_required_keys) {
  Fixture f("network:\n  latency: 5ms\n");
  MapReader top = f.top();
  MapReader network = top.map("network");
  network.required<Duration>("latency");
  network.required<Probability>("loss");
  network.finish();
  top.map("brokers");  // absent: reported once, the stand-in reports nothing more
  top.finish();
  BOOST_TEST(f.report() ==
             "a.yaml:1:1: missing required key \"brokers\"\n"
             "a.yaml:2:3: network: missing required key \"loss\"\n");
}

BOOST_AUTO_TEST_CASE(duplicate_keys) {
  Fixture f("acks: all\nretries: 3\nacks: 1\n");
  MapReader top = f.top();
  BOOST_TEST(top.required<std::string>("acks") == "all");
  top.required<std::int64_t>("retries");
  top.finish();
  BOOST_TEST(f.report() == "a.yaml:3:1: acks: duplicate key \"acks\" (first given at line 1, column 1)\n");
}

BOOST_AUTO_TEST_CASE(keys_must_be_strings) {
  Fixture f("? [a, b]\n: 1\nok: 2\n");
  MapReader top = f.top();
  top.required<std::int64_t>("ok");
  top.finish();
  BOOST_TEST(f.report() == "a.yaml:1:3: keys must be strings, got a sequence\n");
}

BOOST_AUTO_TEST_CASE(bools_are_only_true_and_false) {
  Fixture f("a: yes\nb: True\nc: on\nd: 1\ne: false\n");
  MapReader top = f.top();
  for (const char* key : {"a", "b", "c", "d"}) top.required<bool>(key);
  BOOST_TEST(!top.required<bool>("e"));
  top.finish();
  BOOST_TEST(f.report() ==
             "a.yaml:1:4: a: expected true or false, got \"yes\"\n"
             "a.yaml:2:4: b: expected true or false, got \"True\"\n"
             "a.yaml:3:4: c: expected true or false, got \"on\"\n"
             "a.yaml:4:4: d: expected true or false, got \"1\"\n");
}

BOOST_AUTO_TEST_CASE(all_errors_of_a_file_come_out_at_once_in_line_order) {
  Fixture f(
      "name: demo\n"
      "duration: 30\n"
      "network:\n"
      "  los: 1%\n"
      "producers:\n"
      "  - acks: 2\n");
  MapReader top = f.top();
  top.required<std::string>("name");
  // Read out of file order: the report is sorted by position all the same.
  SequenceReader producers = top.sequence("producers");
  MapReader producer = producers.map(0);
  producer.required_enum("acks", {"0", "1", "all", "-1"});
  producer.finish();
  MapReader network = top.map("network");
  network.optional<Probability>("loss", Probability{0});
  network.finish();
  top.required<Duration>("duration");
  top.finish();
  BOOST_TEST(f.errors.size() == 3U);
  BOOST_TEST(f.report() ==
             "a.yaml:2:11: duration: \"30\" has no unit; durations need a unit, e.g. 250ms\n"
             "a.yaml:4:3: network: unknown key \"los\"; did you mean \"loss\"?\n"
             "a.yaml:6:11: producers[0].acks: expected one of 0, 1, all, -1, got \"2\"\n");
}

BOOST_AUTO_TEST_CASE(a_top_level_that_is_not_a_map_is_reported_by_the_reader_too) {
  InputErrors errors;
  ReadContext context("a.yaml", errors);
  MapReader top(YAML::Load("[1, 2]"), "", context);
  top.required<std::int64_t>("x");
  top.finish();
  BOOST_TEST(errors.to_string() == "a.yaml:1:1: expected a map, got a sequence\n");
}
