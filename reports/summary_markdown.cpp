#include "reports/summary_markdown.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "reports/anomaly_table.h"
#include "reports/latency_table.h"
#include "reports/topic_table.h"
#include "reports/overview.h"
#include "reports/probe_coverage.h"
#include "reports/results_doc.h"
#include "reports/text_escape.h"

namespace ksim::reports {

namespace {

constexpr std::size_t kTopCauses = 5;
constexpr std::size_t kWorstSeeds = 5;

// A cell of the mode table (rows: kTableRows in results_doc.h).
std::string counter_cell(const nlohmann::json& scenario, const std::string& mode, const TableRow& row) {
  const std::size_t runs = mode_runs(scenario, mode).size();
  const std::uint64_t sum = counter_sum(scenario, mode, row.counter);
  if (!row.violation || runs <= 1) return fmt::format("{}", sum);
  return fmt::format("{} ({}/{} seeds)", sum, violating_seeds(scenario, mode, row.counter), runs);
}

std::string guarantee_cell(const nlohmann::json& scenario, const std::string& mode) {
  const std::string guarantee = mode_guarantee(scenario, mode);
  if (guarantee.empty()) return "–";
  const std::uint64_t broken = guarantee_broken_runs(scenario, mode);
  const std::uint64_t inconclusive = inconclusive_runs(scenario, mode);
  const std::size_t runs = mode_runs(scenario, mode).size();
  const std::string unfinished =
      inconclusive == 0 ? "" : fmt::format(" (inconclusive on {}/{} seeds: stopped at a bound)", inconclusive, runs);
  if (broken == 0 && inconclusive == 0) return fmt::format("✅ {}", markdown_escape(guarantee));
  if (broken == 0) return fmt::format("⚠️ {}{}", markdown_escape(guarantee), unfinished);
  return fmt::format("❌ {} (broken on {}/{} seeds){}", markdown_escape(guarantee), broken, runs, unfinished);
}

void mode_table(std::string& out, const nlohmann::json& scenario, const std::vector<std::string>& modes) {
  out += "| counter |";
  for (const std::string& mode : modes) out += fmt::format(" {} |", markdown_escape(mode));
  out += "\n|---|";
  for (std::size_t i = 0; i < modes.size(); ++i) out += "--:|";
  out += "\n";
  for (const TableRow& row : kTableRows) {
    out += fmt::format("| {} |", markdown_escape(row.counter));
    for (const std::string& mode : modes) out += fmt::format(" {} |", counter_cell(scenario, mode, row));
    out += "\n";
  }
  out += "| **guarantee** |";
  for (const std::string& mode : modes) out += fmt::format(" {} |", guarantee_cell(scenario, mode));
  out += "\n\n";
}

// A table of labelled rows with a cell per mode; nothing without rows. Latency labels are
// ksim's own words; topic names are escaped.
void rows_table(std::string& out, const char* heading, const std::vector<std::string>& modes,
                const std::vector<LatencyRow>& rows, bool escape_labels) {
  if (rows.empty()) return;
  out += fmt::format("| {} |", heading);
  for (const std::string& mode : modes) out += fmt::format(" {} |", markdown_escape(mode));
  out += "\n|---|";
  for (std::size_t i = 0; i < modes.size(); ++i) out += "--:|";
  out += "\n";
  for (const LatencyRow& row : rows) {
    out += fmt::format("| {} | {} |\n", escape_labels ? markdown_escape(row.label) : row.label, fmt::join(row.cells, " | "));
  }
  out += "\n";
}

void cause_table(std::string& out, const nlohmann::json& scenario, const char* map_key, const char* heading) {
  const std::vector<CauseCount> causes = cause_totals(scenario, "", map_key);
  if (causes.empty()) return;
  out += fmt::format("**{}**\n\n| cause | count |\n|---|--:|\n", heading);
  for (std::size_t i = 0; i < causes.size() && i < kTopCauses; ++i) {
    out += fmt::format("| {} | {} |\n", markdown_escape(causes[i].cause), causes[i].count);
  }
  out += "\n";
}

std::string expectation_text(const nlohmann::json& expectation) {
  return fmt::format("{}: {} {} ({})", text_at(expectation, "mode"), text_at(expectation, "counter"),
                     text_at(expectation, "bound"), text_at(expectation, "quantifier"));
}

void failing_expectations(std::string& out, const nlohmann::json& scenario) {
  std::string items;
  for (const auto& expectation : array_at(scenario, "expectations")) {
    if (!has_bool(expectation, "held") || expectation["held"].get<bool>()) continue;
    if (expectation_verdict(expectation) == "inconclusive") {
      items += fmt::format("- ⚠️ {} — inconclusive: {} run(s) did not complete; seed {}: {}; replay: {}\n",
                           markdown_escape(expectation_text(expectation)), count_at(expectation, "inconclusive_seeds"),
                           markdown_escape(text_at(expectation, "inconclusive_seed", "?")),
                           markdown_escape(text_at(expectation, "inconclusive_reason")),
                           markdown_code_span(text_at(expectation, "replay")));
      continue;
    }
    items += fmt::format("- ❌ {} — observed {}", markdown_escape(expectation_text(expectation)),
                         markdown_escape(text_at(expectation, "observed", "?")));
    if (const std::string seed = text_at(expectation, "failing_seed"); !seed.empty()) {
      items += fmt::format(" on seed {}", markdown_escape(seed));
    }
    if (const std::string replay = text_at(expectation, "replay"); !replay.empty()) {
      items += fmt::format("; replay: {}", markdown_code_span(replay));
    }
    items += "\n";
  }
  if (!items.empty()) out += "**Failing expectations**\n\n" + items + "\n";
}

void inconclusive_list(std::string& out, const nlohmann::json& scenario) {
  std::string items;
  for (const auto& run : array_at(scenario, "runs")) {
    if (run_verdict(run) != "inconclusive") continue;
    items += fmt::format("- ⚠️ {} seed {}: {}; replay: {}\n", markdown_escape(text_at(run, "mode")),
                         markdown_escape(text_at(run, "seed")), markdown_escape(text_at(run, "inconclusive_reason")),
                         markdown_code_span(text_at(run, "replay")));
  }
  if (!items.empty()) out += "**Inconclusive runs** (stopped at a bound: no verdict)\n\n" + items + "\n";
}

void worst_seeds(std::string& out, const nlohmann::json& scenario) {
  const nlohmann::json& worst = array_at(scenario, "worst_seeds");
  if (worst.empty()) return;
  out += "**Worst seeds**\n\n| mode | seed | lost | duplicated | replay |\n|---|--:|--:|--:|---|\n";
  for (std::size_t i = 0; i < worst.size() && i < kWorstSeeds; ++i) {
    const nlohmann::json& entry = worst[i];
    out += fmt::format("| {} | {} | {} | {} | {} |\n", markdown_escape(text_at(entry, "mode")),
                       markdown_escape(text_at(entry, "seed")), count_at(entry, "lost"), count_at(entry, "duplicated"),
                       markdown_code_span(text_at(entry, "replay")));
  }
  out += "\n";
}

void scenario_section(std::string& out, const nlohmann::json& scenario, std::size_t index) {
  out += fmt::format("<a id=\"{}\"></a>\n\n## {}\n\n", section_anchor(index),
                     markdown_escape(text_at(scenario, "name", "(unnamed scenario)")));
  if (const std::string description = text_at(scenario, "description"); !description.empty()) {
    out += markdown_escape(description) + "\n\n";
  }
  std::vector<std::string> facts;
  if (const std::string file = text_at(scenario, "file"); !file.empty()) facts.push_back("file " + markdown_code_span(file));
  if (scenario.contains("seeds") && scenario["seeds"].is_object()) {
    facts.push_back(fmt::format("seeds {}–{}", markdown_escape(text_at(scenario["seeds"], "first", "?")),
                                markdown_escape(text_at(scenario["seeds"], "last", "?"))));
  }
  facts.push_back(fmt::format("{} runs", array_at(scenario, "runs").size()));
  out += fmt::format("{}\n\n", fmt::join(facts, " · "));
  const std::vector<std::string> modes = scenario_modes(scenario);
  if (!modes.empty()) mode_table(out, scenario, modes);
  // The price of each mode in simulated time (reports/latency_table.h; none in results
  // written before latencies were measured), then each topic's counters (several topics).
  if (!modes.empty()) rows_table(out, "latency (simulated time)", modes, latency_rows(scenario, modes), false);
  if (!modes.empty()) rows_table(out, "per topic", modes, topic_rows(scenario, modes), true);
  if (!modes.empty()) rows_table(out, "pipeline", modes, pipeline_rows(scenario, modes), true);
  if (!modes.empty()) rows_table(out, "Jepsen anomalies", modes, anomaly_rows(scenario, modes), true);
  cause_table(out, scenario, "lost_by_cause", "Top causes of loss");
  cause_table(out, scenario, "duplicated_by_cause", "Top causes of duplication");
  failing_expectations(out, scenario);
  inconclusive_list(out, scenario);
  worst_seeds(out, scenario);
}

// Every scenario against every mode, failing scenarios first (reports/overview.h); only
// when there is more than one scenario to look over.
void overview(std::string& out, const nlohmann::json& results) {
  if (array_at(results, "scenarios").size() < 2) return;
  const std::vector<std::string> modes = overview_modes(results);
  out += "## Overview\n\nEach cell: verdict · lost · duplicated · reordered · end-to-end p99; failing scenarios first.\n\n";
  out += "| scenario |";
  for (const std::string& mode : modes) out += fmt::format(" {} |", markdown_escape(mode));
  out += "\n|---|";
  for (std::size_t m = 0; m < modes.size(); ++m) out += "---|";
  out += "\n";
  for (const OverviewRow& row : overview_rows(results, modes)) {
    out += fmt::format("| [{}](#{}) |", markdown_escape(row.scenario), section_anchor(row.section));
    for (const OverviewCell& cell : row.cells) out += fmt::format(" {} |", overview_cell_text(cell));
    out += "\n";
  }
  out += "\n";
}

}  // namespace

std::string render_summary_markdown(const nlohmann::json& results) {
  require_results_schema(results);
  std::uint64_t expectations = 0;
  for (const auto& scenario : array_at(results, "scenarios")) expectations += array_at(scenario, "expectations").size();
  const std::uint64_t failed = failed_expectation_count(results);
  const std::uint64_t inconclusive = inconclusive_expectation_count(results);
  const std::size_t unfinished_runs = all_inconclusive_runs(results).size();
  const std::string command = markdown_escape(text_at(results, "command", "run"));
  std::string out;
  if (failed > 0) {
    out += fmt::format("# ❌ ksim {}: {} of {} expectations failed", command, failed, expectations);
  } else if (inconclusive > 0 || unfinished_runs > 0) {
    out += fmt::format("# ⚠️ ksim {}: inconclusive, {} of {} expectations", command, inconclusive, expectations);
  } else {
    out += fmt::format("# ✅ ksim {}: all {} expectations held", command, expectations);
  }
  if (unfinished_runs > 0) out += fmt::format(" ({} run{} stopped at a bound)", unfinished_runs, unfinished_runs == 1 ? "" : "s");
  out += "\n\n";
  out += fmt::format("ksim {} · {} scenarios\n\n", markdown_escape(text_at(results, "ksim_version", "?")),
                     array_at(results, "scenarios").size());
  overview(out, results);
  const auto& scenarios = array_at(results, "scenarios");
  for (std::size_t s = 0; s < scenarios.size(); ++s) scenario_section(out, scenarios[s], s);
  const std::vector<std::string> coverage = coverage_lines(results.value("probes", nlohmann::json()));
  if (!coverage.empty()) out += "## Coverage probes\n\n";
  for (const std::string& line : coverage) out += markdown_escape(line) + "\n\n";
  return out;
}

}  // namespace ksim::reports
