#include "sim/cli/tool_commands.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "reports/atomic_write.h"
#include "sim/cli/scenario_files.h"
#include "sim/scenario/schema.h"

namespace ksim::cli {

namespace {

namespace fs = std::filesystem;

// The bundled scenario library: installed, <prefix>/<datadir>/ksim/scenarios next to
// <prefix>/bin/ksim (found from the executable's own path, so any prefix works); in a
// build tree, the checkout's scenarios/.
fs::path bundled_scenarios_dir() {
  std::error_code error;
  const fs::path executable = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    const fs::path installed = executable.parent_path().parent_path() / KSIM_INSTALL_DATADIR / "ksim" / "scenarios";
    if (fs::is_directory(installed, error)) return installed;
  }
  if (fs::is_directory(KSIM_SOURCE_SCENARIOS_DIR, error)) return KSIM_SOURCE_SCENARIOS_DIR;
  return {};
}

struct ToolOptions {
  std::string schema_out;
  bool path_only = false;
};

int command_schema(const ToolOptions& options) {
  const scenario::ScenarioSchema schema = scenario::scenario_schema();
  if (options.schema_out.empty()) {
    std::fwrite(schema.json.data(), 1, schema.json.size(), stdout);
    return 0;
  }
  try {
    reports::write_file_atomically(options.schema_out, schema.json);
  } catch (const std::runtime_error& error) {
    fmt::print(stderr, "ksim schema: {}\n", error.what());
    return 2;
  }
  return 0;
}

int command_scenarios(const ToolOptions& options) {
  const fs::path dir = bundled_scenarios_dir();
  if (dir.empty()) {
    fmt::print(stderr, "ksim scenarios: no bundled scenario library found (looked in {} next to the executable)\n",
               (fs::path(KSIM_INSTALL_DATADIR) / "ksim" / "scenarios").string());
    return 2;
  }
  if (options.path_only) {
    fmt::print("{}\n", dir.string());
    return 0;
  }
  std::error_code error;
  const std::vector<std::string> files = scenario_files_relative(dir, error);
  if (error) {
    fmt::print(stderr, "ksim scenarios: cannot read {}: {}\n", dir.string(), error.message());
    return 2;
  }
  fmt::print("{} bundled scenarios in {} (check them all: ksim check \"$(ksim scenarios --path)\")\n", files.size(),
             dir.string());
  for (const std::string& file : files) fmt::print("  {}\n", file);
  return 0;
}

}  // namespace

void add_tool_commands(CLI::App& app, int& exit_code) {
  static ToolOptions options;
  CLI::App* schema = app.add_subcommand(
      "schema", "Print the JSON Schema (draft 2020-12) of scenario files, generated from the loader itself");
  schema->add_option("--out", options.schema_out, "Write it to this file instead of stdout");
  schema->callback([&exit_code] { exit_code = command_schema(options); });
  CLI::App* scenarios = app.add_subcommand("scenarios", "List the bundled scenario library (installed or in this checkout)");
  scenarios->add_flag("--path", options.path_only, "Print only its directory");
  scenarios->callback([&exit_code] { exit_code = command_scenarios(options); });
}

}  // namespace ksim::cli
