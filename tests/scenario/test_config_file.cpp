#define BOOST_TEST_MODULE config_file
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "sim/scenario/scenario_loader.h"

// `config_file:` (a Kafka .properties file) under `config:` for the cluster, producers and
// consumer groups: the merge order, the same validation as YAML at the file's own places,
// warnings for keys ksim does not model, errors for misspelt ones and for bad files.

using namespace ksim;
using namespace ksim::scenario;

namespace {

// A folder of its own per test case, holding the scenario and its properties files.
class Folder {
 public:
  explicit Folder(const std::string& name) : path_("test_config_file_" + name) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~Folder() { std::filesystem::remove_all(path_); }
  Folder(const Folder&) = delete;
  Folder& operator=(const Folder&) = delete;

  std::string write(const std::string& name, const std::string& text) const {
    const std::string file = path_ + "/" + name;
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A one-mode scenario whose producer, group and cluster take what `sections` says.
std::string scenario_with(const std::string& cluster, const std::string& producer, const std::string& consumer) {
  return "version: 1\nname: t\nmodes: [as-configured]\ncluster:\n  brokers: 3\n" + cluster +
         "producers:\n  - messages: 10\n" + producer + "consumers:\n  - name: g\n" + consumer;
}

struct Loaded {
  std::optional<Scenario> scenario;
  InputErrors errors;
};

Loaded load(const Folder& folder, const std::string& text) {
  Loaded loaded;
  loaded.scenario = load_scenario_file(folder.write("s.yaml", text), loaded.errors);
  return loaded;
}

kafka::WorldConfig config_of(const Loaded& loaded) {
  BOOST_REQUIRE_MESSAGE(loaded.scenario.has_value(), loaded.errors.to_string());
  InputErrors errors;
  kafka::WorldConfig config = build_mode_config(*loaded.scenario, loaded.scenario->modes.front(), errors);
  BOOST_TEST(errors.empty(), errors.to_string());
  return config;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_file_gives_keys_and_config_wins) {
  const Folder folder("merge");
  folder.write("producer.properties", "acks=1\nlinger.ms=20\nretries: 3\n");
  folder.write("server.properties", "min.insync.replicas=2\n");
  folder.write("consumer.properties", "max.poll.records 50\n");
  const auto loaded = load(folder, scenario_with("  config_file: server.properties\n",
                                                 "    config_file: producer.properties\n    config: {linger.ms: 5}\n",
                                                 "    config_file: consumer.properties\n"));
  const kafka::WorldConfig config = config_of(loaded);
  BOOST_TEST(loaded.errors.warnings().empty());
  const kafka::ProducerConfig& producer = config.producers.at(0).config;
  BOOST_TEST((producer.acks == kafka::Acks::leader));  // from the file
  BOOST_TEST(producer.retries == 3u);                  // from the file
  BOOST_TEST(producer.linger_ns == milliseconds(5));   // config: wins over the file's 20
  BOOST_TEST(config.cluster.broker.min_insync_replicas == 2u);
  BOOST_TEST(config.consumer_groups.at(0).config.max_poll_records == 50u);
}

BOOST_AUTO_TEST_CASE(every_mode_sees_the_file_as_read_at_load_time) {
  const Folder folder("once");
  folder.write("producer.properties", "linger.ms=20\n");
  const auto loaded = load(folder, scenario_with("", "    config_file: producer.properties\n", ""));
  BOOST_REQUIRE(loaded.scenario.has_value());
  std::filesystem::remove(folder.file("producer.properties"));
  BOOST_TEST(config_of(loaded).producers.at(0).config.linger_ns == milliseconds(20));
}

BOOST_AUTO_TEST_CASE(keys_ksim_does_not_model_are_warnings_at_their_line) {
  const Folder folder("warn");
  folder.write("producer.properties", "# ours\nbootstrap.servers=kafka:9092\n  compression.type lz4\nacks=all\n");
  const auto loaded = load(folder, scenario_with("", "    config_file: producer.properties\n", ""));
  BOOST_TEST(loaded.scenario.has_value());
  const std::string file = folder.file("producer.properties");
  BOOST_TEST(loaded.errors.warnings_to_string() ==
             file + ":2:1: warning: producers[0].config: ksim does not model \"bootstrap.servers\"; ignored\n" + file +
                 ":3:3: warning: producers[0].config: ksim does not model \"compression.type\"; ignored\n");
}

BOOST_AUTO_TEST_CASE(misspelt_keys_are_errors_with_a_suggestion_at_the_files_line_and_column) {
  const Folder folder("misspelt");
  folder.write("consumer.properties", "group.id=g\n\n   enable.auto.comit=false\n");
  const auto loaded = load(folder, scenario_with("", "", "    config_file: consumer.properties\n"));
  BOOST_TEST(!loaded.scenario.has_value());
  BOOST_TEST(loaded.errors.to_string() == folder.file("consumer.properties") +
                                             ":3:4: consumers[0].config: unknown key \"enable.auto.comit\"; did you "
                                             "mean \"enable.auto.commit\"?\n");
}

BOOST_AUTO_TEST_CASE(values_from_the_file_are_validated_as_in_yaml) {
  const Folder folder("values");
  folder.write("producer.properties", "acks=2\nlinger.ms = soon\nmax.in.flight.requests.per.connection=\\\n   0\n");
  folder.write("server.properties", "min.insync.replicas=0\n");
  const auto loaded = load(folder, scenario_with("  config_file: server.properties\n",
                                                 "    config_file: producer.properties\n", ""));
  BOOST_TEST(!loaded.scenario.has_value());
  const std::string producer = folder.file("producer.properties");
  BOOST_TEST(loaded.errors.to_string() ==
             producer + ":1:6: producers[0].config.acks: expected one of 0, 1, all, -1, got \"2\"\n" + producer +
                 ":2:13: producers[0].config.linger.ms: expected a duration such as 250ms, got \"soon\"\n" +
                 producer + ":4:4: producers[0].config.max.in.flight.requests.per.connection: must be between 1 and 1000, got \"0\"\n" +
                 folder.file("server.properties") +
                 ":1:21: cluster.config.min.insync.replicas: must be between 1 and 100, got \"0\"\n");
}

BOOST_AUTO_TEST_CASE(contradictions_involving_a_file_key_point_at_the_file) {
  const Folder folder("contradiction");
  folder.write("producer.properties", "enable.idempotence=true\n");
  const auto loaded = load(folder, scenario_with("", "    config_file: producer.properties\n    config: {acks: 1}\n", ""));
  BOOST_TEST(!loaded.scenario.has_value());
  BOOST_TEST(loaded.errors.to_string().rfind(folder.file("producer.properties") + ":1:20: producers[0].config.enable.idempotence: ", 0) == 0u,
             loaded.errors.to_string());
}

BOOST_AUTO_TEST_CASE(files_that_cannot_be_used_are_errors) {
  const Folder folder("bad");
  folder.write("binary.properties", std::string("acks=all\nlinger.ms=\0\n", 21));
  folder.write("huge.properties", "a=" + std::string(2 * 1024 * 1024, 'x') + "\n");
  folder.write("escape.properties", "acks=\\u00\n");
  std::filesystem::create_directories(folder.file("folder.properties"));
  auto errors_for = [&](const std::string& name) {
    const auto loaded = load(folder, scenario_with("", "    config_file: " + name + "\n", ""));
    BOOST_TEST(!loaded.scenario.has_value());
    return loaded.errors.to_string();
  };
  const std::string s = folder.file("s.yaml");
  BOOST_TEST(errors_for("missing.properties") ==
             s + ":8:18: producers[0].config_file: cannot read \"" + folder.file("missing.properties") + "\": no such file\n");
  BOOST_TEST(errors_for("folder.properties") ==
             s + ":8:18: producers[0].config_file: cannot read \"" + folder.file("folder.properties") + "\": is a folder, not a file\n");
  BOOST_TEST(errors_for("huge.properties") == s + ":8:18: producers[0].config_file: cannot read \"" + folder.file("huge.properties") +
                                                  "\": file is 2097155 bytes; properties files are limited to 1 MiB\n");
  BOOST_TEST(errors_for("binary.properties") == folder.file("binary.properties") + ":2:11: not a text file (NUL byte or invalid UTF-8)\n");
  BOOST_TEST(errors_for("escape.properties") ==
             folder.file("escape.properties") + ":1:6: malformed \\uXXXX escape: \\u must be followed by four hex digits\n");
  BOOST_TEST(errors_for("/dev/zero") == s + ":8:18: producers[0].config_file: cannot read \"/dev/zero\": is not a regular file\n");
  BOOST_TEST(errors_for("\"\"") == s + ":8:18: producers[0].config_file: names no file\n");
  BOOST_TEST(errors_for("[a]") == s + ":8:18: producers[0].config_file: expected a string, got a sequence\n");
}

BOOST_AUTO_TEST_CASE(a_file_named_twice_is_read_and_reported_once) {
  const Folder folder("twice");
  folder.write("bad.properties", "acks=\\uZZZZ\n");
  const std::string text = "version: 1\nname: t\ncluster: {brokers: 3}\nproducers:\n"
                           "  - {name: a, messages: 1, config_file: bad.properties}\n"
                           "  - {name: b, messages: 1, config_file: bad.properties}\n";
  const auto loaded = load(folder, text);
  BOOST_TEST(loaded.errors.size() == 1u, loaded.errors.to_string());
}

BOOST_AUTO_TEST_CASE(server_properties_names_of_the_flush_settings_are_read) {
  const Folder folder("flush");
  folder.write("server.properties", "log.flush.interval.messages=1\nlog.flush.interval.ms=50\n");
  const auto loaded = load(folder, scenario_with("  config_file: server.properties\n", "", ""));
  const kafka::WorldConfig config = config_of(loaded);
  BOOST_TEST(loaded.errors.warnings().empty(), loaded.errors.warnings_to_string());
  BOOST_TEST(config.cluster.broker.flush_messages == 1u);
  BOOST_TEST(config.cluster.broker.flush_ns == milliseconds(50));
  // Both names of one setting: a contradiction, at the file's line.
  const auto both = load(folder, scenario_with("  config_file: server.properties\n  config: {flush.messages: 2}\n", "", ""));
  BOOST_TEST(both.errors.to_string() == folder.file("server.properties") +
                                            ":1:29: cluster.config.log.flush.interval.messages: sets the same as "
                                            "flush.messages: give one of them\n");
}
