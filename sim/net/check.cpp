#include "sim/net/check.h"

#include <cmath>

#include <fmt/format.h>

namespace ksim::net {

std::string join_key(const std::string& key_path, const char* name) {
  return key_path.empty() ? std::string(name) : key_path + "." + name;
}

void check_probability(ConfigIssues& issues, const std::string& key_path, const char* name, double value) {
  // Written so NaN fails: every comparison with NaN is false.
  if (!(value >= 0.0 && value <= 1.0)) {
    issues.push_back({join_key(key_path, name), fmt::format("{} must be a probability in [0, 1], got {}", name, value)});
  }
}

void check_non_negative_ns(ConfigIssues& issues, const std::string& key_path, const char* name, TimeNs value) {
  if (value < 0) {
    issues.push_back({join_key(key_path, name), fmt::format("{} must be >= 0 ns, got {} ns", name, value)});
  }
}

void check_finite(ConfigIssues& issues, const std::string& key_path, const char* name, double value) {
  if (!std::isfinite(value)) {
    issues.push_back({join_key(key_path, name), fmt::format("{} must be a finite number, got {}", name, value)});
  }
}

}  // namespace ksim::net
