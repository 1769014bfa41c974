// One pass over the history, after a first pass that learns what the second needs ahead
// of time (message keys for polls, which nodes send, each consumer's group).
#include "reports/client_history_writer.h"

#include <map>
#include <string_view>
#include <type_traits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "reports/client_history_format.h"
#include "sim/check/judgement.h"
#include "sim/core/overloaded.h"
#include "sim/history/records.h"

namespace ksim::reports {

namespace {

// What the writer must know before it writes the first operation.
struct Lookahead {
  std::map<std::uint64_t, std::uint64_t> key_of;                       // message id -> key
  std::map<NodeId, GroupIndex> group_of;                               // consumer node -> group
  std::map<NodeId, bool> producers;                                    // producer nodes seen
};

Lookahead look_ahead(const history::History& history) {
  Lookahead ahead;
  const Overloaded handlers{
      [&](const history::SendRecord& s) {
        ahead.key_of.emplace(s.message_id, s.key);
        ahead.producers.emplace(s.producer, true);
      },
      [&]<class Typed>(const Typed& typed)
        requires requires { typed.consumer, typed.group; }
      { ahead.group_of.emplace(typed.consumer, typed.group); },
      [](const auto&) {},
  };
  for (const history::Record& r : history.records) history::visit(r, handlers);
  return ahead;
}

std::string quoted(const std::string& text) { return nlohmann::json(text).dump(); }

std::string node_text(const history::History& history, NodeId node) {
  return node.index() < history.nodes.size() ? history.nodes[node.index()].name
                                             : fmt::format("node-{}", node);
}

std::string key_text(std::uint64_t key) { return key == history::kNoKey ? "null" : fmt::format("{}", key); }
std::string offset_text(std::int64_t offset) { return offset < 0 ? "null" : fmt::format("{}", offset); }
// A value's transaction (version 2), nothing outside one.
std::string transaction_text(std::int64_t transaction) {
  return transaction < 0 ? "" : fmt::format(",\"transaction\":{}", transaction);
}

std::string header_line(const history::History& history, const Lookahead& ahead) {
  nlohmann::json processes = nlohmann::json::array();
  std::map<NodeId, history::Acks> acks;
  for (const history::ProducerEntry& p : history.producers) acks[NodeId{p.node}] = p.acks;
  for (const auto& [node, seen] : ahead.producers) {
    const auto it = acks.find(node);
    const auto group = ahead.group_of.find(node);  // a node that also reads is a client (version 2)
    processes.push_back({{"process", node_text(history, node)},
                         {"role", group == ahead.group_of.end() ? "producer" : "client"},
                         {"acks", std::string(history::to_string(it == acks.end() ? history::Acks::all : it->second))}});
    if (group != ahead.group_of.end()) processes.back()["group"] = group->second.value();
  }
  for (const auto& [node, group] : ahead.group_of) {
    if (ahead.producers.contains(node)) continue;
    processes.push_back(
        {{"process", node_text(history, node)}, {"role", "consumer"}, {"group", group.value()}});
  }
  nlohmann::json partitions = nlohmann::json::array();
  for (const history::PartitionEntry& p : history.partitions) partitions.push_back(fmt::format("{}-{}", p.topic, p.index));
  nlohmann::json groups = nlohmann::json::array();
  for (const history::ConsumerGroupEntry& g : history.groups) {
    nlohmann::json partitions_read = nlohmann::json::array();
    for (const PartitionId p : g.partitions) partitions_read.push_back(p.value());
    groups.push_back(
        {{"name", g.name}, {"partitions", partitions_read}, {"read_committed", g.read_committed}});
  }
  const nlohmann::json header = {{"format", kClientHistoryFormat}, {"version", kClientHistoryVersion},
                                 {"source", "ksim run"},           {"facts", "client"},
                                 {"processes", processes},         {"partitions", partitions},
                                 {"groups", groups},               {"workload_end_ns", history.workload_end_ns},
                                 {"end_ns", history.end_ns},       {"drain_completed", history.drain_completed}};
  return header.dump() + "\n";
}

// Writes operations in history order. Reads (poll, apply) of one consumer at one instant
// that follow each other in the history become one operation; a poll() call's boundary
// (PollCallRecord) starts a new one, so that a poll operation is one call.
class OpWriter {
 public:
  OpWriter(const history::History& history, const Lookahead& ahead) : history_(history), ahead_(ahead) {
    for (const auto& [node, seen] : ahead.producers) process_[node] = quoted(node_text(history, node));
    for (const auto& [node, group] : ahead.group_of) process_[node] = quoted(node_text(history, node));
  }

