// report.html: self-contained, escaped, every chart drawn; also writes the fixture's
// report directory into the build folder for the browser check (report_in_browser).

#include <boost/test/unit_test.hpp>

#include "reports/atomic_write.h"
#include "reports/html_report.h"
#include "reports/sha256.h"
#include "reports/timeline_view.h"
#include "tests/reports/report_fixture.h"

using namespace ksim::reports;
using namespace ksim::reports::testing;

namespace {

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(html_report)

BOOST_AUTO_TEST_CASE(hostile_strings_are_escaped) {
  const std::string html = render_html_report(fixture());
  // The one script is the timeline's own (timeline_view.h); hostile text stays text.
  BOOST_TEST(count(html, "<script") == 1u);
  BOOST_TEST(count(html, "<script>(function () {") == 1u);
  BOOST_TEST(count(html, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; | *bold*") > 0u);
  BOOST_TEST(count(html, "<b>") == 0u);  // the "<b>tags</b>" of the description and the DOT label
  BOOST_TEST(count(html, "&#39;apostrophes&#39;") == 1u);
  BOOST_TEST(html.find('\x01') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(self_contained) {
  const std::string html = render_html_report(fixture());
  // The fixture's description mentions a URL as text; nothing may load one.
  BOOST_TEST(count(html, "src=") == 0u);
  // Links only within the page (the overview's links to the scenario sections).
  BOOST_TEST(count(html, "href=") == count(html, "href=\"#"));
  BOOST_TEST(count(html, "href=\"#scenario-") == 2u);
  BOOST_TEST(count(html, "url(") == 0u);
  BOOST_TEST(count(html, "@import") == 0u);
  BOOST_TEST(count(html, "<link") == 0u);
  BOOST_TEST(count(html, "Content-Security-Policy") == 1u);
}

BOOST_AUTO_TEST_CASE(every_chart_has_content_and_a_title) {
  const std::string html = render_html_report(fixture());
  // Scanned by hand: std::regex recurses per character and overflows the stack on a
  // chart of a few kilobytes under AddressSanitizer.
  std::size_t charts = 0;
  for (std::size_t open = html.find("<svg"); open != std::string::npos; open = html.find("<svg", open + 1)) {
    const std::size_t body_begin = html.find('>', open);
    const std::size_t close = html.find("</svg>", open);
    BOOST_REQUIRE(body_begin != std::string::npos && close != std::string::npos && body_begin < close);
    ++charts;
    const std::string body = html.substr(body_begin + 1, close - body_begin - 1);
    BOOST_TEST(body.starts_with("<title>"), "chart without a title: " << html.substr(open, 120));
    BOOST_TEST(count(body, "<") > 3u, "empty chart: " << html.substr(open, 120));
  }
  BOOST_TEST(charts == count(html, "<svg"));
  // Scenario 1: bars, 6 histograms (3 seeds × 3 modes × lost/duplicated), 2 latency CDFs
  // (end to end, produce), loss and duplication causes, topology, timeline = 13. Scenario 2
  // (no latency: a document older than it): bars, 6 histograms, 3 vary charts, 2 cause
  // charts, topology = 13. Six of the twelve histograms are of a counter that is 0 in
  // every seed: they are written as a sentence instead (26 - 6 = 20 charts).
  BOOST_TEST(charts == 20u);
  BOOST_TEST(count(html, "<meta name=\"ksim-chart-count\" content=\"20\">") == 1u);
  BOOST_TEST(count(html, "class=\"chart-note\"") == 6u);
  BOOST_TEST(count(html, ": 0 in every seed (") == 6u);
  BOOST_TEST(count(html, "class=\"chart timeline\"") == 1u);
  BOOST_TEST(count(html, "class=\"chart lines\"") == 3u);
  BOOST_TEST(count(html, "class=\"fault\" x=") == 2u);
  BOOST_TEST(count(html, "<g class=\"message lost\" data-id=\"17\" data-cause=\"truncated_after_ack\"") == 1u);
  BOOST_TEST(count(html, "<g class=\"message duplicated\" data-id=\"41\" data-cause=\"retry_after_timeout\"") == 1u);
  BOOST_TEST(count(html, "<title>Topology: 5 nodes, 6 links</title>") == 1u);
  // Units on the value axes (issue 20 item 3): the bars and curves count messages, the
  // histograms count seeds, against a counter's messages.
  BOOST_TEST(count(html, ">messages</text>") == 5u);  // 2 bar charts, 3 vary curves
  BOOST_TEST(count(html, ">seeds</text>") == 6u);     // the 6 drawn histograms
  BOOST_TEST(count(html, "lost messages (bins)") == 4u);
}

// The price of each mode: a latency table and a CDF line per mode that measured latencies;
// nothing for a scenario whose results carry none.
BOOST_AUTO_TEST_CASE(latency_table_and_cdf_per_mode) {
  const std::string html = render_html_report(fixture());
  BOOST_TEST(count(html, "<th>latency (simulated time)</th>") == 1u);
  BOOST_TEST(count(html, "<tr><td>end-to-end p99.9</td>") == 1u);
  BOOST_TEST(count(html, "class=\"chart cdf\"") == 2u);
  BOOST_TEST(count(html, "<title>End-to-end latency CDF per mode (arrival to visible effect)</title>") == 1u);
  BOOST_TEST(count(html, "<polyline class=\"cdf-line\" points=") == 6u);  // 3 modes × 2 CDFs
  BOOST_TEST(count(html, "<title>exactly-once: p50 1.70 s, p99 2.77 s, p99.9 2.80 s, max 2.83 s (6000 samples)</title>") == 1u);
}

// Sets every number under a "reordered" key to 0: per run and in the aggregates.
void zero_reordered(nlohmann::json& node, bool inside = false) {
  if (node.is_number() && inside) node = 0;
  if (node.is_object()) {
    for (auto& [key, value] : node.items()) zero_reordered(value, inside || key == "reordered");
  }
  if (node.is_array()) {
    for (auto& value : node) zero_reordered(value, inside);
  }
}

// A counter that is 0 in every seed of every mode is one sentence, not empty bars (issue 20 item 3).
BOOST_AUTO_TEST_CASE(a_counter_zero_everywhere_is_a_sentence_not_bars) {
  nlohmann::json results = fixture();
  zero_reordered(results);
  const std::string html = render_html_report(results);
  BOOST_TEST(count(html, "<p class=\"chart-note\">reordered: 0 in every seed of every mode</p>") == 2u);
  BOOST_TEST(count(html, "<title>lost, duplicated per mode (sum over seeds)</title>") == 2u);
  BOOST_TEST(count(html, " reordered: ") == 0u);  // no bar's tooltip
}

// Jepsen's anomalies: a row per anomaly some run has, summed per mode, and the first case
// of each written out (escaped), from the first run that wrote one.
BOOST_AUTO_TEST_CASE(jepsen_anomalies_and_their_first_case) {
  nlohmann::json results = fixture();
  nlohmann::json& runs = results["scenarios"][0]["runs"];
  BOOST_REQUIRE(runs.size() >= 2u);
  for (nlohmann::json& run : runs) run["jepsen"]["G0"] = 2;
  runs[1]["jepsen_cases"] = {{"G0", {"T1 = <p>'s send; cycle T1 -> T1", "a second case"}}};
  const std::string html = render_html_report(results);
  BOOST_TEST(count(html, "<tr><td>G0</td>") == 1u);
  BOOST_TEST(count(html, "<summary>Jepsen anomalies written out (the first case of each)</summary>") == 1u);
  BOOST_TEST(count(html, "T1 = &lt;p&gt;&#39;s send; cycle T1 -&gt; T1") == 1u);
  BOOST_TEST(count(html, "a second case") == 0u);
  // Without any anomaly: neither the table nor the cases.
  BOOST_TEST(count(render_html_report(fixture()), "Jepsen anomalies written out") == 0u);
}

BOOST_AUTO_TEST_CASE(failing_expectation_shows_its_replay) {
  const std::string html = render_html_report(fixture());
  // In the failing expectation, and with the timeline of that seed's run.
  BOOST_TEST(count(html, "replay: <code>ksim run scenarios/a2-acks-1-failover.yaml --seed 2 --mode at-least-once</code>") == 2u);
}

// Issue 20 item 2: the timeline reads in seconds, carries what a click shows (cause,
// explanation, replay) and what zoom needs (each mark's time in ns), and its script is the
// only one the page's policy allows, by hash.
BOOST_AUTO_TEST_CASE(timeline_for_people) {
  const std::string html = render_html_report(fixture());
  const std::pair<std::string, std::size_t> expected[] = {
      {">0.0 s</text>", 1}, {">0.5 s</text>", 1}, {">2.0 s</text>", 1}, {" ns</text>", 0},
      {"<title>crash on broker-1 from 500 ms to 900 ms</title>", 1},
      {"data-replay=\"ksim run scenarios/a2-acks-1-failover.yaml --seed 2 --mode at-least-once\"", 2},
      {"data-explanation=\"sent again after a request timeout; both copies &lt;b&gt;appended&lt;/b&gt; &amp; consumed\"", 1},
      {"data-nodes=\" producer-0 broker-1 \"", 1},
      {"<g class=\"ev\" data-t=\"530000000\"", 1},
      {"<rect class=\"fault\" x=\"302.5\" y=", 1},
  };
  for (const auto& [needle, times] : expected) BOOST_TEST(count(html, needle) == times, needle);
  const std::size_t open = html.find("<script>") + 8;
  const std::string script = html.substr(open, html.find("</script>", open) - open);
  BOOST_TEST(script == timeline_script());
  BOOST_TEST(count(html, "script-src " + csp_script_hash(script) + "\"") == 1u);
}

// FIPS 180-4 test vectors, so the policy's hash is the one browsers compute.
BOOST_AUTO_TEST_CASE(sha256_of_known_texts) {
  const auto abc = sha256("abc");
  BOOST_TEST(base64(abc.data(), abc.size()) == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
  const auto empty = sha256("");
  BOOST_TEST(base64(empty.data(), empty.size()) == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  const auto two_blocks = sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq");
  BOOST_TEST(base64(two_blocks.data(), two_blocks.size()) == "JI1qYdIGOLjlwCaTDD5gOaM85Flk/yFn9uzt1BnbBsE=");
}

BOOST_AUTO_TEST_CASE(deterministic) { BOOST_TEST(render_html_report(fixture()) == render_html_report(fixture())); }

BOOST_AUTO_TEST_CASE(report_directory_for_the_browser_check) {
  const std::filesystem::path dir = out_dir() / "fixture_report";
  std::filesystem::remove_all(dir);
  write_report_dir(dir, fixture());
  for (const char* name : {"results.json", "summary.md", "junit.xml", "report.html"}) {
    BOOST_TEST(std::filesystem::file_size(dir / name) > 0u, name);
  }
  BOOST_TEST(nlohmann::json::parse(read_text(dir / "results.json")) == fixture());
  BOOST_TEST(read_text(dir / "report.html") == render_html_report(fixture()));
  BOOST_TEST_MESSAGE("report.html for the fixture: " << std::filesystem::file_size(dir / "report.html") << " bytes");
}

BOOST_AUTO_TEST_SUITE_END()
