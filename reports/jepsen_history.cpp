// Jepsen's history.edn to ksim-client-history v2 (jepsen_history.h), streaming: operation
// lines are written as the file is read, the header (processes, partitions) is put in front
// at the end. The mapping (scenarios/client-histories.md, "Jepsen's history.edn"):
// - a Jepsen key is a partition; a (key, value) pair is a message id, numbered from 1;
// - a client process (an integer :process) is a `client` process "pN" of group 0 (Jepsen
//   judges reads across all consumers); the nemesis's and other operations are skipped;
// - each micro-operation of a :send, :poll or :txn operation is a ksim send or poll operation,
//   invoked at the :invoke's time and completed at the completion's; the records an :ok
//   operation (or any transaction) polled are then applied; an operation of :f :txn or of two
//   or more micro-operations is a transaction of its process, ended by a `txn` with its type;
// - a Jepsen :fail names no error: ksim records transaction_aborted (in a transaction) or
//   not_enough_replicas (outside one), both definite failures as :fail is; :info is indeterminate;
// - an :ok :assign or :subscribe revokes the keys it no longer covers and assigns the new ones.
#include "reports/jepsen_history.h"

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "reports/client_history_ops.h"
#include "reports/edn.h"

namespace ksim::reports {

namespace {

struct OpenOperation {
  std::string f;
  std::vector<std::uint64_t> ids;  // the ksim operation of each micro-operation
  std::vector<bool> polls;         // whether that micro-operation is a poll
  std::int64_t transaction = -1;
};

const std::string& keyword_at(const Edn& op, std::string_view name) {
  const Edn* value = op.find(name);
  if (value == nullptr || value->kind != Edn::Kind::keyword) throw BadLine{":" + std::string(name), "expected a keyword"};
  return value->text;
}

// An operation's micro-operations: [[:send k v] [:poll] ...]; empty when :value is nil.
const std::vector<Edn>& micro_operations(const Edn& op) {
  static const std::vector<Edn> none;
  const Edn* value = op.find("value");
  if (value == nullptr || value->kind == Edn::Kind::nil) return none;
  if (value->kind != Edn::Kind::vector) throw BadLine{":value", "expected a vector of micro-operations"};
  for (const Edn& mop : value->items) {
    const bool send = mop.kind == Edn::Kind::vector && mop.items.size() == 3 && mop.items[0].is_keyword("send");
    const bool poll = mop.kind == Edn::Kind::vector && !mop.items.empty() && mop.items.size() <= 2 &&
                      mop.items[0].is_keyword("poll");
    if (!send && !poll) throw BadLine{":value", fmt::format("expected [:send k v] or [:poll ...], got {}", edn_text(mop))};
  }
  return value->items;
}

// A sent value, plain or [offset value].
const Edn& sent_value(const Edn& mop) {
  const Edn& v = mop.items[2];
  return v.kind == Edn::Kind::vector && v.items.size() == 2 ? v.items[1] : v;
}
std::string sent_offset(const Edn& mop) {
  const Edn& v = mop.items[2];
  if (v.kind != Edn::Kind::vector || v.items.size() != 2 || v.items[0].kind != Edn::Kind::integer) return "null";
  if (v.items[0].integer < 0) throw BadLine{":value", "an offset is never negative"};
  return std::to_string(v.items[0].integer);
}

class Converter {
 public:
  void line(const Edn& op, std::size_t number);
  JepsenConversion finish(std::size_t last_line);

 private:
  void invoke(const Edn& op, const std::string& process, const std::string& f);
  void complete(const Edn& op, const std::string& process, const std::string& f, const std::string& type);
  std::string complete_poll(std::uint64_t id, const std::string& process, const Edn& mop);
  void assignment(const Edn& op, const std::string& process);
  void emit(std::uint64_t id, const std::string& process, const char* type, const char* f, const std::string& values,
            const std::string& error = "");
  std::uint32_t partition(const Edn& key);
  std::uint64_t message(std::uint32_t partition, const Edn& value);