  void on(const history::SendRecord& s) {
    flush_read();
    if (!open_sends_.emplace(s.message_id, next_id_).second) return;  // a resend is the same operation
    if (s.transaction >= 0) transaction_of_[s.message_id] = {s.transaction, s.transaction};
    op(next_id_++, s.time_ns, s.producer, "invoke", "send", "",
       fmt::format("{{\"key\":{},\"value\":{},\"partition\":{}{}}}", key_text(s.key), s.message_id, s.partition,
                   transaction_text(s.transaction)));
  }
  // The application's resend after a restart goes into its new transaction: the completion
  // names it (version 2), as the message's writer is that transaction.
  void on(const history::SendAttemptRecord& a) {
    const auto it = transaction_of_.find(a.message_id);
    if (it != transaction_of_.end() && a.transaction >= 0) it->second.second = a.transaction;
  }
  void on(const history::SendAcknowledgedRecord& a) {
    complete_send(a.message_id, a.time_ns, a.producer, "ok", "", a.partition, a.offset);
  }
  void on(const history::SendFailedRecord& f) {
    // As Jepsen's Kafka client: only an error that says the write did not happen is a `fail`.
    const char* type = check::definite_failure(f.error) ? "fail" : "info";
    complete_send(f.message_id, f.time_ns, f.producer, type, std::string(error_name(f.error)), f.partition,
                  Offset{-1});
  }
  void on(const history::PollCallRecord&) { flush_read(); }
  void on(const history::PollRecord& p) { read("poll", p.consumer, p.time_ns, p.partition, p.offset, p.message_id, false); }
  void on(const history::EffectAppliedRecord& e) {
    read("apply", e.consumer, e.time_ns, e.partition, e.offset, e.message_id, false);
  }
  void on(const history::EffectSkippedRecord& e) {
    read("apply", e.consumer, e.time_ns, e.partition, e.offset, e.message_id, true);
  }
  void on(const history::EffectInTransactionRecord& e) {
    // Visible iff the transaction commits: the txn operation that ends it says whether.
    read("apply", e.consumer, e.time_ns, e.partition, e.offset, e.message_id, false, e.transaction);
  }
  void on(const history::TransactionEndedRecord& t) {
    flush_read();
    if (!process_.contains(t.producer)) return;  // a transaction without sends or effects: nothing to end
    const std::uint64_t id = next_id_++;
    const std::string value = fmt::format("{{\"transaction\":{}}}", t.transaction);
    op(id, t.time_ns, t.producer, "invoke", "txn", "", value);
    op(id, t.time_ns, t.producer, t.committed ? "ok" : "fail", "txn", "", value);
  }
  void on(const history::PartitionAssignedRecord& p) { ownership("assign", p.consumer, p.time_ns, p.partition); }
  void on(const history::PartitionRevokedRecord& p) { ownership("revoke", p.consumer, p.time_ns, p.partition); }
  template <class Typed>
  void on(const Typed&) {}  // broker internals: not client-visible

  // Sends never answered: indeterminate, as Jepsen's :info for an operation whose outcome
  // the client never learned; then the end line that tells a complete file from a cut one.
  std::string finish() {
    flush_read();
    for (const auto& [message, id] : open_sends_) {
      if (id == kAnswered) continue;
      const std::uint64_t key = key_or_none(message);
      op(id, history_.end_ns, producer_of_.at(message), "info", "send", "",
         fmt::format("{{\"key\":{},\"value\":{},\"partition\":{}{}}}", key_text(key), message,
                     partition_of_.at(message), resent_transaction_text(message)));
    }
    out_ += fmt::format("{{\"end\":true,\"ops\":{}}}\n", ops_);
    return std::move(out_);
  }

  void remember(const history::SendRecord& s) {
    producer_of_.emplace(s.message_id, s.producer);
    partition_of_.emplace(s.message_id, s.partition);
  }

 private:
  static constexpr std::uint64_t kAnswered = ~std::uint64_t{0};

