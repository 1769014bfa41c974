// The ww and wr dependency graph of Jepsen's Kafka checker [JK] (dependency_graph.h):
// - the version order of a partition: the values in offset order, offsets taken from
//   acknowledged sends and from every poll (Jepsen's version-orders: `:ok` sends and all
//   polls; an `:info` send carries no offset in a ksim history); at an offset holding several
//   values (inconsistent-offsets) the first one recorded stands for it, as Jepsen's order
//   takes one value of the offset's set; offsets no one saw are skipped (dense indices);
// - ww: T1 -> T2 when the value directly before T2's value v2 in the version order is T1's
//   (Jepsen's previous-value: v2's index is its LAST position in the order), T1 != T2;
// - wr: T1 -> T2 when T2 read a value T1 wrote, T1 != T2; T2 reading its own write is
//   Jepsen's precommitted-read instead.
// Jepsen infers ww only with its :ww-deps option; ksim always does, and reports G0 and G1c
// as facts, never as a verdict (Jepsen's allowed-error-types lists G0 as normal for Kafka).
#include "sim/check/dependency_graph.h"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "sim/check/naming.h"
#include "sim/check/offset_slots.h"
#include "sim/core/overloaded.h"
#include "sim/history/records.h"

namespace ksim::check {

namespace {

// The writing operations: a vertex per producer transaction and per non-transactional send,
// numbered in send order.
class OperationTable {
 public:
  explicit OperationTable(const Facts& facts) : of_message_(facts.messages.size(), kNone) {
    // At most a vertex per send. Reserved at once: grown step by step, the blocks it left
    // behind stayed resident (they come from the heap the world freed), 8 bytes a message
    // more at the checker's peak (issue 19).
    first_message_.reserve(facts.send_order.size());
    for (const std::uint32_t i : facts.send_order) {
      const MessageFacts& m = facts.messages[i];
      if (!m.sent || m.producer == history::kNoNode) continue;
      if (m.transaction < 0) {
        of_message_[i] = size();
        first_message_.push_back(i);
        continue;
      }
      const auto [it, fresh] = by_transaction_.try_emplace({m.producer, m.transaction}, size());
      if (fresh) first_message_.push_back(i);
      of_message_[i] = it->second;
    }
  }

  std::uint32_t size() const { return static_cast<std::uint32_t>(first_message_.size()); }
  std::uint32_t of_message(std::uint32_t message) const { return message == kNone ? kNone : of_message_[message]; }
  std::uint32_t of_transaction(std::uint32_t node, std::int32_t transaction) const {
    const auto found = by_transaction_.find({node, transaction});
    return found == by_transaction_.end() ? kNone : found->second;
  }
  // Each vertex's name, from the message that made it (its producer and transaction).
  std::vector<OperationName> names(const Facts& facts) const {
    std::vector<OperationName> out;
    out.reserve(first_message_.size());
    for (const std::uint32_t i : first_message_) {
      const MessageFacts& m = facts.messages[i];
      out.push_back({m.producer, m.transaction < 0 ? -1 : m.transaction, facts.messages_index.id(i)});
    }
    return out;
  }

