#pragma once
// Small checks shared by the validators of sim/net. Each appends a ConfigIssue whose
// message names the parameter and the offending value, so a scenario author can find it
// without reading the code; nothing is clamped or fixed up silently.
#include <string>

#include "sim/core/config_issue.h"
#include "sim/core/sim_time.h"

namespace ksim::net {

// `value` must be a probability: a number in [0, 1] (NaN is rejected).
void check_probability(ConfigIssues& issues, const std::string& key_path, const char* name, double value);
// `value` must be a duration >= 0 ns.
void check_non_negative_ns(ConfigIssues& issues, const std::string& key_path, const char* name, TimeNs value);
// `value` must be finite (not NaN, not infinite).
void check_finite(ConfigIssues& issues, const std::string& key_path, const char* name, double value);

// "a.b" or just "b" when the prefix is empty.
std::string join_key(const std::string& key_path, const char* name);

}  // namespace ksim::net
