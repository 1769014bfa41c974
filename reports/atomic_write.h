#pragma once
// Writing report files so a reader never sees half of one: the content goes to a temp
// file in the target's directory (same file system, so the rename is atomic), is
// fsync'ed, then renamed over the target. A writer killed midway leaves the old file
// whole (plus, at worst, a stale ".<name>.tmp-XXXXXX" beside it).
#include <filesystem>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ksim::reports {

// Throws std::runtime_error naming `path` (and the failing step) on any failure, after
// removing its temp file.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// Writes results.json (2-space indent), summary.md, junit.xml and report.html into `dir`,
// each atomically; creates `dir` if missing. Throws std::runtime_error on a wrong schema
// (before writing anything) or on a failed write.
void write_report_dir(const std::filesystem::path& dir, const nlohmann::json& results);

}  // namespace ksim::reports
