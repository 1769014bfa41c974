#pragma once
// Latency and throughput in results.json (scenarios/README.md, "Latency and throughput"):
// each run carries its histograms in their stored form, and a mode's aggregate is the
// exact merge of its runs' histograms, so seeds, sweep shards and `ksim merge` combine
// without loss, in any order.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/check/latency_histogram.h"
#include "sim/check/outcome.h"

namespace ksim::reports {

// The three measured latencies, by their JSON names, and the percentiles reported.
inline constexpr std::array<const char*, 3> kLatencyKinds{"produce", "end_to_end", "blocked"};
struct Percentile {
  const char* name;  // "p50_ns"
  const char* label; // "p50"
  std::uint32_t per_mille;
};
inline constexpr std::array<Percentile, 5> kPercentiles{
    {{"p50_ns", "p50", 500}, {"p90_ns", "p90", 900}, {"p99_ns", "p99", 990}, {"p999_ns", "p99.9", 999},
     {"max_ns", "max", 1000}}};

// {count, min_ns, p50_ns, p90_ns, p99_ns, p999_ns, max_ns, sum_ns, first_bucket, bucket_counts}; the
// counts are a text, "5,12,-3,7" for buckets first_bucket.. holding 5, 12, 0, 0, 0 and 7.
nlohmann::json histogram_to_json(const check::LatencyHistogram& histogram);
// The histogram a histogram_to_json object stores; empty for anything else (older documents).
check::LatencyHistogram histogram_from_json(const nlohmann::json& object);

// A run's "latency" ({produce, end_to_end, blocked}) and "throughput"
// ({acknowledged_in_workload, workload_ns, acknowledged_per_s}).
nlohmann::json latency_to_json(const check::Latencies& latencies);
nlohmann::json throughput_to_json(std::uint64_t acknowledged_in_workload, std::uint64_t workload_ns);

// The same two objects for all runs of `mode`, merged exactly; into `per_mode`.
void aggregate_latency(const nlohmann::json& runs, const std::string& mode, nlohmann::json& per_mode);

// A mode's aggregate "latency" object, or nullptr when the document has none (older results).
const nlohmann::json* mode_latency(const nlohmann::json& scenario, const std::string& mode);
// A mode's aggregate throughput in acknowledged messages per simulated second, if known.
std::optional<double> mode_throughput_per_s(const nlohmann::json& scenario, const std::string& mode);

// "12.3 ms", "850 µs", "2.41 s": a duration for a table cell, three significant digits.
std::string format_duration_ns(std::uint64_t ns);

}  // namespace ksim::reports
