#include "sim/scenario/scenario_loader.h"

#include <algorithm>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "sim/check/counter_names.h"
#include "sim/check/outcome.h"
#include "sim/kafka/config/topic_layout.h"
#include "sim/kafka/faults/nemesis.h"
#include "sim/scenario/did_you_mean.h"
#include "sim/scenario/read_world.h"
#include "sim/scenario/yaml_loader.h"

namespace ksim::scenario {

namespace {

// Keys of the top level that read_world reads; the loader reads the rest.
const std::vector<std::string> kWorldKeys{"duration", "drain", "limits", "cluster", "producers",
                                          "consumers", "network", "faults"};

std::vector<std::string> mode_names() {
  std::vector<std::string> names;
  for (const kafka::DeliveryMode mode : kafka::all_delivery_modes()) names.emplace_back(kafka::to_string(mode));
  names.emplace_back("as-configured");
  return names;
}

std::string suggestion_suffix(std::string_view word, const std::vector<std::string>& candidates) {
  const auto suggestion = did_you_mean(word, candidates);
  return suggestion ? fmt::format("; did you mean \"{}\"?", *suggestion) : std::string();
}

ModeChoice parse_mode(const std::string& name) { return ModeChoice{kafka::parse_delivery_mode(name)}; }

std::vector<ModeChoice> read_modes(MapReader& top) {
  std::vector<ModeChoice> modes;
  auto list = top.optional_sequence("modes");
  if (!list) {
    for (const kafka::DeliveryMode mode : kafka::all_delivery_modes()) modes.push_back(ModeChoice{mode});
    return modes;
  }
  const std::vector<std::string> allowed = mode_names();
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string name = list->get<std::string>(i);
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      list->report(i, fmt::format("unknown mode \"{}\"; modes are at-most-once, at-least-once, exactly-once, "
                                  "exactly-once-transactions, as-configured{}",
                                  name, suggestion_suffix(name, allowed)));
      continue;
    }
    const bool repeated = std::any_of(modes.begin(), modes.end(), [&](const ModeChoice& m) { return m.name() == name; });
    if (repeated) {
      list->report(i, fmt::format("mode \"{}\" is listed twice", name));
      continue;
    }
    modes.push_back(parse_mode(name));
  }
  if (list->size() == 0) top.report("modes", "name at least one mode");
  return modes;
}

// Several topics (issue 15 item 5): "orders.lost" bounds topic orders' lost counter; the
// topic is named up to the last dot (a topic name may hold dots). Empty when `counter` is
// no such name; otherwise "" if valid, or what is wrong with it.
std::optional<std::string> topic_counter_problem(const std::string& counter, const kafka::ClusterConfig& cluster) {
  const std::size_t dot = counter.rfind('.');
  if (dot == std::string::npos) return std::nullopt;
  const std::string_view name = std::string_view(counter).substr(dot + 1);
  const auto& names = check::kTopicCounterNames;
  if (std::find(names.begin(), names.end(), name) == names.end()) return std::nullopt;
  const std::string topic = counter.substr(0, dot);
  if (cluster.topics.size() < 2) {
    return fmt::format("per-topic counters need several topics; with one, bound \"{}\" itself", name);
  }
  if (!kafka::topic_index(cluster, topic)) return fmt::format("no topic \"{}\" in cluster.topics", topic);
  return std::string();
}

// Pipelines (issue 15 item 6): "end_to_end.duplicated" bounds a pipeline stage's counter
// (check::kPipelineStageNames). Empty when `counter` is no such name; otherwise "" if
// valid, or what is wrong with it.
std::optional<std::string> pipeline_counter_problem(const std::string& counter,
                                                    const std::vector<kafka::ConsumerGroupConfig>& groups) {
  const std::size_t dot = counter.find('.');
  if (dot == std::string::npos) return std::nullopt;
  const std::string_view stage = std::string_view(counter).substr(0, dot);
  const std::string_view name = std::string_view(counter).substr(dot + 1);
  const auto& stages = check::kPipelineStageNames;
  if (std::find(stages.begin(), stages.end(), stage) == stages.end()) return std::nullopt;
  const auto& names = check::kPipelineCounterNames;
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    return fmt::format("unknown pipeline counter \"{}\" (delivered, lost, duplicated, reordered)", name);
  }
  const bool processor = std::any_of(groups.begin(), groups.end(),
                                     [](const kafka::ConsumerGroupConfig& group) { return group.output.enabled(); });
  if (!processor) return std::string("pipeline counters need a consumer group with output: (a processor)");
  return std::string();
}

