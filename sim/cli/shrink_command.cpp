// `ksim shrink`: flags in, shrink::shrink_run, the sizes and the file out.
#include <unistd.h>

#include <filesystem>

#include <fmt/format.h>

#include "reports/atomic_write.h"
#include "sim/cli/command_output.h"
#include "sim/cli/scenario_commands.h"
#include "sim/scenario/units.h"
#include "sim/shrink/shrink.h"

namespace ksim::cli {

namespace {

// Without --time-budget the search may take this long (wall clock) before it stops
// (printed as "300s" when it starts).
constexpr TimeNs kDefaultTimeBudgetNs = 300 * kNanosecondsPerSecond;

std::string default_out_path(const std::string& file, std::uint64_t seed) {
  return fmt::format("{}-seed{}-shrunk.yaml", std::filesystem::path(file).stem().string(), seed);
}

// Said before the search (which may take minutes), so a bad --out costs nothing.
void check_writable(const std::string& out, scenario::InputErrors& errors) {
  std::error_code error;
  const std::filesystem::path path(out);
  const std::filesystem::path parent = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  if (std::filesystem::is_directory(path, error)) {
    errors.add(out, {}, "--out", "is a folder; name the scenario file to write");
  } else if (!std::filesystem::is_directory(parent, error)) {
    errors.add(out, {}, "--out", fmt::format("cannot write: folder {} does not exist", parent.string()));
  } else if (access(parent.c_str(), W_OK) != 0) {
    errors.add(out, {}, "--out", fmt::format("cannot write: folder {} is not writable", parent.string()));
  }
}

std::optional<shrink::ShrinkRequest> request_of(const ScenarioOptions& options, scenario::InputErrors& errors) {
  const std::string& file = options.paths.front();
  std::optional<YAML::Node> root = load_tree_with_sets(file, options.sets, errors);
  TimeNs budget_ns = kDefaultTimeBudgetNs;
  if (!options.time_budget.empty()) {
    const auto parsed = scenario::parse_duration(options.time_budget);
    if (!parsed || parsed.value() <= 0) {
      errors.add("", {}, "--time-budget",
                 fmt::format("expected a duration such as 60s or 10m, got \"{}\"", options.time_budget));
    } else {
      budget_ns = parsed.value();
    }
  }
  check_writable(options.out_path.empty() ? default_out_path(file, *options.seed) : options.out_path, errors);
  if (!root) return std::nullopt;
  shrink::ShrinkRequest request{*root, file, options.sets, *options.seed, options.mode, options.counter, {}};
  request.budget.deadline = std::chrono::steady_clock::now() + std::chrono::nanoseconds(budget_ns);
  return request;
}

void print_not_failing(const ScenarioOptions& options, const shrink::ShrinkResult& result) {
  const std::string what = options.counter.empty() ? "no expectation, guarantee or Kafka promise"
                                                   : fmt::format("no bound on {}", options.counter);
  fmt::print("ksim shrink: {} --seed {}{}: the run breaks {}; nothing to shrink, no file written\n",
             options.paths.front(), *options.seed, options.mode.empty() ? " (every mode of the file)" : " --mode " + result.mode,
             what);
}

}  // namespace

int command_shrink(const ScenarioOptions& options) {
  scenario::InputErrors errors;
  const std::optional<shrink::ShrinkRequest> request = request_of(options, errors);
  if (!errors.empty() || !request) return print_input_errors(errors);
  fmt::print(stderr, "shrinking {} --seed {}{} (time budget {})\n", request->file, request->seed,
             request->mode.empty() ? "" : " --mode " + request->mode,
             options.time_budget.empty() ? "300s" : options.time_budget);
  const std::optional<shrink::ShrinkResult> result = shrink::shrink_run(*request, errors);
  if (!result) return print_input_errors(errors);
  if (!result->failing) {
    print_not_failing(options, *result);
    return kExitHeld;
  }
  const std::string out = options.out_path.empty() ? default_out_path(request->file, request->seed) : options.out_path;
  try {
    reports::write_file_atomically(out, shrink::shrunk_file_text(*request, *result, out));
  } catch (const std::exception& error) {
    fmt::print(stderr, "ksim: cannot write the shrunk scenario: {}\n", error.what());
    return kExitBadInput;
  }
  fmt::print("shrank {} --seed {} --mode {}: {}\n", request->file, request->seed, result->mode,
             result->violation->describe());
  for (const std::string& step : result->steps) fmt::print("  {}\n", step);
  fmt::print("before: {}\nafter:  {}\n", shrink::sizes_text(result->before), shrink::sizes_text(result->after));
  fmt::print("{} candidate runs{}\n", result->candidates,
             result->budget_spent ? "; stopped at the time budget (a larger budget may shrink further)" : "");
  fmt::print("written to {}\nreplay: {}\n", out, shrink::replay_command(out, request->seed, result->mode));
  return kExitHeld;
}

}  // namespace ksim::cli
