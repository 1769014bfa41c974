#pragma once
// The timeline of report.html for people: the space-time diagram (svg::timeline), a panel
// where a click on a lost or duplicated message's line shows its cause and replay command,
// zoom and pan with readable s/ms ticks, filters by cause and node, and a plain list of the
// flagged messages for readers without script. The script is inline and allowed by its
// SHA-256 in the page's Content-Security-Policy (script-src 'sha256-...'): nothing else
// runs, and the file stays self-contained and offline.
#include <string>

#include <nlohmann/json.hpp>

namespace ksim::reports {

// `timeline` as results.json has it, plus "scenario" and "replay" (the run's command).
std::string timeline_view(const nlohmann::json& timeline);
// The one inline script of report.html, and the CSP source expression that allows it.
const std::string& timeline_script();
std::string timeline_script_csp();
extern const char* const kTimelineStyle;

}  // namespace ksim::reports
