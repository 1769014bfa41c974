#pragma once
// The overview that opens summary.md and report.html (issue 20): every scenario against
// every mode, one cell each (verdict, lost, duplicated, reordered, end-to-end p99), the
// scenarios with a failure first, each linked to its section. Built from the results
// document alone, in a fixed order.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ksim::reports {

struct OverviewCell {
  bool ran = false;              // the scenario ran this mode
  std::string verdict;           // "held", "broken" (some complete run broke the promise), "inconclusive"
  bool expectation_failed = false;  // an expectation of this mode failed
  std::uint64_t lost = 0, duplicated = 0, reordered = 0;
  std::string end_to_end_p99;    // "2.80 s", or "–" when nothing was measured
  bool failing() const { return verdict != "held" || expectation_failed; }
};

struct OverviewRow {
  std::string scenario;
  std::size_t section = 0;  // index of the scenario in the document (its section's anchor)
  bool failing = false;     // some cell fails, or an expectation without a mode failed
  std::vector<OverviewCell> cells;  // by overview_modes()
};

// Every mode any scenario ran, in order of first appearance.
std::vector<std::string> overview_modes(const nlohmann::json& results);
// One row per scenario: failing ones first, each group in document order.
std::vector<OverviewRow> overview_rows(const nlohmann::json& results, const std::vector<std::string>& modes);
// "✔ 0 · 0 · 0 · 2.80 s": verdict mark, lost, duplicated, reordered, end-to-end p99.
std::string overview_cell_text(const OverviewCell& cell);
// The anchor of the section of scenario `section` ("scenario-3").
std::string section_anchor(std::size_t section);

}  // namespace ksim::reports
