// Reading is strict: every field is known, every operation pairs with its invoke, times do
// not go back, and the file ends with its end line. The first problem stops the read, so a
// cut or damaged history is refused rather than judged on what was read of it.
#include "reports/client_history_reader.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "reports/client_history_line.h"
#include "reports/client_history_ops.h"

namespace ksim::reports {

std::string ClientHistoryError::to_string(const std::string& file) const {
  std::string where = line == 0 ? file : fmt::format("{}:{}", file, line);
  return field.empty() ? fmt::format("{}: {}", where, message) : fmt::format("{}: {}: {}", where, field, message);
}

namespace {

// Control characters other than tab or a carriage return mark a file that is not text.
std::optional<std::size_t> binary_byte(const std::string& line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    if (c < 0x20 && c != '\t' && c != '\r') return i;
  }
  return std::nullopt;
}

void reject_binary(const std::string& line) {
  if (const auto at = binary_byte(line)) {
    throw BadLine{"", fmt::format("binary data (byte 0x{:02x} at column {}): not a JSON Lines history",
                                  static_cast<unsigned char>(line[*at]), *at + 1)};
  }
}

nlohmann::json parse_header(const std::string& line) {
  try {
    nlohmann::json value = nlohmann::json::parse(line);
    if (!value.is_object()) throw BadLine{"", "expected a JSON object on every line"};
    return value;
  } catch (const nlohmann::json::parse_error& error) {
    throw BadLine{"", fmt::format("not valid JSON (column {}): a truncated or damaged line", error.byte)};
  }
}

}  // namespace

void check_line_bounds(const std::string& line, std::size_t number, std::uint64_t& bytes,
                       const ClientHistoryLimits& limits) {
  bytes += line.size() + 1;
  if (bytes > limits.max_bytes) throw BadLine{"", fmt::format("over the size bound of {} bytes", limits.max_bytes)};
  if (number > limits.max_lines) throw BadLine{"", fmt::format("over the bound of {} lines", limits.max_lines)};
  if (line.size() > limits.max_line_bytes) {
    throw BadLine{"", fmt::format("line longer than the bound of {} bytes", limits.max_line_bytes)};
  }
}

ClientHistoryRead read_client_history(std::istream& in, const ClientHistoryLimits& limits) {
  ClientHistoryRead result;
  OpReader reader;
  FlatLine flat;  // reused: its buffers keep their capacity from line to line
  std::string line;
  std::size_t number = 0;
  std::uint64_t bytes = 0;
  bool ended = false;
  try {
    while (std::getline(in, line)) {
      check_line_bounds(line, ++number, bytes, limits);
      if (in.eof()) throw BadLine{"", "truncated: the last line has no end of line"};
      if (ended) throw BadLine{"", "a line after the end line"};
      reject_binary(line);
      if (number == 1) {
        reader.header(parse_header(line));
      } else {
        if (!scan_flat_line(line, flat)) flatten_with_json(line, flat);  // the plain lines fast, the rest exactly
        ended = reader.line(flat);
      }
    }
    if (number == 0) {
      number = 1;
      throw BadLine{"", "empty file: expected the header line"};
    }
    if (!ended) {
      ++number;
      throw BadLine{"", "truncated: the file ends without its end line {\"end\":true,...}"};
    }
  } catch (const BadLine& bad) {
    result.error = ClientHistoryError{number, bad.field, bad.message};
    return result;
  }
  result.operations = reader.operations();
  result.has_apply = reader.has_apply();
  result.history = reader.finish();
  return result;
}

std::optional<ClientHistoryError> open_history_file(const std::string& path, std::ifstream& in,
                                                    const ClientHistoryLimits& limits) {
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  in.open(path, std::ios::binary);
  if (error || !in) return ClientHistoryError{0, "", "cannot open the file"};
  if (size > limits.max_bytes) {
    return ClientHistoryError{0, "", fmt::format("{} bytes, over the size bound of {} bytes", size, limits.max_bytes)};
  }
  return std::nullopt;
}

ClientHistoryRead read_client_history_file(const std::string& path, const ClientHistoryLimits& limits) {
  std::ifstream in;
  if (auto error = open_history_file(path, in, limits)) return failed_read(std::move(*error));
  return read_client_history(in, limits);
}

}  // namespace ksim::reports
