// svg::topology: the network picture from the scenario's Graphviz DOT text. We do not
// lay graphs out properly (no Graphviz at report time); nodes sit on a circle in the
// order the DOT text declares them, edges are straight lines. The parser reads only what
// Boost's write_graphviz emits (`0[label="broker-1\n…"];`, `0--1 [...]`, `0->1`) plus
// quoted ids, and ignores everything else.
#include <cctype>
#include <cmath>
#include <map>
#include <numbers>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "reports/svg_charts.h"
#include "reports/text_escape.h"

namespace ksim::reports::svg {

namespace {

struct Graph {
  std::vector<std::string> ids;               // in declaration order
  std::map<std::string, std::string> labels;  // id -> first line of its label
  std::set<std::pair<std::string, std::string>> edges;
};

void skip_space(std::string_view text, std::size_t& i) {
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) ++i;
}

// A DOT id at text[i]: a double-quoted string (escapes kept as written) or a bare word.
std::string read_id(std::string_view text, std::size_t& i) {
  std::string id;
  if (i < text.size() && text[i] == '"') {
    for (++i; i < text.size() && text[i] != '"'; ++i) {
      if (text[i] == '\\' && i + 1 < text.size()) id += text[i++];
      id += text[i];
    }
    if (i < text.size()) ++i;
    return id;
  }
  while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_' || text[i] == '.')) {
    id += text[i++];
  }
  return id;
}

// The first line of a label="…" attribute (DOT escapes "\n" as two characters).
std::string label_of(std::string_view attributes) {
  const std::size_t at = attributes.find("label=");
  if (at == std::string_view::npos) return "";
  std::size_t i = at + 6;
  std::string label = read_id(attributes, i);
  if (const std::size_t newline = label.find("\\n"); newline != std::string::npos) label.resize(newline);
  std::string unescaped;
  for (std::size_t k = 0; k < label.size(); ++k) {
    if (label[k] == '\\' && k + 1 < label.size()) ++k;
    unescaped += label[k];
  }
  return unescaped;
}

Graph parse_dot(std::string_view dot) {
  Graph graph;
  const auto declare = [&graph](const std::string& id) {
    if (!graph.labels.contains(id)) {
      graph.ids.push_back(id);
      graph.labels[id] = id;
    }
  };
  const std::size_t open = dot.find('{');
  std::size_t i = open == std::string_view::npos ? dot.size() : open + 1;
  while (i < dot.size()) {
    skip_space(dot, i);
    if (i >= dot.size() || dot[i] == '}') break;
    const std::size_t statement_end = std::min(dot.find_first_of(";\n", i), dot.size());
    const std::string_view statement = dot.substr(i, statement_end - i);
    std::size_t k = 0;
    const std::string first = read_id(statement, k);
    skip_space(statement, k);
    const bool keyword = first == "graph" || first == "node" || first == "edge";
    if (!first.empty() && !keyword && statement.substr(k, 2) != "=") {
      declare(first);
      if (statement.substr(k, 2) == "--" || statement.substr(k, 2) == "->") {
        k += 2;
        skip_space(statement, k);
        const std::string second = read_id(statement, k);
        if (!second.empty()) {
          declare(second);
          graph.edges.insert(first < second ? std::pair{first, second} : std::pair{second, first});
        }
      } else if (const std::string label = label_of(statement.substr(k)); !label.empty()) {
        graph.labels[first] = label;
      }
    }
    i = statement_end + 1;
  }
  return graph;
}

}  // namespace

std::string topology(const std::string& dot) {
  const Graph graph = parse_dot(dot);
  constexpr double kSize = 420, kCentre = 210, kRadius = 150;
  std::map<std::string, std::pair<double, double>> at;
  const double count = static_cast<double>(std::max<std::size_t>(1, graph.ids.size()));
  for (std::size_t n = 0; n < graph.ids.size(); ++n) {
    const double angle = 2 * std::numbers::pi * static_cast<double>(n) / count - std::numbers::pi / 2;
    at[graph.ids[n]] = {kCentre + kRadius * std::cos(angle), kCentre + kRadius * std::sin(angle)};
  }
  std::string out = fmt::format(
      "<svg class=\"chart topology\" viewBox=\"0 0 {0} {0}\" width=\"{0}\" height=\"{0}\" role=\"img\">"
      "<title>Topology: {1} nodes, {2} links</title>",
      num(kSize), graph.ids.size(), graph.edges.size());
  for (const auto& [a, b] : graph.edges) {
    out += fmt::format("<line class=\"edge\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"><title>{} – {}</title></line>",
                       num(at[a].first), num(at[a].second), num(at[b].first), num(at[b].second),
                       html_escape(graph.labels.at(a)), html_escape(graph.labels.at(b)));
  }
  for (const std::string& id : graph.ids) {
    const std::string& label = graph.labels.at(id);
    out += fmt::format("<circle class=\"node\" cx=\"{}\" cy=\"{}\" r=\"16\"><title>{}</title></circle>"
                       "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                       num(at[id].first), num(at[id].second), html_escape(label), num(at[id].first), num(at[id].second + 30),
                       html_escape(label));
  }
  if (graph.ids.empty()) out += "<text class=\"tick\" x=\"10\" y=\"30\">no nodes in the topology</text>";
  return out + "</svg>";
}

}  // namespace ksim::reports::svg
