// libFuzzer target for the scenario loader: any bytes must load, validate and (when
// valid) build a world configuration for every mode without crashing, hanging or
// tripping a sanitizer; bad input may only ever become InputErrors.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sim/scenario/scenario_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ksim::scenario::InputErrors errors;
  const auto scenario = ksim::scenario::load_scenario_text(text, "fuzz.yaml", errors);
  if (scenario) {
    for (const ksim::scenario::ModeChoice& mode : scenario->modes) {
      (void)ksim::scenario::build_world_config(*scenario, mode, 1, errors);
    }
  }
  (void)errors.to_string();
  return 0;
}
