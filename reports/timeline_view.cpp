#include "reports/timeline_view.h"

#include <fmt/format.h>

#include "reports/results_doc.h"
#include "reports/sha256.h"
#include "reports/svg_charts.h"
#include "reports/text_escape.h"

namespace ksim::reports {

namespace {

// The flagged messages as a list: what the click panel shows, for readers without script
// (and for search in the page).
std::string message_list(const nlohmann::json& timeline) {
  std::string items;
  std::size_t count = 0;
  for (const auto& message : array_at(timeline, "messages")) {
    ++count;
    const std::string explanation = text_at(message, "explanation");
    items += fmt::format("<li>message {} ({}): cause <code>{}</code>{}</li>", html_escape(text_at(message, "message_id", "?")),
                         html_escape(text_at(message, "status")), html_escape(text_at(message, "cause", "not recorded")),
                         explanation.empty() ? "" : " — " + html_escape(explanation));
  }
  if (count == 0) return "";
  return fmt::format("<details class=\"tl-messages\"><summary>The {} flagged message{} of this run, with causes; replay: "
                     "<code>{}</code></summary><ul>{}</ul></details>",
                     count, count == 1 ? "" : "s", html_escape(text_at(timeline, "replay")), items);
}

}  // namespace

const char* const kTimelineStyle = R"(
.timeline-view{flex-basis:100%;margin:0}
.tl-controls{display:none;gap:6px;flex-wrap:wrap;align-items:center;font-size:13px;margin:4px 0}
.timeline-view.live .tl-controls{display:flex}
.tl-controls button{min-width:2em}.tl-window{color:#555}
.tl-mask{fill:#fff}.grid{stroke:#eee}
.message{cursor:pointer}.message .hit{stroke:transparent;stroke-width:10;fill:none;pointer-events:stroke}
.message:hover polyline:not(.hit),.message.selected polyline:not(.hit){stroke-width:4}
.tl-detail{border:1px solid #ccc;padding:4px 8px;font-size:13px;min-height:1.5em;max-width:900px}
.tl-detail p{margin:2px 0}.tl-messages{font-size:13px}
)";

const std::string& timeline_script() {
  static const std::string script =
#include "reports/timeline_script.js.inc"
      ;
  return script;
}

std::string timeline_script_csp() { return csp_script_hash(timeline_script()); }

std::string timeline_view(const nlohmann::json& timeline) {
  return "<figure class=\"timeline-view\">" + svg::timeline(timeline) + "<div class=\"tl-detail\" aria-live=\"polite\"></div>" +
         message_list(timeline) + "</figure>";
}

}  // namespace ksim::reports
