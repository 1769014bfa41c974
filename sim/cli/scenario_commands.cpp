#include "sim/cli/scenario_commands.h"

#include "sim/cli/command_output.h"
#include "sim/cli/progress.h"
#include "sim/cli/scenario_files.h"
#include "sim/cli/shard.h"
#include "sim/cli/vary_flag.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "reports/atomic_write.h"
#include "reports/results_json.h"
#include "reports/scenario_result_json.h"
#include "reports/scenario_timelines.h"
#include "reports/trace_writer.h"
#include "reports/terminal_table.h"
#include "sim/core/assert.h"
#include "sim/run/anomaly_records.h"
#include "sim/run/batch.h"
#include "sim/scenario/scenario_loader.h"
#include "sim/scenario/yaml_loader.h"

namespace ksim::cli {

using scenario::InputErrors;

std::optional<YAML::Node> load_tree_with_sets(const std::string& path, const std::vector<std::string>& sets,
                                              InputErrors& errors) {
  std::optional<YAML::Node> root = scenario::load_yaml_file(path, errors);
  if (!root) return std::nullopt;
  bool sets_ok = true;
  for (const std::string& set : sets) {
    const std::size_t equals = set.find('=');
    if (equals == std::string::npos || equals == 0) {
      errors.add(path, {}, "--set", fmt::format("expected KEY=VALUE, got \"{}\"", set));
      sets_ok = false;
      continue;
    }
    if (const auto error = scenario::set_scalar(*root, set.substr(0, equals), set.substr(equals + 1))) {
      errors.add(path, {}, "--set", *error);
      sets_ok = false;
    }
  }
  if (!sets_ok) return std::nullopt;
  return root;
}

namespace {

using scenario::Scenario;

// Files named on the command line, with folders expanded to their *.yaml / *.yml files,
// sub-folders included (scenarios/history/ holds the documented narratives), in path order
// (so a run over a folder is the same on every machine).
std::vector<std::string> expand_paths(const std::vector<std::string>& paths, InputErrors& errors) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
      std::vector<std::string> found = scenario_files_under(path, error);
      if (error) errors.add(path, {}, "", fmt::format("cannot read the folder: {}", error.message()));
      else if (found.empty()) errors.add(path, {}, "", "folder holds no .yaml or .yml scenario files");
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(path);
    }
  }
  return files;
}

std::optional<Scenario> load_with_sets(const std::string& path, const std::vector<std::string>& sets, InputErrors& errors) {
  std::optional<YAML::Node> root = load_tree_with_sets(path, sets, errors);
  if (!root) return std::nullopt;
  return scenario::load_scenario_node(*root, path, errors);
}

// Loads one scenario, adding its errors to `errors`. Its warnings (keys of a .properties
// file that ksim does not model) go to stderr at once, sorted, when `show_warnings`; they
// never stop a run. Returns how many there were through `warnings` if asked.
std::optional<Scenario> load(const std::string& path, const std::vector<std::string>& sets, InputErrors& errors,
                             bool show_warnings = true, std::size_t* warnings = nullptr) {
  InputErrors own;
  std::optional<Scenario> loaded = load_with_sets(path, sets, own);
  if (show_warnings) fmt::print(stderr, "{}", own.warnings_to_string());
  if (warnings != nullptr) *warnings = own.warnings().size();
  for (const scenario::InputError& error : own.all()) errors.add(error);
  return loaded;
}

struct SeedSpan {
  std::uint64_t first = 1;
  std::uint64_t last = 1;
};

std::optional<SeedSpan> parse_seeds(const std::string& text, InputErrors& errors) {
  const auto parsed = scenario::parse_seed_range(text);
  if (!parsed) {
    errors.add("", {}, "--seeds", parsed.error());
    return std::nullopt;
  }
  return SeedSpan{parsed.value().first, parsed.value().last};
}

