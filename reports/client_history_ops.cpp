// Each operation line becomes the history records the checker reads for client-side facts;
// the rules each line must follow are in scenarios/README.md, "Client histories".
#include "reports/client_history_ops.h"

#include <algorithm>
#include <initializer_list>
#include <string_view>

#include <fmt/format.h>

#include "reports/client_history_format.h"
#include "sim/history/records.h"

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

std::int64_t offset_or_none(const json& object, const std::string& where) {
  const auto it = object.find("offset");
  if (it == object.end() || it->is_null()) return history::kNoOffset;
  return static_cast<std::int64_t>(natural(object, "offset", where, std::uint64_t{1} << 62));
}

std::uint64_t key_of(const json& value, const std::string& where) {
  const auto it = value.find("key");
  if (it == value.end() || it->is_null()) return history::kNoKey;
  return natural(value, "key", where, history::kNoKey - 1);
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
  if (field(line, "version") != kClientHistoryVersion) {
    throw BadLine{"version", fmt::format("version {} is not supported (this ksim reads version {})",
                                         field(line, "version").dump(), kClientHistoryVersion)};
  }
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
        entry.partitions.push_back(p.get<std::uint32_t>());
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
    Process process{static_cast<std::uint32_t>(history_.nodes.size()), role == "producer", 0};
    if (role == "producer") {
      const std::string acks = p.value("acks", std::string("all"));
      if (acks != "all" && acks != "1" && acks != "0") throw BadLine{"processes[].acks", "expected \"0\", \"1\" or \"all\""};
      const auto value = acks == "all" ? history::Acks::all : acks == "1" ? history::Acks::leader : history::Acks::none;
      history_.producers.push_back({.node = process.node, .acks = value});
    } else if (role == "consumer") {
      process.group = static_cast<std::uint32_t>(natural(p, "group", "processes[]", kMaxGroups - 1));
    } else {
      throw BadLine{"processes[].role", fmt::format("unknown role \"{}\" (producer or consumer)", role)};
    }
    if (!processes_.emplace(name, process).second) throw BadLine{"processes[].process", "\"" + name + "\" declared twice"};
    history_.nodes.push_back({name, role});
  }
}

bool OpReader::line(const json& line) {
  if (line.contains("end")) return end_line(line);
  operation(line);
  return false;
}

bool OpReader::end_line(const json& line) {
  only_fields(line, {"end", "ops"}, "");
  if (field(line, "end") != true) throw BadLine{"end", "expected true"};
  if (natural(line, "ops") != operations_) {
    throw BadLine{"ops", fmt::format("the end line counts {} operations, the file holds {}", natural(line, "ops"), operations_)};
  }
  return true;
}

std::uint32_t OpReader::partition_of(const json& value) const {
  return static_cast<std::uint32_t>(natural(value, "partition", "value[]", history_.partitions.empty() ? 0 : history_.partitions.size() - 1));
}

void OpReader::operation(const json& line) {
  only_fields(line, {"id", "time", "process", "type", "f", "value", "error"}, "");
  const std::uint64_t id = natural(line, "id");
  const auto time = static_cast<TimeNs>(natural(line, "time", "", std::uint64_t{1} << 62));
  if (time < last_time_) throw BadLine{"time", fmt::format("{} goes back before the previous line's {}", time, last_time_)};
  last_time_ = time;
  const std::string& name = text(line, "process");
  const auto process = processes_.find(name);
  if (process == processes_.end()) throw BadLine{"process", "\"" + name + "\" is not declared in the header"};
  const std::string& f = text(line, "f");
  const bool sends = f == "send";
  if (!sends && f != "poll" && f != "apply" && f != "assign" && f != "revoke") {
    throw BadLine{"f", fmt::format("unknown operation \"{}\" (send, poll, apply, assign, revoke)", f)};
  }
  if (sends != process->second.producer) {
    throw BadLine{"f", fmt::format("a {} does not {}", process->second.producer ? "producer" : "consumer", f)};
  }
  const json& values = field(line, "value");
  if (!values.is_array()) throw BadLine{"value", "expected a list"};
  const std::string& type = text(line, "type");
  if (line.contains("error") && (!sends || (type != "fail" && type != "info"))) {
    throw BadLine{"error", "only a send's fail or info carries an error"};
  }
  ++operations_;
  if (type == "invoke") invoke(id, process->second, f, time, values);
  else if (type == "ok" || type == "fail" || type == "info") complete(id, process->second, f, type, time, line);
  else throw BadLine{"type", fmt::format("unknown type \"{}\" (invoke, ok, fail, info)", type)};
}

void OpReader::invoke(std::uint64_t id, const Process& process, const std::string& f, TimeNs time, const json& values) {
  if (!used_ids_.insert(id).second) throw BadLine{"id", fmt::format("duplicate operation id {}", id)};
  Open open{process.node, f};
  if (f == "send") {
    if (values.size() != 1) throw BadLine{"value", "a send carries exactly one message"};
    const json& value = values.front();
    only_fields(value, {"key", "value", "partition"}, "value[]");
    open.message = natural(value, "value", "value[]");
    if (open.message == history::kControlMessageId) throw BadLine{"value[].value", "message ids start at 1"};
    open.partition = partition_of(value);
    records_.push_back(history::send({.producer = process.node, .message_id = open.message, .partition = open.partition,
                                      .key = key_of(value, "value[]"), .time_ns = time}));
  } else if (f == "poll" || f == "apply") {
    if (!values.empty()) throw BadLine{"value", "a poll's or apply's invoke carries an empty list"};
  }
  open_.emplace(id, std::move(open));
}