void read_expectations(MapReader& top, const std::vector<ModeChoice>& modes, const kafka::WorldConfig& world,
                       std::vector<Expectation>& out) {
  const kafka::ClusterConfig& cluster = world.cluster;
  auto expect = top.optional_map("expect");
  if (!expect) return;
  std::vector<std::string> run_modes;
  for (const ModeChoice& mode : modes) run_modes.push_back(mode.name());
  const std::vector<std::string>& counters = check::counter_names();
  for (const std::string& mode : expect->keys()) {
    if (std::find(run_modes.begin(), run_modes.end(), mode) == run_modes.end()) {
      expect->report(mode, fmt::format("expectations for mode \"{}\", which this scenario does not run{}", mode,
                                       suggestion_suffix(mode, run_modes)));
      expect->skip(mode);
      continue;
    }
    MapReader bounds = expect->map(mode);
    for (const std::string& counter : bounds.keys()) {
      std::optional<std::string> topic_problem = pipeline_counter_problem(counter, world.consumer_groups);
      if (!topic_problem) topic_problem = topic_counter_problem(counter, cluster);
      if (topic_problem && !topic_problem->empty()) {
        bounds.report(counter, *topic_problem);
        bounds.skip(counter);
        continue;
      }
      if (!topic_problem && std::find(counters.begin(), counters.end(), counter) == counters.end()) {
        bounds.report(counter, fmt::format("unknown counter \"{}\"{}", counter, suggestion_suffix(counter, counters)));
        bounds.skip(counter);
        continue;
      }
      Expectation expectation;
      expectation.mode = mode;
      expectation.counter = counter;
      expectation.line = static_cast<int>(bounds.location().line);
      if (bounds.is_map(counter)) {
        // The long form: {bound: "> 0", in: some-seed}
        MapReader detail = bounds.map(counter);
        expectation.bound = detail.required<Bound>("bound");
        expectation.quantifier = detail.optional_enum("in", {"every-seed", "some-seed"}, "every-seed") == "some-seed"
                                     ? Quantifier::some_seed
                                     : Quantifier::every_seed;
        detail.finish();
      } else {
        expectation.bound = bounds.required<Bound>(counter);  // the short form: `lost: 0`
      }
      out.push_back(expectation);
    }
    bounds.finish();
  }
  expect->finish();
}

}  // namespace

std::string ModeChoice::name() const { return mode ? std::string(kafka::to_string(*mode)) : "as-configured"; }

namespace {

// Reads and validates the tree of `top` into `scenario`.
void read_scenario(MapReader& top, Scenario& scenario) {
  const std::int64_t version = top.required<std::int64_t>("version");
  if (top.has("version") && version != kScenarioVersion) {
    top.report("version", fmt::format("this ksim reads scenario version {}, the file says {}", kScenarioVersion, version));
  }
  scenario.name = top.required<std::string>("name");
  scenario.description = top.optional<std::string>("description", "");
  scenario.seed = top.optional<std::uint64_t>("seed", 1);
  scenario.seeds = top.optional<SeedRange>("seeds", SeedRange{scenario.seed, scenario.seed});
  scenario.modes = read_modes(top);
  // Validate the world as the first mode sees it; the other modes only add what their
  // presets make contradictory. Before the expectations, which may name its topics.
  const ModeChoice first = scenario.modes.empty() ? ModeChoice{} : scenario.modes.front();
  const kafka::WorldConfig world = read_world(top, first);
  read_expectations(top, scenario.modes, world, scenario.expectations);
  // The ranges `ksim swarm` draws its variants from (sim/swarm/ranges.h reads and
  // validates them); a plain run of the base file ignores them.
  top.skip("swarm");
  top.finish();
}

std::optional<Scenario> load_from_node(const YAML::Node& root, const std::string& file, InputErrors& errors) {
  const std::size_t errors_before = errors.size();
  Scenario scenario;
  scenario.file = file;
  scenario.root = root;
  {
    ReadContext context(file, errors, &scenario.properties_files);
    MapReader top(root, "", context);
    read_scenario(top, scenario);
  }
  for (std::size_t m = 1; m < scenario.modes.size(); ++m) build_world_config(scenario, scenario.modes[m], 0, errors);
  if (errors.size() > errors_before) return std::nullopt;
  return scenario;
}

}  // namespace

std::optional<Scenario> load_scenario_text(std::string_view text, const std::string& file, InputErrors& errors) {
  std::optional<YAML::Node> root = load_yaml(text, file, errors);
  if (!root) return std::nullopt;
  return load_from_node(*root, file, errors);
}

std::optional<Scenario> load_scenario_node(const YAML::Node& root, const std::string& file, InputErrors& errors) {
  return load_from_node(root, file, errors);
}

std::optional<Scenario> load_scenario_file(const std::string& path, InputErrors& errors) {
  std::optional<YAML::Node> root = load_yaml_file(path, errors);
  if (!root) return std::nullopt;
  return load_from_node(*root, path, errors);
}

kafka::WorldConfig build_world_config(const Scenario& scenario, const ModeChoice& mode, std::uint64_t seed,
                                      InputErrors& errors) {
  return kafka::with_seed(build_mode_config(scenario, mode, errors), seed);
}

KnownKeys known_keys(const YAML::Node& root) {
  InputErrors ignored;
  KnownKeys keys;
  ReadContext context("", ignored, nullptr, &keys);
  MapReader top(root, "", context);
  Scenario scenario;
  read_scenario(top, scenario);
  return keys;
}

void record_schema(const YAML::Node& root, SchemaRecording& recording) {
  InputErrors ignored;  // an exploration document need not be a valid scenario
  ReadContext context("", ignored);
  context.record_schema(&recording);
  MapReader top(root, "", context);
  Scenario scenario;
  read_scenario(top, scenario);
}

kafka::WorldConfig build_mode_config(const Scenario& scenario, const ModeChoice& mode, InputErrors& errors) {
  InputErrors mode_errors;
  // Every file was read at load time: a copy of what was read, so nothing is read again.
  PropertiesFiles properties_files = scenario.properties_files;
  ReadContext context(scenario.file, mode_errors, &properties_files);
  // The tree itself, not a clone: a clone loses the line and column of every node.
  MapReader top(scenario.root, "", context);
  kafka::WorldConfig config = read_world(top, mode);
  // Only what this mode adds: errors every mode shares were reported at load time.
  std::set<std::string> known;
  for (const InputError& error : errors.all()) known.insert(error.to_string());
  for (InputError error : mode_errors.all()) {
    if (known.count(error.to_string())) continue;
    error.message += fmt::format(" (with the {} preset)", mode.name());
    if (!known.count(error.to_string())) errors.add(error);
  }
  return config;
}

}  // namespace ksim::scenario
