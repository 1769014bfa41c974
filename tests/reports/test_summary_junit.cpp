// summary.md and junit.xml: golden files, schema validity, escaping, guarantee testcases.
#include <cstdlib>
#include <stdexcept>

#include <boost/test/unit_test.hpp>

#include "reports/html_report.h"
#include "reports/junit_xml.h"
#include "reports/results_json.h"
#include "reports/summary_markdown.h"
#include "tests/reports/report_fixture.h"

using namespace ksim::reports;
using namespace ksim::reports::testing;

BOOST_AUTO_TEST_SUITE(summary_and_junit)

BOOST_AUTO_TEST_CASE(summary_matches_golden_file) {
  const std::string summary = render_summary_markdown(fixture());
  check_golden("summary.md", summary);
  BOOST_TEST(summary == render_summary_markdown(fixture()));  // deterministic
}

BOOST_AUTO_TEST_CASE(junit_matches_golden_file) { check_golden("junit.xml", render_junit_xml(fixture())); }

BOOST_AUTO_TEST_CASE(summary_escapes_hostile_names) {
  const std::string summary = render_summary_markdown(fixture());
  BOOST_TEST(summary.find("<script>") == std::string::npos);
  BOOST_TEST(summary.find("## &lt;script&gt;alert(\"x\")&lt;/script&gt; \\| \\*bold\\*") != std::string::npos);
  BOOST_TEST(summary.find('\x01') == std::string::npos);
  // Every row of every table has the same number of unescaped pipes as its header.
  std::size_t header_pipes = 0;
  std::istringstream lines(summary);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] != '|') {
      header_pipes = 0;
      continue;
    }
    std::size_t pipes = 0;
    for (std::size_t i = 0; i < line.size(); ++i) pipes += (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ? 1 : 0;
    if (header_pipes == 0) header_pipes = pipes;
    BOOST_TEST(pipes == header_pipes, "table row breaks its table: " << line);
  }
}

BOOST_AUTO_TEST_CASE(summary_title_counts_failed_expectations) {
  nlohmann::json results = fixture();
  BOOST_TEST(render_summary_markdown(results).starts_with("# ❌ ksim check: 1 of 5 expectations failed"));
  results["scenarios"][0]["expectations"][1]["held"] = true;
  BOOST_TEST(render_summary_markdown(results).starts_with("# ✅ ksim check: all 5 expectations held"));
}

// The fixture with the exactly-once runs of its first scenario stopped at a bound, as
// results_json.cpp writes them: no verdict for those runs or their expectation.
nlohmann::json fixture_with_inconclusive_runs() {
  nlohmann::json results = fixture();
  const std::string reason = "stopped at the event limit (limits.max_events = 2000) at 0.412 s simulated";
  for (nlohmann::json& run : results["scenarios"][0]["runs"]) {
    if (run["mode"] != "exactly-once") continue;
    run["verdict"] = "inconclusive";
    run["guarantee_held"] = false;
    run["inconclusive_reason"] = reason;
  }
  nlohmann::json& expectation = results["scenarios"][0]["expectations"][2];
  expectation["held"] = false;
  expectation["verdict"] = "inconclusive";
  expectation["inconclusive_seeds"] = 3;
  expectation["inconclusive_seed"] = 1;
  expectation["inconclusive_reason"] = reason;
  expectation["replay"] = "ksim run scenarios/a2-acks-1-failover.yaml --seed 1 --mode exactly-once";
  results["scenarios"][0]["expectations"][1]["held"] = true;  // no failure left: only the unfinished runs
  results["scenarios"][0]["expectations"][1]["verdict"] = "held";
  return results;
}

