#pragma once
// The types a MapReader can read from a scalar, and how each is parsed from text. Types
// with a unit get a small wrapper so that, e.g., a duration and an integer count of
// nanoseconds (both int64) are different requests.
//
// Decisions, the same for every type:
//   - Only the text counts, quoted or not: `acks: "1"` and `acks: 1` are alike, as in
//     Kafka's own properties files, where every value is a string.
//   - bool is exactly `true` or `false`: YAML 1.1's yes/no/on/off/y/n (and True, TRUE)
//     are refused, so `enable.idempotence: no` is an error rather than a guess.
//   - Numbers are decimal; hex, octal, '_' separators, NaN and infinities are refused.
//   - A duration read by the reader is never negative (Negative::rejected).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/core/sim_time.h"
#include "sim/scenario/units.h"

namespace ksim::scenario {

struct Duration {
  TimeNs ns = 0;
  auto operator<=>(const Duration&) const = default;
};
// A Kafka ".ms" config: a bare integer is milliseconds, as in Kafka's own properties
// ("30000"); a duration with a unit ("30s") is accepted too.
struct KafkaMilliseconds {
  TimeNs ns = 0;
  auto operator<=>(const KafkaMilliseconds&) const = default;
};
struct ByteSize {
  std::uint64_t bytes = 0;
  auto operator<=>(const ByteSize&) const = default;
};
struct Probability {
  double value = 0;
  auto operator<=>(const Probability&) const = default;
};

// ValueTraits<T>::parse(text) reads a T; format(value) writes it back for range messages;
// noun names it in "expected <noun>, got a map".
template <class T>
struct ValueTraits;

template <>
struct ValueTraits<bool> {
  static constexpr std::string_view noun = "true or false";
  static Parsed<bool> parse(std::string_view text);
  static std::string format(bool value) { return value ? "true" : "false"; }
};
template <>
struct ValueTraits<std::int64_t> {
  static constexpr std::string_view noun = "an integer";
  static Parsed<std::int64_t> parse(std::string_view text) { return parse_int64(text); }
  static std::string format(std::int64_t value) { return std::to_string(value); }
};
template <>
struct ValueTraits<std::uint64_t> {
  static constexpr std::string_view noun = "a non-negative integer";
  static Parsed<std::uint64_t> parse(std::string_view text) { return parse_uint64(text); }
  static std::string format(std::uint64_t value) { return std::to_string(value); }
};
template <>
struct ValueTraits<double> {
  static constexpr std::string_view noun = "a number";
  static Parsed<double> parse(std::string_view text) { return parse_double(text); }
  static std::string format(double value);
};
template <>
struct ValueTraits<std::string> {
  static constexpr std::string_view noun = "a string";
  static Parsed<std::string> parse(std::string_view text) { return std::string(text); }
  static std::string format(const std::string& value) { return value; }
};
template <>
struct ValueTraits<Duration> {
  static constexpr std::string_view noun = "a duration such as 250ms";
  static Parsed<Duration> parse(std::string_view text);
  static std::string format(Duration value);
};
template <>
struct ValueTraits<KafkaMilliseconds> {
  static constexpr std::string_view noun = "milliseconds or a duration such as 30s";
  static Parsed<KafkaMilliseconds> parse(std::string_view text);
  static std::string format(KafkaMilliseconds value) { return ValueTraits<Duration>::format(Duration{value.ns}); }
};
template <>
struct ValueTraits<Rate> {
  static constexpr std::string_view noun = "a rate such as 1000/s";
  static Parsed<Rate> parse(std::string_view text) { return parse_rate(text); }
  static std::string format(const Rate& value);
};
template <>
struct ValueTraits<ByteSize> {
  static constexpr std::string_view noun = "a size such as 16KiB";
  static Parsed<ByteSize> parse(std::string_view text);
  static std::string format(ByteSize value) { return std::to_string(value.bytes) + "B"; }
};
template <>
struct ValueTraits<Probability> {
  static constexpr std::string_view noun = "a probability such as 0.01 or 1%";
  static Parsed<Probability> parse(std::string_view text);
  static std::string format(Probability value);
};
template <>
struct ValueTraits<SeedRange> {
  static constexpr std::string_view noun = "a seed or a seed range such as 1..200";
  static Parsed<SeedRange> parse(std::string_view text) { return parse_seed_range(text); }
  static std::string format(const SeedRange& value);
};
template <>
struct ValueTraits<Bound> {
  static constexpr std::string_view noun = "a bound such as \"> 0\" or \"0..5\"";
  static Parsed<Bound> parse(std::string_view text) { return parse_bound(text); }
  static std::string format(const Bound& value) { return value.to_string(); }
};

// Inclusive limits on a value; either end may be open.
template <class T>
struct Range {
  std::optional<T> min;
  std::optional<T> max;
};

// Both ends closed: between<std::uint64_t>(1, 100).
template <class T>
Range<T> between(T low, T high) {
  return Range<T>{low, high};
}

}  // namespace ksim::scenario
