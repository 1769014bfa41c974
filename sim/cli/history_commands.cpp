// Client histories on the command line: `ksim run --history-out F` writes one, `ksim
// check-history F` judges one (format: scenarios/README.md, "Client histories").
#include <fstream>

#include <fmt/format.h>

#include "reports/atomic_write.h"
#include "reports/client_history_reader.h"
#include "reports/client_history_results.h"
#include "reports/client_history_writer.h"
#include "reports/jepsen_history.h"
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

namespace {

// Jepsen's history.edn by `--format edn` or, without the flag, by the extension.
bool reads_edn(const ScenarioOptions& options) {
  if (!options.history_format.empty()) return options.history_format == "edn";
  const std::string& path = options.paths.front();
  return path.size() >= 4 && path.compare(path.size() - 4, 4, ".edn") == 0;
}

}  // namespace

int command_convert_history(const ScenarioOptions& options) {
  const std::string& path = options.paths.front();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    fmt::print(stderr, "{}: cannot open the file\n", path);
    return kExitBadInput;
  }
  const reports::JepsenConversion converted = reports::convert_jepsen_history(in);
  if (converted.error) {
    fmt::print(stderr, "{}\nksim: nothing was written\n", converted.error->to_string(path));
    return kExitBadInput;
  }
  if (options.out_path.empty()) {
    fmt::print("{}", converted.text);
  } else {
    reports::write_file_atomically(options.out_path, converted.text);
    fmt::print(stderr, "client history written to {} (judge it with ksim check-history)\n", options.out_path);
  }
  return 0;
}

int command_check_history(const ScenarioOptions& options) {
  const std::string& path = options.paths.front();
  const reports::ClientHistoryRead read =
      reads_edn(options) ? reports::read_jepsen_history_file(path) : reports::read_client_history_file(path);
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
