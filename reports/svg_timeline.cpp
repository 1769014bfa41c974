// svg::timeline: a space-time diagram of one run, for the messages the checker flagged.
// x is simulated time, one row per node (producers, then brokers, then consumers, each
// in natural name order so broker-10 follows broker-9). Faults are translucent bands on
// their node's row, elections vertical ticks, and each lost or duplicated message a
// polyline through its events (send → attempt → append → ack → truncate/poll/effect).
// Every mark carries its simulated time (data-t, in ns) so report.html's timeline script
// can zoom and pan by moving marks; without the script the diagram is complete as drawn.
#include <algorithm>
#include <cctype>
#include <map>
#include <string_view>

#include <fmt/format.h>

#include "reports/results_doc.h"
#include "reports/svg_charts.h"
#include "reports/text_escape.h"
#include "reports/time_ticks.h"

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

// One shape per event kind, so the legend can tell appends from effects without colour;
// drawn around (0, 0): the caller places it with a translate the timeline script updates.
std::string marker(const std::string& kind, const std::string& fill) {
  if (kind == "append") return fmt::format("<rect x=\"-4\" y=\"-4\" width=\"8\" height=\"8\" fill=\"{}\"", fill);
  if (kind == "truncate") return fmt::format("<path d=\"M-4 -4l8 8m0 -8l-8 8\" stroke=\"{}\" stroke-width=\"2\"", fill);
  if (kind == "ack") return fmt::format("<polygon points=\"0,-5 5,4 -5,4\" fill=\"{}\"", fill);
  if (kind == "effect" || kind == "poll") {
    return fmt::format("<circle r=\"4\" fill=\"{}\"", kind == "effect" ? fill : "#ffffff");
  }
  return fmt::format("<circle r=\"3\" fill=\"{}\"", fill);
}

std::string placed(const std::string& shape, double x, double y) {
  return fmt::format("<g transform=\"translate({} {})\">{}</g>", num(x), num(y), shape);
}

std::string legend(double y) {
  std::string out;
  double x = kLeft;
  const auto item = [&](const std::string& shape, const char* text) {
    out += shape + fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\">{}</text>", num(x + 8), num(y + 4), text);
    x += 16 + 7.0 * static_cast<double>(std::string_view(text).size());
  };
  item(placed(marker("send", "#555555") + "/>", x, y), "send/attempt");
  item(placed(marker("append", "#555555") + "/>", x, y), "append");
  item(placed(marker("ack", "#555555") + "/>", x, y), "ack");
  item(placed(marker("truncate", "#555555") + "/>", x, y), "truncate");
  item(placed(marker("poll", "#555555") + " stroke=\"#555555\"/>", x, y), "poll");
  item(placed(marker("effect", "#555555") + "/>", x, y), "effect");
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

struct Layout {
  std::map<std::string, double> row_y;
  double end = 1;
  double rows_bottom = kTop;
  double x_of(double t) const { return kLeft + (kWidth - kLeft - kRight) * std::clamp(t / end, 0.0, 1.0); }
};

Layout layout_of(const nlohmann::json& timeline, const std::vector<std::string>& nodes) {
  Layout layout;
  for (std::size_t n = 0; n < nodes.size(); ++n) layout.row_y[nodes[n]] = kTop + kRow * (static_cast<double>(n) + 0.5);
  double end = time_of(timeline, "end_ns");
  for (const auto& message : array_at(timeline, "messages")) {
    for (const auto& event : array_at(message, "events")) end = std::max(end, time_of(event, "t_ns"));
  }
  layout.end = std::max(end, 1.0);
  layout.rows_bottom = kTop + kRow * static_cast<double>(nodes.size());
  return layout;
}

std::string fault_bands(const nlohmann::json& timeline, Layout& layout) {
  std::string out;
  for (const auto& fault : array_at(timeline, "faults")) {
    const std::string node = text_at(fault, "node");
    const double start = time_of(fault, "start_ns");
    const double stop = fault.contains("end_ns") && fault["end_ns"].is_number() ? time_of(fault, "end_ns") : layout.end;
    const double top = node.empty() ? kTop : layout.row_y[node] - kRow / 2 + 2;
    const double band_height = node.empty() ? layout.rows_bottom - kTop : kRow - 4;
    out += fmt::format("<rect class=\"fault\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" data-t0=\"{:.0f}\" data-t1=\"{:.0f}\">"
                       "<title>{} on {} from {} to {}</title></rect>",
                       num(layout.x_of(start)), num(top), num(std::max(1.0, layout.x_of(stop) - layout.x_of(start))),
                       num(band_height), start, stop, html_escape(text_at(fault, "kind")),
                       html_escape(fault_place(fault)), readable_time(start), readable_time(stop));
  }
  return out;
}

std::string election_ticks(const nlohmann::json& timeline, Layout& layout) {
  std::string out;
  for (const auto& election : array_at(timeline, "elections")) {
    const std::string leader = text_at(election, "leader");
    const double x = layout.x_of(time_of(election, "t_ns"));
    const double y1 = leader.empty() ? kTop : layout.row_y[leader] - kRow / 2;
    const double y2 = leader.empty() ? layout.rows_bottom : layout.row_y[leader] + kRow / 2;
    const bool unclean = election.contains("unclean") && election["unclean"].is_boolean() && election["unclean"].get<bool>();
    out += fmt::format("<line class=\"election{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" data-t=\"{}\"><title>{}election of "
                       "partition {}: leader {} epoch {} at {}</title></line>",
                       unclean ? " unclean" : "", num(x), num(y1), num(x), num(y2), count_at(election, "t_ns"),
                       unclean ? "unclean " : "", html_escape(text_at(election, "partition", "?")),
                       html_escape(leader.empty() ? "none" : leader), html_escape(text_at(election, "epoch", "?")),
                       readable_time(time_of(election, "t_ns")));
  }
  return out;
}