// The batch for `modes` of a scenario over `seeds`: each mode's configuration is built here,
// once, on this thread (no YAML tree reaches the runs).
run::BatchRequest batch_request(const Scenario& scenario, const std::vector<scenario::ModeChoice>& modes, SeedSpan seeds,
                                const ScenarioOptions& options) {
  run::BatchRequest request{scenario.name, scenario.file, {}, seeds.first, seeds.last, std::max(1U, options.jobs)};
  if (options.stream) request.checker = run::CheckerKind::stream;
  for (const scenario::ModeChoice& mode : modes) {
    InputErrors errors;
    kafka::WorldConfig config = scenario::build_mode_config(scenario, mode, errors);
    // The scenario was validated for every mode it runs before it got here.
    KSIM_ASSERT(errors.empty(), "validated scenario {} gave errors for mode {}: {}", scenario.name, mode.name(),
                errors.to_string());
    config.history_spill_directory = options.history_dir;
    request.modes.push_back(run::ModeRun{mode.name(), mode.mode, std::move(config)});
  }
  return request;
}

std::optional<scenario::ModeChoice> mode_named(const Scenario& scenario, const std::string& name) {
  for (const scenario::ModeChoice& mode : scenario.modes) {
    if (mode.name() == name) return mode;
  }
  return std::nullopt;
}

// Runs (mode, seed) again, keeping its history: runs are deterministic, so this is the
// run the results describe, event for event.
run::RunReport rerun_with_history(const Scenario& scenario, const scenario::ModeChoice& mode, std::uint64_t seed,
                                  const std::string& history_dir) {
  InputErrors errors;
  kafka::WorldConfig config = scenario::build_world_config(scenario, mode, seed, errors);
  config.history_spill_directory = history_dir;  // kept on disk here too when the user asked
  return run::run_once(config, scenario.name, mode.mode, true);
}

// --anomaly-trace: the run (judged already, its anomalous messages known) replayed keeping only
// the records of those messages and those naming none, so that it fits in memory at any run size.
void write_anomaly_trace(const Scenario& scenario, const scenario::ModeChoice& mode, std::uint64_t seed,
                         const std::vector<std::uint64_t>& anomalies, const std::string& path) {
  InputErrors errors;
  const kafka::WorldConfig config = scenario::build_world_config(scenario, mode, seed, errors);
  const run::AnomalyRecords kept = run::replay_keeping(config, anomalies);
  reports::write_file_atomically(path, reports::render_chrome_trace(kept.history));
  fmt::print(stderr,
             "trace of {} seed {} written to {}: the records of {} lost, duplicated or anomalous messages and those "
             "naming no message, {} of the run's {}{}\n",
             mode.name(), seed, path, kept.message_ids.size(), kept.history.records.size(), kept.records_seen,
             kept.records_dropped == 0 ? std::string()
                                       : fmt::format(" ({} more past the bound were left out)", kept.records_dropped));
}

// The runs run::timeline_runs chooses, run again with their history and drawn.
void add_timelines(const Scenario& scenario, const std::string& history_dir, nlohmann::json& object) {
  std::vector<nlohmann::json> timelines;
  for (const run::RunRef& chosen : run::timeline_runs(reports::scenario_result_from_json(object))) {
    if (const auto mode = mode_named(scenario, chosen.mode)) {
      timelines.push_back(reports::run_timeline_json(rerun_with_history(scenario, *mode, chosen.seed, history_dir)));
    }
  }
  reports::set_timelines(object, timelines);
}

void execute(const Scenario& scenario, const std::vector<scenario::ModeChoice>& modes, SeedSpan seeds,
             const ScenarioOptions& options, bool show_progress, Executed& executed, ProgressLine* progress = nullptr) {
  const run::BatchRequest request = batch_request(scenario, modes, seeds, options);
  const std::vector<run::RunReport> reports =
      run::run_batch(request, progress != nullptr ? progress->for_batch() : progress_printer(show_progress));
  if (!options.anomaly_trace_path.empty() && !reports.empty()) {
    executed.first_run_anomalies = run::anomalous_messages(reports.front().outcome);
  }
  nlohmann::json object = reports::scenario_to_json(scenario, modes, reports, options.sets, seeds.first, seeds.last);
  InputErrors errors;
  object["topology_dot"] =
      run::topology_dot(scenario::build_world_config(scenario, modes.front(), scenario.seed, errors));
  if (!options.report_dir.empty()) add_timelines(scenario, options.history_dir, object);
  executed.scenarios.push_back(std::move(object));
}

