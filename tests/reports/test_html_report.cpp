// report.html: self-contained, escaped, every chart drawn; also writes the fixture's
// report directory into the build folder for the browser check (report_in_browser).
#include <regex>

#include <boost/test/unit_test.hpp>

#include "reports/atomic_write.h"
#include "reports/html_report.h"
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
  BOOST_TEST(count(html, "<script") == 0u);
  BOOST_TEST(count(html, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; | *bold*") > 0u);
  BOOST_TEST(count(html, "<b>") == 0u);  // the "<b>tags</b>" of the description and the DOT label
  BOOST_TEST(count(html, "&#39;apostrophes&#39;") == 1u);
  BOOST_TEST(html.find('\x01') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(self_contained) {
  const std::string html = render_html_report(fixture());
  // The fixture's description mentions a URL as text; nothing may load one.
  BOOST_TEST(count(html, "src=") == 0u);
  BOOST_TEST(count(html, "href=") == 0u);
  BOOST_TEST(count(html, "url(") == 0u);
  BOOST_TEST(count(html, "@import") == 0u);
  BOOST_TEST(count(html, "<link") == 0u);
  BOOST_TEST(count(html, "Content-Security-Policy") == 1u);
}

BOOST_AUTO_TEST_CASE(every_chart_has_content_and_a_title) {
  const std::string html = render_html_report(fixture());
  const std::regex svg("<svg[^>]*>(.*?)</svg>");
  std::size_t charts = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), svg); it != std::sregex_iterator(); ++it) {
    ++charts;
    const std::string body = (*it)[1].str();
    BOOST_TEST(body.starts_with("<title>"), "chart without a title: " << it->str().substr(0, 120));
    BOOST_TEST(count(body, "<") > 3u, "empty chart: " << it->str().substr(0, 120));
  }
  BOOST_TEST(charts == count(html, "<svg"));
  // Scenario 1: bars, 6 histograms (3 seeds × 3 modes × lost/duplicated), loss and
  // duplication causes, topology, timeline = 11. Scenario 2: bars, 6 histograms, 3 vary
  // charts, 2 cause charts, topology = 13. Six of the twelve histograms are of a counter
  // that is 0 in every seed: they are written as a sentence instead (24 - 6 = 18 charts).
  BOOST_TEST(charts == 18u);
  BOOST_TEST(count(html, "<meta name=\"ksim-chart-count\" content=\"18\">") == 1u);
  BOOST_TEST(count(html, "class=\"chart-note\"") == 6u);
  BOOST_TEST(count(html, ": 0 in every seed (") == 6u);
  BOOST_TEST(count(html, "class=\"chart timeline\"") == 1u);
  BOOST_TEST(count(html, "class=\"chart lines\"") == 3u);
  BOOST_TEST(count(html, "class=\"fault\" x=") == 2u);
  BOOST_TEST(count(html, "<g class=\"message lost\">") == 1u);
  BOOST_TEST(count(html, "<g class=\"message duplicated\">") == 1u);
  BOOST_TEST(count(html, "<title>Topology: 5 nodes, 6 links</title>") == 1u);
}

BOOST_AUTO_TEST_CASE(failing_expectation_shows_its_replay) {
  const std::string html = render_html_report(fixture());
  BOOST_TEST(count(html, "replay: <code>ksim run scenarios/a2-acks-1-failover.yaml --seed 2 --mode at-least-once</code>") == 1u);
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