std::string event_mark(const nlohmann::json& event, const std::string& id, const std::string& stroke, double x, double y) {
  const std::string node = text_at(event, "node");
  const std::string kind = text_at(event, "kind");
  const std::string offset = text_at(event, "offset");
  return fmt::format("<g class=\"ev\" data-t=\"{}\" transform=\"translate({} {})\">", count_at(event, "t_ns"), num(x), num(y)) +
         marker(kind, stroke) + (kind == "poll" ? fmt::format(" stroke=\"{}\"", stroke) : std::string()) +
         fmt::format("><title>message {} {} on {}{} at {}</title></{}></g>", html_escape(id), html_escape(kind),
                     html_escape(node), offset.empty() ? std::string() : " offset " + html_escape(offset),
                     readable_time(time_of(event, "t_ns")),
                     kind == "append" ? "rect" : kind == "truncate" ? "path" : kind == "ack" ? "polygon" : "circle");
}

// One flagged message: its line and marks, with what the script's detail panel shows
// (cause, explanation, replay) and filters on (cause, nodes) as data attributes.
std::string message_line(const nlohmann::json& message, Layout& layout, const std::string& replay) {
  const std::string status = text_at(message, "status") == "lost" ? "lost" : "duplicated";
  const std::string stroke = colour(status == "lost" ? 0 : 2);
  const std::string id = text_at(message, "message_id", "?");
  std::string points, times, marks, nodes = " ";
  for (const auto& event : array_at(message, "events")) {
    const std::string node = text_at(event, "node");
    if (!layout.row_y.contains(node)) continue;
    const double x = layout.x_of(time_of(event, "t_ns")), y = layout.row_y[node];
    points += fmt::format("{},{} ", num(x), num(y));
    times += fmt::format("{} ", count_at(event, "t_ns"));
    if (nodes.find(" " + node + " ") == std::string::npos) nodes += node + " ";
    marks += event_mark(event, id, stroke, x, y);
  }
  if (points.empty()) return "";
  points.pop_back();
  times.pop_back();
  const std::string cause = text_at(message, "cause", "not recorded");
  return fmt::format("<g class=\"message {}\" data-id=\"{}\" data-cause=\"{}\" data-explanation=\"{}\" data-replay=\"{}\" "
                     "data-nodes=\"{}\"><polyline points=\"{}\" data-t=\"{}\" stroke=\"{}\"><title>message {} ({}, {}): "
                     "click for its cause</title></polyline><polyline class=\"hit\" points=\"{}\" data-t=\"{}\"/>{}</g>",
                     status, html_escape(id), html_escape(cause), html_escape(text_at(message, "explanation")),
                     html_escape(replay), html_escape(nodes), points, times, stroke, html_escape(id), status,
                     html_escape(cause), points, times, marks);
}

// The time axis: readable ticks (time_ticks.h) the script redraws for a zoomed window.
std::string time_axis(const Layout& layout) {
  std::string out = "<g class=\"tl-ticks\">";
  for (const TimeTick& tick : time_ticks(0, layout.end)) {
    const double x = layout.x_of(tick.t_ns);
    out += fmt::format("<line class=\"grid\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>"
                       "<text class=\"tick\" x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>",
                       num(x), num(kTop), num(layout.rows_bottom + 4), num(layout.rows_bottom + 16), tick.label);
  }
  return out + "</g>";
}

// Row labels over white margins: marks a zoom moves out of the window slide under them
// (`height`: down to the axis, so the tick labels below stay visible).
std::string row_labels(const std::vector<std::string>& nodes, Layout& layout, double height) {
  std::string out = fmt::format("<rect class=\"tl-mask\" x=\"0\" y=\"0\" width=\"{}\" height=\"{}\"/>"
                                "<rect class=\"tl-mask\" x=\"{}\" y=\"0\" width=\"{}\" height=\"{}\"/>",
                                num(kLeft - 1), num(height), num(kWidth - kRight + 1), num(kRight), num(height));
  for (const std::string& node : nodes) {
    out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", num(kLeft - 6),
                       num(layout.row_y[node] + 4), html_escape(node));
  }
  return out;
}

}  // namespace

std::string timeline(const nlohmann::json& timeline) {
  const std::vector<std::string> nodes = node_rows(timeline);
  Layout layout = layout_of(timeline, nodes);
  const double height = layout.rows_bottom + 56;
  std::string out = fmt::format(
      "<svg class=\"chart timeline\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" role=\"img\" data-end=\"{5:.0f}\" "
      "data-left=\"{6}\" data-right=\"{7}\"><title>Space-time diagram: {2} {3}, seed {4}</title>",
      num(kWidth), num(height), html_escape(text_at(timeline, "scenario")), html_escape(text_at(timeline, "mode")),
      html_escape(text_at(timeline, "seed", "?")), layout.end, num(kLeft), num(kWidth - kRight));
  out += time_axis(layout);
  for (const std::string& node : nodes) {
    out += fmt::format("<line class=\"row\" x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>", num(kLeft), num(layout.row_y[node]),
                       num(kWidth - kRight));
  }
  out += fault_bands(timeline, layout) + election_ticks(timeline, layout);
  const std::string replay = text_at(timeline, "replay");
  for (const auto& message : array_at(timeline, "messages")) out += message_line(message, layout, replay);
  out += row_labels(nodes, layout, layout.rows_bottom + 5);
  out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">simulated time</text>", num(kLeft - 6),
                     num(layout.rows_bottom + 28));
  return out + legend(layout.rows_bottom + 40) + "</svg>";
}

}  // namespace ksim::reports::svg
