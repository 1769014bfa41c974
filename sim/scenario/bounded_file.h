#pragma once
// Reading a file a user names (a scenario, a Kafka .properties file) whole, but never
// more than a bound: a huge file is refused after reading one byte past the bound, not
// read into memory.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ksim::scenario {

struct BoundedRead {
  std::optional<std::string> text;  // the whole file, or nothing and
  std::string problem;              // why: "cannot open the file", "file is N bytes; ..."
};

// `kind` names the files in the message about the bound ("scenario files").
BoundedRead read_bounded_file(const std::string& path, std::size_t max_bytes, std::string_view kind);

// "file is 2097158 bytes; scenario files are limited to 1 MiB".
std::string too_large_message(std::size_t size, std::size_t max_bytes, std::string_view kind);

}  // namespace ksim::scenario
