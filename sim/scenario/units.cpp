#include "sim/scenario/units.h"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <system_error>

#include <fmt/format.h>

#include "sim/scenario/quote.h"

namespace ksim::scenario {
namespace {

using Wide = unsigned __int128;  // products of two 64-bit numbers, checked before narrowing

constexpr std::uint64_t kInt64Max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
// More fraction digits than this cannot come to a whole number of any unit we accept
// (the largest, an hour, is 3.6e12 ns), and keeps 10^digits within 64 bits.
constexpr int kMaxFractionDigits = 18;

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::uint64_t power_of_ten(int n) {
  std::uint64_t result = 1;
  for (int i = 0; i < n; ++i) result *= 10;
  return result;
}

// A decimal number as written, "-12.50" = {negative, 12, 5, 1}: read digit by digit so
// no binary rounding ever happens.
struct Decimal {
  bool negative = false;
  std::uint64_t whole = 0;
  std::uint64_t fraction = 0;  // trailing zeros removed
  int fraction_digits = 0;

  bool is_zero() const { return whole == 0 && fraction == 0; }
};

// Reads the decimal number at the start of `text` and returns it with what follows.
// nullopt when there is no number; `overflow` when it has too many digits.
struct DecimalPrefix {
  Decimal number;
  std::string_view rest;
  bool overflow = false;
};
std::optional<DecimalPrefix> read_decimal(std::string_view text) {
  DecimalPrefix out;
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') {
    out.number.negative = true;
    ++i;
  }
  const std::size_t whole_start = i;
  while (i < text.size() && is_digit(text[i])) {
    const auto digit = static_cast<std::uint64_t>(text[i] - '0');
    if (out.number.whole > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) out.overflow = true;
    out.number.whole = out.number.whole * 10 + digit;
    ++i;
  }
  if (i == whole_start) return std::nullopt;
  if (i < text.size() && text[i] == '.' && i + 1 < text.size() && is_digit(text[i + 1])) {
    ++i;
    std::string_view digits;
    const std::size_t fraction_start = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    digits = text.substr(fraction_start, i - fraction_start);
    while (!digits.empty() && digits.back() == '0') digits.remove_suffix(1);
    if (static_cast<int>(digits.size()) > kMaxFractionDigits) {
      out.overflow = true;
    } else {
      for (const char c : digits) out.number.fraction = out.number.fraction * 10 + static_cast<std::uint64_t>(c - '0');
      out.number.fraction_digits = static_cast<int>(digits.size());
    }
  }
  out.rest = text.substr(i);
  return out;
}

// |number| * unit as an exact integer not above `max`.
enum class Scale { ok, not_whole, too_large };
Scale scale_exact(const Decimal& number, std::uint64_t unit, std::uint64_t max, std::uint64_t& result) {
  const Wide whole = static_cast<Wide>(number.whole) * unit;
  const Wide fraction_scaled = static_cast<Wide>(number.fraction) * unit;
  const std::uint64_t denominator = power_of_ten(number.fraction_digits);
  if (fraction_scaled % denominator != 0) return Scale::not_whole;
  const Wide total = whole + fraction_scaled / denominator;
  if (total > max) return Scale::too_large;
  result = static_cast<std::uint64_t>(total);
  return Scale::ok;
}

struct Unit {
  std::string_view name;
  std::uint64_t factor;
};

const Unit* find_unit(std::string_view name, const auto& units) {
  for (const Unit& unit : units) {
    if (unit.name == name) return &unit;
  }
  return nullptr;
}

constexpr std::uint64_t kNsPerMinute = 60 * static_cast<std::uint64_t>(kNanosecondsPerSecond);
constexpr std::array<Unit, 6> kDurationUnits{{{"ns", 1},
                                              {"us", kNanosecondsPerMicrosecond},
                                              {"ms", kNanosecondsPerMillisecond},
                                              {"s", kNanosecondsPerSecond},
                                              {"m", kNsPerMinute},
                                              {"h", 60 * kNsPerMinute}}};
constexpr std::array<Unit, 7> kRateUnits{{{"ns", 1},
                                          {"us", kNanosecondsPerMicrosecond},
                                          {"ms", kNanosecondsPerMillisecond},
                                          {"s", kNanosecondsPerSecond},
                                          {"m", kNsPerMinute},
                                          {"min", kNsPerMinute},
                                          {"h", 60 * kNsPerMinute}}};
constexpr std::uint64_t kKi = 1024;
constexpr std::array<Unit, 9> kSizeUnits{{{"B", 1},
                                          {"KB", 1000},
                                          {"MB", 1000 * 1000},
                                          {"GB", 1000 * 1000 * 1000},
                                          {"TB", 1000ULL * 1000 * 1000 * 1000},
                                          {"KiB", kKi},
                                          {"MiB", kKi * kKi},
                                          {"GiB", kKi * kKi * kKi},
                                          {"TiB", kKi * kKi * kKi * kKi}}};

}  // namespace

