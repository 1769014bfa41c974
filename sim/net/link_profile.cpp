#include "sim/net/link_profile.h"

#include "sim/net/check.h"

#include <fmt/format.h>

namespace ksim::net {

ConfigIssues validate(const LinkProfile& profile, const std::string& key_path) {
  ConfigIssues issues = validate(profile.latency, join_key(key_path, "latency"));
  const ConfigIssues loss_issues = validate(profile.loss, join_key(key_path, "loss"));
  issues.insert(issues.end(), loss_issues.begin(), loss_issues.end());
  check_probability(issues, key_path, "duplicate_probability", profile.duplicate_probability);
  if (profile.max_retransmissions > 0 && profile.retransmission_timeout_ns <= 0) {
    issues.push_back(ConfigIssue{join_key(key_path, "retransmission_timeout_ns"),
                                 fmt::format("retransmission_timeout_ns must be > 0 when max_retransmissions is {}, got {}",
                                             profile.max_retransmissions, profile.retransmission_timeout_ns)});
  }
  return issues;
}

}  // namespace ksim::net
