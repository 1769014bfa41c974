#include "sim/cli/vary_flag.h"

#include <fmt/format.h>

#include "sim/scenario/units.h"

namespace ksim::cli {

namespace {

// A number and the unit written after it ("1000/s" -> 1000, "/s"; "0.01" -> 0.01, "").
std::pair<std::optional<double>, std::string> number_and_unit(const std::string& text) {
  const std::size_t unit_at = text.find_first_not_of("0123456789.+-eE");
  const std::string unit = unit_at == std::string::npos ? "" : text.substr(unit_at);
  const auto number = scenario::parse_double(text.substr(0, unit_at));
  return {number ? std::optional<double>(number.value()) : std::nullopt, unit};
}

}  // namespace

std::optional<VaryFlag> parse_vary(const std::string& text, scenario::InputErrors& errors) {
  auto fail = [&](const std::string& why) {
    errors.add("", {}, "--vary", fmt::format("{}; expected KEY=START..END:STEP[UNIT], got \"{}\"", why, text));
    return std::nullopt;
  };
  const std::size_t equals = text.find('=');
  const std::size_t dots = text.find("..");
  const std::size_t colon = text.rfind(':');
  if (equals == std::string::npos || dots == std::string::npos || colon == std::string::npos || dots < equals ||
      colon < dots) {
    return fail("malformed");
  }
  const auto [start, start_unit] = number_and_unit(text.substr(equals + 1, dots - equals - 1));
  const auto [end, end_unit] = number_and_unit(text.substr(dots + 2, colon - dots - 2));
  const auto [step, unit] = number_and_unit(text.substr(colon + 1));
  if (!start || !end || !step) return fail("START, END and STEP must be numbers");
  if ((!start_unit.empty() && start_unit != unit) || (!end_unit.empty() && end_unit != unit)) {
    return fail(fmt::format("START and END must have STEP's unit \"{}\" or none", unit));
  }
  if (step.value() <= 0 || end.value() < start.value()) return fail("needs START <= END and STEP > 0");
  const double points = (end.value() - start.value()) / step.value();
  if (points > 999) return fail("more than 1000 points");
  VaryFlag vary{text.substr(0, equals), {}};
  // Integer steps from START, so the points do not drift with rounding.
  for (std::uint64_t i = 0; static_cast<double>(i) <= points + 1e-9; ++i) {
    const std::string value = fmt::format("{}{}", start.value() + static_cast<double>(i) * step.value(), unit);
    vary.values.push_back({value, number_and_unit(value).first.value_or(0)});
  }
  return vary;
}

}  // namespace ksim::cli
