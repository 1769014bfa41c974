#include "reports/latency_json.h"

#include <algorithm>

#include <fmt/format.h>

#include "reports/results_doc.h"
#include "reports/results_model_json.h"
#include "sim/run/mode_aggregate.h"

namespace ksim::reports {

namespace {

// Bucket counts as text, "5,12,-3,7" for 5, 12, 0, 0, 0, 7: a run of k empty buckets is
// written -k. Most buckets of a run's range are empty, and a JSON array would put each
// count on its own line of an indented document (ten times the size of the run).
std::string encode_counts(const std::vector<std::uint64_t>& counts) {
  std::string out;
  std::uint64_t zeros = 0;
  const auto token = [&out](const std::string& text) { out += (out.empty() ? "" : ",") + text; };
  for (const std::uint64_t count : counts) {
    if (count == 0) {
      ++zeros;
      continue;
    }
    if (zeros > 0) token(fmt::format("-{}", zeros));
    zeros = 0;
    token(std::to_string(count));
  }
  return out;
}

// The counts of encode_counts' text; nullopt when it is not such a text.
std::optional<std::vector<std::uint64_t>> decode_counts(const std::string& text) {
  std::vector<std::uint64_t> counts;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = std::min(text.find(',', at), text.size());
    const bool zeros = text[at] == '-';
    const std::string digits = text.substr(at + (zeros ? 1 : 0), end - at - (zeros ? 1 : 0));
    if (digits.empty() || digits.size() > 19 || digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    const std::uint64_t value = std::stoull(digits);
    if (zeros && value > 1'000'000) return std::nullopt;  // more buckets than any duration has
    if (zeros) counts.insert(counts.end(), value, 0);
    else counts.push_back(value);
    at = end + 1;
  }
  return counts;
}

}  // namespace

nlohmann::json histogram_to_json(const check::LatencyHistogram& histogram) {
  nlohmann::json out = {{"count", histogram.count()}, {"min_ns", histogram.min_ns()}};
  for (const Percentile& p : kPercentiles) out[p.name] = histogram.percentile_ns(p.per_mille);
  out["sum_ns"] = histogram.sum_ns();
  out["first_bucket"] = histogram.first_bucket();
  out["bucket_counts"] = encode_counts(histogram.bucket_counts());
  return out;
}

check::LatencyHistogram histogram_from_json(const nlohmann::json& object) {
  const std::optional<std::vector<std::uint64_t>> counts = decode_counts(text_at(object, "bucket_counts"));
  const std::uint64_t first_bucket = count_at(object, "first_bucket");
  if (!counts || first_bucket > 1'000'000) return {};
  return check::LatencyHistogram::from_buckets(static_cast<std::uint32_t>(first_bucket), *counts,
                                               count_at(object, "min_ns"), count_at(object, "max_ns"),
                                               count_at(object, "sum_ns"));
}

nlohmann::json latency_to_json(const check::Latencies& latencies) {
  return {{"produce", histogram_to_json(latencies.produce_ns)},
          {"end_to_end", histogram_to_json(latencies.end_to_end_ns)},
          {"blocked", histogram_to_json(latencies.blocked_ns)}};
}

nlohmann::json throughput_to_json(std::uint64_t acknowledged_in_workload, std::uint64_t workload_ns) {
  // Integers are what merge; the rate is derived (run::acknowledged_per_s).
  const double per_s = run::acknowledged_per_s({acknowledged_in_workload, workload_ns});
  return {{"acknowledged_in_workload", acknowledged_in_workload},
          {"workload_ns", workload_ns},
          {"acknowledged_per_s", per_s}};
}

void aggregate_latency(const nlohmann::json& runs, const std::string& mode, nlohmann::json& per_mode) {
  std::vector<run::RunFigures> figures;
  for (const nlohmann::json& run : runs) figures.push_back(run_figures_from_json(run));
  const nlohmann::json aggregate = mode_aggregate_to_json(run::aggregate_mode(figures, mode));
  per_mode["latency"] = aggregate.at("latency");
  per_mode["throughput"] = aggregate.at("throughput");
}

const nlohmann::json* mode_latency(const nlohmann::json& scenario, const std::string& mode) {
  if (!scenario.contains("aggregates") || !scenario["aggregates"].contains(mode)) return nullptr;
  const nlohmann::json& per_mode = scenario["aggregates"][mode];
  const auto latency = per_mode.find("latency");
  return latency != per_mode.end() && latency->is_object() ? &*latency : nullptr;
}

std::optional<double> mode_throughput_per_s(const nlohmann::json& scenario, const std::string& mode) {
  if (!scenario.contains("aggregates") || !scenario["aggregates"].contains(mode)) return std::nullopt;
  const nlohmann::json& per_mode = scenario["aggregates"][mode];
  const auto throughput = per_mode.find("throughput");
  if (throughput == per_mode.end() || !throughput->contains("acknowledged_per_s")) return std::nullopt;
  return throughput->at("acknowledged_per_s").get<double>();
}

namespace {

// Three significant digits without exponent notation ("999 ms", "12.3 ms", "1.05 s").
std::string three_digits(double value, const char* unit) {
  if (value < 10) return fmt::format("{:.2f} {}", value, unit);
  if (value < 100) return fmt::format("{:.1f} {}", value, unit);
  return fmt::format("{:.0f} {}", value, unit);
}

}  // namespace

std::string format_duration_ns(std::uint64_t ns) {
  const auto value = static_cast<double>(ns);
  if (ns < 1'000) return fmt::format("{} ns", ns);
  if (ns < 1'000'000) return three_digits(value / 1e3, "µs");
  if (ns < 1'000'000'000) return three_digits(value / 1e6, "ms");
  return three_digits(value / 1e9, "s");
}

}  // namespace ksim::reports
