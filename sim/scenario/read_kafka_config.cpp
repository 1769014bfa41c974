#include <fmt/format.h>

#include "sim/scenario/read_world.h"

namespace ksim::scenario {

// config_file first, config over it: a user keeps the settings they run Kafka with in
// their .properties file and states in the scenario only what the scenario changes.
std::optional<MapReader> read_kafka_config(MapReader& owner) {
  std::optional<MapReader> config = owner.optional_map("config");
  if (!owner.has("config_file")) return config;
  const std::size_t errors_before = owner.context().errors().size();
  const std::string name = owner.required<std::string>("config_file");
  if (owner.context().errors().size() != errors_before) return config;  // not a string: reported
  PropertiesFiles* files = owner.context().properties_files();
  if (name.empty()) {
    owner.report("config_file", "names no file");
    return config;
  }
  if (files == nullptr) return config;  // a dry read (--set): the file's keys are not needed
  const std::string path = resolve_config_file(owner.context().file(), name);
  const std::vector<Property>* properties =
      files->get(path, [&](std::string problem) { owner.report("config_file", std::move(problem)); }, owner.context().errors());
  if (properties == nullptr) return config;
  if (!config) config = MapReader::empty(owner.key_path("config"), owner.location_of("config_file"), owner.context());
  config->add_properties(path, *properties);
  return config;
}

void read_kafka_ms(MapReader& config, std::string_view key, TimeNs& field_ns) {
  field_ns = config.optional<KafkaMilliseconds>(key, KafkaMilliseconds{field_ns}).ns;
}

}  // namespace ksim::scenario
