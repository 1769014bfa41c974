#pragma once
// The world a good scenario text describes for its first mode and `seed`, for tests: a
// load or build error fails the test with the loader's own message.
#include <cstdint>
#include <string>

#include <boost/test/unit_test.hpp>

#include "sim/scenario/scenario_loader.h"

namespace ksim::scenario::testing {

inline kafka::WorldConfig first_mode_world(const std::string& text, std::uint64_t seed = 1) {
  InputErrors errors;
  const auto scenario = load_scenario_text(text, "s.yaml", errors);
  BOOST_REQUIRE_MESSAGE(scenario.has_value(), errors.to_string());
  kafka::WorldConfig config = build_world_config(*scenario, scenario->modes.front(), seed, errors);
  BOOST_REQUIRE_MESSAGE(errors.empty(), errors.to_string());
  return config;
}

}  // namespace ksim::scenario::testing
