#include "sim/scenario/properties_files.h"

#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "sim/scenario/bounded_file.h"
#include "sim/scenario/yaml_loader.h"

namespace ksim::scenario {
namespace {

// The text of the file, or why it cannot be used. Only regular files are read: a FIFO or
// a device (/dev/stdin, /dev/zero) could block or never end.
BoundedRead read_properties_file(const std::string& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status)) return {std::nullopt, "no such file"};
  if (std::filesystem::is_directory(status)) return {std::nullopt, "is a folder, not a file"};
  if (!std::filesystem::is_regular_file(status)) return {std::nullopt, "is not a regular file"};
  // Bounded like scenario files.
  return read_bounded_file(path, LoadLimits{}.max_bytes, "properties files");
}

}  // namespace

const std::vector<Property>* PropertiesFiles::get(const std::string& path,
                                                  const std::function<void(std::string)>& report_unreadable,
                                                  InputErrors& errors) {
  auto found = files_.find(path);
  if (found == files_.end()) {
    BoundedRead read = read_properties_file(path);
    std::optional<std::vector<Property>> properties;
    if (!read.text) {
      report_unreadable(fmt::format("cannot read \"{}\": {}", path, read.problem));
    } else {
      const std::size_t errors_before = errors.size();
      properties = parse_properties(*read.text, path, errors);
      if (errors.size() != errors_before) properties.reset();
    }
    found = files_.emplace(path, std::move(properties)).first;
  }
  return found->second ? &*found->second : nullptr;
}

std::string resolve_config_file(const std::string& scenario_file, const std::string& config_file) {
  const std::filesystem::path file(config_file);
  if (file.is_absolute()) return file.lexically_normal().string();
  return (std::filesystem::path(scenario_file).parent_path() / file).lexically_normal().string();
}

}  // namespace ksim::scenario
