#include "sim/net/link_profile.h"

#include "sim/net/check.h"

namespace ksim::net {

ConfigIssues validate(const LinkProfile& profile, const std::string& key_path) {
  ConfigIssues issues = validate(profile.latency, join_key(key_path, "latency"));
  const ConfigIssues loss_issues = validate(profile.loss, join_key(key_path, "loss"));
  issues.insert(issues.end(), loss_issues.begin(), loss_issues.end());
  check_probability(issues, key_path, "duplicate_probability", profile.duplicate_probability);
  return issues;
}

}  // namespace ksim::net
