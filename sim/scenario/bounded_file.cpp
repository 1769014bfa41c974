#include "sim/scenario/bounded_file.h"

#include <fstream>

#include <fmt/format.h>

namespace ksim::scenario {

std::string too_large_message(std::size_t size, std::size_t max_bytes, std::string_view kind) {
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  const std::string limit =
      max_bytes % kMiB == 0 ? fmt::format("{} MiB", max_bytes / kMiB) : fmt::format("{} bytes", max_bytes);
  return fmt::format("file is {} bytes; {} are limited to {}", size, kind, limit);
}

BoundedRead read_bounded_file(const std::string& path, std::size_t max_bytes, std::string_view kind) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {std::nullopt, "cannot open the file"};
  // Read at most one byte past the limit: enough to know the file is too large without
  // reading a huge one whole.
  std::string text(max_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (in.bad()) return {std::nullopt, "cannot read the file"};
  if (text.size() > max_bytes) {
    in.clear();
    in.seekg(0, std::ios::end);
    const auto end = in.tellg();  // -1 for a pipe: say what we read, which is already too much
    return {std::nullopt, too_large_message(end > 0 ? static_cast<std::size_t>(end) : text.size(), max_bytes, kind)};
  }
  return {std::move(text), ""};
}

}  // namespace ksim::scenario