void OpReader::complete(std::uint64_t id, const Process& process, const std::string& f, const std::string& type,
                        TimeNs time, const json& line) {
  const auto it = open_.find(id);
  if (it == open_.end()) {
    throw BadLine{"id", used_ids_.count(id) != 0 ? fmt::format("operation {} completed twice", id)
                                                 : fmt::format("a {} of operation {} without its invoke", type, id)};
  }
  if (it->second.node != process.node || it->second.f != f) {
    throw BadLine{"id", fmt::format("operation {} was invoked by another process or as another f", id)};
  }
  const Open open = std::move(it->second);
  open_.erase(it);
  if (f == "send") return complete_send(open, type, time, line);
  if (type != "ok") return;  // a read or an assignment that failed returned nothing
  const json& values = line["value"];
  if (f == "poll" || f == "apply") return read_values(process, f, time, values);
  if (values.size() != 1) throw BadLine{"value", "an assign or revoke carries one partition"};
  only_fields(values.front(), {"partition"}, "value[]");
  const history::PartitionAssignedRecord owned{.consumer = process.node, .group = process.group,
                                               .partition = partition_of(values.front()), .time_ns = time};
  if (f == "assign") records_.push_back(history::partition_assigned(owned));
  else records_.push_back(history::partition_revoked({.consumer = owned.consumer, .group = owned.group,
                                                      .partition = owned.partition, .time_ns = time}));
}

void OpReader::complete_send(const Open& open, const std::string& type, TimeNs time, const json& line) {
  const json& values = line["value"];
  if (values.size() > 1) throw BadLine{"value", "a send carries exactly one message"};
  std::int64_t offset = history::kNoOffset;
  if (!values.empty()) {
    only_fields(values.front(), {"key", "value", "partition", "offset"}, "value[]");
    if (natural(values.front(), "value", "value[]") != open.message) {
      throw BadLine{"value[].value", "differs from the message of the send's invoke"};
    }
    offset = offset_or_none(values.front(), "value[]");
  }
  if (type == "ok") {
    records_.push_back(history::send_acknowledged(
        {.producer = open.node, .message_id = open.message, .partition = open.partition, .offset = offset, .time_ns = time}));
    return;
  }
  if (!line.contains("error")) {
    if (type == "fail") throw BadLine{"error", "a send's fail names its error"};
    return;  // info without an error: never answered, indeterminate
  }
  const json& error = line["error"];
  const auto code = error.is_string() ? error_from_name(error.get_ref<const std::string&>()) : std::nullopt;
  if (!code) throw BadLine{"error", fmt::format("unknown error {} (see the list in scenarios/README.md)", error.dump())};
  records_.push_back(history::send_failed(
      {.producer = open.node, .message_id = open.message, .partition = open.partition, .error = *code, .time_ns = time}));
}

void OpReader::read_values(const Process& process, const std::string& f, TimeNs time, const json& values) {
  if (f == "apply") has_apply_ = true;
  for (const json& value : values) {
    only_fields(value, {"key", "value", "partition", "offset", "skipped"}, "value[]");
    const std::int64_t offset = offset_or_none(value, "value[]");
    if (offset < 0 && f == "poll") throw BadLine{"value[].offset", "a polled record has an offset"};
    const history::PollRecord read{.consumer = process.node, .group = process.group, .partition = partition_of(value),
                                   .offset = offset, .message_id = natural(value, "value", "value[]"), .time_ns = time};
    key_of(value, "value[]");
    const auto skipped = value.find("skipped");
    if (skipped != value.end() && !skipped->is_boolean()) throw BadLine{"value[].skipped", "expected true or false"};
    if (f == "poll") records_.push_back(history::poll(read));
    else if (skipped != value.end() && skipped->get<bool>()) records_.push_back(history::effect_skipped(
        {.consumer = read.consumer, .group = read.group, .partition = read.partition, .offset = offset,
         .message_id = read.message_id, .time_ns = time}));
    else records_.push_back(history::effect_applied(
        {.consumer = read.consumer, .group = read.group, .partition = read.partition, .offset = offset,
         .message_id = read.message_id, .time_ns = time}));
  }
}

// Without any apply operation (a Jepsen-style history), every polled record counts as
// applied where it was polled: delivery is judged on what the consumers read.
history::History OpReader::finish() {
  history_.client_only = true;
  for (const history::Record& r : records_) {
    history_.add(r);
    if (!has_apply_ && r.kind == history::RecordKind::poll) {
      const history::PollRecord p = history::as_consumed<history::RecordKind::poll>(r);
      history_.add(history::effect_applied({.consumer = p.consumer, .group = p.group, .partition = p.partition,
                                            .offset = p.offset, .message_id = p.message_id, .time_ns = p.time_ns}));
    }
  }
  records_.clear();
  return std::move(history_);
}

}  // namespace ksim::reports
