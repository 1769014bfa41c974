#pragma once
// summary.md: the results document as GitHub-flavoured Markdown, sized for a CI job
// summary ($GITHUB_STEP_SUMMARY): overall status first, then per scenario the modes side
// by side, the top causes, and each failing expectation with the command that replays it.
#include <string>

#include <nlohmann/json.hpp>

namespace ksim::reports {

// Throws std::runtime_error on a document that is not "ksim-results" v1.
std::string render_summary_markdown(const nlohmann::json& results);

}  // namespace ksim::reports