std::vector<scenario::ModeChoice> modes_for(const Scenario& scenario, const std::string& requested,
                                            InputErrors& errors) {
  if (requested.empty()) return scenario.modes;
  std::optional<scenario::ModeChoice> choice;
  if (requested == "as-configured") {
    choice = scenario::ModeChoice{};
  } else if (const auto mode = kafka::parse_delivery_mode(requested)) {
    choice = scenario::ModeChoice{*mode};
  } else {
    errors.add("", {}, "--mode",
               fmt::format("unknown mode \"{}\"; modes are at-most-once, at-least-once, exactly-once, "
                           "exactly-once-transactions, as-configured",
                           requested));
    return {};
  }
  // The file was validated for its own modes; a mode asked for on the command line may
  // contradict its explicit settings (e.g. enable.idempotence with at-most-once's acks=0).
  (void)scenario::build_world_config(scenario, *choice, scenario.seed, errors);
  return {*choice};
}

}  // namespace

int command_run(const ScenarioOptions& options) {
  InputErrors errors;
  const std::optional<Scenario> scenario = load(options.paths.front(), options.sets, errors);
  const auto modes = scenario ? modes_for(*scenario, options.mode, errors) : std::vector<scenario::ModeChoice>{};
  if (!errors.empty()) return print_input_errors(errors);
  const std::uint64_t seed = options.seed.value_or(scenario->seed);
  Executed executed;
  execute(*scenario, modes, SeedSpan{seed, seed}, options, false, executed);
  try {
    if (!options.trace_path.empty() || !options.history_out.empty()) {
      const run::RunReport again = rerun_with_history(*scenario, modes.front(), seed, options.history_dir);
      write_history_files(options, modes.front().name(), seed, *again.history);
    }
    if (!options.anomaly_trace_path.empty()) {
      write_anomaly_trace(*scenario, modes.front(), seed, executed.first_run_anomalies, options.anomaly_trace_path);
    }
    if (!options.topology_path.empty()) {
      reports::write_file_atomically(options.topology_path,
                                     executed.scenarios.front().at("topology_dot").get<std::string>());
    }
  } catch (const std::exception& error) {
    fmt::print(stderr, "ksim: {}\n", error.what());
    return kExitBadInput;
  }
  return finish("run", executed, options, false);
}

int command_compare(const ScenarioOptions& options) {
  InputErrors errors;
  const std::optional<Scenario> scenario = load(options.paths.front(), options.sets, errors);
  std::optional<SeedSpan> seeds;
  if (scenario) seeds = options.seeds.empty() ? SeedSpan{scenario->seeds.first, scenario->seeds.last}
                                              : parse_seeds(options.seeds, errors);
  if (!errors.empty()) return print_input_errors(errors);
  Executed executed;
  execute(*scenario, scenario->modes, *seeds, options, !options.json, executed);
  return finish("compare", executed, options, false);
}

namespace {

// The K-th of N contiguous slices of the seed range (sim/run/shard_slice.h).
std::optional<SeedSpan> shard_slice(SeedSpan seeds, Shard shard) {
  const auto slice = shard_span(seeds.first, seeds.last, shard);
  if (!slice) return std::nullopt;
  return SeedSpan{slice->first, slice->second};
}

// The scenario loaded once per --vary value (its key set to the value), run over `slice`.
std::vector<reports::VaryPart> run_vary(const VaryFlag& vary, const std::vector<Scenario>& varied,
                                        std::optional<SeedSpan> slice, const ScenarioOptions& options) {
  std::vector<reports::VaryPart> parts;
  for (std::size_t v = 0; v < varied.size() && slice; ++v) {
    const run::BatchRequest request = batch_request(varied[v], varied[v].modes, *slice, options);
    parts.push_back({vary.values[v], run::run_batch(request, progress_printer(!options.json))});
  }
  return parts;
}

}  // namespace

