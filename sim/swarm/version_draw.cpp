#include "sim/swarm/version_draw.h"

#include <utility>

#include <fmt/format.h>

#include "sim/random/random_stream.h"
#include "sim/scenario/scenario_loader.h"
#include "sim/shrink/scenario_tree.h"

namespace ksim::swarm {

std::vector<std::string> version_order(const std::vector<std::string>& versions, std::uint64_t run) {
  std::vector<std::string> order = versions;
  RandomStream stream(run, "swarm.kafka.version");
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[stream.uniform_below(i)]);
  return order;
}

namespace {

void record_version(Variant& variant, const std::string& version) {
  variant.dimensions.emplace_back("kafka.version", version);
  std::string description = variant.tree["description"] ? variant.tree["description"].as<std::string>() : "";
  if (!description.empty() && description.back() == '.') description.pop_back();
  variant.tree["description"] = fmt::format("{}, kafka.version={}.", description, version);
}

}  // namespace

std::optional<scenario::Scenario> load_variant(Variant& variant, const std::string& file,
                                               const std::vector<std::string>& versions, std::string& text,
                                               scenario::InputErrors& errors) {
  if (versions.empty()) {
    text = shrink::emit_yaml(variant.tree);
    return scenario::load_scenario_text(text, file, errors);
  }
  scenario::InputErrors last;
  for (const std::string& version : version_order(versions, variant.run)) {
    variant.tree["cluster"]["kafka.version"] = version;
    text = shrink::emit_yaml(variant.tree);
    last = scenario::InputErrors{};
    if (std::optional<scenario::Scenario> loaded = scenario::load_scenario_text(text, file, last)) {
      record_version(variant, version);
      text = shrink::emit_yaml(variant.tree);
      return loaded;
    }
  }
  for (const scenario::InputError& error : last.all()) errors.add(error);
  return std::nullopt;
}

}  // namespace ksim::swarm
