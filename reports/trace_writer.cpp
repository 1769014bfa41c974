#include "reports/trace_writer.h"

#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ksim::reports {

namespace {

using nlohmann::json;

// Trace time is in microseconds; ns / 1000 as a double keeps the nanoseconds as the
// fraction (exact for any run shorter than ~100 days).
double micros(TimeNs ns) { return static_cast<double>(ns) / 1000.0; }

const char* record_name(history::RecordKind kind) {
  switch (kind) {
    case history::RecordKind::send: return "send";
    case history::RecordKind::send_acknowledged: return "ack";
    case history::RecordKind::send_failed: return "send failed";
    case history::RecordKind::send_attempt: return "attempt";
    case history::RecordKind::append: return "append";
    case history::RecordKind::follower_append_range: return "replicated";
    case history::RecordKind::truncate: return "truncate";
    case history::RecordKind::high_watermark: return "high watermark";
    case history::RecordKind::leader_elected: return "leader elected";
    case history::RecordKind::fault: return "fault";
    case history::RecordKind::poll: return "poll";
    case history::RecordKind::effect_applied: return "effect";
    case history::RecordKind::effect_in_transaction: return "effect in transaction";
    case history::RecordKind::effect_skipped: return "effect skipped";
    case history::RecordKind::offset_committed: return "commit";
    case history::RecordKind::partition_assigned: return "assigned";
    case history::RecordKind::partition_revoked: return "revoked";
    case history::RecordKind::transaction_ended: return "transaction ended";
    case history::RecordKind::coordinator_loaded: return "coordinator loaded";
    case history::RecordKind::committed_offset_loaded: return "offset loaded";
    case history::RecordKind::isr_changed: return "ISR changed";
    case history::RecordKind::follower_high_watermark: return "follower high watermark";
    case history::RecordKind::arrival_queued: return "queued in the application";
    case history::RecordKind::not_sent: return "not sent";
    case history::RecordKind::poll_call: return "poll call";
    case history::RecordKind::controller_elected: return "controller elected";
    case history::RecordKind::output_produced: return "output produced";
  }
  return "record";
}

const char* fault_name(std::uint8_t detail) {
  static constexpr const char* kNames[] = {"crash",     "power failure",   "restart",       "pause begin",
                                           "pause end", "partition begin", "partition end", "controlled shutdown"};
  return detail < std::size(kNames) ? kNames[detail] : "fault";
}

struct Where {
  double ts = 0;
  std::uint32_t pid = 0;
  std::uint32_t tid = 0;
};

class TraceBuilder {
 public:
  TraceBuilder(const history::History& history, std::size_t max_events) : history_(history), max_events_(max_events) {}

  // False once the limit is reached (after the truncation marker went in).
  bool push(json event) {
    if (truncated_) return false;
    if (events_.size() + 1 >= max_events_) {
      truncated_ = true;
      events_.push_back({{"name", "trace truncated"}, {"ph", "i"}, {"s", "g"}, {"ts", event.value("ts", 0.0)}, {"pid", 0}, {"tid", 0},
                         {"args", {{"limit", max_events_}, {"records", history_.records.size()}}}});
      return false;
    }
    events_.push_back(std::move(event));
    return true;
  }

  void metadata() {
    for (std::size_t n = 0; n < history_.nodes.size(); ++n) {
      push({{"name", "process_name"}, {"ph", "M"}, {"pid", n}, {"tid", 0}, {"args", {{"name", history_.nodes[n].name}}}});
      for (std::size_t p = 0; p < history_.partitions.size(); ++p) {
        const history::PartitionEntry& partition = history_.partitions[p];
        push({{"name", "thread_name"}, {"ph", "M"}, {"pid", n}, {"tid", p + 1},
              {"args", {{"name", fmt::format("{}-{}", partition.topic, partition.index)}}}});
      }
    }
  }

