#include "reports/html_report.h"

#include <algorithm>

#include <fmt/format.h>

#include "reports/anomaly_table.h"
#include "reports/latency_json.h"
#include "reports/latency_table.h"
#include "reports/topic_table.h"
#include "reports/overview.h"
#include "reports/probe_coverage.h"
#include "reports/results_doc.h"
#include "reports/svg_charts.h"
#include "reports/text_escape.h"
#include "reports/timeline_view.h"

namespace ksim::reports {

namespace {

constexpr const char* kStyle = R"(
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1000px}
h1.fail{color:#b00}h1.pass{color:#070}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
th:first-child,td:first-child{text-align:left}
code{background:#f3f3f3;padding:1px 4px}
.charts{display:flex;flex-wrap:wrap;gap:12px}
.chart-note{flex-basis:100%;margin:0;color:#555;font-size:13px}
svg.chart{border:1px solid #ddd;background:#fff}
.chart-title{font-size:13px;font-weight:bold}.tick{font-size:11px;fill:#444}
.axis{stroke:#888}.row{stroke:#ddd}.edge{stroke:#999}.node{fill:#cde;stroke:#357}
.band{opacity:.2}.median,.cdf-line{fill:none;stroke-width:2}
.fault{fill:#c00;opacity:.15}.election{stroke:#070;stroke-width:2}.election.unclean{stroke:#c00;stroke-dasharray:3 2}
.message polyline{fill:none;stroke-width:1.5}
.held{color:#070}.broken{color:#b00}.inconclusive{color:#a60}
#overview td{white-space:nowrap}
)";

constexpr const char* kShownCounters[] = {"lost", "duplicated", "reordered"};
// The first written-out case of each anomaly that has one (G0/G1c cycles, precommitted
// reads), folded: a cycle is a paragraph, not a table cell.
std::string anomaly_cases(const nlohmann::json& scenario) {
  const auto cases = first_anomaly_cases(scenario);
  if (cases.empty()) return "";
  std::string out = "<details class=\"anomaly-cases\"><summary>Jepsen anomalies written out (the first case of each)</summary><ul>";
  for (const auto& [name, text] : cases) out += fmt::format("<li><strong>{}</strong> {}</li>", html_escape(name), html_escape(text));
  return out + "</ul></details>";
}

// Curves against a varied parameter: the anomalies, then (where the points carry them) the
// saturation curve: offered against acknowledged, throughput and latency.
constexpr const char* kVaryCurves[] = {"lost",         "duplicated",         "reordered",        "offered",
                                       "acknowledged", "acknowledged_per_s", "end_to_end_p99_ns"};

std::string mode_table(const nlohmann::json& scenario, const std::vector<std::string>& modes) {
  std::string out = "<table><tr><th>counter</th>";
  for (const std::string& mode : modes) out += fmt::format("<th>{}</th>", html_escape(mode));
  out += "</tr>";
  for (const TableRow& row : kTableRows) {
    const char* counter = row.counter;
    out += fmt::format("<tr><td>{}</td>", counter);
    for (const std::string& mode : modes) {
      const std::size_t runs = mode_runs(scenario, mode).size();
      out += fmt::format("<td>{}", counter_sum(scenario, mode, counter));
      if (runs > 1 && row.violation) {
        out += fmt::format(" <small>({}/{} seeds)</small>", violating_seeds(scenario, mode, counter), runs);
      }
      out += "</td>";
    }
    out += "</tr>";
  }
  out += "<tr><td>guarantee</td>";
  for (const std::string& mode : modes) {
    const std::uint64_t broken = guarantee_broken_runs(scenario, mode);
    const std::uint64_t inconclusive = inconclusive_runs(scenario, mode);
    const std::string mark = broken == 0 && inconclusive == 0 ? "✔" : broken == 0 ? "" : fmt::format("✘ {} runs", broken);
    const std::string unfinished = inconclusive == 0 ? "" : fmt::format(" ? {} runs inconclusive", inconclusive);
    out += fmt::format("<td class=\"{}\">{} {}{}</td>", broken > 0 ? "broken" : inconclusive > 0 ? "inconclusive" : "held",
                       html_escape(mode_guarantee(scenario, mode)), mark, unfinished);
  }
  return out + "</tr></table>";
}

// A table of labelled rows with a cell per mode; "" without rows.
std::string rows_table(const char* heading, const std::vector<std::string>& modes, const std::vector<LatencyRow>& rows) {
  if (rows.empty()) return "";
  std::string out = fmt::format("<table><tr><th>{}</th>", heading);
  for (const std::string& mode : modes) out += fmt::format("<th>{}</th>", html_escape(mode));
  out += "</tr>";
  for (const LatencyRow& row : rows) {
    out += fmt::format("<tr><td>{}</td>", html_escape(row.label));
    for (const std::string& cell : row.cells) out += fmt::format("<td>{}</td>", html_escape(cell));
    out += "</tr>";
  }
  return out + "</table>";
}

// A CDF per latency that some mode measured, a line per mode: where each mode's tail starts.
void latency_charts(std::vector<std::string>& charts, const nlohmann::json& scenario, const std::vector<std::string>& modes) {
  for (const auto& [kind, title] : {std::pair{"end_to_end", "End-to-end latency CDF per mode (arrival to visible effect)"},
                                    std::pair{"produce", "Produce latency CDF per mode (send to acknowledgement)"}}) {
    std::vector<svg::CdfSeries> series;
    bool any = false;
    for (const std::string& mode : modes) {
      const nlohmann::json* latency = mode_latency(scenario, mode);
      series.push_back({mode, latency != nullptr && latency->contains(kind) ? histogram_from_json(latency->at(kind))
                                                                            : check::LatencyHistogram{}});
      any = any || series.back().histogram.count() > 0;
    }
    if (any) charts.push_back(svg::latency_cdf(title, series));
  }
}

void counter_charts(std::vector<std::string>& charts, const nlohmann::json& scenario, const std::vector<std::string>& modes) {
  // A counter that is 0 in every seed of every mode is said once, not drawn as empty bars.
  std::vector<const char*> drawn, zero;
  for (const char* counter : kShownCounters) {
    const bool any = std::any_of(modes.begin(), modes.end(), [&](const std::string& m) { return counter_sum(scenario, m, counter) > 0; });
    (any ? drawn : zero).push_back(counter);
  }
  std::vector<svg::BarGroup> groups;
  for (const std::string& mode : modes) {
    svg::BarGroup group{mode, {}};
    for (const char* counter : drawn) group.values.push_back(static_cast<double>(counter_sum(scenario, mode, counter)));
    groups.push_back(group);
  }
  if (!drawn.empty()) {
    std::string title;
    for (const char* counter : drawn) title += (title.empty() ? "" : ", ") + std::string(counter);
    charts.push_back(svg::grouped_bars(title + " per mode (sum over seeds)", "messages", {drawn.begin(), drawn.end()}, groups));
  }
  for (const char* counter : zero) {
    charts.push_back(fmt::format("<p class=\"chart-note\">{}: 0 in every seed of every mode</p>", counter));
  }
  for (const std::string& mode : modes) {
    const std::vector<const nlohmann::json*> runs = mode_runs(scenario, mode);
    if (runs.size() <= 1) continue;
    for (const char* counter : {"lost", "duplicated"}) {
      std::vector<std::uint64_t> values;
      for (const nlohmann::json* run : runs) values.push_back(count_at(*run, counter));
      if (std::all_of(values.begin(), values.end(), [](std::uint64_t v) { return v == 0; })) {
        // One full bar labelled "0" says nothing a sentence does not say better.
        charts.push_back(fmt::format("<p class=\"chart-note\">{} per seed, {}: 0 in every seed ({} seeds)</p>",
                                     counter, html_escape(mode), values.size()));
        continue;
      }
      charts.push_back(svg::histogram(fmt::format("{} per seed, {}", counter, mode), fmt::format("{} messages", counter), values));
    }
  }
}

double number_of(const nlohmann::json& object, const char* key) {
  const auto found = object.is_object() ? object.find(key) : object.end();
  return (found != object.end() && found->is_number()) ? found->get<double>() : 0.0;
}

// The unit of a vary curve's values, and the factor from the stored number to it.
std::pair<const char*, double> vary_unit(std::string_view counter) {
  if (counter == "acknowledged_per_s") return {"messages/s", 1.0};
  if (counter.ends_with("_ns")) return {"ms", 1e-6};
  return {"messages", 1.0};
}

void vary_charts(std::vector<std::string>& charts, const nlohmann::json& vary, const std::vector<std::string>& modes) {
  if (!vary.is_object()) return;
  const std::string key = text_at(vary, "key", "value");
  for (const char* counter : kVaryCurves) {
    std::vector<svg::LineSeries> series;
    const auto [unit, factor] = vary_unit(counter);
    for (const std::string& mode : modes) {
      svg::LineSeries line{mode, {}};
      for (const auto& point : array_at(vary, "points")) {
        if (text_at(point, "mode") != mode || !point.contains(counter)) continue;
        const nlohmann::json& stats = point[counter];
        line.points.push_back({number_of(point, "value"), number_of(stats, "median") * factor, number_of(stats, "min") * factor,
                               number_of(stats, "max") * factor});
      }
      std::stable_sort(line.points.begin(), line.points.end(), [](const auto& a, const auto& b) { return a.x < b.x; });
      if (!line.points.empty()) series.push_back(line);
    }
    if (!series.empty()) charts.push_back(svg::line_chart(fmt::format("{} against {} (median, min–max)", counter, key), key, unit, series));
  }
}

void cause_charts(std::vector<std::string>& charts, const nlohmann::json& scenario) {
  for (const auto& [key, title] : {std::pair{"lost_by_cause", "Causes of loss"}, std::pair{"duplicated_by_cause", "Causes of duplication"}}) {
    std::vector<std::pair<std::string, double>> bars;
    for (const CauseCount& cause : cause_totals(scenario, "", key)) bars.emplace_back(cause.cause, static_cast<double>(cause.count));
    if (!bars.empty()) charts.push_back(svg::horizontal_bars(title, "messages", bars));
  }
}

std::string failing_expectations(const nlohmann::json& scenario) {
  std::string items;
  for (const auto& e : array_at(scenario, "expectations")) {
    if (!has_bool(e, "held") || e["held"].get<bool>()) continue;
    if (expectation_verdict(e) == "inconclusive") {
      items += fmt::format("<li class=\"inconclusive\">? {}: {} {} ({}) — inconclusive: {} run(s) did not complete; seed {}: {}"
                           "<br>replay: <code>{}</code></li>",
                           html_escape(text_at(e, "mode")), html_escape(text_at(e, "counter")), html_escape(text_at(e, "bound")),
                           html_escape(text_at(e, "quantifier")), html_escape(text_at(e, "inconclusive_seeds", "?")),
                           html_escape(text_at(e, "inconclusive_seed", "?")), html_escape(text_at(e, "inconclusive_reason")),
                           html_escape(text_at(e, "replay")));
      continue;
    }
    items += fmt::format("<li>✘ {}: {} {} ({}) — observed {}", html_escape(text_at(e, "mode")), html_escape(text_at(e, "counter")),
                         html_escape(text_at(e, "bound")), html_escape(text_at(e, "quantifier")), html_escape(text_at(e, "observed", "?")));
    if (const std::string seed = text_at(e, "failing_seed"); !seed.empty()) items += " on seed " + html_escape(seed);
    if (const std::string replay = text_at(e, "replay"); !replay.empty()) items += "<br>replay: <code>" + html_escape(replay) + "</code>";
    items += "</li>";
  }
  return items.empty() ? "" : "<h3>Failing expectations</h3><ul>" + items + "</ul>";
}

std::string inconclusive_list(const nlohmann::json& scenario) {
  std::string items;
  for (const auto& run : array_at(scenario, "runs")) {
    if (run_verdict(run) != "inconclusive") continue;
    items += fmt::format("<li>{} seed {}: {}<br>replay: <code>{}</code></li>", html_escape(text_at(run, "mode")),
                         html_escape(text_at(run, "seed")), html_escape(text_at(run, "inconclusive_reason")),
                         html_escape(text_at(run, "replay")));
  }
  return items.empty() ? "" : "<h3 class=\"inconclusive\">Inconclusive runs (stopped at a bound: no verdict)</h3><ul>" + items + "</ul>";
}

// The replay command of the timeline's run: the run's own, else one built from the file.
std::string replay_of(const nlohmann::json& scenario, const nlohmann::json& timeline) {
  const std::string mode = text_at(timeline, "mode"), seed = text_at(timeline, "seed");
  for (const auto& run : array_at(scenario, "runs")) {
    if (text_at(run, "mode") == mode && text_at(run, "seed") == seed && !text_at(run, "replay").empty()) return text_at(run, "replay");
  }
  return fmt::format("ksim run {} --seed {} --mode {}", text_at(scenario, "file", "SCENARIO.yaml"), seed, mode);
}

std::string scenario_section(const nlohmann::json& scenario, std::size_t index, std::size_t& chart_count) {
  const std::vector<std::string> modes = scenario_modes(scenario);
  std::string out = fmt::format("<section id=\"{}\"><h2>{}</h2>", section_anchor(index),
                                html_escape(text_at(scenario, "name", "(unnamed scenario)")));
  if (const std::string description = text_at(scenario, "description"); !description.empty()) {
    out += "<p>" + html_escape(description) + "</p>";
  }
  if (const std::string file = text_at(scenario, "file"); !file.empty()) out += "<p>file <code>" + html_escape(file) + "</code></p>";
  // The price of each mode in simulated time (reports/latency_table.h; none in results
  // written before latencies were measured), then each topic's counters (several topics).
  if (!modes.empty()) {
    out += mode_table(scenario, modes) + rows_table("latency (simulated time)", modes, latency_rows(scenario, modes)) +
           rows_table("per topic", modes, topic_rows(scenario, modes)) +
           rows_table("pipeline", modes, pipeline_rows(scenario, modes)) +
           rows_table("Jepsen anomalies", modes, anomaly_rows(scenario, modes)) + anomaly_cases(scenario);
  }
  out += failing_expectations(scenario);
  out += inconclusive_list(scenario);
  std::vector<std::string> charts;
  if (!modes.empty()) counter_charts(charts, scenario, modes);
  if (!modes.empty()) latency_charts(charts, scenario, modes);
  if (scenario.contains("vary")) vary_charts(charts, scenario["vary"], modes);
  cause_charts(charts, scenario);
  if (const std::string dot = text_at(scenario, "topology_dot"); !dot.empty()) charts.push_back(svg::topology(dot));
  // Every timeline of the scenario ("timelines": one per failing expectation's seed), or
  // the single "timeline" of older results files.
  nlohmann::json timelines = nlohmann::json::array();
  if (scenario.contains("timelines") && scenario["timelines"].is_array()) {
    timelines = scenario["timelines"];
  } else if (scenario.contains("timeline") && scenario["timeline"].is_object()) {
    timelines.push_back(scenario["timeline"]);
  }
  for (nlohmann::json& timeline : timelines) {
    if (!timeline.is_object()) continue;
    timeline["scenario"] = text_at(scenario, "name");
    timeline["replay"] = replay_of(scenario, timeline);
    charts.push_back(timeline_view(timeline));
  }
  // Drawn charts only: a counter that is 0 in every seed is a sentence, not a chart.
  chart_count += static_cast<std::size_t>(
      std::count_if(charts.begin(), charts.end(), [](const std::string& chart) { return chart.find("<svg") != std::string::npos; }));
  out += "<div class=\"charts\">";
  for (const std::string& chart : charts) out += chart;
  return out + "</div></section>\n";
}

// Every scenario against every mode, failing scenarios first (reports/overview.h).
std::string overview(const nlohmann::json& results) {
  if (array_at(results, "scenarios").size() < 2) return "";
  const std::vector<std::string> modes = overview_modes(results);
  std::string out = "<section id=\"overview\"><h2>Overview</h2><p>Each cell: verdict · lost · duplicated · reordered · "
                    "end-to-end p99; failing scenarios first.</p><table><tr><th>scenario</th>";
  for (const std::string& mode : modes) out += fmt::format("<th>{}</th>", html_escape(mode));
  out += "</tr>";
  for (const OverviewRow& row : overview_rows(results, modes)) {
    out += fmt::format("<tr><td><a href=\"#{}\">{}</a></td>", section_anchor(row.section), html_escape(row.scenario));
    for (const OverviewCell& cell : row.cells) {
      const char* state = !cell.ran ? "" : cell.failing() ? "broken" : "held";
      out += fmt::format("<td class=\"{}\">{}</td>", state, html_escape(overview_cell_text(cell)));
    }
    out += "</tr>";
  }
  return out + "</table></section>\n";
}

}  // namespace

std::string render_html_report(const nlohmann::json& results) {
  require_results_schema(results);
  std::string sections = overview(results);
  std::size_t chart_count = 0;
  const auto& scenarios = array_at(results, "scenarios");
  for (std::size_t s = 0; s < scenarios.size(); ++s) sections += scenario_section(scenarios[s], s, chart_count);
  const std::vector<std::string> coverage = coverage_lines(results.value("probes", nlohmann::json()));
  if (!coverage.empty()) sections += "<section id=\"probes\"><h2>Coverage probes</h2>";
  for (const std::string& line : coverage) sections += "<p>" + html_escape(line) + "</p>";
  if (!coverage.empty()) sections += "</section>\n";
  const std::uint64_t failed = failed_expectation_count(results);
  const std::uint64_t unfinished = all_inconclusive_runs(results).size();
  // ✔ and ✘ (Dingbats, in DejaVu Sans, which even minimal systems ship) rather than emoji,
  // which render as empty boxes where no emoji font is installed.
  std::string heading = failed == 0 ? "✔ all expectations held" : fmt::format("✘ {} expectation{} failed", failed, failed == 1 ? "" : "s");
  if (unfinished > 0) {
    heading = (failed == 0 ? std::string("? inconclusive") : heading) +
              fmt::format(" ({} run{} stopped at a bound)", unfinished, unfinished == 1 ? "" : "s");
  }
  // ksim-chart-count lets tests/reports/browser_check.sh know how many charts to expect.
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src {}\">"
      "<meta name=\"ksim-chart-count\" content=\"{}\">"
      "<title>ksim {} report</title><style>{}{}</style></head>\n<body><h1 class=\"{}\">ksim {}: {}</h1>"
      "<p>ksim {} · {} scenario{}</p>\n{}<script>{}</script></body></html>\n",
      timeline_script_csp(), chart_count, html_escape(text_at(results, "command", "run")), kStyle, kTimelineStyle,
      failed == 0 && unfinished == 0 ? "pass" : "fail",
      html_escape(text_at(results, "command", "run")), heading, html_escape(text_at(results, "ksim_version", "?")),
      array_at(results, "scenarios").size(), array_at(results, "scenarios").size() == 1 ? "" : "s", sections, timeline_script());
}

}  // namespace ksim::reports