 private:
  std::vector<std::uint32_t> of_message_;  // by dense message index
  std::map<std::pair<std::uint32_t, std::int32_t>, std::uint32_t> by_transaction_;
  // By vertex: the dense index of its first message in send order (its name is read from
  // it when a cycle or an own read needs it: 4 bytes a send rather than 24, issue 19).
  std::vector<std::uint32_t> first_message_;
};

struct PendingEdge {
  std::uint32_t from = kNone;
  std::uint32_t to = kNone;
  DependencyEdge edge;
};

// Per partition, the version order: dense message indices. Every message id a history names
// has a dense index (make_facts collects them all).
std::vector<std::vector<std::uint32_t>> version_orders(const history::History& history, const Facts& facts) {
  const std::uint32_t partitions = facts.partition_count;
  std::vector<OffsetSlots> slots(partitions);
  const auto place = [&](std::uint32_t partition, std::int64_t offset, std::uint64_t id) {
    if (offset < 0 || partition >= partitions) return;
    const std::uint32_t message = facts.messages_index.find(id);
    if (message != kNone) slots[partition].place(offset, message);
  };
  const Overloaded handlers{
      [&](const history::SendAcknowledgedRecord& a) {
        place(a.partition.value(), a.offset.value(), a.message_id);
      },
      [&](const history::PollRecord& p) { place(p.partition.value(), p.offset.value(), p.message_id); },
      [](const auto&) {},
  };
  for (const history::Record& r : history.records) history::visit(r, handlers);
  std::vector<std::vector<std::uint32_t>> orders(partitions);
  for (std::uint32_t p = 0; p < partitions; ++p) orders[p] = slots[p].take_order();
  return orders;
}

void add_ww_edges(const Facts& facts, const OperationTable& operations,
                  const std::vector<std::vector<std::uint32_t>>& orders, std::vector<PendingEdge>& edges) {
  std::vector<std::uint8_t> handled(facts.messages.size(), 0);  // a later position of the value was taken
  for (std::uint32_t p = 0; p < orders.size(); ++p) {
    const std::vector<std::uint32_t>& order = orders[p];
    for (std::size_t i = order.size(); i-- > 1;) {
      const std::uint32_t later = order[i];
      if (facts.messages[later].partition != p || handled[later]) continue;
      handled[later] = 1;
      const std::uint32_t to = operations.of_message(later);
      const std::uint32_t from = operations.of_message(order[i - 1]);
      if (from == kNone || to == kNone || from == to) continue;
      edges.push_back({from, to,
                       {Dependency::ww, p, facts.messages_index.id(order[i - 1]), facts.messages_index.id(later)}});
    }
  }
}

// Reads inside an operation that also writes: a consumer's transaction's processed records.
void add_wr_edges(const history::History& history, const Facts& facts, const OperationTable& operations,
                  std::vector<PendingEdge>& edges, std::vector<OwnRead>& own_reads) {
  std::vector<std::uint8_t> read_own(operations.size(), 0);
  const auto on_read = [&](const history::EffectInTransactionRecord& e) {
    const std::uint32_t reader = operations.of_transaction(e.consumer.value(), e.transaction);
    if (reader == kNone) return;  // the transaction wrote nothing: on no cycle
    const std::uint32_t writer = operations.of_message(facts.messages_index.find(e.message_id));
    if (writer == kNone) return;
    if (writer != reader) {
      edges.push_back({writer, reader, {Dependency::wr, e.partition.value(), e.message_id, e.message_id}});
    } else if (!read_own[reader]) {
      read_own[reader] = 1;
      own_reads.push_back({reader, e.partition.value(), e.message_id});
    }
  };
  const Overloaded handlers{on_read, [](const auto&) {}};
  for (const history::Record& r : history.records) history::visit(r, handlers);
}

// Can a ww edge lie on a cycle? Not when every operation's values stand at one position of
// the version orders at most and nothing reads across operations: a ww edge then goes from
// a position to the next one of the same partition, so every path climbs one partition's
// order. The common healthy history (non-transactional sends, each read where it was
// acknowledged) skips the graph this way.
bool ww_cycle_possible(const OperationTable& operations, const std::vector<std::vector<std::uint32_t>>& orders) {
  std::vector<std::uint8_t> placed(operations.size(), 0);
  for (const std::vector<std::uint32_t>& order : orders) {
    for (const std::uint32_t message : order) {
      const std::uint32_t operation = operations.of_message(message);
      if (operation == kNone) continue;
      if (placed[operation]) return true;
      placed[operation] = 1;
    }
  }
  return false;
}

}  // namespace

Dependencies build_dependencies(const history::History& history, const Facts& facts) {
  OperationTable operations(facts);
  Dependencies out;
  std::vector<PendingEdge> edges;
  add_wr_edges(history, facts, operations, edges, out.own_reads);
  const std::vector<std::vector<std::uint32_t>> orders = version_orders(history, facts);
  if (!edges.empty() || ww_cycle_possible(operations, orders)) add_ww_edges(facts, operations, orders, edges);
  if (edges.empty()) {  // no edge, no cycle: the operations stay out of the graph
    if (!out.own_reads.empty()) out.operations = operations.names(facts);
    return out;
  }
  // One edge per (from, to, kind): the first found explains it.
  std::stable_sort(edges.begin(), edges.end(), [](const PendingEdge& a, const PendingEdge& b) {
    return std::tie(a.from, a.to, a.edge.kind) < std::tie(b.from, b.to, b.edge.kind);
  });
  const auto same = [](const PendingEdge& a, const PendingEdge& b) {
    return a.from == b.from && a.to == b.to && a.edge.kind == b.edge.kind;
  };
  edges.erase(std::unique(edges.begin(), edges.end(), same), edges.end());
  for (std::uint32_t v = 0; v < operations.size(); ++v) boost::add_vertex(out.graph);  // in place: no graph copy
  for (const PendingEdge& e : edges) boost::add_edge(e.from, e.to, e.edge, out.graph);
  out.operations = operations.names(facts);
  return out;
}

std::string operation_text(const history::History& history, const OperationName& operation) {
  const std::string node = node_name(history, operation.node);
  if (operation.transaction < 0) return fmt::format("{}'s send of {}", node, operation.message_id);
  return fmt::format("{} transaction {}", node, operation.transaction);
}

}  // namespace ksim::check
