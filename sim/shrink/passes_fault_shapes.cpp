// Shrinking what a fault waits for and what a network fault does: a `when:` cue's count
// and delay, and a `kind: network` fault's impairments and link sets (scenarios/README.md,
// "Shrinking a failing run", step 3). A cue of 1 acknowledged send instead of 1000 lets
// the workload shrink below the count; an impairment that is not needed for the failure
// is one less thing to explain.
#include <fmt/format.h>

#include "sim/scenario/units.h"
#include "sim/shrink/passes.h"
#include "sim/shrink/scenario_tree.h"

namespace ksim::shrink {

namespace {

YAML::Node cue_of(const Search& search, std::size_t index) {
  const YAML::Node when = search.current()["faults"][index]["when"];
  return when && when.IsMap() ? when : YAML::Node();
}

void shrink_cue_count(Search& search, std::size_t index) {
  const YAML::Node count = cue_of(search, index)["count"];
  if (!count || !count.IsScalar()) return;
  const std::uint64_t value = count.as<std::uint64_t>(0);
  if (value <= 1) return;
  shrink_integer(search, value, 1, fmt::format("faults[{}].when.count", index), [&](std::uint64_t smaller) {
    YAML::Node candidate = search.copy();
    candidate["faults"][index]["when"]["count"] = smaller;
    return candidate;
  });
}

void shrink_cue_delay(Search& search, std::size_t index) {
  const YAML::Node delay = cue_of(search, index)["delay"];
  if (!delay || !delay.IsScalar()) return;
  const auto parsed = scenario::parse_duration(delay.Scalar());
  if (!parsed || parsed.value() <= 0) return;
  const auto delay_ms = static_cast<std::uint64_t>(parsed.value() / kNanosecondsPerMillisecond);
  shrink_integer(search, delay_ms, 0, fmt::format("faults[{}].when.delay (ms)", index), [&](std::uint64_t smaller) {
    YAML::Node candidate = search.copy();
    candidate["faults"][index]["when"]["delay"] = duration_text(milliseconds(static_cast<std::int64_t>(smaller)));
    return candidate;
  }, finest_time_step(delay_ms));
}

// Each impairment of a network fault dropped (the loader refuses a fault left with none),
// then each member of its `from` and `to` sets, last first, while one remains.
void simplify_network_fault(Search& search, std::size_t index) {
  for (const char* key : {"flap_period", "bandwidth_per_second", "loss", "latency", "cut"}) {
    if (search.stopped() || !search.current()["faults"][index][key]) continue;
    YAML::Node candidate = search.copy();
    candidate["faults"][index].remove(key);
    search.attempt(candidate, fmt::format("faults[{}].{} dropped", index, key));
  }
  for (const char* side : {"from", "to"}) {
    for (std::size_t member = search.current()["faults"][index][side].size(); member-- > 0;) {
      const YAML::Node set = search.current()["faults"][index][side];
      if (search.stopped() || !set.IsSequence() || set.size() < 2 || member >= set.size()) continue;
      YAML::Node candidate = search.copy();
      candidate["faults"][index][side].remove(member);
      search.attempt(candidate, fmt::format("faults[{}].{}[{}] dropped", index, side, member));
    }
  }
}

}  // namespace

bool simplify_fault_shapes(Search& search) {
  const std::size_t before = search.steps().size();
  for (std::size_t i = 0; i < fault_count(search) && !search.stopped(); ++i) {
    shrink_cue_count(search, i);
    shrink_cue_delay(search, i);
    const YAML::Node kind = search.current()["faults"][i]["kind"];
    if (kind && kind.IsScalar() && kind.Scalar() == "network") simplify_network_fault(search, i);
  }
  return search.steps().size() > before;
}

}  // namespace ksim::shrink
