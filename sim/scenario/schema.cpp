#include "sim/scenario/schema.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "sim/core/assert.h"
#include "sim/scenario/read_world.h"
#include "sim/scenario/units.h"

namespace ksim::scenario {

namespace {

using Json = nlohmann::ordered_json;

// Exploration documents: between them every map and list the loader reads is present
// once, and every key the loader reads only when present (has()) is set, so the recording
// read enters every branch. Enum branches are explored automatically. They need not be
// valid scenarios (errors are ignored); a key they miss shows up in
// ScenarioSchema::unexplored, which the schema test requires to be empty.
const char* const kExploration[] = {
    R"(version: 1
name: explore
description: d
seed: 1
seeds: 1..2
duration: 10s
drain: 10s
limits: {max_events: 1000, max_time: 10s}
modes: [at-least-once]
expect:
  at-least-once:
    lost: 0
    duplicated: {bound: "> 0", in: some-seed}
cluster:
  kafka.version: "3.9"
  brokers: 3
  racks: [a, b, c]
  os.flush.phases: [1s, ~]
  topics: [{name: events, partitions: 1, replication.factor: 3, min.insync.replicas: 2}]
  config_file: server.properties
  config: {strict.min.isr: true, flush.ms: 0, flush.messages: 0}
producers:
  - {name: p, client.version: "3.9", messages: 10, application_queue: 10, keys: 10, config_file: producer.properties,
     config: {transactional.id: t, enable.idempotence: true}}
consumers:
  - {name: g, client.version: "3.9", commit: transactional, sink: plain, config_file: consumer.properties, config: {enable.auto.commit: false}, output: {topic: t}}
network:
  latency: {distribution: constant, mean: 1ms}
  loss_model: {model: independent, probability: 0}
  zones: {a: [broker-1]}
  transport: tcp
  inter_zone: {latency: {distribution: constant, mean: 1ms}, loss_model: {model: independent, probability: 0}, transport: tcp}
  links: [{from: broker-1, to: broker-2, latency: {distribution: constant, mean: 1ms},
           loss_model: {model: independent, probability: 0}, transport: tcp}]
faults:
  - {at: 1s, kind: crash, targets: [broker-1]}
  - {at: 1s, kind: partition, groups: [[broker-1]]}
  - {at: 1s, kind: rolling-restart, duration: 1s, targets: [broker-1]}
  - {kind: crash, target: {leader-of: events-0}, when: {event: isr-shrink, partition: events-0, size: 1, count: 1, group: g, delay: 1ms}}
  - {at: 1s, kind: crash, target: {follower-of: events-0}}
  - {at: 1s, kind: crash, target: {coordinator-of-group: g}}
  - {at: 1s, kind: crash, target: {coordinator-of-transaction: t}}
  - {at: 1s, kind: crash, target: random-broker}
  - {at: 1s, kind: network, from: [brokers, {leader-of: events-0}, {follower-of: events-0}, {coordinator-of-group: g},
           {coordinator-of-transaction: t}], to: [broker-1], cut: true, latency: 1ms, loss: 0,
     bandwidth_per_second: 1000, flap_period: 1s, duration: 1s}
  - {at: 1s, kind: network, from: [broker-1], to: [clients, {leader-of: events-0}, {follower-of: events-0},
           {coordinator-of-group: g}, {coordinator-of-transaction: t}], cut: true}
nemesis: {crash: 1/min}
swarm: {}
)",
    R"(version: 1
name: explore-alternatives
cluster:
  config: {log.flush.interval.ms: 0, log.flush.interval.messages: 0}
  topics: [{name: events, replica.assignment: "1:2:3"}, {name: e2, replica.assignment: [[1, 2, 3]]}]
producers: [{messages: 10}]
network: {loss: 0, inter_zone: {loss: 0}, links: [{from: broker-1, to: broker-2, loss: 0}]}
)",
};

constexpr std::size_t kMaxExplorationReads = 5'000;

// Reads every exploration document, then tries each spelling of each enum met (more may
// be met in the branches a spelling opens), until every one has been tried.
SchemaRecording explore() {
  SchemaRecording recording;
  std::size_t reads = 0;
  for (const char* text : kExploration) {
    YAML::Node root = YAML::Load(text);
    const std::size_t first_site = recording.enum_sites.size();
    record_schema(root, recording);
    ++reads;
    for (std::size_t s = first_site; s < recording.enum_sites.size(); ++s) {
      const std::vector<std::string> allowed = recording.enum_sites[s].allowed;
      for (const std::string& value : allowed) {
        YAML::Node map = recording.enum_sites[s].map;
        map[recording.enum_sites[s].key] = value;
        record_schema(root, recording);
        KSIM_ASSERT(++reads <= kMaxExplorationReads, "schema exploration: more than {} reads", kMaxExplorationReads);
      }
    }
  }
  return recording;
}

