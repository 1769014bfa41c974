#include "sim/cli/scenario_files.h"

#include <algorithm>

namespace ksim::cli {

namespace fs = std::filesystem;

std::vector<std::string> scenario_files_relative(const fs::path& folder, std::error_code& error) {
  std::vector<std::string> found;
  fs::recursive_directory_iterator walk(folder, fs::directory_options::none, error);
  for (; !error && walk != fs::recursive_directory_iterator(); walk.increment(error)) {
    const fs::directory_entry& entry = *walk;
    const std::string extension = entry.path().extension().string();
    std::error_code kind_error;
    if ((extension == ".yaml" || extension == ".yml") && entry.is_regular_file(kind_error)) {
      found.push_back(entry.path().lexically_relative(folder).generic_string());
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::vector<std::string> scenario_files_under(const fs::path& folder, std::error_code& error) {
  std::vector<std::string> files = scenario_files_relative(folder, error);
  for (std::string& file : files) file = (folder / file).string();
  return files;
}

}  // namespace ksim::cli
