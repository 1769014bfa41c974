// svg::latency_cdf: the cumulative distribution of a latency per mode. The time axis is
// logarithmic because a mode's latencies span decades (a few ms when all is well, seconds
// behind a failover), and a linear axis would crush everything but the tail into one pixel.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "reports/latency_json.h"
#include "reports/svg_charts.h"
#include "reports/text_escape.h"

namespace ksim::reports::svg {

namespace {

constexpr double kWidth = 560, kHeight = 280;
constexpr double kLeft = 48, kRight = 16, kTop = 28, kBottom = 58;
constexpr double kPlotWidth = kWidth - kLeft - kRight, kPlotHeight = kHeight - kTop - kBottom;
constexpr double kFloorNs = 1000;  // 1 µs: the left end at the latest (0 ns is drawn there)

struct LogAxis {
  double low_exponent = 3, high_exponent = 4;  // powers of ten of the axis ends, in ns
  double x(double ns) const {
    const double e = std::log10(std::max(ns, kFloorNs));
    return kLeft + kPlotWidth * (e - low_exponent) / (high_exponent - low_exponent);
  }
};

LogAxis axis_of(const std::vector<CdfSeries>& series) {
  double low = 0, high = 0;
  bool first = true;
  for (const CdfSeries& s : series) {
    if (s.histogram.count() == 0) continue;
    const double min = std::max<double>(kFloorNs, static_cast<double>(s.histogram.min_ns()));
    const double max = std::max<double>(kFloorNs, static_cast<double>(s.histogram.max_ns()));
    low = first ? min : std::min(low, min);
    high = first ? max : std::max(high, max);
    first = false;
  }
  LogAxis axis;
  if (first) return axis;
  axis.low_exponent = std::floor(std::log10(low));
  axis.high_exponent = std::max(axis.low_exponent + 1, std::ceil(std::log10(high)));
  return axis;
}

// "1 µs", "10 ms", "100 s": 10^exponent nanoseconds.
std::string power_of_ten_label(int exponent) {
  static constexpr const char* kUnits[] = {"ns", "µs", "ms", "s"};
  const int unit = std::clamp(exponent / 3, 0, 3);
  return fmt::format("{:.0f} {}", std::pow(10.0, exponent - 3 * unit), kUnits[unit]);
}

std::string frame(const LogAxis& axis) {
  const double bottom = kTop + kPlotHeight;
  std::string out = fmt::format("<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>"
                                "<line class=\"axis\" x1=\"{0}\" y1=\"{2}\" x2=\"{3}\" y2=\"{2}\"/>",
                                num(kLeft), num(kTop), num(bottom), num(kLeft + kPlotWidth));
  for (double e = axis.low_exponent; e <= axis.high_exponent; e += 1) {
    const double x = axis.x(std::pow(10.0, e));
    out += fmt::format("<line class=\"row\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>"
                       "<text class=\"tick\" x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>",
                       num(x), num(kTop), num(bottom), num(bottom + 14), power_of_ten_label(static_cast<int>(e)));
  }
  for (const auto& [fraction, label] : {std::pair{0.0, "0"}, std::pair{0.5, "p50"}, std::pair{0.9, "p90"},
                                        std::pair{0.99, "p99"}}) {
    const double y = bottom - kPlotHeight * fraction;
    out += fmt::format("<line class=\"row\" x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>"
                       "<text class=\"tick\" x=\"{3}\" y=\"{4}\" text-anchor=\"end\">{5}</text>",
                       num(kLeft), num(y), num(kLeft + kPlotWidth), num(kLeft - 4), num(y + 4), label);
  }
  return out + fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">latency (simulated, log scale)</text>",
                           num(kLeft + kPlotWidth / 2), num(bottom + 28));
}

// A step line through the top of each non-empty bucket (clamped to the exact maximum).
std::string cdf_line(const CdfSeries& s, std::size_t index, const LogAxis& axis) {
  const check::LatencyHistogram& h = s.histogram;
  const double bottom = kTop + kPlotHeight;
  const auto total = static_cast<double>(h.count());
  std::string points = fmt::format("{},{}", num(axis.x(static_cast<double>(h.min_ns()))), num(bottom));
  std::uint64_t seen = 0;
  const std::vector<std::uint64_t> counts = h.bucket_counts();
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] == 0) continue;
    const auto bucket = static_cast<std::uint32_t>(h.first_bucket() + i);
    const double x = axis.x(static_cast<double>(std::min(check::LatencyHistogram::bucket_high_ns(bucket), h.max_ns())));
    points += fmt::format(" {0},{1} {0},{2}", num(x), num(bottom - kPlotHeight * static_cast<double>(seen) / total),
                          num(bottom - kPlotHeight * static_cast<double>(seen + counts[i]) / total));
    seen += counts[i];
  }
  return fmt::format("<polyline class=\"cdf-line\" points=\"{}\" stroke=\"{}\"><title>{}: p50 {}, p99 {}, p99.9 {}, max {} "
                     "({} samples)</title></polyline>",
                     points, colour(index), html_escape(s.name), format_duration_ns(h.percentile_ns(500)),
                     format_duration_ns(h.percentile_ns(990)), format_duration_ns(h.percentile_ns(999)),
                     format_duration_ns(h.max_ns()), h.count());
}

}  // namespace

std::string latency_cdf(const std::string& title, const std::vector<CdfSeries>& series) {
  const LogAxis axis = axis_of(series);
  std::string out = open_svg(title, kWidth, kHeight, "chart cdf") + frame(axis);
  std::vector<std::string> names;
  for (std::size_t i = 0; i < series.size(); ++i) {
    names.push_back(series[i].name);
    if (series[i].histogram.count() > 0) out += cdf_line(series[i], i, axis);
  }
  return out + legend(names, kHeight - 6) + "</svg>";
}

}  // namespace ksim::reports::svg