int command_sweep(const ScenarioOptions& options) {
  InputErrors errors;
  const std::optional<Scenario> scenario = load(options.paths.front(), options.sets, errors);
  const std::optional<SeedSpan> seeds = parse_seeds(options.seeds, errors);
  std::optional<Shard> shard;
  if (!options.shard.empty()) shard = parse_shard(options.shard, errors);
  std::optional<VaryFlag> vary;
  std::vector<Scenario> varied;  // the scenario loaded once per varied value
  if (!options.vary.empty()) vary = parse_vary(options.vary, errors);
  for (std::size_t v = 0; vary && scenario && v < vary->values.size(); ++v) {
    std::vector<std::string> sets = options.sets;
    sets.push_back(vary->key + "=" + vary->values[v].text);
    // Warnings are shown once, by the first load.
    if (auto loaded = load(options.paths.front(), sets, errors, false)) varied.push_back(std::move(*loaded));
  }
  if (!errors.empty()) return print_input_errors(errors);
  const std::optional<SeedSpan> slice = shard ? shard_slice(*seeds, *shard) : seeds;
  Executed executed;
  if (vary) {
    executed.scenarios.push_back(reports::vary_sweep_to_json(*scenario, vary->key, run_vary(*vary, varied, slice, options),
                                                             options.sets, seeds->first, seeds->last));
  } else if (slice) {
    execute(*scenario, scenario->modes, *slice, options, !options.json, executed);
  } else {
    executed.scenarios.push_back(reports::scenario_to_json(*scenario, scenario->modes, {}, options.sets, seeds->first, seeds->last));
  }
  // A shard records the whole seed range it belongs to, so `ksim merge` can rebuild the
  // unsharded result.
  for (nlohmann::json& object : executed.scenarios) {
    if (shard) reports::mark_shard(object, *shard, seeds->first, seeds->last);
  }
  return finish("sweep", executed, options, false);
}

int command_check(const ScenarioOptions& options) {
  InputErrors errors;
  const std::vector<std::string> files = expand_paths(options.paths, errors);
  std::vector<Scenario> scenarios;
  for (const std::string& file : files) {
    if (auto scenario = load(file, options.sets, errors)) scenarios.push_back(std::move(*scenario));
  }
  std::optional<SeedSpan> override_seeds;
  if (!options.seeds.empty()) override_seeds = parse_seeds(options.seeds, errors);
  if (!errors.empty()) return print_input_errors(errors);
  Executed executed;
  // One progress line for every run of every scenario (issue 20 item 7).
  std::size_t total_runs = 0;
  for (const Scenario& scenario : scenarios) {
    const SeedSpan seeds = override_seeds.value_or(SeedSpan{scenario.seeds.first, scenario.seeds.last});
    total_runs += scenario.modes.size() * (seeds.last - seeds.first + 1);
  }
  ProgressLine progress(total_runs, !options.json, isatty(fileno(stderr)) != 0);
  for (const Scenario& scenario : scenarios) {
    const SeedSpan seeds = override_seeds.value_or(SeedSpan{scenario.seeds.first, scenario.seeds.last});
    progress.note(fmt::format("checking {} ({} modes x {} seeds)", scenario.name, scenario.modes.size(),
                              seeds.last - seeds.first + 1),
                  scenario.name);
    execute(scenario, scenario.modes, seeds, options, false, executed, &progress);
  }
  progress.finish();
  const nlohmann::json results = reports::results_document("check", std::move(executed.scenarios));
  if (options.json) {
    fmt::print("{}\n", results.dump(2));
  } else {
    fmt::print("{}", reports::render_terminal_table(results));
  }
  if (!write_reports(results, options.report_dir)) return kExitBadInput;
  return exit_code_of(results, true);
}

int command_validate(const ScenarioOptions& options) {
  InputErrors errors;
  const std::vector<std::string> files = expand_paths(options.paths, errors);
  std::size_t valid = 0;
  for (const std::string& file : files) {
    std::size_t warnings = 0;
    if (load(file, options.sets, errors, true, &warnings)) {
      ++valid;
      fmt::print("{}: valid{}\n", file, warnings == 0 ? "" : fmt::format(" ({} warning{})", warnings, warnings == 1 ? "" : "s"));
    }
  }
  if (!errors.empty()) return print_input_errors(errors);
  fmt::print("{} scenario file{} valid\n", valid, valid == 1 ? "" : "s");
  return kExitHeld;
}

}  // namespace ksim::cli