Parsed<std::int64_t> parse_int64(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc::result_out_of_range) return Parsed<std::int64_t>::failure(fmt::format("{} is out of the range of a 64-bit integer", quote(text)));
  if (error != std::errc() || end != text.data() + text.size()) return Parsed<std::int64_t>::failure(fmt::format("expected an integer, got {}", quote(text)));
  return value;
}

Parsed<std::uint64_t> parse_uint64(std::string_view text) {
  std::uint64_t value = 0;
  if (!text.empty() && text.front() == '-') return Parsed<std::uint64_t>::failure(fmt::format("expected a non-negative integer, got {}", quote(text)));
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc::result_out_of_range) return Parsed<std::uint64_t>::failure(fmt::format("{} is out of the range of a 64-bit integer", quote(text)));
  if (error != std::errc() || end != text.data() + text.size()) return Parsed<std::uint64_t>::failure(fmt::format("expected a non-negative integer, got {}", quote(text)));
  return value;
}

Parsed<double> parse_double(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc::result_out_of_range) return Parsed<double>::failure(fmt::format("{} is out of the range of a number", quote(text)));
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return Parsed<double>::failure(fmt::format("expected a number, got {}", quote(text)));
  }
  return value;
}

Parsed<TimeNs> parse_duration(std::string_view text, Negative negative) {
  using Result = Parsed<TimeNs>;
  const auto prefix = read_decimal(trim(text));
  if (!prefix) return Result::failure(fmt::format("expected a duration such as 250ms, got {}", quote(text)));
  const std::string_view unit_name = trim(prefix->rest);
  const Decimal& number = prefix->number;
  if (unit_name.empty()) {
    if (number.is_zero() && !prefix->overflow) return TimeNs{0};
    return Result::failure(fmt::format("{} has no unit; durations need a unit, e.g. 250ms", quote(text)));
  }
  const Unit* unit = find_unit(unit_name, kDurationUnits);
  if (unit == nullptr) return Result::failure(fmt::format("unknown duration unit {} in {}; use ns, us, ms, s, m or h", quote(unit_name), quote(text)));
  if (number.negative && negative == Negative::rejected && !number.is_zero()) {
    return Result::failure(fmt::format("duration {} is negative", quote(text)));
  }
  std::uint64_t magnitude = 0;
  const Scale scale = prefix->overflow ? Scale::too_large : scale_exact(number, unit->factor, kInt64Max, magnitude);
  if (scale == Scale::too_large) return Result::failure(fmt::format("duration {} is too long (the limit is about 292 years)", quote(text)));
  if (scale == Scale::not_whole) return Result::failure(fmt::format("duration {} is not a whole number of nanoseconds", quote(text)));
  const auto value = static_cast<TimeNs>(magnitude);
  return number.negative ? -value : value;
}

double Rate::per_second() const {
  if (unlimited) return std::numeric_limits<double>::infinity();
  return static_cast<double>(events) * static_cast<double>(kNanosecondsPerSecond) / static_cast<double>(per_ns);
}

Parsed<Rate> parse_rate(std::string_view text) {
  using Result = Parsed<Rate>;
  const std::string_view trimmed = trim(text);
  if (trimmed == "unlimited") return Rate{true, 0, 1};
  const auto prefix = read_decimal(trimmed);
  if (!prefix) return Result::failure(fmt::format("expected a rate such as 1000/s or unlimited, got {}", quote(text)));
  std::string_view rest = trim(prefix->rest);
  if (rest.empty() || rest.front() != '/') return Result::failure(fmt::format("{} has no unit; rates need a unit, e.g. 1000/s", quote(text)));
  rest = trim(rest.substr(1));
  const Unit* unit = find_unit(rest, kRateUnits);
  if (unit == nullptr) return Result::failure(fmt::format("unknown rate unit {} in {}; use /ns, /us, /ms, /s, /m, /min or /h", quote(rest), quote(text)));
  const Decimal& number = prefix->number;
  if (number.negative && !number.is_zero()) return Result::failure(fmt::format("rate {} is negative", quote(text)));
  // events / (unit * 10^digits), both exact integers; reduced so equal rates compare equal.
  const Wide scale = power_of_ten(number.fraction_digits);
  const Wide events = static_cast<Wide>(number.whole) * scale + number.fraction;
  const Wide per_ns = static_cast<Wide>(unit->factor) * scale;
  if (prefix->overflow || events > kInt64Max || per_ns > kInt64Max) {
    return Result::failure(fmt::format("rate {} is out of range (too large or too many decimal places)", quote(text)));
  }
  auto rate = Rate{false, static_cast<std::int64_t>(events), static_cast<TimeNs>(per_ns)};
  const std::int64_t divisor = std::gcd(rate.events, rate.per_ns);
  rate.events /= divisor;
  rate.per_ns /= divisor;
  return rate;
}

