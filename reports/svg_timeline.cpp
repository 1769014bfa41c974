// svg::timeline: a space-time diagram of one run, for the messages the checker flagged.
// x is simulated time, one row per node (producers, then brokers, then consumers, each
// in natural name order so broker-10 follows broker-9). Faults are translucent bands on
// their node's row, elections vertical ticks, and each lost or duplicated message a
// polyline through its events (send → attempt → append → ack → truncate/poll/effect).
#include <algorithm>
#include <cctype>
#include <map>
#include <string_view>

#include <fmt/format.h>

#include "reports/results_doc.h"
#include "reports/svg_charts.h"
#include "reports/text_escape.h"

namespace ksim::reports::svg {

namespace {

constexpr double kWidth = 900, kLeft = 110, kRight = 20, kTop = 30, kRow = 34;

int kind_rank(std::string_view name) {
  if (name.starts_with("producer")) return 0;
  if (name.starts_with("broker")) return 1;
  if (name.starts_with("controller")) return 2;
  if (name.starts_with("consumer")) return 3;
  return 4;
}

// Natural order: digit runs compare as numbers ("broker-9" < "broker-10").
bool natural_less(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      std::size_t i_end = i, j_end = j;
      while (i_end < a.size() && std::isdigit(static_cast<unsigned char>(a[i_end]))) ++i_end;
      while (j_end < b.size() && std::isdigit(static_cast<unsigned char>(b[j_end]))) ++j_end;
      const std::string_view x = a.substr(i, i_end - i), y = b.substr(j, j_end - j);
      const std::string_view xs = x.substr(std::min(x.find_first_not_of('0'), x.size()));
      const std::string_view ys = y.substr(std::min(y.find_first_not_of('0'), y.size()));
      if (xs.size() != ys.size()) return xs.size() < ys.size();
      if (xs != ys) return xs < ys;
      i = i_end;
      j = j_end;
      continue;
    }
    if (a[i] != b[j]) return a[i] < b[j];
    ++i;
    ++j;
  }
  return a.size() - i < b.size() - j;
}

// Where a fault band is, for its title; a fault aimed by role names it too:
// "broker-2 (leader of orders-0)".
std::string fault_place(const nlohmann::json& fault) {
  const std::string node = text_at(fault, "node");
  const std::string target = text_at(fault, "target");
  return (node.empty() ? "all nodes" : node) + (target.empty() ? "" : " (" + target + ")");
}

std::vector<std::string> node_rows(const nlohmann::json& timeline) {
  std::vector<std::string> nodes;
  const auto add = [&nodes](const std::string& node) {
    if (!node.empty() && std::find(nodes.begin(), nodes.end(), node) == nodes.end()) nodes.push_back(node);
  };
  for (const auto& fault : array_at(timeline, "faults")) add(text_at(fault, "node"));
  for (const auto& election : array_at(timeline, "elections")) add(text_at(election, "leader"));
  for (const auto& message : array_at(timeline, "messages")) {
    for (const auto& event : array_at(message, "events")) add(text_at(event, "node"));
  }
  std::sort(nodes.begin(), nodes.end(), [](const std::string& a, const std::string& b) {
    const int ra = kind_rank(a), rb = kind_rank(b);
    return ra != rb ? ra < rb : natural_less(a, b);
  });
  return nodes;
}

double time_of(const nlohmann::json& object, const char* key) { return static_cast<double>(count_at(object, key)); }

std::string marker(const std::string& kind, double x, double y, const std::string& fill) {
  // One shape per event kind, so the legend can tell appends from effects without colour.
  if (kind == "append") return fmt::format("<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" fill=\"{}\"", num(x - 4), num(y - 4), fill);
  if (kind == "truncate") {
    return fmt::format("<path d=\"M{} {}l8 8m0 -8l-8 8\" stroke=\"{}\" stroke-width=\"2\"", num(x - 4), num(y - 4), fill);
  }
  if (kind == "ack") {
    return fmt::format("<polygon points=\"{},{} {},{} {},{}\" fill=\"{}\"", num(x), num(y - 5), num(x + 5), num(y + 4), num(x - 5),
                       num(y + 4), fill);
  }
  if (kind == "effect" || kind == "poll") {
    return fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{}\"", num(x), num(y), kind == "effect" ? fill : "#ffffff");
  }
  return fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{}\"", num(x), num(y), fill);
}

std::string legend(double y) {
  std::string out;
  double x = kLeft;
  const auto item = [&](const std::string& shape, const char* text) {
    out += shape + fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\">{}</text>", num(x + 8), num(y + 4), text);
    x += 16 + 7.0 * static_cast<double>(std::string_view(text).size());
  };
  item(marker("send", x, y, "#555555") + "/>", "send/attempt");
  item(marker("append", x, y, "#555555") + "/>", "append");
  item(marker("ack", x, y, "#555555") + "/>", "ack");
  item(marker("truncate", x, y, "#555555") + "/>", "truncate");
  item(marker("poll", x, y, "#555555") + " stroke=\"#555555\"/>", "poll");
  item(marker("effect", x, y, "#555555") + "/>", "effect");
  item(fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\"/>", num(x - 4), num(y), num(x + 4),
                   num(y), colour(0)),
       "lost");
  item(fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\"/>", num(x - 4), num(y), num(x + 4),
                   num(y), colour(2)),
       "duplicated");
  item(fmt::format("<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" class=\"fault\"/>", num(x - 4), num(y - 4)), "fault");
  item(fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" class=\"election\"/>", num(x), num(y - 5), num(y + 5)), "election");
  return out;
}

}  // namespace

