// libFuzzer target for the Kafka .properties reader: any bytes must parse into properties
// or errors without crashing, hanging or tripping a sanitizer, every property placed at a
// real line and column.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sim/scenario/properties_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ksim::scenario::InputErrors errors;
  for (const ksim::scenario::Property& property : ksim::scenario::parse_properties(text, "fuzz.properties", errors)) {
    if (!property.key_at.known() || !property.value_at.known()) std::abort();
  }
  (void)errors.to_string();
  return 0;
}
