#include "sim/shrink/shrink.h"

#include <algorithm>

#include <fmt/format.h>

#include "sim/check/counter_names.h"
#include "sim/core/assert.h"
#include "sim/scenario/scenario_loader.h"
#include "sim/shrink/passes.h"
#include "sim/shrink/scenario_tree.h"

namespace ksim::shrink {

namespace {

std::optional<scenario::ModeChoice> parse_mode(const std::string& name) {
  if (name == "as-configured") return scenario::ModeChoice{};
  if (const auto mode = kafka::parse_delivery_mode(name)) return scenario::ModeChoice{*mode};
  return std::nullopt;
}

// The modes to try, in order: the one asked for, else the file's.
std::vector<scenario::ModeChoice> modes_to_try(const scenario::Scenario& loaded, const ShrinkRequest& request,
                                               scenario::InputErrors& errors) {
  if (request.mode.empty()) return loaded.modes;
  const std::optional<scenario::ModeChoice> mode = parse_mode(request.mode);
  if (!mode) {
    errors.add("", {}, "--mode",
               fmt::format("unknown mode \"{}\"; modes are at-most-once, at-least-once, exactly-once, "
                           "exactly-once-transactions, as-configured",
                           request.mode));
    return {};
  }
  // A mode named on the command line may contradict the file's explicit settings.
  (void)scenario::build_world_config(loaded, *mode, request.seed, errors);
  return {*mode};
}

void check_counter(const std::string& counter, scenario::InputErrors& errors) {
  const std::vector<std::string>& names = check::counter_names();
  if (counter.empty() || std::find(names.begin(), names.end(), counter) != names.end()) return;
  errors.add("", {}, "--counter",
             fmt::format("unknown counter \"{}\"; counters are those of `expect` (scenarios/README.md), e.g. lost, "
                         "duplicated, kafka_promises_broken",
                         counter));
}

// The tree the search starts from: narrowed to the run, its nemesis made explicit when
// the explicit faults fail the same way (the same faults, but for client power failures
// written as crashes). Otherwise the nemesis stays, and draws again as nodes go.
YAML::Node starting_tree(const ShrinkRequest& request, const scenario::Scenario& loaded, const scenario::ModeChoice& mode,
                         const Violation& target, ShrinkResult& result) {
  YAML::Node focused = YAML::Clone(request.root);
  focus_on_run(focused, mode.name(), request.seed);
  // The original's description speaks of what the shrink removed; this one says what is left.
  focused["description"] = fmt::format("Shrunk by ksim shrink from {} (seed {}, mode {}): {}.", request.file,
                                       request.seed, mode.name(), target.describe());
  if (!focused["nemesis"]) return focused;
  YAML::Node explicit_faults = YAML::Clone(focused);
  const Materialized materialized = materialize_nemesis(explicit_faults, loaded, mode, request.seed);
  const std::optional<scenario::Scenario> reloaded = load_tree(explicit_faults, request.file);
  if (reloaded && same_violation(target, judge_run(*reloaded, mode, request.seed).violations)) {
    result.nemesis_faults = materialized.drawn;
    result.client_power_failures = materialized.client_power_failures;
    return explicit_faults;
  }
  result.nemesis_kept = true;
  return focused;
}

void search_to_fixpoint(Search& search) {
  using Pass = bool (*)(Search&);
  const Pass passes[] = {remove_faults,   shorten_fault_durations, cut_time_slices, move_fault_times,
                         simplify_fault_shapes, reduce_workload,   reduce_nodes,    reset_config};
  bool progress = true;
  while (progress && !search.stopped()) {
    progress = false;
    for (const Pass pass : passes) progress = pass(search) || progress;
  }
}

}  // namespace

std::optional<ShrinkResult> shrink_run(const ShrinkRequest& request, scenario::InputErrors& errors) {
  std::optional<scenario::Scenario> loaded = scenario::load_scenario_node(request.root, request.file, errors);
  check_counter(request.counter, errors);
  const std::vector<scenario::ModeChoice> modes = loaded ? modes_to_try(*loaded, request, errors)
                                                         : std::vector<scenario::ModeChoice>{};
  if (!errors.empty()) return std::nullopt;
  ShrinkResult result;
  for (const scenario::ModeChoice& mode : modes) {
    const Judged judged = judge_run(*loaded, mode, request.seed);
    result.violation = pick_violation(judged.violations, request.counter);
    result.mode = mode.name();
    result.before = sizes_of(*loaded, mode, request.seed, judged.events);
    if (!result.violation) continue;
    result.failing = true;
    YAML::Node start = starting_tree(request, *loaded, mode, *result.violation, result);
    const std::optional<scenario::Scenario> started = load_tree(start, request.file);
    KSIM_ASSERT(started.has_value(), "the shrink's starting scenario for {} does not load", request.file);
    Judged start_judged = judge_run(*started, mode, request.seed);
    // The file narrowed to the run, written out and read back, is the same run.
    KSIM_ASSERT(same_violation(*result.violation, start_judged.violations),
                "{} seed {} narrowed to mode {} no longer fails the same way", request.file, request.seed, mode.name());
    Search search(start, std::move(start_judged), *result.violation, mode, request.seed, request.file, request.budget);
    search_to_fixpoint(search);
    result.tree = YAML::Clone(search.current());
    result.after = sizes_of(*load_tree(result.tree, request.file), mode, request.seed, search.judged().events);
    for (const Violation& found : search.judged().violations) {
      if (!result.shrunk_violation && same_violation(*result.violation, {found})) result.shrunk_violation = found;
    }
    result.steps = search.steps();
    result.candidates = search.candidates();
    result.budget_spent = search.budget_hit();
    return result;
  }
  return result;
}

}  // namespace ksim::shrink
