#pragma once
// Charts as inline SVG text, drawn by hand so report.html needs no script, font or URL
// and stays byte-identical for the same input (coordinates are printed with a fixed
// number of decimals). Every label passed in is escaped here; every chart has a <title>
// and each mark carries its own <title> as a tooltip.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/check/latency_histogram.h"

namespace ksim::reports::svg {

// A coordinate or size with one decimal: fixed, so output is the same on every compiler.
std::string num(double value);
// The colour of series `index` (a fixed palette, colour-blind friendly).
std::string colour(std::size_t index);

// Shared by the chart files: the <svg> opening with its title, and a legend of coloured
// squares from x = 48 at baseline y.
std::string open_svg(const std::string& title, double width, double height, const std::string& css_class);
std::string legend(const std::vector<std::string>& series, double y);

// Every chart names the unit of its values on the value axis (`unit`, `x_unit`, `y_unit`).
// Bars grouped by category (e.g. modes), one bar per series (e.g. lost/duplicated/reordered).
struct BarGroup {
  std::string label;
  std::vector<double> values;  // one per series
};
std::string grouped_bars(const std::string& title, const std::string& unit, const std::vector<std::string>& series,
                         const std::vector<BarGroup>& groups);

// How many of `values` fall in each of up to 10 equal-width integer bins.
std::string histogram(const std::string& title, const std::string& x_unit, const std::vector<std::uint64_t>& values);

// A median line with a min–max band per series, against a numeric x.
struct LinePoint {
  double x = 0, median = 0, min = 0, max = 0;
};
struct LineSeries {
  std::string name;
  std::vector<LinePoint> points;  // sorted by x by the caller
};
std::string line_chart(const std::string& title, const std::string& x_label, const std::string& y_unit,
                       const std::vector<LineSeries>& series);

// One horizontal bar per (label, value), in the order given.
std::string horizontal_bars(const std::string& title, const std::string& unit,
                            const std::vector<std::pair<std::string, double>>& bars);

// Cumulative distribution of latencies, one line per series (e.g. per mode), against a
// log-scale time axis; guides at p50, p90 and p99 (svg_cdf.cpp).
struct CdfSeries {
  std::string name;
  check::LatencyHistogram histogram;
};
std::string latency_cdf(const std::string& title, const std::vector<CdfSeries>& series);

// The topology of a Graphviz DOT text: nodes on a circle, edges as lines (svg_topology.cpp).
std::string topology(const std::string& dot);

// Space-time diagram of a results "timeline" object (svg_timeline.cpp).
std::string timeline(const nlohmann::json& timeline);

}  // namespace ksim::reports::svg
