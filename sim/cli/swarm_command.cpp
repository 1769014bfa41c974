// `ksim swarm`: flags in, swarm::run_swarm, the summary table or JSON out.
#include <unistd.h>

#include <filesystem>

#include <fmt/format.h>

#include "sim/cli/command_output.h"
#include "sim/cli/scenario_commands.h"
#include "sim/cli/shard.h"
#include "sim/scenario/scenario_loader.h"
#include "sim/scenario/units.h"
#include "sim/swarm/summary.h"

namespace ksim::cli {

namespace {

// --time without --runs numbers runs up to here; the clock ends it long before.
constexpr std::uint64_t kUnboundedRuns = 1'000'000'000'000ULL;

std::optional<TimeNs> positive_duration(const std::string& text, const std::string& flag, scenario::InputErrors& errors) {
  const auto parsed = scenario::parse_duration(text);
  if (!parsed || parsed.value() <= 0) {
    errors.add("", {}, flag, fmt::format("expected a duration such as 60s or 10m, got \"{}\"", text));
    return std::nullopt;
  }
  return parsed.value();
}

// Said before any run, so a bad --out-dir costs nothing.
void check_out_dir(const std::string& dir, scenario::InputErrors& errors) {
  std::error_code error;
  const std::filesystem::path path(dir);
  const std::filesystem::path parent = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  if (std::filesystem::exists(path, error) && !std::filesystem::is_directory(path, error)) {
    errors.add(dir, {}, "--out-dir", "is a file; name a folder for the failing scenarios");
  } else if (!std::filesystem::exists(path, error) && !std::filesystem::is_directory(parent, error)) {
    errors.add(dir, {}, "--out-dir", fmt::format("cannot create: folder {} does not exist", parent.string()));
  } else if (access((std::filesystem::exists(path, error) ? path : parent).c_str(), W_OK) != 0) {
    errors.add(dir, {}, "--out-dir", "is not writable");
  }
}

// Which runs: --runs N (sliced by --shard) or --time T (runs 1, 2, ... until T passes).
void read_run_span(const ScenarioOptions& options, swarm::SwarmRequest& request, scenario::InputErrors& errors) {
  if (options.runs.has_value() == !options.swarm_time.empty()) {
    errors.add("", {}, "--runs", "give either --runs N or --time T");
    return;
  }
  if (!options.swarm_time.empty()) {
    if (!options.shard.empty()) errors.add("", {}, "--shard", "splits a fixed number of runs: use it with --runs");
    if (const auto time = positive_duration(options.swarm_time, "--time", errors)) {
      request.deadline = std::chrono::steady_clock::now() + std::chrono::nanoseconds(*time);
    }
    request.last_run = kUnboundedRuns;
    return;
  }
  if (*options.runs == 0) errors.add("", {}, "--runs", "must be at least 1");
  request.last_run = std::max<std::uint64_t>(1, *options.runs);
  if (options.shard.empty()) return;
  const std::optional<Shard> shard = parse_shard(options.shard, errors);
  if (!shard) return;
  const auto span = shard_span(1, request.last_run, *shard);
  // An empty slice (more shards than runs) runs nothing: first > last.
  request.first_run = span ? span->first : request.last_run + 1;
  request.last_run = span ? span->second : request.last_run;
}

std::optional<swarm::SwarmRequest> request_of(const ScenarioOptions& options, scenario::InputErrors& errors) {
  swarm::SwarmRequest request;
  request.file = options.paths.front();
  request.jobs = options.jobs;
  request.out_dir = options.out_dir.empty() ? "swarm-failures" : options.out_dir;
  std::optional<YAML::Node> root = load_tree_with_sets(request.file, options.sets, errors);
  if (root) {
    // The base itself must be a valid scenario: every variant starts from it.
    (void)scenario::load_scenario_node(*root, request.file, errors);
    if (auto ranges = swarm::read_ranges(*root, request.file, errors)) request.ranges = *ranges;
    request.base = *root;
  }
  read_run_span(options, request, errors);
  if (!options.shrink_budget.empty()) {
    if (const auto budget = positive_duration(options.shrink_budget, "--shrink-budget", errors)) {
      request.shrink_budget_ns = *budget;
    }
  }
  check_out_dir(request.out_dir, errors);
  if (!errors.empty() || !root) return std::nullopt;
  return request;
}

void print_summary(const swarm::SwarmRequest& request, const swarm::SwarmResult& result) {
  const swarm::Summary summary = swarm::summarize(result);
  const std::string span = result.runs.empty() ? "none"
                                               : fmt::format("{}..{}", result.runs.front().run, result.runs.back().run);
  fmt::print("swarm {}: {} runs ({}), {} failing, {} invalid\n", request.file, summary.runs, span,
             summary.failing_runs, summary.invalid_runs);
  if (summary.invalid_runs > 0) fmt::print("  first invalid variant: {}\n", summary.first_invalid);
  fmt::print("failures by kind:{}\n", summary.failures_by_kind.empty() ? " none" : "");
  for (const auto& [kind, runs] : summary.failures_by_kind) fmt::print("  {:<40} {:>6}\n", kind, runs);
  fmt::print("dimensions drawn (value x runs):\n");
  for (const auto& [name, values] : summary.dimensions) {
    std::string line;
    for (const auto& [value, runs] : values) line += fmt::format("  {} x{}", value, runs);
    fmt::print("  {:<31}{}\n", name, line);
  }
  for (const std::string& line : reports::coverage_lines(reports::coverage_to_json(summary.coverage))) {
    fmt::print("{}\n", line);
  }
  for (const swarm::Finding& finding : result.findings) {
    fmt::print("run {} ({}): {}\n  variant: {}\n", finding.run, finding.mode, finding.violation.describe(),
               finding.file);
    if (!finding.shrunk_file.empty()) {
      fmt::print("  shrunk:  {} ({} -> {}{})\n", finding.shrunk_file, shrink::sizes_text(finding.before),
                 shrink::sizes_text(finding.after), finding.shrink_budget_spent ? "; stopped at the shrink budget" : "");
    }
    fmt::print("  replay:  {}\n", finding.replay);
  }
}

}  // namespace

int command_swarm(const ScenarioOptions& options) {
  scenario::InputErrors errors;
  const std::optional<swarm::SwarmRequest> request = request_of(options, errors);
  if (!request) return print_input_errors(errors);
  fmt::print(stderr, "swarm {}: {} (-j {}; failures to {}/, each shrunk for at most {})\n", request->file,
             request->deadline ? fmt::format("runs for {}", options.swarm_time)
                               : fmt::format("runs {}..{}", request->first_run, request->last_run),
             request->jobs, request->out_dir, options.shrink_budget.empty() ? "60s" : options.shrink_budget);
  swarm::SwarmResult result;
  try {
    result = swarm::run_swarm(*request, [](const swarm::Finding& finding) {
      fmt::print(stderr, "run {} ({}) fails: {}; written to {}\n", finding.run, finding.mode,
                 finding.violation.describe(), finding.shrunk_file.empty() ? finding.file : finding.shrunk_file);
    });
  } catch (const swarm::WriteError& error) {
    fmt::print(stderr, "ksim: cannot write a failing scenario: {}\n", error.what());
    return kExitBadInput;
  }
  if (options.json) {
    fmt::print("{}\n", swarm::to_json(*request, result).dump(2));
  } else {
    print_summary(*request, result);
  }
  const swarm::Summary summary = swarm::summarize(result);
  if (summary.failing_runs > 0) return kExitViolated;
  return summary.invalid_runs > 0 ? kExitBadInput : kExitHeld;
}

}  // namespace ksim::cli
