// Jepsen's transactional anomalies [JK] on the ww/wr dependency graph (dependency_graph.h),
// found as Elle finds them, through strongly connected components:
// - G0: a cycle of ww edges only. Counted per strongly connected component of the ww graph
//   that holds a cycle (two or more operations: the graph has no self-edges);
// - G1c: a cycle of ww and wr edges with at least one wr edge. Counted per strongly connected
//   component of the whole graph that holds a wr edge between two of its operations (such an
//   edge lies on a cycle inside the component);
// - precommitted-read: an operation read a value it wrote itself (Jepsen: "a transaction
//   which observed its own writes"; in Kafka's model a sent value is invisible to every
//   poller until its transaction commits). Counted per operation.
// The first cycles are written out as Jepsen's explanations are: the operations, then each
// edge ("T1 sent 17 to orders-0 directly before T2 sent 18" for ww, "T1 sent 17 to
// orders-0, which T2 polled" for wr), the shortest cycle through the component's first
// edge of the kind, found by breadth-first search.
#include <algorithm>
#include <deque>
#include <map>
#include <string>

#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <fmt/format.h>

#include "sim/check/dependency_graph.h"
#include "sim/check/naming.h"
#include "sim/check/stages.h"

namespace ksim::check {

namespace {

using Edge = DependencyGraph::edge_descriptor;
constexpr std::size_t kCyclesWrittenOut = 3;  // per anomaly: explanations stay short
constexpr std::size_t kStepsWrittenOut = 8;   // per cycle: a long one (a duplicate far back) is cut

struct WwOnly {
  const DependencyGraph* graph = nullptr;
  bool operator()(const Edge& e) const { return (*graph)[e].kind == Dependency::ww; }
};
struct AnyEdge {
  bool operator()(const Edge&) const { return true; }
};

template <class Allowed>
std::vector<std::uint32_t> components_of(const DependencyGraph& graph, Allowed allowed) {
  std::vector<std::uint32_t> component(boost::num_vertices(graph), 0);
  const boost::filtered_graph<DependencyGraph, Allowed> view(graph, allowed);
  boost::strong_components(view, boost::make_iterator_property_map(component.begin(),
                                                                    boost::get(boost::vertex_index, graph)));
  return component;
}

// The edges of a shortest path from `from` to `to` through `allowed` edges inside one
// component; empty if there is none.
template <class Allowed>
std::vector<Edge> shortest_path(const DependencyGraph& graph, const std::vector<std::uint32_t>& component,
                                std::uint32_t from, std::uint32_t to, Allowed allowed) {
  std::map<std::uint32_t, Edge> reached_by;  // vertex -> the edge BFS reached it by
  std::deque<std::uint32_t> frontier{from};
  bool found = from == to;
  while (!frontier.empty() && !found) {
    const std::uint32_t at = frontier.front();
    frontier.pop_front();
    for (const Edge& e : boost::make_iterator_range(boost::out_edges(at, graph))) {
      const auto next = static_cast<std::uint32_t>(boost::target(e, graph));
      if (!allowed(e) || component[next] != component[from] || next == from || reached_by.contains(next)) continue;
      reached_by.emplace(next, e);
      if (next == to) found = true;
      frontier.push_back(next);
    }
  }
  std::vector<Edge> path;
  if (!found) return path;
  for (std::uint32_t at = to; at != from;) {
    const Edge e = reached_by.at(at);
    path.push_back(e);
    at = static_cast<std::uint32_t>(boost::source(e, graph));
  }
  std::reverse(path.begin(), path.end());
  return path;
}

// "T1 = producer-0 transaction 3, T2 = ...: T1 sent 17 to orders-0 directly before T2 sent
// 18 (ww); ...; cycle T1 -> T2 -> T1"
std::string cycle_text(const history::History& history, const Dependencies& deps, const std::vector<Edge>& whole) {
  const std::size_t cut = whole.size() > kStepsWrittenOut ? whole.size() - kStepsWrittenOut : 0;
  const std::vector<Edge> cycle(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(whole.size() - cut));
  std::map<std::uint32_t, std::size_t> label;  // vertex -> its number in the text
  std::vector<std::uint32_t> order;
  for (const Edge& e : cycle) {
    const auto v = static_cast<std::uint32_t>(boost::source(e, deps.graph));
    if (label.try_emplace(v, label.size() + 1).second) order.push_back(v);
  }
  std::string names, steps, loop;
  for (const std::uint32_t v : order) {
    names += fmt::format("{}T{} = {}", names.empty() ? "" : ", ", label.at(v), operation_text(history, deps.operations[v]));
  }
  if (cut > 0) {
    const auto last = static_cast<std::uint32_t>(boost::target(cycle.back(), deps.graph));
    label.try_emplace(last, label.size() + 1);
    names += fmt::format(", T{} = {}", label.at(last), operation_text(history, deps.operations[last]));
  }
  for (const Edge& e : cycle) {
    const DependencyEdge& d = deps.graph[e];
    const std::size_t a = label.at(static_cast<std::uint32_t>(boost::source(e, deps.graph)));
    const std::size_t b = label.at(static_cast<std::uint32_t>(boost::target(e, deps.graph)));
    const std::string where = partition_name(history, d.partition);
    steps += d.kind == Dependency::ww
                 ? fmt::format("; T{} sent {} to {} directly before T{} sent {} (ww)", a, d.value, where, b, d.next_value)
                 : fmt::format("; T{} sent {} to {}, which T{} polled (wr)", a, d.value, where, b);
    loop += fmt::format("T{} -> ", a);
  }
  if (cut > 0) {
    return fmt::format("{}{}; then {} more steps back to T1; cycle {}T{} -> ... -> T1", names, steps, cut, loop,
                       label.size());
  }
  return fmt::format("{}{}; cycle {}T1", names, steps, loop);
}

// One anomaly per component of `component` holding an edge that `counts` accepts between
// two of its operations; the cycle through that edge follows `allowed` edges.
template <class Allowed, class Counts>
void find_cycles(const history::History& history, const Dependencies& deps, const std::vector<std::uint32_t>& component,
                 Allowed allowed, Counts counts, Anomaly& out) {
  const DependencyGraph& graph = deps.graph;
  std::vector<std::uint8_t> counted(boost::num_vertices(graph), 0);  // by component number (< vertices)
  for (const Edge& e : boost::make_iterator_range(boost::edges(graph))) {
    const auto from = static_cast<std::uint32_t>(boost::source(e, graph));
    const auto to = static_cast<std::uint32_t>(boost::target(e, graph));
    if (!allowed(e) || !counts(e) || component[from] != component[to] || counted[component[from]]) continue;
    counted[component[from]] = 1;
    note(out, graph[e].value);
    if (out.explanations.size() >= kCyclesWrittenOut) continue;
    std::vector<Edge> cycle{e};
    const std::vector<Edge> back = shortest_path(graph, component, to, from, allowed);
    cycle.insert(cycle.end(), back.begin(), back.end());
    out.explanations.push_back(cycle_text(history, deps, cycle));
  }
}

}  // namespace

void find_transactional_anomalies(const history::History& history, const Facts& facts, JepsenAnomalies& out) {
  const Dependencies deps = build_dependencies(history, facts);
  const WwOnly ww{&deps.graph};
  find_cycles(history, deps, components_of(deps.graph, ww), ww, AnyEdge{}, out.g0);
  const auto is_wr = [&](const Edge& e) { return deps.graph[e].kind == Dependency::wr; };
  find_cycles(history, deps, components_of(deps.graph, AnyEdge{}), AnyEdge{}, is_wr, out.g1c);
  for (const OwnRead& read : deps.own_reads) {
    note(out.precommitted_read, read.value);
    if (out.precommitted_read.explanations.size() >= kCyclesWrittenOut) continue;
    out.precommitted_read.explanations.push_back(
        fmt::format("{} polled {} from {}, which it sent itself, before it committed",
                    operation_text(history, deps.operations[read.operation]), read.value,
                    partition_name(history, read.partition)));
  }
}

}  // namespace ksim::check
