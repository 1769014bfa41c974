// Each operation line becomes the history records the checker reads for client-side facts;
// the rules each line must follow are in scenarios/README.md, "Client histories".
#include "reports/client_history_ops.h"

#include <algorithm>
#include <initializer_list>
#include <string_view>

#include <fmt/format.h>

#include "reports/client_history_format.h"
#include "reports/client_history_line.h"
#include "sim/history/records.h"

namespace ksim::reports {

namespace {

std::string at(const std::string& where, std::string_view name) {
  return where.empty() ? std::string(name) : where + "." + std::string(name);
}

void only_fields(const FlatObject& object, std::initializer_list<std::string_view> known, const std::string& where) {
  for (std::size_t i = 0; i < object.used; ++i) {
    const std::string& name = object.fields[i].first;
    if (std::find(known.begin(), known.end(), name) == known.end()) throw BadLine{at(where, name), "unknown field"};
  }
}

const Scalar& field(const FlatObject& object, std::string_view name, const std::string& where = "") {
  const Scalar* value = object.find(name);
  if (value == nullptr) throw BadLine{at(where, name), "missing"};
  return *value;
}

std::uint64_t natural(const FlatObject& object, std::string_view name, const std::string& where = "",
                      std::uint64_t max = ~0ULL) {
  const Scalar& value = field(object, name, where);
  if (value.kind != Scalar::Kind::natural) throw BadLine{at(where, name), "expected a non-negative integer"};
  if (value.natural > max) throw BadLine{at(where, name), fmt::format("{} is over the bound {}", value.natural, max)};
  return value.natural;
}

std::int64_t offset_or_none(const FlatObject& object, const std::string& where) {
  const Scalar* value = object.find("offset");
  if (value == nullptr || value->kind == Scalar::Kind::null) return history::kNoOffset;
  return static_cast<std::int64_t>(natural(object, "offset", where, std::uint64_t{1} << 62));
}

std::uint64_t key_of(const FlatObject& object, const std::string& where) {
  const Scalar* value = object.find("key");
  if (value == nullptr || value->kind == Scalar::Kind::null) return history::kNoKey;
  return natural(object, "key", where, history::kNoKey - 1);
}

const std::string& text(const FlatObject& object, std::string_view name) {
  const Scalar& value = field(object, name);
  if (value.kind != Scalar::Kind::string) throw BadLine{std::string(name), "expected a string"};
  return value.text;
}

}  // namespace

bool OpReader::line(const FlatLine& line) {
  if (line.top.find("end") != nullptr) return end_line(line.top);
  operation(line);
  return false;
}

bool OpReader::end_line(const FlatObject& line) {
  only_fields(line, {"end", "ops"}, "");
  const Scalar& end = field(line, "end");
  if (end.kind != Scalar::Kind::boolean || !end.boolean) throw BadLine{"end", "expected true"};
  if (natural(line, "ops") != operations_) {
    throw BadLine{"ops", fmt::format("the end line counts {} operations, the file holds {}", natural(line, "ops"), operations_)};
  }
  return true;
}

PartitionId OpReader::partition_of(const FlatObject& value) const {
  const std::uint64_t last = history_.partitions.empty() ? 0 : history_.partitions.size() - 1;
  return PartitionId{static_cast<std::uint32_t>(natural(value, "partition", "value[]", last))};
}

void OpReader::operation(const FlatLine& flat) {
  const FlatObject& line = flat.top;
  only_fields(line, {"id", "time", "process", "type", "f", "value", "error"}, "");
  const std::uint64_t id = natural(line, "id");
  const auto time = static_cast<TimeNs>(natural(line, "time", "", std::uint64_t{1} << 62));
  if (time < last_time_) throw BadLine{"time", fmt::format("{} goes back before the previous line's {}", time, last_time_)};
  last_time_ = time;
  const std::string& name = text(line, "process");
  const auto process = processes_.find(name);
  if (process == processes_.end()) throw BadLine{"process", "\"" + name + "\" is not declared in the header"};
  const std::string& f = text(line, "f");
  const bool sends = f == "send", ends_transaction = f == "txn";
  if (!sends && !ends_transaction && f != "poll" && f != "apply" && f != "assign" && f != "revoke") {
    throw BadLine{"f", fmt::format("unknown operation \"{}\" (send, poll, apply, assign, revoke, txn)", f)};
  }
  if (ends_transaction && version_ < 2) throw BadLine{"f", "txn needs version 2"};
  if (sends && !process->second.sends) throw BadLine{"f", "a consumer does not send"};
  if (!sends && !ends_transaction && !process->second.reads) throw BadLine{"f", fmt::format("a producer does not {}", f)};
  if (!flat.has_values) throw BadLine{"value", "missing"};
  const Values values(flat.values.data(), flat.value_count);
  const std::string& type = text(line, "type");
  if (line.find("error") != nullptr && (!sends || (type != "fail" && type != "info"))) {
    throw BadLine{"error", "only a send's fail or info carries an error"};
  }
  ++operations_;
  if (type == "invoke") invoke(id, process->second, f, time, values);
  else if (type == "ok" || type == "fail" || type == "info") complete(id, process->second, f, type, time, flat);
  else throw BadLine{"type", fmt::format("unknown type \"{}\" (invoke, ok, fail, info)", type)};
}

void OpReader::invoke(std::uint64_t id, const Process& process, const std::string& f, TimeNs time, Values values) {
  if (!used_ids_.insert(id).second) throw BadLine{"id", fmt::format("duplicate operation id {}", id)};
  Open open{process.node, f};
  if (f == "send") {
    if (values.size() != 1) throw BadLine{"value", "a send carries exactly one message"};
    const FlatObject& value = values.front();
    only_fields(value, {"key", "value", "partition", "transaction"}, "value[]");
    open.message = natural(value, "value", "value[]");
    if (open.message == history::kControlMessageId) throw BadLine{"value[].value", "message ids start at 1"};
    open.partition = partition_of(value);
    open.transaction = transaction_of(value, "value[]");
    records_.push_back(history::send({.producer = process.node, .message_id = open.message, .partition = open.partition,
                                      .key = key_of(value, "value[]"), .transaction = open.transaction,
                                      .time_ns = time}));
  } else if (f == "poll" || f == "apply") {
    if (!values.empty()) throw BadLine{"value", "a poll's or apply's invoke carries an empty list"};
  } else if (f == "txn") {
    if (values.size() != 1) throw BadLine{"value", "a txn names the one transaction it ends"};
    only_fields(values.front(), {"transaction"}, "value[]");
    open.transaction = transaction_of(values.front(), "value[]");
    if (open.transaction < 0) throw BadLine{"value[].transaction", "missing"};
  }
  open_.emplace(id, std::move(open));
}

void OpReader::complete(std::uint64_t id, const Process& process, const std::string& f, const std::string& type,
                        TimeNs time, const FlatLine& line) {
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
  if (f == "txn") return complete_transaction(open, type, time);
  if (type != "ok") return;  // a read or an assignment that failed returned nothing
  const Values values(line.values.data(), line.value_count);
  if (f == "poll" || f == "apply") return read_values(process, f, time, values);
  if (values.size() != 1) throw BadLine{"value", "an assign or revoke carries one partition"};
  only_fields(values.front(), {"partition"}, "value[]");
  const history::PartitionAssignedRecord owned{.consumer = process.node, .group = process.group,
                                               .partition = partition_of(values.front()), .time_ns = time};
  if (f == "assign") records_.push_back(history::partition_assigned(owned));
  else records_.push_back(history::partition_revoked({.consumer = owned.consumer, .group = owned.group,
                                                      .partition = owned.partition, .time_ns = time}));
}

void OpReader::complete_send(const Open& open, const std::string& type, TimeNs time, const FlatLine& line) {
  const Values values(line.values.data(), line.value_count);
  if (values.size() > 1) throw BadLine{"value", "a send carries exactly one message"};
  std::int64_t offset = history::kNoOffset;
  if (!values.empty()) {
    only_fields(values.front(), {"key", "value", "partition", "offset", "transaction"}, "value[]");
    if (natural(values.front(), "value", "value[]") != open.message) {
      throw BadLine{"value[].value", "differs from the message of the send's invoke"};
    }
    // A later transaction than the invoke's: the application resent the message in it (after
    // a restart); the message's writer is that transaction.
    const std::int64_t resent_in = transaction_of(values.front(), "value[]");
    if (resent_in >= 0 && resent_in != open.transaction) {
      if (open.transaction < 0) throw BadLine{"value[].transaction", "a send outside a transaction is resent in none"};
      records_.push_back(history::send_attempt({.producer = open.node, .message_id = open.message,
                                                .partition = open.partition, .attempt = 0,
                                                .transaction = resent_in, .time_ns = time}));
    }
    offset = offset_or_none(values.front(), "value[]");
  }
  if (type == "ok") {
    records_.push_back(history::send_acknowledged({.producer = open.node,
                                                   .message_id = open.message,
                                                   .partition = open.partition,
                                                   .offset = ksim::Offset{offset},
                                                   .time_ns = time}));
    return;
  }
  const Scalar* error = line.top.find("error");
  if (error == nullptr) {
    if (type == "fail") throw BadLine{"error", "a send's fail names its error"};
    return;  // info without an error: never answered, indeterminate
  }
  const auto code = error->kind == Scalar::Kind::string ? error_from_name(error->text) : std::nullopt;
  if (!code) throw BadLine{"error", "unknown error (see the list in scenarios/client-histories.md)"};
  records_.push_back(history::send_failed(
      {.producer = open.node, .message_id = open.message, .partition = open.partition, .error = *code, .time_ns = time}));
}

std::int64_t OpReader::transaction_of(const FlatObject& value, const std::string& where) const {
  const Scalar* transaction = value.find("transaction");
  if (transaction == nullptr || transaction->kind == Scalar::Kind::null) return -1;
  if (version_ < 2) throw BadLine{at(where, "transaction"), "transactions need version 2"};
  return static_cast<std::int64_t>(natural(value, "transaction", where, 0x7fffffff));
}

// A txn's completion is the coordinator's decision: ok committed, fail aborted; info (or no
// completion) never learned, so nothing is recorded, as for a transaction never decided.
void OpReader::complete_transaction(const Open& open, const std::string& type, TimeNs time) {
  if (type == "info") return;
  records_.push_back(history::transaction_ended(
      {.producer = open.node, .transaction = open.transaction, .committed = type == "ok", .time_ns = time}));
}

void OpReader::read_values(const Process& process, const std::string& f, TimeNs time, Values values) {
  if (f == "apply") has_apply_ = true;
  std::size_t call_at = 0;  // index in records_ of the current partition's PollCallRecord
  bool in_call = false;
  for (const FlatObject& value : values) {
    only_fields(value, {"key", "value", "partition", "offset", "skipped", "transaction"}, "value[]");
    const std::int64_t offset = offset_or_none(value, "value[]");
    if (offset < 0 && f == "poll") throw BadLine{"value[].offset", "a polled record has an offset"};
    const history::PollRecord read{.consumer = process.node,
                                   .group = process.group,
                                   .partition = partition_of(value),
                                   .offset = Offset{offset},
                                   .message_id = natural(value, "value", "value[]"),
                                   .time_ns = time};
    key_of(value, "value[]");
    const Scalar* skipped = value.find("skipped");
    if (skipped != nullptr && skipped->kind != Scalar::Kind::boolean) {
      throw BadLine{"value[].skipped", "expected true or false"};
    }
    const std::int64_t transaction = transaction_of(value, "value[]");
    if (transaction >= 0 && (f != "apply" || (skipped != nullptr && skipped->boolean))) {
      throw BadLine{"value[].transaction", "only an applied (not skipped) record is made inside a transaction"};
    }
    if (f == "poll") {
      // A poll operation is one poll() call: each run of one partition's records gets its call
      // boundary (the checker judges int-poll-skip and int-nonmonotonic-poll within it).
      if (!in_call || records_[call_at].partition != read.partition.value()) {
        call_at = records_.size();
        in_call = true;
        records_.push_back(history::poll_call({.consumer = read.consumer,
                                               .group = read.group,
                                               .partition = read.partition,
                                               .first_offset = ksim::Offset{offset},
                                               .time_ns = time}));
      }
      records_[call_at].epoch += 1;  // the record count (PollCallRecord in records.h)
      records_.push_back(history::poll(read));
    } else if (transaction >= 0) {
      // Processed inside the process's transaction: its output is visible iff that commits.
      records_.push_back(
          history::effect_in_transaction({.consumer = read.consumer,
                                          .group = read.group,
                                          .partition = read.partition,
                                          .offset = ksim::Offset{offset},
                                          .message_id = read.message_id,
                                          .transaction = static_cast<std::int32_t>(transaction),
                                          .time_ns = time}));
    } else if (skipped != nullptr && skipped->boolean)
      records_.push_back(history::effect_skipped({.consumer = read.consumer,
                                                  .group = read.group,
                                                  .partition = read.partition,
                                                  .offset = ksim::Offset{offset},
                                                  .message_id = read.message_id,
                                                  .time_ns = time}));
    else
      records_.push_back(history::effect_applied({.consumer = read.consumer,
                                                  .group = read.group,
                                                  .partition = read.partition,
                                                  .offset = ksim::Offset{offset},
                                                  .message_id = read.message_id,
                                                  .time_ns = time}));
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
