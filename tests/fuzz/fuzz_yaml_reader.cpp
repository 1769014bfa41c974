// libFuzzer target: any bytes must load and read without crashing, hanging or tripping a
// sanitizer; bad input may only ever become InputErrors.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/scenario/yaml_loader.h"
#include "sim/scenario/yaml_reader.h"

using namespace ksim::scenario;

namespace {

// Reads a map the way a schema would: a few known keys of every type, every child map
// and sequence recursively (the loader has bounded depth and node count), then finish().
void walk(MapReader& map, int depth) {
  map.optional<bool>("enable.idempotence", false);
  map.optional<std::int64_t>("retries", 0, Range<std::int64_t>{0, 100});
  map.optional<std::uint64_t>("partitions", 1);
  map.optional<double>("ratio", 0.0);
  map.optional<Duration>("linger", Duration{});
  map.optional<Rate>("rate", Rate{});
  map.optional<ByteSize>("batch.size", ByteSize{});
  map.optional<Probability>("loss", Probability{});
  map.optional<SeedRange>("seeds", SeedRange{});
  map.optional<Bound>("lost", Bound{});
  map.optional_enum("acks", {"0", "1", "all", "-1"}, "all");
  for (const std::string& key : map.keys()) {
    if (depth > 8) break;
    if (const auto child = map.optional_map(key); child && depth < 8) {
      MapReader reader = *child;
      walk(reader, depth + 1);
    }
  }
  map.finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  InputErrors errors;
  const auto root = load_yaml(text, "fuzz.yaml", errors);
  if (root) {
    ReadContext context("fuzz.yaml", errors);
    MapReader top(*root, "", context);
    walk(top, 0);
    if (auto list = top.optional_sequence("producers")) {
      for (std::size_t i = 0; i < list->size(); ++i) {
        MapReader element = list->map(i);
        walk(element, 1);
      }
    }
  }
  (void)errors.to_string();
  return 0;
}
