#pragma once
// --vary KEY=START..END:STEP[UNIT] for sweep: the flag parsed into the key and its values
// (run::VaryValue: the text passed to --set and its number).
#include <optional>
#include <string>
#include <vector>

#include "sim/run/vary_points.h"
#include "sim/scenario/input_error.h"

namespace ksim::cli {

struct VaryFlag {
  std::string key;
  std::vector<run::VaryValue> values;
};

// e.g. network.loss=0..0.05:0.01; at most 1000 points. STEP may carry the key's unit,
// which every point then gets (producers[0].rate=1000..20000:1000/s); START and END may
// repeat it.
std::optional<VaryFlag> parse_vary(const std::string& text, scenario::InputErrors& errors);

}  // namespace ksim::cli