BOOST_AUTO_TEST_CASE(inconclusive_runs_are_neither_held_nor_broken) {
  const nlohmann::json results = fixture_with_inconclusive_runs();
  const std::string summary = render_summary_markdown(results);
  BOOST_TEST(summary.starts_with("# ⚠️ ksim check: inconclusive, 1 of 5 expectations (3 runs stopped at a bound)"), summary);
  BOOST_TEST(summary.find("⚠️ no loss and no duplicates (inconclusive on 3/3 seeds: stopped at a bound)") != std::string::npos);
  BOOST_TEST(summary.find("**Inconclusive runs** (stopped at a bound: no verdict)") != std::string::npos);
  BOOST_TEST(summary.find("inconclusive: 3 run(s) did not complete; seed 1: stopped at the event limit") != std::string::npos);
  const std::string junit = render_junit_xml(results);
  BOOST_TEST(junit.find("<failure message=\"inconclusive: 3 run(s) stopped at a bound before the drain completed; seed 1: "
                        "stopped at the event limit") != std::string::npos);
  BOOST_TEST(junit.find("type=\"Inconclusive\"") != std::string::npos);
  // The guarantee testcase of the unfinished mode fails too, as inconclusive, not broken.
  BOOST_TEST(junit.find("guarantee &quot;no loss and no duplicates&quot; inconclusive: 3 of 3 runs") != std::string::npos);
  const std::string html = render_html_report(results);
  BOOST_TEST(html.find("? inconclusive (3 runs stopped at a bound)") != std::string::npos);
  BOOST_TEST(html.find("Inconclusive runs (stopped at a bound: no verdict)") != std::string::npos);
  BOOST_TEST(html.find("? 3 runs inconclusive") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(wrong_schema_is_a_clear_error) {
  BOOST_CHECK_THROW(render_summary_markdown(nlohmann::json{{"schema", "other"}, {"version", 1}}), std::runtime_error);
  BOOST_CHECK_THROW(render_junit_xml(nlohmann::json{{"schema", "ksim-results"}, {"version", 2}}), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(minimal_document_renders) {
  const nlohmann::json minimal = {{"schema", "ksim-results"}, {"version", 1}, {"scenarios", {{{"name", "empty"}, {"vary", nullptr}}}}};
  BOOST_TEST(render_summary_markdown(minimal).find("## empty") != std::string::npos);
  BOOST_TEST(render_junit_xml(minimal).find("<testsuite name=\"empty\" tests=\"0\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(guarantee_testcases) {
  const std::string junit = render_junit_xml(fixture());
  // at-least-once broke "no loss" on seed 2 of the failover scenario: a failure.
  BOOST_TEST(junit.find("name=\"at-least-once: guarantee no loss\" classname=\"ksim.a2-acks-1-failover\" time=\"0\">\n"
                        "      <failure") != std::string::npos);
  // The hostile scenario expects `lost > 0` under at-least-once: its "no loss" is skipped.
  BOOST_TEST(junit.find("name=\"at-least-once: guarantee no loss\" classname=\"ksim.&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; | *bold*\" "
                        "time=\"0\">\n      <skipped message=\"not expected to hold in this scenario\"/>") != std::string::npos);
  BOOST_TEST(junit.find("<testsuites name=\"ksim check\" tests=\"17\" failures=\"2\" errors=\"0\" time=\"0\">") != std::string::npos);
  BOOST_TEST(junit.find("replay: ksim run scenarios/a2-acks-1-failover.yaml --seed 2 --mode at-least-once") != std::string::npos);
  BOOST_TEST(junit.find("<script>") == std::string::npos);
}

// A broken Kafka promise (a safety invariant violated where Kafka promised it) fails the
// exit judgement of check, run and compare, and junit, whatever the scenario expects.
BOOST_AUTO_TEST_CASE(broken_kafka_promise_fails_every_judgement) {
  const auto document = [](std::uint64_t broken) {
    const nlohmann::json run = {{"mode", "at-least-once"}, {"seed", 7}, {"guarantee", "no loss"},
                                {"guarantee_held", true}, {"kafka_promises_broken", broken}, {"replay", "ksim run x"}};
    return nlohmann::json{{"schema", "ksim-results"},
                          {"version", 1},
                          {"scenarios",
                           {{{"name", "s"}, {"modes", {"at-least-once"}}, {"vary", nullptr}, {"expectations", nlohmann::json::array()},
                             {"runs", {run}}}}}};
  };
  BOOST_TEST(all_expectations_held(document(0)));
  BOOST_TEST(all_guarantees_held(document(0)));
  BOOST_TEST(!all_expectations_held(document(1)));
  BOOST_TEST(!all_guarantees_held(document(1)));
  BOOST_TEST(render_junit_xml(document(0)).find("<failure") == std::string::npos);
  BOOST_TEST(render_junit_xml(document(1)).find("<failure message=\"kafka_promises_broken 1 on seed 7\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bounds_that_expect_a_violation) {
  BOOST_TEST(bound_expects_positive("> 0"));
  BOOST_TEST(bound_expects_positive(">= 2"));
  BOOST_TEST(bound_expects_positive("== 3"));
  BOOST_TEST(!bound_expects_positive("== 0"));
  BOOST_TEST(!bound_expects_positive(">= 0"));
  BOOST_TEST(!bound_expects_positive("<= 5"));
}

BOOST_AUTO_TEST_CASE(junit_validates_against_the_xsd) {
  BOOST_TEST_REQUIRE(std::system("command -v xmllint >/dev/null 2>&1") == 0,
                     "xmllint is not installed: run `bash setup.sh test` (installs libxml2-utils) or apt-get install libxml2-utils");
  const std::filesystem::path file = out_dir() / "junit_schema_check.xml";
  std::ofstream(file, std::ios::binary) << render_junit_xml(fixture());
  const std::string command = "xmllint --noout --schema '" + (data_dir() / "junit.xsd").string() + "' '" + file.string() + "'";
  BOOST_TEST(std::system(command.c_str()) == 0, "xmllint rejected " << file);
}

BOOST_AUTO_TEST_SUITE_END()
