#include <fmt/format.h>

#include "sim/scenario/units.h"
#include "sim/shrink/passes.h"
#include "sim/shrink/scenario_tree.h"

namespace ksim::shrink {

namespace {

std::size_t entries(const YAML::Node& list) { return list && list.IsSequence() ? list.size() : 0; }

// An integer scalar at `node`, or `fallback` when absent or not a plain number.
std::uint64_t integer_or(const YAML::Node& node, std::uint64_t fallback) {
  if (!node || !node.IsScalar()) return fallback;
  const auto parsed = scenario::parse_uint64(node.Scalar());
  return parsed ? parsed.value() : fallback;
}

// Shrinks the integer at `path` (a function of a tree giving the node) towards `lowest`.
void shrink_key(Search& search, const std::function<YAML::Node(YAML::Node)>& path, std::uint64_t fallback,
                std::uint64_t lowest, const std::string& what) {
  const std::uint64_t value = integer_or(path(search.copy()), fallback);
  shrink_integer(search, value, lowest, what, [&](std::uint64_t v) {
    YAML::Node candidate = search.copy();
    path(candidate) = v;
    return candidate;
  });
}

// Tries the tree without each entry of the list under `key`, from the last entry back,
// keeping at least one.
void drop_entries(Search& search, const char* key) {
  for (std::size_t i = entries(search.current()[key]); i-- > 0 && entries(search.current()[key]) > 1 && !search.stopped();) {
    YAML::Node candidate = search.copy();
    candidate[key].remove(i);
    search.attempt(candidate, fmt::format("{}[{}] removed", key, i));
  }
}

YAML::Node topic_of(YAML::Node root) { return root["cluster"]["topics"][0]; }

// `brokers` with everything that must fit in it: the topic's replication factor and
// min.insync.replicas, the broker's min.insync.replicas, one rack per broker.
YAML::Node with_brokers(const Search& search, std::uint64_t brokers) {
  YAML::Node candidate = search.copy();
  YAML::Node cluster = candidate["cluster"];
  cluster["brokers"] = brokers;
  YAML::Node topic = topic_of(candidate);
  for (const char* key : {"replication.factor", "min.insync.replicas"}) {
    if (topic && topic[key] && integer_or(topic[key], 0) > brokers) topic[key] = brokers;
  }
  if (cluster["config"] && integer_or(cluster["config"]["min.insync.replicas"], 0) > brokers) {
    cluster["config"]["min.insync.replicas"] = brokers;
  }
  for (const char* per_broker : {"racks", "os.flush.phases"}) {
    if (cluster[per_broker] && cluster[per_broker].IsSequence()) {
      while (cluster[per_broker].size() > brokers) cluster[per_broker].remove(cluster[per_broker].size() - 1);
    }
  }
  return candidate;
}

// An empty `config: {}` says nothing: left out of the file.
void drop_empty_configs(YAML::Node root) {
  if (root["cluster"] && root["cluster"]["config"] && root["cluster"]["config"].size() == 0) {
    root["cluster"].remove("config");
  }
  for (const char* list : {"producers", "consumers"}) {
    for (std::size_t i = 0; i < entries(root[list]); ++i) {
      if (root[list][i]["config"] && root[list][i]["config"].size() == 0) root[list][i].remove("config");
    }
  }
}

void drop_keys(Search& search, const std::function<YAML::Node(YAML::Node)>& map_of, const std::string& where) {
  const YAML::Node map = map_of(search.copy());
  if (!map || !map.IsMap()) return;
  std::vector<std::string> keys;
  for (const auto& entry : map) keys.push_back(entry.first.as<std::string>());
  for (const std::string& key : keys) {
    if (search.stopped()) return;
    YAML::Node candidate = search.copy();
    map_of(candidate).remove(key);
    drop_empty_configs(candidate);
    search.attempt(candidate, fmt::format("{}.{} back to its default", where, key));
  }
}

}  // namespace

bool reduce_workload(Search& search) {
  const std::size_t before = search.steps().size();
  for (std::size_t i = 0; i < entries(search.current()["producers"]); ++i) {
    shrink_key(search, [i](YAML::Node root) { return root["producers"][i]["messages"]; }, 1, 1,
               fmt::format("producers[{}].messages", i));
  }
  const YAML::Node duration = search.current()["duration"];
  const auto parsed = scenario::parse_duration(duration && duration.IsScalar() ? duration.Scalar() : "10s");
  if (parsed) {
    const auto duration_ms = static_cast<std::uint64_t>(parsed.value() / kNanosecondsPerMillisecond);
    shrink_integer(search, duration_ms, 1, "duration (ms)", [&](std::uint64_t ms) {
      YAML::Node candidate = search.copy();
      candidate["duration"] = duration_text(milliseconds(static_cast<std::int64_t>(ms)));
      return candidate;
    }, finest_time_step(duration_ms));
  }
  return search.steps().size() > before;
}

bool reduce_nodes(Search& search) {
  const std::size_t before = search.steps().size();
  drop_entries(search, "producers");
  drop_entries(search, "consumers");
  for (std::size_t i = 0; i < entries(search.current()["producers"]); ++i) {
    shrink_key(search, [i](YAML::Node root) { return root["producers"][i]["count"]; }, 1, 1,
               fmt::format("producers[{}].count", i));
  }
  for (std::size_t i = 0; i < entries(search.current()["consumers"]); ++i) {
    shrink_key(search, [i](YAML::Node root) { return root["consumers"][i]["members"]; }, 1, 1,
               fmt::format("consumers[{}].members", i));
  }
  const std::uint64_t brokers = integer_or(search.current()["cluster"]["brokers"], 3);
  shrink_integer(search, brokers, 1, "cluster.brokers", [&](std::uint64_t b) { return with_brokers(search, b); });
  if (topic_of(search.copy())) {
    shrink_key(search, [](YAML::Node root) { return topic_of(root)["partitions"]; }, 1, 1, "partitions");
  }
  return search.steps().size() > before;
}

bool reset_config(Search& search) {
  const std::size_t before = search.steps().size();
  drop_keys(search, [](YAML::Node root) { return root["cluster"]["config"]; }, "cluster.config");
  if (topic_of(search.copy())) {
    drop_keys(search, [](YAML::Node root) { return topic_of(root); }, "cluster.topics[0]");
  }
  for (const char* list : {"producers", "consumers"}) {
    for (std::size_t i = 0; i < entries(search.current()[list]); ++i) {
      drop_keys(search, [list, i](YAML::Node root) { return root[list][i]["config"]; },
                fmt::format("{}[{}].config", list, i));
    }
  }
  if (search.current()["network"]) {
    YAML::Node candidate = search.copy();
    candidate.remove("network");
    search.attempt(candidate, "network back to its default");
  }
  return search.steps().size() > before;
}

}  // namespace ksim::shrink
