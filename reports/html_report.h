#pragma once
// report.html: one self-contained page (inline CSS, inline SVG drawn in svg_*.cpp, no
// script, font or URL; a Content-Security-Policy forbids loading anything) so it can be
// attached to a CI run, mailed, or opened offline, and is byte-identical for the same
// results document.
#include <string>

#include <nlohmann/json.hpp>

namespace ksim::reports {

// Throws std::runtime_error on a document that is not "ksim-results" v1.
std::string render_html_report(const nlohmann::json& results);

}  // namespace ksim::reports
