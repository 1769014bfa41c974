#include "sim/cli/tool_commands.h"

#include <cstdio>

#include <fmt/format.h>

#include "sim/scenario/schema.h"

namespace ksim::cli {

namespace {

int command_schema() {
  const scenario::ScenarioSchema schema = scenario::scenario_schema();
  std::fwrite(schema.json.data(), 1, schema.json.size(), stdout);
  return 0;
}

}  // namespace

void add_tool_commands(CLI::App& app, int& exit_code) {
  CLI::App* schema = app.add_subcommand(
      "schema", "Print the JSON Schema (draft 2020-12) of scenario files, generated from the loader itself");
  schema->callback([&exit_code] { exit_code = command_schema(); });
}

}  // namespace ksim::cli
