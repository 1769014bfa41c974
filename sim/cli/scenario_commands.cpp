#include "sim/cli/scenario_commands.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>
#include <unistd.h>

#include "reports/results_json.h"
#include "reports/terminal_table.h"
#include "sim/run/batch.h"
#include "sim/scenario/scenario_loader.h"
#include "sim/scenario/yaml_loader.h"

namespace ksim::cli {

namespace {

using scenario::InputErrors;
using scenario::Scenario;

// Files named on the command line, with folders expanded to their *.yaml / *.yml files
// in name order (so a run over a folder is the same on every machine).
std::vector<std::string> expand_paths(const std::vector<std::string>& paths, InputErrors& errors) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
      std::vector<std::string> found;
      for (const auto& entry : std::filesystem::directory_iterator(path, error)) {
        const std::string extension = entry.path().extension().string();
        if (entry.is_regular_file() && (extension == ".yaml" || extension == ".yml")) {
          found.push_back(entry.path().string());
        }
      }
      std::sort(found.begin(), found.end());
      if (found.empty()) errors.add(path, {}, "", "folder holds no .yaml or .yml scenario files");
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(path);
    }
  }
  return files;
}

std::optional<Scenario> load(const std::string& path, const std::vector<std::string>& sets, InputErrors& errors) {
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
  return scenario::load_scenario_node(*root, path, errors);
}

int print_input_errors(const InputErrors& errors) {
  InputErrors sorted = errors;
  sorted.sort();
  fmt::print(stderr, "{}", sorted.to_string());
  fmt::print(stderr, "ksim: {} error{} in the input; nothing was run\n", sorted.size(), sorted.size() == 1 ? "" : "s");
  return kExitBadInput;
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

// Progress on a terminal as one rewritten line; plain lines every tenth otherwise.
run::Progress progress_printer(bool enabled) {
  if (!enabled) return {};
  const bool terminal = isatty(fileno(stderr)) != 0;
  return [terminal](std::size_t done, std::size_t total) {
    if (terminal) {
      const std::size_t width = 30;
      const std::size_t filled = total == 0 ? width : done * width / total;
      fmt::print(stderr, "\r[{}{}] {}/{} runs", std::string(filled, '#'), std::string(width - filled, '.'), done, total);
      if (done == total) fmt::print(stderr, "\n");
    } else if (total >= 10 && (done * 10 / total) != ((done - 1) * 10 / total)) {
      fmt::print(stderr, "{}/{} runs\n", done, total);
    }
  };
}

struct Executed {
  nlohmann::json scenarios = nlohmann::json::array();
};

void execute(const Scenario& scenario, const std::vector<scenario::ModeChoice>& modes, SeedSpan seeds,
             const ScenarioOptions& options, bool show_progress, Executed& executed) {
  run::BatchRequest request{&scenario, modes, seeds.first, seeds.last, std::max(1U, options.jobs)};
  const std::vector<run::RunReport> reports = run::run_batch(request, progress_printer(show_progress));
  const std::vector<run::ExpectationResult> expectations = run::evaluate_expectations(scenario, reports);
  executed.scenarios.push_back(
      reports::scenario_to_json(scenario, reports, expectations, options.sets, seeds.first, seeds.last));
}

int finish(const std::string& command, Executed& executed, const ScenarioOptions& options, bool judge_expectations) {
  const nlohmann::json results = reports::results_document(command, std::move(executed.scenarios));
  if (options.json) {
    fmt::print("{}\n", results.dump(2));
  } else {
    fmt::print("{}", reports::render_terminal_table(results));
  }
  const bool held = judge_expectations ? reports::all_expectations_held(results) : reports::all_guarantees_held(results);
  return held ? kExitHeld : kExitViolated;
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
               fmt::format("unknown mode \"{}\"; modes are at-most-once, at-least-once, exactly-once, as-configured",
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

int command_sweep(const ScenarioOptions& options) {
  InputErrors errors;
  const std::optional<Scenario> scenario = load(options.paths.front(), options.sets, errors);
  const std::optional<SeedSpan> seeds = parse_seeds(options.seeds, errors);
  if (!errors.empty()) return print_input_errors(errors);
  Executed executed;
  execute(*scenario, scenario->modes, *seeds, options, !options.json, executed);
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
  for (const Scenario& scenario : scenarios) {
    const SeedSpan seeds = override_seeds.value_or(SeedSpan{scenario.seeds.first, scenario.seeds.last});
    if (!options.json) fmt::print(stderr, "checking {} ({} modes x {} seeds)\n", scenario.name, scenario.modes.size(),
                                  seeds.last - seeds.first + 1);
    execute(scenario, scenario.modes, seeds, options, false, executed);
  }
  const nlohmann::json results = reports::results_document("check", std::move(executed.scenarios));
  if (options.json) {
    fmt::print("{}\n", results.dump(2));
  } else {
    fmt::print("{}", reports::render_terminal_table(results));
  }
  return reports::all_expectations_held(results) ? kExitHeld : kExitViolated;
}

int command_validate(const ScenarioOptions& options) {
  InputErrors errors;
  const std::vector<std::string> files = expand_paths(options.paths, errors);
  std::size_t valid = 0;
  for (const std::string& file : files) {
    if (load(file, options.sets, errors)) {
      ++valid;
      fmt::print("{}: valid\n", file);
    }
  }
  if (!errors.empty()) return print_input_errors(errors);
  fmt::print("{} scenario file{} valid\n", valid, valid == 1 ? "" : "s");
  return kExitHeld;
}

}  // namespace ksim::cli
