#pragma once
// The scenario files of a folder, for `ksim check FOLDER` and `ksim scenarios`: every
// *.yaml / *.yml file under it, sub-folders included (the bundled library keeps its
// documented narratives in scenarios/history/), in path order so that a run over a folder
// is the same on every machine.
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace ksim::cli {

// Full paths (`folder` joined with the path below it), sorted. Directory symlinks are not
// followed (no loops). `error` is set when the folder or a sub-folder cannot be read.
std::vector<std::string> scenario_files_under(const std::filesystem::path& folder, std::error_code& error);

// The same files as paths relative to `folder` ("a01-acks-0-leader-crash.yaml",
// "history/kip279-fast-leader-changes-before.yaml"), sorted.
std::vector<std::string> scenario_files_relative(const std::filesystem::path& folder, std::error_code& error);

}  // namespace ksim::cli
