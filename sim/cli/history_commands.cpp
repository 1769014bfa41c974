// Client histories on the command line: `ksim run --history-out F` writes one, `ksim
// check-history F` judges one (format: scenarios/README.md, "Client histories").
#include <fmt/format.h>

#include "reports/atomic_write.h"
#include "reports/client_history_reader.h"
#include "reports/client_history_results.h"
#include "reports/client_history_writer.h"
#include "reports/trace_writer.h"
#include "sim/check/checker.h"
#include "sim/cli/command_output.h"
#include "sim/cli/scenario_commands.h"

namespace ksim::cli {

void write_history_files(const ScenarioOptions& options, const std::string& mode, std::uint64_t seed,
                         const history::History& history) {
  if (!options.trace_path.empty()) {
    reports::write_file_atomically(options.trace_path, reports::render_chrome_trace(history));
    fmt::print(stderr, "trace of {} seed {} written to {} (open it in ui.perfetto.dev)\n", mode, seed,
               options.trace_path);
  }
  if (!options.history_out.empty()) {
    reports::write_file_atomically(options.history_out, reports::render_client_history(history));
    fmt::print(stderr, "client history of {} seed {} written to {} (judge it with ksim check-history)\n", mode, seed,
               options.history_out);
  }
}

int command_check_history(const ScenarioOptions& options) {
  const std::string& path = options.paths.front();
  const reports::ClientHistoryRead read = reports::read_client_history_file(path);
  if (read.error) {
    fmt::print(stderr, "{}\n", read.error->to_string(path));
    fmt::print(stderr, "ksim: the history was not judged\n");
    return kExitBadInput;
  }
  const check::Outcome outcome = check::check(*read.history);
  Executed executed;
  executed.scenarios.push_back(reports::client_history_scenario(path, *read.history, outcome));
  const std::string note = reports::unavailable_note(executed.scenarios.front());
  const int code = finish("check-history", executed, options, false);
  if (!options.json) fmt::print("{}", note);
  return code;
}

}  // namespace ksim::cli