  std::uint64_t key_or_none(std::uint64_t message) const {
    const auto it = ahead_.key_of.find(message);
    return it == ahead_.key_of.end() ? history::kNoKey : it->second;
  }

  // "transaction" on a completion only when the message was resent in a later transaction.
  std::string resent_transaction_text(std::uint64_t message) const {
    const auto it = transaction_of_.find(message);
    return it == transaction_of_.end() || it->second.first == it->second.second ? "" : transaction_text(it->second.second);
  }

  void op(std::uint64_t id, TimeNs time, NodeId node, const char* type, const char* f,
          const std::string& error, const std::string& values) {
    out_ += fmt::format("{{\"id\":{},\"time\":{},\"process\":{},\"type\":\"{}\",\"f\":\"{}\",", id, time,
                        process_.at(node), type, f);
    if (!error.empty()) out_ += fmt::format("\"error\":\"{}\",", error);
    out_ += fmt::format("\"value\":[{}]}}\n", values);
    ++ops_;
  }

  void complete_send(std::uint64_t message, TimeNs time, NodeId producer, const char* type,
                     const std::string& error, PartitionId partition, Offset offset) {
    flush_read();
    const auto it = open_sends_.find(message);
    if (it == open_sends_.end() || it->second == kAnswered) return;  // the application hears once
    op(it->second, time, producer, type, "send", error,
       fmt::format("{{\"key\":{},\"value\":{},\"partition\":{},\"offset\":{}{}}}",
                   key_text(key_or_none(message)), message, partition, offset_text(offset.value()),
                   resent_transaction_text(message)));
    it->second = kAnswered;
  }

  void read(const char* f, NodeId consumer, TimeNs time, PartitionId partition, Offset offset,
            std::uint64_t message, bool skipped, std::int64_t transaction = -1) {
    if (!read_values_.empty() && (read_f_ != f || read_consumer_ != consumer || read_time_ != time)) flush_read();
    read_f_ = f;
    read_consumer_ = consumer;
    read_time_ = time;
    if (!read_values_.empty()) read_values_ += ',';
    read_values_ +=
        fmt::format("{{\"key\":{},\"value\":{},\"partition\":{},\"offset\":{}{}{}}}",
                    key_text(key_or_none(message)), message, partition, offset_text(offset.value()),
                    skipped ? ",\"skipped\":true" : "", transaction_text(transaction));
  }

  void flush_read() {
    if (read_values_.empty()) return;
    const std::uint64_t id = next_id_++;
    const std::string f(read_f_);
    op(id, read_time_, read_consumer_, "invoke", f.c_str(), "", "");
    op(id, read_time_, read_consumer_, "ok", f.c_str(), "", read_values_);
    read_values_.clear();
  }

  void ownership(const char* f, NodeId consumer, TimeNs time, PartitionId partition) {
    flush_read();
    const std::uint64_t id = next_id_++;
    const std::string value = fmt::format("{{\"partition\":{}}}", partition);
    op(id, time, consumer, "invoke", f, "", value);
    op(id, time, consumer, "ok", f, "", value);
  }

  const history::History& history_;
  const Lookahead& ahead_;
  std::map<NodeId, std::string> process_;                // node -> its quoted name
  std::map<std::uint64_t, std::uint64_t> open_sends_;    // message id -> operation id, kAnswered once answered
  std::map<std::uint64_t, NodeId> producer_of_;
  std::map<std::uint64_t, PartitionId> partition_of_;
  std::map<std::uint64_t, std::pair<std::int64_t, std::int64_t>> transaction_of_;  // message -> (first, last)
  std::string out_;
  std::uint64_t next_id_ = 0, ops_ = 0;
  std::string_view read_f_;
  NodeId read_consumer_ = kNoNodeId;
  TimeNs read_time_ = 0;
  std::string read_values_;
};

}  // namespace

std::string render_client_history(const history::History& history) {
  const Lookahead ahead = look_ahead(history);
  OpWriter writer(history, ahead);
  for (const history::Record& r : history.records) {
    history::visit(r, [&]<class Typed>(const Typed& typed) {
      if constexpr (std::is_same_v<Typed, history::SendRecord>) writer.remember(typed);
      writer.on(typed);
    });
  }
  return header_line(history, ahead) + writer.finish();
}

}  // namespace ksim::reports
