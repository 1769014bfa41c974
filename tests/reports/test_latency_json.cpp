// Latency in results.json: the stored form of a histogram round-trips, a mode's aggregate
// is the exact merge of its runs' histograms whatever their order (shards merged by
// `ksim merge` arrive in any order), and a hostile document reads as no data, never a crash.
#include <boost/test/unit_test.hpp>

#include <algorithm>

#include "reports/latency_json.h"
#include "reports/latency_table.h"

using ksim::check::LatencyHistogram;
using namespace ksim::reports;

namespace {

LatencyHistogram of(std::initializer_list<std::int64_t> values) {
  LatencyHistogram h;
  for (const std::int64_t v : values) h.record(v);
  return h;
}

nlohmann::json run_with(const std::string& mode, const LatencyHistogram& end_to_end, std::uint64_t acked) {
  ksim::check::Latencies latencies;
  latencies.end_to_end_ns = end_to_end;
  return {{"mode", mode}, {"latency", latency_to_json(latencies)}, {"throughput", throughput_to_json(acked, 2'000'000'000)}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(latency_json)

BOOST_AUTO_TEST_CASE(histogram_round_trips_through_json_text) {
  const LatencyHistogram h = of({3, 4, 4, 900, 5'000'000, 5'000'001, 2'000'000'000});
  const nlohmann::json stored = nlohmann::json::parse(histogram_to_json(h).dump());
  BOOST_TEST((histogram_from_json(stored) == h));
  BOOST_TEST(stored.at("first_bucket").get<std::uint32_t>() == 3u);
  BOOST_TEST(stored.at("bucket_counts").get<std::string>().starts_with("1,2,-"));  // 3 once, 4 twice, then empty buckets
  BOOST_TEST(stored.at("max_ns").get<std::uint64_t>() == 2'000'000'000u);
  BOOST_TEST(stored.at("count").get<std::uint64_t>() == 7u);
}

BOOST_AUTO_TEST_CASE(aggregate_is_the_exact_merge_in_any_order) {
  const LatencyHistogram a = of({1'000'000, 2'000'000});
  const LatencyHistogram b = of({40'000'000});
  const LatencyHistogram c = of({7, 3'000'000'000});
  LatencyHistogram all = a;
  all.merge(b);
  all.merge(c);
  std::vector<nlohmann::json> runs{run_with("m", a, 10), run_with("m", b, 20), run_with("m", c, 30), run_with("other", c, 99)};
  std::sort(runs.begin(), runs.end());
  do {
    nlohmann::json per_mode;
    aggregate_latency(nlohmann::json(runs), "m", per_mode);
    BOOST_TEST((histogram_from_json(per_mode["latency"]["end_to_end"]) == all));
    BOOST_TEST(per_mode["throughput"]["acknowledged_in_workload"].get<std::uint64_t>() == 60u);
    BOOST_TEST(per_mode["throughput"]["workload_ns"].get<std::uint64_t>() == 6'000'000'000u);
    BOOST_TEST(per_mode["throughput"]["acknowledged_per_s"].get<double>() == 10.0);
  } while (std::next_permutation(runs.begin(), runs.end()));
}

BOOST_AUTO_TEST_CASE(malformed_counts_read_as_empty) {
  for (const char* text : {"1,,2", "x", "-", "1,-99999999999", "1;2", "-1,99999999999999999999"}) {
    BOOST_TEST_INFO(text);
    BOOST_TEST(histogram_from_json({{"first_bucket", 3}, {"bucket_counts", text}}).count() == 0u);
  }
  BOOST_TEST(histogram_from_json(nlohmann::json::array()).count() == 0u);
  BOOST_TEST(histogram_from_json({{"first_bucket", 4'000'000'000u}, {"bucket_counts", "1"}}).count() == 0u);
}

BOOST_AUTO_TEST_CASE(table_rows_only_when_measured) {
  nlohmann::json scenario = {{"aggregates", {{"m", nlohmann::json::object()}}}};
  BOOST_TEST(latency_rows(scenario, {"m"}).empty());  // a document older than latencies
  aggregate_latency(nlohmann::json::array({run_with("m", of({12'300'000}), 4)}), "m", scenario["aggregates"]["m"]);
  const std::vector<LatencyRow> rows = latency_rows(scenario, {"m"});
  BOOST_TEST_REQUIRE(rows.size() == 16u);  // 3 latencies × 5 percentiles + throughput
  BOOST_TEST(rows[5].label == "end-to-end p50");
  BOOST_TEST(rows[5].cells.front() == "12.3 ms");
  BOOST_TEST(rows[0].cells.front() == "–");  // nothing acknowledged: no produce latency
  BOOST_TEST(rows.back().cells.front() == "2.0");
  BOOST_TEST(format_duration_ns(999'999'999) == "1000 ms");
  BOOST_TEST(format_duration_ns(850) == "850 ns");
  BOOST_TEST(format_duration_ns(2'414'000'000) == "2.41 s");
}

BOOST_AUTO_TEST_SUITE_END()
