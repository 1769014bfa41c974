#pragma once
// Commands about ksim itself rather than a run: `ksim schema` (the JSON Schema of scenario
// files) and `ksim scenarios` (where the bundled scenario library is, and what it holds).
#include <CLI/CLI.hpp>

namespace ksim::cli {

void add_tool_commands(CLI::App& app, int& exit_code);

}  // namespace ksim::cli
