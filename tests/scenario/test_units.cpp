#define BOOST_TEST_MODULE units
#include <boost/test/unit_test.hpp>

#include <limits>
#include <string>

#include "sim/scenario/input_error.h"
#include "sim/scenario/quote.h"
#include "sim/scenario/units.h"

using namespace ksim;
using namespace ksim::scenario;

namespace {

template <class T>
T ok(const Parsed<T>& parsed) {
  BOOST_REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? std::string() : parsed.error()));
  return parsed.value();
}

template <class T>
std::string error(const Parsed<T>& parsed) {
  BOOST_REQUIRE(!parsed.ok());
  return parsed.error();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(durations)

BOOST_AUTO_TEST_CASE(every_unit) {
  BOOST_TEST(ok(parse_duration("250ms")) == 250'000'000);
  BOOST_TEST(ok(parse_duration("30s")) == 30'000'000'000);
  BOOST_TEST(ok(parse_duration("2m")) == 120'000'000'000);
  BOOST_TEST(ok(parse_duration("1h")) == 3'600'000'000'000);
  BOOST_TEST(ok(parse_duration("100us")) == 100'000);
  BOOST_TEST(ok(parse_duration("10ns")) == 10);
  BOOST_TEST(ok(parse_duration("0")) == 0);
  BOOST_TEST(ok(parse_duration("250 ms")) == 250'000'000);
}

BOOST_AUTO_TEST_CASE(decimals_are_exact) {
  BOOST_TEST(ok(parse_duration("1.1s")) == 1'100'000'000);
  BOOST_TEST(ok(parse_duration("1.5s")) == 1'500'000'000);
  BOOST_TEST(ok(parse_duration("0.000000001s")) == 1);
  BOOST_TEST(ok(parse_duration("2.50000000000000000000000ms")) == 2'500'000);
  BOOST_TEST(error(parse_duration("1.5ns")) == R"(duration "1.5ns" is not a whole number of nanoseconds)");
}

BOOST_AUTO_TEST_CASE(limits) {
  BOOST_TEST(ok(parse_duration("9223372036854775807ns")) == std::numeric_limits<TimeNs>::max());
  BOOST_TEST(error(parse_duration("9223372036854775808ns")) == R"(duration "9223372036854775808ns" is too long (the limit is about 292 years))");
  BOOST_TEST(error(parse_duration("9999999999999999h")) == R"(duration "9999999999999999h" is too long (the limit is about 292 years))");
  BOOST_TEST(error(parse_duration("99999999999999999999999999s")) == R"(duration "99999999999999999999999999s" is too long (the limit is about 292 years))");
}

BOOST_AUTO_TEST_CASE(bad_text) {
  BOOST_TEST(error(parse_duration("30")) == R"("30" has no unit; durations need a unit, e.g. 250ms)");
  BOOST_TEST(error(parse_duration("1.5")) == R"("1.5" has no unit; durations need a unit, e.g. 250ms)");
  BOOST_TEST(error(parse_duration("-5s")) == R"(duration "-5s" is negative)");
  BOOST_TEST(ok(parse_duration("-5s", Negative::allowed)) == -5'000'000'000);
  BOOST_TEST(error(parse_duration("5sec")) == R"(unknown duration unit "sec" in "5sec"; use ns, us, ms, s, m or h)");
  BOOST_TEST(error(parse_duration("ms")) == R"(expected a duration such as 250ms, got "ms")");
  BOOST_TEST(error(parse_duration("")) == R"(expected a duration such as 250ms, got "")");
  BOOST_TEST(!parse_duration("1.s").ok());
  BOOST_TEST(!parse_duration(".5s").ok());
  BOOST_TEST(!parse_duration("1e3ms").ok());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(rates) {
  BOOST_TEST((ok(parse_rate("1000/s")) == Rate{false, 1, 1'000'000}));
  BOOST_TEST(ok(parse_rate("1000/s")).per_second() == 1000.0);
  BOOST_TEST(ok(parse_rate("50/ms")).per_second() == 50'000.0);
  BOOST_TEST((ok(parse_rate("2.5/s")) == Rate{false, 1, 400'000'000}));
  BOOST_TEST((ok(parse_rate("10/min")) == Rate{false, 1, 6'000'000'000}));
  BOOST_TEST((ok(parse_rate("10 / m")) == ok(parse_rate("10/min"))));
  BOOST_TEST(ok(parse_rate("unlimited")).unlimited);
  BOOST_TEST(ok(parse_rate("0/s")).events == 0);
  BOOST_TEST(error(parse_rate("1000")) == R"("1000" has no unit; rates need a unit, e.g. 1000/s)");
  BOOST_TEST(error(parse_rate("-1/s")) == R"(rate "-1/s" is negative)");
  BOOST_TEST(error(parse_rate("5/sec")) == R"(unknown rate unit "sec" in "5/sec"; use /ns, /us, /ms, /s, /m, /min or /h)");
  BOOST_TEST(error(parse_rate("fast")) == R"(expected a rate such as 1000/s or unlimited, got "fast")");
  BOOST_TEST(!parse_rate("99999999999999999999/s").ok());
  BOOST_TEST(!parse_rate("1.0000000000000001/h").ok());
}

BOOST_AUTO_TEST_CASE(sizes) {
  BOOST_TEST(ok(parse_size("16384")) == 16384U);
  BOOST_TEST(ok(parse_size("16KiB")) == 16384U);
  BOOST_TEST(ok(parse_size("1MiB")) == 1048576U);
  BOOST_TEST(ok(parse_size("1MB")) == 1000000U);
  BOOST_TEST(ok(parse_size("512B")) == 512U);
  BOOST_TEST(ok(parse_size("1.5KiB")) == 1536U);
  BOOST_TEST(error(parse_size("1.5B")) == R"(size "1.5B" is not a whole number of bytes)");
  BOOST_TEST(error(parse_size("16kb")) == R"(unknown size unit "kb" in "16kb"; use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB)");
  BOOST_TEST(error(parse_size("-1")) == R"(size "-1" is negative)");
  BOOST_TEST(error(parse_size("99999999TiB")) == R"(size "99999999TiB" is too large)");
  BOOST_TEST(error(parse_size("big")) == R"(expected a size such as 16KiB or 16384, got "big")");
}

BOOST_AUTO_TEST_CASE(probabilities) {
  BOOST_TEST(ok(parse_probability("0")) == 0.0);
  BOOST_TEST(ok(parse_probability("1")) == 1.0);
  BOOST_TEST(ok(parse_probability("0.25")) == 0.25);
  BOOST_TEST(ok(parse_probability("1%")) == 0.01);
  BOOST_TEST(ok(parse_probability("0.5%")) == 0.005);
  BOOST_TEST(ok(parse_probability("100%")) == 1.0);
  BOOST_TEST(error(parse_probability("1.5")) == R"(probability "1.5" is not between 0 and 1)");
  BOOST_TEST(error(parse_probability("-0.1")) == R"(probability "-0.1" is not between 0 and 1)");
  BOOST_TEST(error(parse_probability("101%")) == R"(probability "101%" is not between 0% and 100%)");
  BOOST_TEST(error(parse_probability("nan")) == R"(expected a probability such as 0.01 or 1%, got "nan")");
  BOOST_TEST(error(parse_probability("%")) == R"(expected a probability such as 0.01 or 1%, got "%")");
}

BOOST_AUTO_TEST_CASE(seed_ranges) {
  BOOST_TEST((ok(parse_seed_range("1..200")) == SeedRange{1, 200}));
  BOOST_TEST(ok(parse_seed_range("1..200")).count() == 200U);
  BOOST_TEST((ok(parse_seed_range("7")) == SeedRange{7, 7}));
  BOOST_TEST((ok(parse_seed_range("0 .. 3")) == SeedRange{0, 3}));
  BOOST_TEST(error(parse_seed_range("5..3")) == R"(seed range "5..3" is empty: the first seed is above the last)");
  BOOST_TEST(error(parse_seed_range("1..1000001")) == R"(seed range "1..1000001" holds more than 1000000 seeds)");
  BOOST_TEST(error(parse_seed_range("0..18446744073709551615")) == R"(seed range "0..18446744073709551615" holds more than 1000000 seeds)");
  BOOST_TEST(error(parse_seed_range("-1..5")) == R"(expected a seed or a seed range such as 1..200, got "-1..5")");
  BOOST_TEST(!parse_seed_range("1..").ok());
  BOOST_TEST(!parse_seed_range("a").ok());
}

BOOST_AUTO_TEST_CASE(bounds) {
  BOOST_TEST((ok(parse_bound("0")) == Bound{Bound::Op::eq, 0, 0}));
  BOOST_TEST((ok(parse_bound("> 0")) == Bound{Bound::Op::gt, 0, 0}));
  BOOST_TEST((ok(parse_bound(">= 3")) == Bound{Bound::Op::ge, 3, 0}));
  BOOST_TEST((ok(parse_bound("<=10")) == Bound{Bound::Op::le, 10, 0}));
  BOOST_TEST((ok(parse_bound("< 5")) == Bound{Bound::Op::lt, 5, 0}));
  BOOST_TEST((ok(parse_bound("== 2")) == Bound{Bound::Op::eq, 2, 0}));
  BOOST_TEST((ok(parse_bound("0..5")) == Bound{Bound::Op::between, 0, 5}));
  BOOST_TEST(ok(parse_bound(">= 3")).to_string() == ">= 3");
  BOOST_TEST(ok(parse_bound("0.5..1.5")).to_string() == "0.5..1.5");

  const Bound between = ok(parse_bound("0..5"));
  BOOST_TEST(between.holds(0));
  BOOST_TEST(between.holds(5));
  BOOST_TEST(!between.holds(5.5));
  BOOST_TEST(!ok(parse_bound("> 0")).holds(0));
  BOOST_TEST(ok(parse_bound(">= 3")).holds(3));
  BOOST_TEST(!ok(parse_bound("< 5")).holds(5));
  BOOST_TEST(ok(parse_bound("<= 10")).holds(10));
  BOOST_TEST(ok(parse_bound("0")).holds(0));

  BOOST_TEST(error(parse_bound("!= 2")) == R"(expected a bound such as 0, "> 0", ">= 3", "< 5", "== 2" or "0..5", got "!= 2")");
  BOOST_TEST(error(parse_bound("5..0")) == R"(bound "5..0" is empty: the low end is above the high end)");
  BOOST_TEST(!parse_bound(">").ok());
  BOOST_TEST(!parse_bound("> inf").ok());
}

BOOST_AUTO_TEST_CASE(plain_numbers) {
  BOOST_TEST(ok(parse_int64("-42")) == -42);
  BOOST_TEST(error(parse_int64("0x10")) == R"(expected an integer, got "0x10")");
  BOOST_TEST(error(parse_int64("9223372036854775808")) == R"("9223372036854775808" is out of the range of a 64-bit integer)");
  BOOST_TEST(ok(parse_uint64("18446744073709551615")) == std::numeric_limits<std::uint64_t>::max());
  BOOST_TEST(error(parse_uint64("-1")) == R"(expected a non-negative integer, got "-1")");
  BOOST_TEST(ok(parse_double("1e3")) == 1000.0);
  BOOST_TEST(error(parse_double("inf")) == R"(expected a number, got "inf")");
  BOOST_TEST(error(parse_double("1e999")) == R"("1e999" is out of the range of a number)");
}

BOOST_AUTO_TEST_CASE(quoting_user_text) {
  BOOST_TEST(quote("a\"b\\c") == R"("a\"b\\c")");
  BOOST_TEST(quote(std::string("x\0y\n", 4)) == R"("x\x00y\n")");
  BOOST_TEST(quote("abcdef", 3) == R"("abc"...)");
  BOOST_TEST(quote("\xc3\xa9\xc3\xa9", 3) == "\"\xc3\xa9\"...");  // never cuts inside a character
}

BOOST_AUTO_TEST_CASE(input_errors_sort_and_format) {
  InputErrors errors;
  errors.add("a.yaml", {12, 5}, "producers[0].config.acks", R"(expected one of 0, 1, all, -1, got "2")");
  errors.add("a.yaml", {3, 1}, "", "second");
  errors.add("a.yaml", {3, 1}, "", "third");
  errors.add("a.yaml", {}, "", "file is empty");
  BOOST_TEST(errors.size() == 4U);
  BOOST_TEST(errors.to_string() ==
             "a.yaml: file is empty\n"
             "a.yaml:3:1: second\n"
             "a.yaml:3:1: third\n"
             "a.yaml:12:5: producers[0].config.acks: expected one of 0, 1, all, -1, got \"2\"\n");
}
