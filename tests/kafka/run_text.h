#pragma once
// Running a scenario text's first mode for one seed, and picking records of one kind out
// of its history: what the model's scenario tests share.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/kafka/world.h"
#include "tests/scenario/world_from_text.h"

namespace ksim::testing {

inline kafka::RunOutput run_text(const std::string& text, std::uint64_t seed) {
  kafka::World world(scenario::testing::first_mode_world(text, seed));
  return world.run();
}

inline std::vector<history::Record> records_of(const history::History& history, history::RecordKind kind) {
  std::vector<history::Record> out;
  for (const history::Record& record : history.records) {
    if (record.kind == kind) out.push_back(record);
  }
  return out;
}

}  // namespace ksim::testing
