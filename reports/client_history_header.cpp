// The header line of a client history: partitions, groups and processes (client_history_format.h).
#include <algorithm>
#include <initializer_list>
#include <string_view>

#include <fmt/format.h>

#include "reports/client_history_format.h"
#include "reports/client_history_ops.h"

namespace ksim::reports {

namespace {

using nlohmann::json;

constexpr std::uint64_t kMaxPartitions = 1U << 20;
constexpr std::uint64_t kMaxGroups = 1U << 10;

void only_fields(const json& object, std::initializer_list<std::string_view> known, const std::string& where) {
  for (const auto& [name, value] : object.items()) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      throw BadLine{where.empty() ? name : where + "." + name, "unknown field"};
    }
  }
}

const json& field(const json& object, const char* name, const std::string& where = "") {
  const auto it = object.find(name);
  if (it == object.end()) throw BadLine{where.empty() ? name : where + "." + name, "missing"};
  return *it;
}

std::uint64_t natural(const json& object, const char* name, const std::string& where = "", std::uint64_t max = ~0ULL) {
  const json& value = field(object, name, where);
  const std::string at = where.empty() ? name : where + "." + name;
  if (!value.is_number_unsigned()) throw BadLine{at, "expected a non-negative integer"};
  const auto n = value.get<std::uint64_t>();
  if (n > max) throw BadLine{at, fmt::format("{} is over the bound {}", n, max)};
  return n;
}

const std::string& text(const json& object, const char* name) {
  const json& value = field(object, name);
  if (!value.is_string()) throw BadLine{name, "expected a string"};
  return value.get_ref<const std::string&>();
}

}  // namespace

void OpReader::header(const json& line) {
  const auto format = line.find("format");
  if (format == line.end() || *format != kClientHistoryFormat) {
    throw BadLine{"format", fmt::format("the first line must be the header {{\"format\": \"{}\", ...}}", kClientHistoryFormat)};
  }
  const json& version = field(line, "version");
  if (!version.is_number_unsigned() || version.get<std::uint64_t>() < kClientHistoryOldestVersion ||
      version.get<std::uint64_t>() > kClientHistoryVersion) {
    throw BadLine{"version", fmt::format("version {} is not supported (this ksim reads versions {} to {})",
                                         version.dump(), kClientHistoryOldestVersion, kClientHistoryVersion)};
  }
  version_ = version.get<int>();
  only_fields(line, {"format", "version", "source", "facts", "processes", "partitions", "groups", "workload_end_ns",
                     "end_ns", "drain_completed"}, "");
  const json& partitions = field(line, "partitions");
  if (!partitions.is_array() || partitions.size() > kMaxPartitions) throw BadLine{"partitions", "expected a list of names"};
  for (const json& name : partitions) {
    if (!name.is_string()) throw BadLine{"partitions", "expected a list of names"};
    const auto& text = name.get_ref<const std::string&>();
    const std::size_t dash = text.rfind('-');
    history_.partitions.push_back({dash == std::string::npos ? text : text.substr(0, dash),
                                   static_cast<std::uint32_t>(history_.partitions.size())});
  }
  if (line.contains("groups")) {
    if (!line["groups"].is_array() || line["groups"].size() > kMaxGroups) throw BadLine{"groups", "expected a list"};
    for (const json& group : line["groups"]) {
      only_fields(group, {"name", "partitions", "read_committed"}, "groups[]");
      history::ConsumerGroupEntry& entry = history_.groups.emplace_back();
      entry.name = group.value("name", fmt::format("group-{}", history_.groups.size() - 1));
      for (const json& p : group.value("partitions", json::array())) {
        if (!p.is_number_unsigned() || p.get<std::uint64_t>() >= history_.partitions.size()) {
          throw BadLine{"groups[].partitions", "expected indices into the header's partitions"};
        }
        entry.partitions.push_back(PartitionId{p.get<std::uint32_t>()});
      }
      entry.read_committed = group.value("read_committed", false);
    }
  }
  read_processes(field(line, "processes"));
  history_.workload_end_ns = static_cast<TimeNs>(line.value("workload_end_ns", std::uint64_t{0}));
  history_.end_ns = static_cast<TimeNs>(line.value("end_ns", std::uint64_t{0}));
  history_.drain_completed = line.value("drain_completed", true);
}

void OpReader::read_processes(const json& processes) {
  if (!processes.is_array()) throw BadLine{"processes", "expected a list"};
  for (const json& p : processes) {
    only_fields(p, {"process", "role", "acks", "group"}, "processes[]");
    const std::string& name = text(p, "process");
    const std::string& role = text(p, "role");
    // A client (version 2) both sends and reads, as a Jepsen process running :txn operations.
    if (role == "client" && version_ < 2) throw BadLine{"processes[].role", "the client role needs version 2"};
    Process process{NodeId{static_cast<std::uint32_t>(history_.nodes.size())},
                    role == "producer" || role == "client", role == "consumer" || role == "client",
                    GroupIndex{0}};
    if (process.sends) {
      const std::string acks = p.value("acks", std::string("all"));
      if (acks != "all" && acks != "1" && acks != "0") throw BadLine{"processes[].acks", "expected \"0\", \"1\" or \"all\""};
      const auto value = acks == "all" ? history::Acks::all : acks == "1" ? history::Acks::leader : history::Acks::none;
      history_.producers.push_back({.node = process.node, .acks = value});
    }
    if (process.reads) {
      process.group =
          GroupIndex{static_cast<std::uint32_t>(natural(p, "group", "processes[]", kMaxGroups - 1))};
    }
    if (!process.sends && !process.reads) {
      throw BadLine{"processes[].role", fmt::format("unknown role \"{}\" (producer, consumer or client)", role)};
    }
    if (!processes_.emplace(name, process).second) throw BadLine{"processes[].process", "\"" + name + "\" declared twice"};
    history_.nodes.push_back({name, role});
  }
}

}  // namespace ksim::reports
