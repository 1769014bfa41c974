#include <fmt/format.h>

#include "sim/scenario/scenario_loader.h"
#include "sim/shrink/scenario_tree.h"
#include "sim/shrink/shrink.h"

namespace ksim::shrink {

Sizes sizes_of(const scenario::Scenario& loaded, const scenario::ModeChoice& mode, std::uint64_t seed,
               std::uint64_t events) {
  scenario::InputErrors errors;
  const kafka::WorldConfig config = scenario::build_world_config(loaded, mode, seed, errors);
  Sizes sizes;
  sizes.faults = config.faults.size();
  sizes.nodes = config.cluster.brokers;
  for (const kafka::ProducerWorkload& producer : config.producers) {
    sizes.messages += producer.count * producer.messages;
    sizes.nodes += producer.count;
  }
  for (const kafka::ConsumerGroupConfig& group : config.consumer_groups) sizes.nodes += group.members;
  sizes.events = events;
  return sizes;
}

std::string sizes_text(const Sizes& sizes) {
  return fmt::format("{} fault{}, {} message{}, {} nodes, {} events", sizes.faults, sizes.faults == 1 ? "" : "s",
                     sizes.messages, sizes.messages == 1 ? "" : "s", sizes.nodes, sizes.events);
}

namespace {

std::string sets_text(const std::vector<std::string>& sets) {
  std::string text;
  for (const std::string& set : sets) text += fmt::format(" --set '{}'", set);
  return text;
}

}  // namespace

std::string replay_command(const std::string& out_path, std::uint64_t seed, const std::string& mode) {
  return fmt::format("ksim run {} --seed {} --mode {}", out_path, seed, mode);
}

std::string shrunk_file_text(const ShrinkRequest& request, const ShrinkResult& result, const std::string& out_path) {
  std::string text = "# Shrunk by `ksim shrink`: the smallest scenario it found that fails the same way.\n";
  text += fmt::format("# Reproduces, mode {} seed {}: {}\n", result.mode, request.seed, result.shrunk_violation->describe());
  text += fmt::format("#   (the original run: {} {})\n", result.violation->counter, result.violation->observed);
  text += fmt::format("# From: {} --seed {} --mode {}{}\n", request.file, request.seed, result.mode, sets_text(request.sets));
  if (result.nemesis_faults > 0) {
    text += fmt::format("# The file's nemesis drew {} faults for this seed; they are written out as `faults`{}.\n",
                        result.nemesis_faults,
                        result.client_power_failures == 0
                            ? ""
                            : fmt::format(" ({} power failure{} of clients as crashes)", result.client_power_failures,
                                          result.client_power_failures == 1 ? "" : "s"));
  }
  if (result.nemesis_kept) {
    text += "# The nemesis stays: its faults written out did not fail the same way (client power failures as crashes).\n";
  }
  text += fmt::format("# Before: {}.\n# After:  {} ({} candidate runs).\n", sizes_text(result.before),
                      sizes_text(result.after), result.candidates);
  if (result.budget_spent) {
    text += "# The search stopped at its budget: a larger budget may give a smaller scenario.\n";
  }
  text += fmt::format("# Replay: {}\n", replay_command(out_path, request.seed, result.mode));
  return text + emit_yaml(result.tree);
}

}  // namespace ksim::shrink