  std::string body_;
  std::vector<std::size_t> body_lines_;
  std::size_t line_ = 0;
  std::uint64_t time_ = 0, next_id_ = 0, ops_ = 0;
  std::map<std::string, std::uint32_t> partitions_;  // key text -> index
  std::vector<std::string> partition_names_;
  std::map<std::pair<std::uint32_t, std::string>, std::uint64_t> messages_;
  std::set<std::string> processes_;
  std::map<std::string, OpenOperation> open_;
  std::map<std::string, std::int64_t> next_transaction_;
  std::map<std::string, std::set<std::uint32_t>> assigned_;
};

void Converter::line(const Edn& op, std::size_t number) {
  line_ = number;
  if (op.kind != Edn::Kind::map) throw BadLine{"", "expected an operation map {:type ..., :f ..., ...}"};
  const Edn* process = op.find("process");
  if (process == nullptr) throw BadLine{":process", "missing"};
  if (process->kind != Edn::Kind::integer) return;  // the nemesis: no client data
  const std::string& type = keyword_at(op, "type");
  if (type != "invoke" && type != "ok" && type != "fail" && type != "info") {
    throw BadLine{":type", fmt::format("unknown type :{} (:invoke, :ok, :fail, :info)", type)};
  }
  const std::string& f = keyword_at(op, "f");
  if (const Edn* time = op.find("time"); time != nullptr) {  // Jepsen's own tests leave it out
    if (time->kind != Edn::Kind::integer || time->integer < 0) throw BadLine{":time", "expected nanoseconds"};
    if (static_cast<std::uint64_t>(time->integer) < time_) throw BadLine{":time", "goes back before the previous line's"};
    time_ = static_cast<std::uint64_t>(time->integer);
  }
  const std::string name = fmt::format("p{}", process->integer);
  if (f == "send" || f == "poll" || f == "txn") {
    processes_.insert(name);
    if (type == "invoke") invoke(op, name, f);
    else complete(op, name, f, type);
  } else if ((f == "assign" || f == "subscribe") && type == "ok") {
    processes_.insert(name);
    assignment(op, name);
  }  // any other :f (:crash, :debug-topic-partitions, ...) holds no client data
}

void Converter::invoke(const Edn& op, const std::string& process, const std::string& f) {
  if (open_.contains(process)) throw BadLine{":process", "invoked again before its previous operation completed"};
  const std::vector<Edn>& mops = micro_operations(op);
  OpenOperation open{f, {}, {}, -1};
  if (f == "txn" || mops.size() >= 2) open.transaction = next_transaction_[process]++;
  for (const Edn& mop : mops) {
    const std::uint64_t id = next_id_++;
    open.ids.push_back(id);
    open.polls.push_back(mop.items[0].is_keyword("poll"));
    if (open.polls.back()) {
      emit(id, process, "invoke", "poll", "");
      continue;
    }
    const std::uint32_t p = partition(mop.items[1]);
    emit(id, process, "invoke", "send",
         fmt::format("{{\"key\":null,\"value\":{},\"partition\":{}{}}}", message(p, sent_value(mop)), p,
                     open.transaction < 0 ? "" : fmt::format(",\"transaction\":{}", open.transaction)));
  }
  open_.emplace(process, std::move(open));
}

void Converter::complete(const Edn& op, const std::string& process, const std::string& f, const std::string& type) {
  const auto it = open_.find(process);
  if (it == open_.end()) throw BadLine{":type", fmt::format("an :{} without its :invoke", type)};
  const OpenOperation open = std::move(it->second);
  open_.erase(it);
  if (open.f != f) throw BadLine{":f", fmt::format("differs from its :invoke's :{}", open.f)};
  const std::vector<Edn>& mops = micro_operations(op);
  if (!mops.empty() && mops.size() != open.ids.size()) {
    throw BadLine{":value", fmt::format("{} micro-operations, its :invoke had {}", mops.size(), open.ids.size())};
  }
  std::string polled;
  for (std::size_t i = 0; i < open.ids.size(); ++i) {
    const std::uint64_t id = open.ids[i];
    if (mops.empty()) {  // a completion that kept no value: nothing learned
      emit(id, process, "info", open.polls[i] ? "poll" : "send", "");
      continue;
    }
    if (mops[i].items[0].is_keyword("poll")) {
      const std::string records = complete_poll(id, process, mops[i]);
      polled += polled.empty() || records.empty() ? records : "," + records;
      continue;
    }
    const std::uint32_t p = partition(mops[i].items[1]);
    const std::string value = fmt::format("{{\"key\":null,\"value\":{},\"partition\":{},\"offset\":{}}}",
                                          message(p, sent_value(mops[i])), p, sent_offset(mops[i]));
    const char* error = type != "fail" ? "" : open.transaction >= 0 ? "transaction_aborted" : "not_enough_replicas";
    emit(id, process, type.c_str(), "send", value, error);
  }
  const std::string in_transaction = open.transaction < 0 ? "" : fmt::format(",\"transaction\":{}", open.transaction);
  if (!polled.empty() && (type == "ok" || open.transaction >= 0)) {
    std::string applied = polled;
    for (std::size_t at = 0; (at = applied.find('}', at)) != std::string::npos; at += in_transaction.size() + 1) {
      applied.insert(at, in_transaction);
    }
    const std::uint64_t id = next_id_++;
    emit(id, process, "invoke", "apply", "");
    emit(id, process, "ok", "apply", applied);
  }
  if (open.transaction < 0) return;
  const std::uint64_t id = next_id_++;
  emit(id, process, "invoke", "txn", fmt::format("{{\"transaction\":{}}}", open.transaction));
  emit(id, process, type.c_str(), "txn", fmt::format("{{\"transaction\":{}}}", open.transaction));
}

// [:poll {k [[offset v] ...], ...}]: the records, as the poll's `ok`; [:poll] alone returned nothing.
std::string Converter::complete_poll(std::uint64_t id, const std::string& process, const Edn& mop) {
  std::string records;
  if (mop.items.size() == 2) {
    if (mop.items[1].kind != Edn::Kind::map) throw BadLine{":value", "a poll's result is a map {key [[offset value] ...]}"};
    const Edn& result = mop.items[1];
    for (std::size_t entry = 0; entry < result.entry_count(); ++entry) {
      const Edn& pairs = result.value_at(entry);
      const std::uint32_t p = partition(result.key_at(entry));
      if (pairs.kind != Edn::Kind::vector) throw BadLine{":value", "a polled key maps to [[offset value] ...]"};
      for (const Edn& pair : pairs.items) {
        if (pair.kind != Edn::Kind::vector || pair.items.size() != 2 || pair.items[0].kind != Edn::Kind::integer ||
            pair.items[0].integer < 0) {
          throw BadLine{":value", fmt::format("a polled record is [offset value], got {}", edn_text(pair))};
        }
        records += fmt::format("{}{{\"key\":null,\"value\":{},\"partition\":{},\"offset\":{}}}", records.empty() ? "" : ",",
                               message(p, pair.items[1]), p, pair.items[0].integer);
      }
    }
  }
  emit(id, process, "ok", "poll", records);
  return records;
}

void Converter::assignment(const Edn& op, const std::string& process) {
  const Edn* keys = op.find("value");
  if (keys == nullptr || keys->kind != Edn::Kind::vector) throw BadLine{":value", "an assign or subscribe lists keys"};
  std::set<std::uint32_t> now;
  for (const Edn& key : keys->items) now.insert(partition(key));
  std::set<std::uint32_t>& before = assigned_[process];
  const auto change = [&](const char* f, std::uint32_t p) {
    const std::uint64_t id = next_id_++;
    emit(id, process, "invoke", f, fmt::format("{{\"partition\":{}}}", p));
    emit(id, process, "ok", f, fmt::format("{{\"partition\":{}}}", p));
  };
  for (const std::uint32_t p : before) {
    if (!now.contains(p)) change("revoke", p);
  }
  for (const std::uint32_t p : now) {
    if (!before.contains(p)) change("assign", p);
  }
  before = std::move(now);
}

void Converter::emit(std::uint64_t id, const std::string& process, const char* type, const char* f,
                     const std::string& values, const std::string& error) {
  body_ += fmt::format("{{\"id\":{},\"time\":{},\"process\":\"{}\",\"type\":\"{}\",\"f\":\"{}\",{}\"value\":[{}]}}\n",
                       id, time_, process, type, f, error.empty() ? "" : fmt::format("\"error\":\"{}\",", error), values);
  body_lines_.push_back(line_);
  ++ops_;
}

std::uint32_t Converter::partition(const Edn& key) {
  if (key.kind == Edn::Kind::vector || key.kind == Edn::Kind::map || key.kind == Edn::Kind::nil) {
    throw BadLine{":value", fmt::format("a key is an integer, keyword or string, got {}", edn_text(key))};
  }
  const std::string text = key.kind == Edn::Kind::string || key.kind == Edn::Kind::keyword ? key.text : edn_text(key);
  const auto [it, fresh] = partitions_.try_emplace(text, static_cast<std::uint32_t>(partition_names_.size()));
  if (fresh) partition_names_.push_back(text + "-0");
  return it->second;
}

std::uint64_t Converter::message(std::uint32_t partition, const Edn& value) {
  if (value.kind == Edn::Kind::vector || value.kind == Edn::Kind::map || value.kind == Edn::Kind::nil) {
    throw BadLine{":value", fmt::format("a value is an integer, keyword or string, got {}", edn_text(value))};
  }
  const auto [it, fresh] = messages_.try_emplace({partition, edn_text(value)}, messages_.size() + 1);
  return it->second;
}

JepsenConversion Converter::finish(std::size_t last_line) {
  nlohmann::json processes = nlohmann::json::array();
  for (const std::string& name : processes_) {
    processes.push_back({{"process", name}, {"role", "client"}, {"acks", "all"}, {"group", 0}});
  }
  const nlohmann::json header = {
      {"format", kClientHistoryFormat}, {"version", kClientHistoryVersion}, {"source", "jepsen history.edn"},
      {"facts", "client"}, {"partitions", partition_names_},
      {"groups", nlohmann::json::array({{{"name", "jepsen"}, {"partitions", nlohmann::json::array()}, {"read_committed", false}}})},
      {"processes", processes}, {"workload_end_ns", time_}, {"end_ns", time_}, {"drain_completed", true}};
  JepsenConversion out;
  out.text = header.dump() + "\n" + body_ + fmt::format("{{\"end\":true,\"ops\":{}}}\n", ops_);
  out.source_lines.push_back(1);
  out.source_lines.insert(out.source_lines.end(), body_lines_.begin(), body_lines_.end());
  out.source_lines.push_back(last_line);
  return out;
}

}  // namespace

JepsenConversion convert_jepsen_history(std::istream& in, const ClientHistoryLimits& limits) {
  Converter converter;
  std::string line;
  std::size_t number = 0;
  std::uint64_t bytes = 0;
  try {
    while (std::getline(in, line)) {
      check_line_bounds(line, ++number, bytes, limits);
      for (const char c : line) {
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\r') throw BadLine{"", "binary data: not an EDN history"};
      }
      const std::size_t first = line.find_first_not_of(" \t\r,");
      if (first == std::string::npos || line[first] == ';') continue;  // blank, or a comment
      try {
        converter.line(parse_edn(line), number);
      } catch (const EdnError& bad) {
        throw BadLine{"", fmt::format("not EDN (column {}): {}", bad.column, bad.message)};
      }
    }
    if (number == 0) throw BadLine{"", "empty file: no operation"};
  } catch (const BadLine& bad) {
    JepsenConversion failed;
    failed.error = ClientHistoryError{std::max<std::size_t>(number, 1), bad.field, bad.message};
    return failed;
  }
  return converter.finish(number);
}

ClientHistoryRead read_jepsen_history_file(const std::string& path, const ClientHistoryLimits& limits) {
  std::ifstream in;
  if (auto error = open_history_file(path, in, limits)) return failed_read(std::move(*error));
  JepsenConversion converted = convert_jepsen_history(in, limits);
  if (converted.error) return failed_read(std::move(*converted.error));
  std::istringstream text(std::move(converted.text));
  ClientHistoryRead result = read_client_history(text);  // the converted text is ksim's own: the default bounds
  if (result.error && result.error->line >= 1 && result.error->line <= converted.source_lines.size()) {
    result.error->line = converted.source_lines[result.error->line - 1];  // the history.edn line it came from
  }
  return result;
}

}  // namespace ksim::reports
