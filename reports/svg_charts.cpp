#include "reports/svg_charts.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "reports/text_escape.h"

namespace ksim::reports::svg {

namespace {

constexpr double kWidth = 560;
constexpr double kHeight = 260;
constexpr double kLeft = 48, kRight = 16, kTop = 28, kBottom = 44;
constexpr double kPlotWidth = kWidth - kLeft - kRight;
constexpr double kPlotHeight = kHeight - kTop - kBottom;

// A y axis from 0 to `top`, with the top value and 0 labelled, and its unit written along it.
std::string y_axis(double top, const std::string& unit) {
  return fmt::format(
      "<text class=\"tick unit\" x=\"12\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 12 {})\">{}</text>",
      num(kTop + kPlotHeight / 2), num(kTop + kPlotHeight / 2), html_escape(unit)) + fmt::format(
      "<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>"
      "<line class=\"axis\" x1=\"{0}\" y1=\"{2}\" x2=\"{3}\" y2=\"{2}\"/>"
      "<text class=\"tick\" x=\"{4}\" y=\"{5}\" text-anchor=\"end\">{6}</text>"
      "<text class=\"tick\" x=\"{4}\" y=\"{2}\" text-anchor=\"end\">0</text>",
      num(kLeft), num(kTop), num(kTop + kPlotHeight), num(kLeft + kPlotWidth), num(kLeft - 4), num(kTop + 4),
      fmt::format("{:g}", top));
}

// Max of the values, at least 1, so an all-zero chart still has a scale.
double scale_top(double max_value) { return std::max(1.0, std::ceil(max_value)); }

}  // namespace

std::string open_svg(const std::string& title, double width, double height, const std::string& css_class) {
  return fmt::format(
      "<svg class=\"{}\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\"><title>{}</title>"
      "<text class=\"chart-title\" x=\"{}\" y=\"18\">{}</text>",
      css_class, num(width), num(height), num(width), num(height), html_escape(title), num(8), html_escape(title));
}

std::string legend(const std::vector<std::string>& series, double y) {
  std::string out;
  double x = kLeft;
  for (std::size_t i = 0; i < series.size(); ++i) {
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/>"
                       "<text class=\"tick\" x=\"{}\" y=\"{}\">{}</text>",
                       num(x), num(y - 9), colour(i), num(x + 14), num(y), html_escape(series[i]));
    x += 24 + 7.0 * static_cast<double>(series[i].size());
  }
  return out;
}

std::string num(double value) {
  if (!std::isfinite(value)) return "0";
  std::string text = fmt::format("{:.1f}", value);
  if (text == "-0.0") text = "0.0";
  if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
  return text;
}

std::string colour(std::size_t index) {
  static constexpr const char* kPalette[] = {"#d55e00", "#e69f00", "#0072b2", "#009e73", "#cc79a7", "#56b4e9", "#000000"};
  return kPalette[index % std::size(kPalette)];
}

std::string grouped_bars(const std::string& title, const std::string& unit, const std::vector<std::string>& series,
                         const std::vector<BarGroup>& groups) {
  double max_value = 0;
  for (const BarGroup& group : groups) {
    for (const double value : group.values) max_value = std::max(max_value, value);
  }
  const double top = scale_top(max_value);
  std::string out = open_svg(title, kWidth, kHeight, "chart bars") + y_axis(top, unit);
  const double group_width = kPlotWidth / static_cast<double>(std::max<std::size_t>(1, groups.size()));
  const double bar_width = (group_width * 0.8) / static_cast<double>(std::max<std::size_t>(1, series.size()));
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const double group_x = kLeft + group_width * static_cast<double>(g);
    for (std::size_t s = 0; s < series.size() && s < groups[g].values.size(); ++s) {
      const double value = groups[g].values[s];
      const double height = kPlotHeight * value / top;
      out += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{} {}: {:g}</title></rect>",
          num(group_x + group_width * 0.1 + bar_width * static_cast<double>(s)), num(kTop + kPlotHeight - height),
          num(bar_width), num(height), colour(s), html_escape(groups[g].label), html_escape(series[s]), value);
    }
    out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                       num(group_x + group_width / 2), num(kTop + kPlotHeight + 14), html_escape(groups[g].label));
  }
  return out + legend(series, kHeight - 6) + "</svg>";
}