struct Emitter {
  std::map<std::string, std::string> descriptions;
  std::set<std::string> described_used;
  std::vector<std::string> undescribed;
  std::vector<std::string> unexplored;

  Json enum_shape(const std::vector<std::string>& values) const {
    Json allowed = Json::array();
    for (const std::string& value : values) {
      allowed.push_back(value);
      // YAML reads `acks: 1` as a number; the loader reads its text: both spellings are fine.
      if (parse_int64(value)) allowed.push_back(parse_int64(value).value());
    }
    return Json{{"enum", allowed}};
  }

  Json object_shape(const SchemaNode& node, const std::string& pattern) {
    Json shape{{"type", "object"}};
    if (node.data_keyed) {
      shape["additionalProperties"] = node.values ? emit(*node.values, pattern + ".*") : Json::object();
      if (!node.values) unexplored.push_back(pattern + ".*");
      return shape;
    }
    Json properties = Json::object();
    for (const auto& [key, child] : node.properties) {
      properties[key] = emit(*child, pattern.empty() ? key : pattern + "." + key);
    }
    shape["properties"] = properties;
    const std::vector<std::string> required = node.always_required();
    if (!required.empty()) shape["required"] = required;
    shape["additionalProperties"] = false;
    return shape;
  }

  Json emit(const SchemaNode& node, const std::string& pattern) {
    std::vector<Json> alternatives;
    Json default_value;
    std::string range_words;
    if (!node.scalar.is_null() || !node.enum_values.empty()) {
      Json scalar = node.scalar.is_null() ? Json::object() : node.scalar;
      if (scalar.contains("default")) default_value = scalar["default"];
      if (scalar.contains("x-ksim-range")) range_words = scalar["x-ksim-range"].get<std::string>();
      scalar.erase("default");
      scalar.erase("x-ksim-range");
      alternatives.push_back(node.enum_values.empty() ? scalar : enum_shape(node.enum_values));
    }
    if (node.object) alternatives.push_back(object_shape(node, pattern));
    if (node.array) {
      alternatives.push_back(Json{{"type", "array"}, {"items", node.items ? emit(*node.items, pattern + "[]") : Json::object()}});
      if (!node.items) unexplored.push_back(pattern + "[]");
    }
    if (alternatives.empty() && pattern != "swarm") unexplored.push_back(pattern);
    Json out = alternatives.size() == 1 ? alternatives.front() : Json::object();
    if (alternatives.size() > 1) out = Json{{"anyOf", alternatives}};
    describe(out, pattern, range_words, default_value);
    return out;
  }

  // The link profile keys of inter_zone and of each link are the network's own.
  std::string description_key(const std::string& pattern) const {
    for (const char* prefix : {"network.inter_zone.", "network.links[]."}) {
      const std::string_view view(prefix);
      if (pattern.rfind(view, 0) == 0 && !descriptions.count(pattern)) return "network." + pattern.substr(view.size());
    }
    return pattern;
  }

  void describe(Json& out, const std::string& full_pattern, const std::string& range_words, const Json& default_value) {
    if (full_pattern.empty() || full_pattern.back() == ']') return;  // the document, a list's elements
    const std::string pattern = description_key(full_pattern);
    const auto found = descriptions.find(pattern);
    std::string text = found == descriptions.end() ? std::string() : found->second;
    if (found == descriptions.end()) {
      undescribed.push_back(pattern);
    } else {
      described_used.insert(pattern);
    }
    if (!range_words.empty()) text = fmt::format("{}{}({})", text, text.empty() ? "" : " ", range_words);
    Json described{{"description", text}};
    if (!default_value.is_null()) described["default"] = default_value;
    described.update(out);
    out = std::move(described);
  }
};

}  // namespace

ScenarioSchema scenario_schema() {
  const SchemaRecording recording = explore();
  Emitter emitter;
  for (const auto& [pattern, text] : key_descriptions()) emitter.descriptions.emplace(pattern, text);
  Json body = emitter.emit(recording.root, "");
  Json schema{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
              {"$id", "https://ksim.invalid/schema/scenario-v1.json"},
              {"title", "ksim scenario file (format version 1)"},
              {"description", "Generated by `ksim schema` from the scenario loader's own reading code; "
                              "scenarios/README.md documents each key."}};
  schema.update(body);
  ScenarioSchema out;
  out.json = schema.dump(2) + "\n";
  out.undescribed = std::move(emitter.undescribed);
  out.unexplored = std::move(emitter.unexplored);
  for (const auto& [pattern, text] : key_descriptions()) {
    if (!emitter.described_used.count(pattern)) out.unused_descriptions.push_back(pattern);
  }
  return out;
}

}  // namespace ksim::scenario