Parsed<std::uint64_t> parse_size(std::string_view text) {
  using Result = Parsed<std::uint64_t>;
  const auto prefix = read_decimal(trim(text));
  if (!prefix) return Result::failure(fmt::format("expected a size such as 16KiB or 16384, got {}", quote(text)));
  const std::string_view unit_name = trim(prefix->rest);
  static constexpr Unit kBytes{"", 1};
  const Unit* unit = unit_name.empty() ? &kBytes : find_unit(unit_name, kSizeUnits);
  if (unit == nullptr) return Result::failure(fmt::format("unknown size unit {} in {}; use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB", quote(unit_name), quote(text)));
  if (prefix->number.negative && !prefix->number.is_zero()) return Result::failure(fmt::format("size {} is negative", quote(text)));
  std::uint64_t bytes = 0;
  const Scale scale = prefix->overflow ? Scale::too_large : scale_exact(prefix->number, unit->factor, kInt64Max, bytes);
  if (scale == Scale::too_large) return Result::failure(fmt::format("size {} is too large", quote(text)));
  if (scale == Scale::not_whole) return Result::failure(fmt::format("size {} is not a whole number of bytes", quote(text)));
  return bytes;
}

Parsed<double> parse_probability(std::string_view text) {
  using Result = Parsed<double>;
  std::string_view trimmed = trim(text);
  const bool percent = !trimmed.empty() && trimmed.back() == '%';
  if (percent) trimmed = trim(trimmed.substr(0, trimmed.size() - 1));
  const Parsed<double> number = parse_double(trimmed);
  if (!number) return Result::failure(fmt::format("expected a probability such as 0.01 or 1%, got {}", quote(text)));
  const double value = number.value();
  if (percent) {
    if (value < 0 || value > 100) return Result::failure(fmt::format("probability {} is not between 0% and 100%", quote(text)));
    return value / 100;
  }
  if (value < 0 || value > 1) return Result::failure(fmt::format("probability {} is not between 0 and 1", quote(text)));
  return value;
}

Parsed<SeedRange> parse_seed_range(std::string_view text, std::uint64_t max_count) {
  using Result = Parsed<SeedRange>;
  const std::string_view trimmed = trim(text);
  const auto dots = trimmed.find("..");
  const std::string_view first_text = trim(trimmed.substr(0, dots));
  const std::string_view last_text = dots == std::string_view::npos ? first_text : trim(trimmed.substr(dots + 2));
  const auto first = parse_uint64(first_text);
  const auto last = parse_uint64(last_text);
  if (!first || !last) return Result::failure(fmt::format("expected a seed or a seed range such as 1..200, got {}", quote(text)));
  if (first.value() > last.value()) {
    return Result::failure(fmt::format("seed range {} is empty: the first seed is above the last", quote(text)));
  }
  if (last.value() - first.value() >= max_count) {
    return Result::failure(fmt::format("seed range {} holds more than {} seeds", quote(text), max_count));
  }
  return SeedRange{first.value(), last.value()};
}

Parsed<Bound> parse_bound(std::string_view text) {
  using Result = Parsed<Bound>;
  const auto bad = [&] {
    return Result::failure(fmt::format("expected a bound such as 0, \"> 0\", \">= 3\", \"< 5\", \"== 2\" or \"0..5\", got {}", quote(text)));
  };
  const std::string_view trimmed = trim(text);
  // Two-character operators first, so ">=" is not read as ">" followed by "=3".
  static constexpr std::array<std::pair<std::string_view, Bound::Op>, 5> kOps{{{">=", Bound::Op::ge},
                                                                                {"<=", Bound::Op::le},
                                                                                {"==", Bound::Op::eq},
                                                                                {">", Bound::Op::gt},
                                                                                {"<", Bound::Op::lt}}};
  for (const auto& [spelling, op] : kOps) {
    if (trimmed.starts_with(spelling)) {
      const auto number = parse_double(trim(trimmed.substr(spelling.size())));
      if (!number) return bad();
      return Bound{op, number.value(), 0};
    }
  }
  const auto dots = trimmed.find("..");
  if (dots != std::string_view::npos) {
    const auto low = parse_double(trim(trimmed.substr(0, dots)));
    const auto high = parse_double(trim(trimmed.substr(dots + 2)));
    if (!low || !high) return bad();
    if (low.value() > high.value()) return Result::failure(fmt::format("bound {} is empty: the low end is above the high end", quote(text)));
    return Bound{Bound::Op::between, low.value(), high.value()};
  }
  const auto number = parse_double(trimmed);
  if (!number) return bad();
  return Bound{Bound::Op::eq, number.value(), 0};
}

}  // namespace ksim::scenario