std::string timeline(const nlohmann::json& timeline) {
  const std::vector<std::string> nodes = node_rows(timeline);
  std::map<std::string, double> row_y;
  for (std::size_t n = 0; n < nodes.size(); ++n) row_y[nodes[n]] = kTop + kRow * (static_cast<double>(n) + 0.5);
  double end = time_of(timeline, "end_ns");
  for (const auto& message : array_at(timeline, "messages")) {
    for (const auto& event : array_at(message, "events")) end = std::max(end, time_of(event, "t_ns"));
  }
  end = std::max(end, 1.0);
  const double plot_width = kWidth - kLeft - kRight;
  const auto x_of = [&](double t) { return kLeft + plot_width * std::clamp(t / end, 0.0, 1.0); };
  const double rows_bottom = kTop + kRow * static_cast<double>(nodes.size());
  const double height = rows_bottom + 50;
  std::string out = fmt::format(
      "<svg class=\"chart timeline\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" role=\"img\">"
      "<title>Space-time diagram: {2} {3}, seed {4}</title>",
      num(kWidth), num(height), html_escape(text_at(timeline, "scenario")), html_escape(text_at(timeline, "mode")),
      html_escape(text_at(timeline, "seed", "?")));
  for (const std::string& node : nodes) {
    out += fmt::format("<line class=\"row\" x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>"
                       "<text class=\"tick\" x=\"{3}\" y=\"{4}\" text-anchor=\"end\">{5}</text>",
                       num(kLeft), num(row_y[node]), num(kWidth - kRight), num(kLeft - 6), num(row_y[node] + 4), html_escape(node));
  }
  for (const auto& fault : array_at(timeline, "faults")) {
    const std::string node = text_at(fault, "node");
    const double start = time_of(fault, "start_ns");
    const double stop = fault.contains("end_ns") && fault["end_ns"].is_number() ? time_of(fault, "end_ns") : end;
    const double top = node.empty() ? kTop : row_y[node] - kRow / 2 + 2;
    const double band_height = node.empty() ? rows_bottom - kTop : kRow - 4;
    out += fmt::format("<rect class=\"fault\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{} on {} from {:.0f} ns to {:.0f} ns</title></rect>",
                       num(x_of(start)), num(top), num(std::max(1.0, x_of(stop) - x_of(start))), num(band_height),
                       html_escape(text_at(fault, "kind")), html_escape(fault_place(fault)), start, stop);
  }
  for (const auto& election : array_at(timeline, "elections")) {
    const std::string leader = text_at(election, "leader");
    const double x = x_of(time_of(election, "t_ns"));
    const double y1 = leader.empty() ? kTop : row_y[leader] - kRow / 2;
    const double y2 = leader.empty() ? rows_bottom : row_y[leader] + kRow / 2;
    const bool unclean = election.contains("unclean") && election["unclean"].is_boolean() && election["unclean"].get<bool>();
    out += fmt::format("<line class=\"election{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"><title>{}election of partition {}: leader {} epoch {} at {} ns</title></line>",
                       unclean ? " unclean" : "", num(x), num(y1), num(x), num(y2), unclean ? "unclean " : "",
                       html_escape(text_at(election, "partition", "?")), html_escape(leader.empty() ? "none" : leader),
                       html_escape(text_at(election, "epoch", "?")), count_at(election, "t_ns"));
  }
  for (const auto& message : array_at(timeline, "messages")) {
    const std::string status = text_at(message, "status");
    const std::string stroke = colour(status == "lost" ? 0 : 2);
    const std::string id = text_at(message, "message_id", "?");
    std::string points, marks;
    for (const auto& event : array_at(message, "events")) {
      const std::string node = text_at(event, "node");
      if (!row_y.contains(node)) continue;
      const double x = x_of(time_of(event, "t_ns")), y = row_y[node];
      points += fmt::format("{},{} ", num(x), num(y));
      const std::string kind = text_at(event, "kind");
      const std::string offset = text_at(event, "offset");
      marks += marker(kind, x, y, stroke) + (kind == "poll" ? fmt::format(" stroke=\"{}\"", stroke) : std::string()) +
               fmt::format("><title>message {} {} on {}{} at {} ns</title></{}>", html_escape(id), html_escape(kind), html_escape(node),
                           offset.empty() ? std::string() : " offset " + html_escape(offset), count_at(event, "t_ns"),
                           kind == "append" ? "rect" : kind == "truncate" ? "path" : kind == "ack" ? "polygon" : "circle");
    }
    if (points.empty()) continue;
    points.pop_back();
    out += fmt::format("<g class=\"message {}\"><polyline points=\"{}\" stroke=\"{}\"><title>message {} ({})</title></polyline>{}</g>",
                       status == "lost" ? "lost" : "duplicated", points, stroke, html_escape(id), html_escape(status), marks);
  }
  out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\">0</text><text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{:.0f} ns</text>",
                     num(kLeft), num(rows_bottom + 14), num(kWidth - kRight), num(rows_bottom + 14), end);
  return out + legend(rows_bottom + 36) + "</svg>";
}

}  // namespace ksim::reports::svg
