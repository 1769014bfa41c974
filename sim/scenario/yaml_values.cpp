#include "sim/scenario/yaml_values.h"

#include <utility>

#include <fmt/format.h>

#include "sim/scenario/quote.h"

namespace ksim::scenario {

Parsed<bool> ValueTraits<bool>::parse(std::string_view text) {
  if (text == "true") return true;
  if (text == "false") return false;
  return Parsed<bool>::failure(fmt::format("expected true or false, got {}", quote(text)));
}

std::string ValueTraits<double>::format(double value) { return fmt::format("{}", value); }

Parsed<Duration> ValueTraits<Duration>::parse(std::string_view text) {
  const auto parsed = parse_duration(text, Negative::rejected);
  if (!parsed) return Parsed<Duration>::failure(parsed.error());
  return Duration{parsed.value()};
}

// In the largest unit that divides it exactly, as a user would write it: "1m", "250ms".
Parsed<KafkaMilliseconds> ValueTraits<KafkaMilliseconds>::parse(std::string_view text) {
  const auto integer = parse_int64(text);
  if (integer) {
    constexpr std::int64_t kMaxMilliseconds = kTimeNeverNs / kNanosecondsPerMillisecond;
    if (integer.value() < 0 || integer.value() > kMaxMilliseconds) {
      return Parsed<KafkaMilliseconds>::failure(
          fmt::format("expected milliseconds between 0 and {}, got {}", kMaxMilliseconds, quote(text)));
    }
    return KafkaMilliseconds{integer.value() * kNanosecondsPerMillisecond};
  }
  const auto duration = parse_duration(text);
  if (!duration) return Parsed<KafkaMilliseconds>::failure(duration.error());
  return KafkaMilliseconds{duration.value()};
}

std::string ValueTraits<Duration>::format(Duration value) {
  static constexpr std::pair<TimeNs, const char*> kUnits[] = {{60 * 60 * kNanosecondsPerSecond, "h"},
                                                              {60 * kNanosecondsPerSecond, "m"},
                                                              {kNanosecondsPerSecond, "s"},
                                                              {kNanosecondsPerMillisecond, "ms"},
                                                              {kNanosecondsPerMicrosecond, "us"}};
  for (const auto& [size, name] : kUnits) {
    if (value.ns != 0 && value.ns % size == 0) return fmt::format("{}{}", value.ns / size, name);
  }
  return fmt::format("{}ns", value.ns);
}

std::string ValueTraits<Rate>::format(const Rate& value) {
  if (value.unlimited) return "unlimited";
  return fmt::format("{}/s", value.per_second());
}

Parsed<ByteSize> ValueTraits<ByteSize>::parse(std::string_view text) {
  const auto parsed = parse_size(text);
  if (!parsed) return Parsed<ByteSize>::failure(parsed.error());
  return ByteSize{parsed.value()};
}

Parsed<Probability> ValueTraits<Probability>::parse(std::string_view text) {
  const auto parsed = parse_probability(text);
  if (!parsed) return Parsed<Probability>::failure(parsed.error());
  return Probability{parsed.value()};
}

std::string ValueTraits<Probability>::format(Probability value) { return fmt::format("{}", value.value); }

std::string ValueTraits<SeedRange>::format(const SeedRange& value) {
  if (value.first == value.last) return std::to_string(value.first);
  return fmt::format("{}..{}", value.first, value.last);
}

}  // namespace ksim::scenario
