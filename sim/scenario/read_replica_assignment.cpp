// A topic's pinned replica assignment (`replica.assignment`), in the syntax of
// kafka-topics.sh --replica-assignment (Kafka 3.x/4.x TopicCommand: "a list of manual
// partition-to-broker assignments", partitions separated by ',' and the replicas of one
// partition by ':', the preferred leader first), or as a YAML list of replica lists.
// Broker ids are the numbers of ksim's broker names: 1 is broker-1.
#include <charconv>

#include <fmt/format.h>

#include "sim/scenario/read_world.h"

namespace ksim::scenario {

namespace {

constexpr std::size_t kMaxAssignedPartitions = 10'000;

struct ParsedList {
  std::vector<std::uint64_t> ids;
  std::string text;  // as written, for messages
  std::string problem;
};

std::vector<ParsedList> parse_kafka_syntax(const std::string& text) {
  std::vector<ParsedList> lists;
  std::size_t start = 0;
  while (start <= text.size() && lists.size() <= kMaxAssignedPartitions) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    ParsedList list;
    list.text = text.substr(start, comma - start);
    std::size_t id_start = 0;
    while (id_start <= list.text.size()) {
      const std::size_t colon = std::min(list.text.find(':', id_start), list.text.size());
      std::string_view id_text(list.text.data() + id_start, colon - id_start);
      while (!id_text.empty() && id_text.front() == ' ') id_text.remove_prefix(1);
      while (!id_text.empty() && id_text.back() == ' ') id_text.remove_suffix(1);
      std::uint64_t id = 0;
      const auto [end, error] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
      if (id_text.empty() || error != std::errc() || end != id_text.data() + id_text.size()) {
        list.problem = fmt::format("\"{}\" is not a broker id (expected ids separated by ':', e.g. \"1:2:3\")",
                                   std::string(id_text));
        break;
      }
      list.ids.push_back(id);
      id_start = colon + 1;
    }
    lists.push_back(std::move(list));
    start = comma + 1;
  }
  return lists;
}

// The problem with one partition's replica list, or "" when it is good.
std::string list_problem(const std::vector<std::uint64_t>& ids, std::uint32_t brokers) {
  if (ids.empty()) return "lists no broker";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 1 || ids[i] > brokers) {
      return fmt::format("names broker {}, which does not exist: the brokers are 1..{} (broker-1..broker-{})", ids[i],
                         brokers, brokers);
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (ids[j] == ids[i]) return fmt::format("lists broker {} twice", ids[i]);
    }
  }
  return {};
}

void store(const std::vector<std::uint64_t>& ids, kafka::TopicConfig& entry) {
  entry.replica_assignment.emplace_back();
  for (const std::uint64_t id : ids) entry.replica_assignment.back().push_back(static_cast<std::uint32_t>(id - 1));
}

void read_string_form(MapReader& topic, std::uint32_t brokers, kafka::TopicConfig& entry) {
  const auto lists = parse_kafka_syntax(topic.required<std::string>("replica.assignment"));
  for (std::size_t p = 0; p < lists.size(); ++p) {
    std::string problem = lists[p].problem.empty() ? list_problem(lists[p].ids, brokers) : lists[p].problem;
    if (problem.empty() && lists[p].ids.size() != lists.front().ids.size()) {
      problem = fmt::format("has {} replicas but partition 0 has {}: every partition needs as many (the replication "
                            "factor)", lists[p].ids.size(), lists.front().ids.size());
    }
    if (!problem.empty()) {
      topic.report("replica.assignment", fmt::format("partition {} (\"{}\") {}", p, lists[p].text, problem));
      return;
    }
    store(lists[p].ids, entry);
  }
}

void read_list_form(MapReader& topic, std::uint32_t brokers, kafka::TopicConfig& entry) {
  SequenceReader lists = topic.sequence("replica.assignment");
  std::size_t first_size = 0;
  for (std::size_t p = 0; p < std::min(lists.size(), kMaxAssignedPartitions + 1); ++p) {
    SequenceReader list = lists.sequence(p);
    std::vector<std::uint64_t> ids;
    for (std::size_t r = 0; r < list.size() && r <= brokers; ++r) ids.push_back(list.get<std::uint64_t>(r));
    if (p == 0) first_size = ids.size();
    std::string problem = list_problem(ids, brokers);
    if (problem.empty() && ids.size() != first_size) {
      problem = fmt::format("has {} replicas but partition 0 has {}: every partition needs as many (the replication "
                            "factor)", ids.size(), first_size);
    }
    if (!problem.empty()) {
      lists.report(p, fmt::format("partition {} {}", p, problem));
      return;
    }
    store(ids, entry);
  }
}

}  // namespace

void read_replica_assignment(MapReader& topic, std::uint32_t brokers, kafka::TopicConfig& entry) {
  entry.replica_assignment.clear();
  if (topic.is_sequence("replica.assignment")) {
    read_list_form(topic, brokers, entry);
  } else {
    read_string_form(topic, brokers, entry);
  }
  if (entry.replica_assignment.size() > kMaxAssignedPartitions) {
    topic.report("replica.assignment", fmt::format("at most {} partitions", kMaxAssignedPartitions));
    entry.replica_assignment.clear();
  }
}

}  // namespace ksim::scenario