std::string histogram(const std::string& title, const std::string& x_unit, const std::vector<std::uint64_t>& values) {
  const std::uint64_t max_value = values.empty() ? 0 : *std::max_element(values.begin(), values.end());
  const std::uint64_t bin_width = std::max<std::uint64_t>(1, (max_value + 10) / 10);
  const std::size_t bin_count = static_cast<std::size_t>(max_value / bin_width) + 1;
  std::vector<std::uint64_t> bins(bin_count, 0);
  for (const std::uint64_t value : values) ++bins[static_cast<std::size_t>(value / bin_width)];
  const double top = scale_top(static_cast<double>(*std::max_element(bins.begin(), bins.end())));
  std::string out = open_svg(title, kWidth, kHeight, "chart histogram") + y_axis(top, "seeds");
  const double width = kPlotWidth / static_cast<double>(bin_count);
  for (std::size_t b = 0; b < bin_count; ++b) {
    const std::uint64_t low = b * bin_width;
    const std::string range = bin_width == 1 ? fmt::format("{}", low) : fmt::format("{}–{}", low, low + bin_width - 1);
    const double height = kPlotHeight * static_cast<double>(bins[b]) / top;
    const double x = kLeft + width * static_cast<double>(b);
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}: {} seeds</title></rect>",
                       num(x + 1), num(kTop + kPlotHeight - height), num(width - 2), num(height), colour(2), range, bins[b]);
    out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", num(x + width / 2),
                       num(kTop + kPlotHeight + 14), range);
  }
  out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\">{} (bins); seeds per bin, {} seeds</text>", num(kLeft),
                     num(kHeight - 6), html_escape(x_unit), values.size());
  return out + "</svg>";
}

std::string line_chart(const std::string& title, const std::string& x_label, const std::string& y_unit,
                       const std::vector<LineSeries>& series) {
  double x_min = 0, x_max = 0, y_max = 0;
  bool first = true;
  for (const LineSeries& line : series) {
    for (const LinePoint& p : line.points) {
      x_min = first ? p.x : std::min(x_min, p.x);
      x_max = first ? p.x : std::max(x_max, p.x);
      y_max = std::max(y_max, p.max);
      first = false;
    }
  }
  const double top = scale_top(y_max);
  const double span = x_max > x_min ? x_max - x_min : 1;
  const auto x_of = [&](double x) { return kLeft + kPlotWidth * (x - x_min) / span; };
  const auto y_of = [&](double y) { return kTop + kPlotHeight - kPlotHeight * y / top; };
  std::string out = open_svg(title, kWidth, kHeight, "chart lines") + y_axis(top, y_unit);
  out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"start\">{:g}</text>"
                     "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{:g}</text>"
                     "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                     num(kLeft), num(kTop + kPlotHeight + 14), x_min, num(kLeft + kPlotWidth), num(kTop + kPlotHeight + 14),
                     x_max, num(kLeft + kPlotWidth / 2), num(kTop + kPlotHeight + 14), html_escape(x_label));
  std::vector<std::string> names;
  for (std::size_t s = 0; s < series.size(); ++s) {
    const LineSeries& line = series[s];
    names.push_back(line.name);
    if (line.points.empty()) continue;
    std::string band, median;
    for (const LinePoint& p : line.points) band += fmt::format("{},{} ", num(x_of(p.x)), num(y_of(p.max)));
    for (auto p = line.points.rbegin(); p != line.points.rend(); ++p) band += fmt::format("{},{} ", num(x_of(p->x)), num(y_of(p->min)));
    for (const LinePoint& p : line.points) median += fmt::format("{},{} ", num(x_of(p.x)), num(y_of(p.median)));
    band.pop_back();
    median.pop_back();
    out += fmt::format("<polygon class=\"band\" points=\"{}\" fill=\"{}\"><title>{}: min–max</title></polygon>", band,
                       colour(s), html_escape(line.name));
    out += fmt::format("<polyline class=\"median\" points=\"{}\" stroke=\"{}\"><title>{}: median</title></polyline>", median,
                       colour(s), html_escape(line.name));
    for (const LinePoint& p : line.points) {
      out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{}\"><title>{} at {:g}: median {:g}, min {:g}, max {:g}</title></circle>",
                         num(x_of(p.x)), num(y_of(p.median)), colour(s), html_escape(line.name), p.x, p.median, p.min, p.max);
    }
  }
  return out + legend(names, kHeight - 6) + "</svg>";
}

std::string horizontal_bars(const std::string& title, const std::string& unit,
                            const std::vector<std::pair<std::string, double>>& bars) {
  constexpr double kRow = 22, kLabel = 210;
  const double height = kTop + kRow * static_cast<double>(bars.size()) + 8;
  double max_value = 0;
  for (const auto& bar : bars) max_value = std::max(max_value, bar.second);
  const double top = scale_top(max_value);
  std::string out = open_svg(title, kWidth, height, "chart hbars");
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double y = kTop + kRow * static_cast<double>(i);
    const double width = (kWidth - kLabel - 60) * bars[i].second / top;
    out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", num(kLabel - 6), num(y + 14),
                       html_escape(bars[i].first));
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" fill=\"{}\"><title>{}: {:g}</title></rect>",
                       num(kLabel), num(y + 2), num(width), colour(0), html_escape(bars[i].first), bars[i].second);
    out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\">{:g} {}</text>", num(kLabel + width + 4), num(y + 14),
                       bars[i].second, html_escape(unit));
  }
  return out + "</svg>";
}

}  // namespace ksim::reports::svg