  void record(const history::Record& r) {
    const std::uint32_t pid = r.node == history::kNoNode ? 0 : r.node;
    const Where here{micros(r.time_ns), pid, r.partition + 1};
    json args = {{"message_id", r.message_id}, {"offset", r.offset}, {"epoch", r.epoch}, {"detail", r.detail}};
    switch (r.kind) {
      case history::RecordKind::high_watermark:
        push({{"name", fmt::format("high watermark p{}", r.partition)}, {"ph", "C"}, {"ts", here.ts}, {"pid", pid},
              {"args", {{"hw", r.offset}}}});
        return;
      case history::RecordKind::leader_elected:
        push({{"name", r.detail == 1 ? "unclean leader election" : "leader elected"}, {"ph", "i"}, {"s", "g"}, {"ts", here.ts},
              {"pid", pid}, {"tid", here.tid},
              {"args", {{"partition", r.partition}, {"epoch", r.epoch}, {"leader", r.node == history::kNoNode ? -1 : std::int64_t{r.node}}}}});
        return;
      case history::RecordKind::fault:
        push({{"name", fault_name(r.detail)}, {"ph", "i"}, {"s", "p"}, {"ts", here.ts}, {"pid", pid}, {"tid", 0},
              {"args", {{"duration_ns", r.extra}}}});
        return;
      case history::RecordKind::follower_append_range:
        push({{"name", record_name(r.kind)}, {"cat", "record"}, {"ph", "i"}, {"s", "t"}, {"ts", here.ts}, {"pid", pid},
              {"tid", here.tid},
              {"args", {{"first_offset", r.offset}, {"count", r.extra}, {"leader", r.message_id}, {"epoch", r.epoch}}}});
        return;
      case history::RecordKind::follower_high_watermark:
        return;  // one per fetch response: noise in a trace
      default:
        break;
    }
    if (!push({{"name", record_name(r.kind)}, {"cat", "record"}, {"ph", "i"}, {"s", "t"}, {"ts", here.ts}, {"pid", pid},
               {"tid", here.tid}, {"args", args}})) {
      return;
    }
    flows(r, here);
  }

  std::string finish() {
    return json{{"traceEvents", std::move(events_)}, {"displayTimeUnit", "ns"}}.dump();
  }

 private:
  // Flow arrows: send → first leader append, then first leader append → each effect.
  void flows(const history::Record& r, const Where& here) {
    if (r.kind == history::RecordKind::send) {
      sends_.emplace(r.message_id, here);
    } else if (r.kind == history::RecordKind::append && r.detail == 1 && !appends_.contains(r.message_id)) {
      appends_.emplace(r.message_id, here);
      if (const auto send = sends_.find(r.message_id); send != sends_.end()) arrow("produce", send->second, here, r.message_id);
    } else if (r.kind == history::RecordKind::effect_applied) {
      if (const auto append = appends_.find(r.message_id); append != appends_.end()) arrow("consume", append->second, here, r.message_id);
    }
  }

  void arrow(const char* name, const Where& from, const Where& to, std::uint64_t message_id) {
    const std::uint64_t id = ++flow_ids_;
    push({{"name", name}, {"cat", "flow"}, {"ph", "s"}, {"id", id}, {"ts", from.ts}, {"pid", from.pid}, {"tid", from.tid},
          {"args", {{"message_id", message_id}}}});
    push({{"name", name}, {"cat", "flow"}, {"ph", "f"}, {"bp", "e"}, {"id", id}, {"ts", to.ts}, {"pid", to.pid}, {"tid", to.tid},
          {"args", {{"message_id", message_id}}}});
  }

  const history::History& history_;
  std::size_t max_events_;
  json events_ = json::array();
  bool truncated_ = false;
  std::uint64_t flow_ids_ = 0;
  std::map<std::uint64_t, Where> sends_;    // message id -> its send
  std::map<std::uint64_t, Where> appends_;  // message id -> its first leader append
};

}  // namespace

std::string render_chrome_trace(const history::History& history, std::size_t max_events) {
  TraceBuilder builder(history, std::max<std::size_t>(max_events, 2));
  builder.metadata();
  for (const history::Record& record : history.records) {
    builder.record(record);
  }
  return builder.finish();
}

}  // namespace ksim::reports
