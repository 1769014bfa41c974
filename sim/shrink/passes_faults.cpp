#include <algorithm>

#include <fmt/format.h>

#include "sim/scenario/units.h"
#include "sim/shrink/passes.h"
#include "sim/shrink/scenario_tree.h"

namespace ksim::shrink {

namespace {

using Indices = std::vector<std::size_t>;

// The current tree with only the faults at `kept` (indices into its `faults`).
YAML::Node with_faults(const Search& search, const Indices& kept) {
  YAML::Node candidate = search.copy();
  YAML::Node faults(YAML::NodeType::Sequence);
  for (const std::size_t index : kept) faults.push_back(candidate["faults"][index]);
  if (kept.empty()) {
    candidate.remove("faults");
  } else {
    candidate["faults"] = faults;
  }
  return candidate;
}

std::vector<Indices> split(const Indices& items, std::size_t parts) {
  std::vector<Indices> chunks;
  for (std::size_t p = 0; p < parts; ++p) {
    const std::size_t begin = p * items.size() / parts;
    const std::size_t end = (p + 1) * items.size() / parts;
    if (begin < end) chunks.emplace_back(items.begin() + static_cast<std::ptrdiff_t>(begin),
                                         items.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return chunks;
}

Indices complement(const Indices& items, const Indices& chunk) {
  Indices rest;
  for (const std::size_t item : items) {
    if (std::find(chunk.begin(), chunk.end(), item) == chunk.end()) rest.push_back(item);
  }
  return rest;
}

// Positions 0..n-1: the accepted candidate renumbers the faults it kept.
Indices first(std::size_t n) {
  Indices indices(n);
  for (std::size_t i = 0; i < n; ++i) indices[i] = i;
  return indices;
}

// One round of ddmin at `granularity`: a chunk alone, then a chunk's complement.
// Returns the granularity to go on with, or 0 when nothing of this round reproduced.
std::size_t ddmin_round(Search& search, std::size_t size, std::size_t granularity) {
  const std::vector<Indices> chunks = split(first(size), granularity);
  for (const Indices& chunk : chunks) {
    if (search.attempt(with_faults(search, chunk), fmt::format("faults {} -> {}", size, chunk.size()))) return 2;
  }
  if (granularity == 2) return 0;  // with two chunks each complement is the other chunk
  for (const Indices& chunk : chunks) {
    const Indices rest = complement(first(size), chunk);
    if (search.attempt(with_faults(search, rest), fmt::format("faults {} -> {}", size, rest.size()))) {
      return std::max<std::size_t>(granularity - 1, 2);
    }
  }
  return 0;
}

// A duration key of fault `index` in whole milliseconds (rounded down), if it has one.
std::optional<std::uint64_t> fault_ms(const Search& search, std::size_t index, const char* key) {
  const YAML::Node value = search.current()["faults"][index][key];
  if (!value || !value.IsScalar()) return std::nullopt;
  const auto parsed = scenario::parse_duration(value.Scalar());
  if (!parsed || parsed.value() <= 0) return std::nullopt;
  return static_cast<std::uint64_t>(parsed.value() / kNanosecondsPerMillisecond);
}

std::optional<TimeNs> duration_of(const YAML::Node& value) {
  if (!value || !value.IsScalar()) return std::nullopt;
  const auto parsed = scenario::parse_duration(value.Scalar());
  return parsed ? std::optional<TimeNs>(parsed.value()) : std::nullopt;
}

// The current tree with the `cut_ns` before `point_ns` cut out of the schedule: faults
// that start at or after it start `cut_ns` earlier, faults running across it end that much
// sooner, and so does the workload.
YAML::Node cut_time(const Search& search, TimeNs point_ns, TimeNs cut_ns) {
  YAML::Node candidate = search.copy();
  for (std::size_t i = 0; i < candidate["faults"].size(); ++i) {
    YAML::Node fault = candidate["faults"][i];
    const std::optional<TimeNs> at = duration_of(fault["at"]);
    const TimeNs length_ns = duration_of(fault["duration"]).value_or(0);
    if (!at) continue;
    if (*at >= point_ns) {
      fault["at"] = duration_text(std::max<TimeNs>(*at - cut_ns, 0));
    } else if (length_ns > 0 && *at + length_ns > point_ns) {
      fault["duration"] = duration_text(std::max(length_ns - cut_ns, milliseconds(1)));
    }
  }
  const TimeNs duration_ns = duration_of(candidate["duration"]).value_or(seconds(10));
  candidate["duration"] = duration_text(std::max(duration_ns - cut_ns, milliseconds(1)));
  return candidate;
}

// Fault indices by start time (ties by position), those with a start that can be read.
std::vector<std::size_t> by_start(const Search& search) {
  std::vector<std::pair<TimeNs, std::size_t>> starts;
  for (std::size_t i = 0; i < fault_count(search); ++i) {
    if (const auto at = duration_of(search.current()["faults"][i]["at"])) starts.emplace_back(*at, i);
  }
  std::sort(starts.begin(), starts.end());
  std::vector<std::size_t> order;
  for (const auto& start : starts) order.push_back(start.second);
  return order;
}

bool shrink_fault_key(Search& search, const char* key, std::uint64_t lowest_ms) {
  const std::size_t before = search.steps().size();
  for (std::size_t i = 0; i < fault_count(search) && !search.stopped(); ++i) {
    const std::optional<std::uint64_t> ms = fault_ms(search, i, key);
    if (!ms) continue;
    shrink_integer(search, *ms, lowest_ms, fmt::format("faults[{}].{} (ms)", i, key), [&](std::uint64_t value) {
      YAML::Node candidate = search.copy();
      candidate["faults"][i][key] = duration_text(milliseconds(static_cast<std::int64_t>(value)));
      return candidate;
    }, finest_time_step(*ms));
  }
  return search.steps().size() > before;
}

}  // namespace

std::size_t fault_count(const Search& search) {
  const YAML::Node faults = search.current()["faults"];
  return faults && faults.IsSequence() ? faults.size() : 0;
}

bool remove_faults(Search& search) {
  const std::size_t before = search.steps().size();
  if (fault_count(search) > 0) search.attempt(with_faults(search, {}), fmt::format("faults {} -> 0", fault_count(search)));
  std::size_t granularity = 2;
  while (fault_count(search) >= 2 && !search.stopped()) {
    const std::size_t size = fault_count(search);
    const std::size_t next = ddmin_round(search, size, std::min(granularity, size));
    if (next != 0) {
      granularity = next;
    } else if (granularity >= size) {
      break;  // every single fault is needed
    } else {
      granularity = std::min(size, granularity * 2);
    }
  }
  return search.steps().size() > before;
}

bool cut_time_slices(Search& search) {
  const std::size_t before = search.steps().size();
  for (const std::size_t fault : by_start(search)) {
    if (search.stopped()) break;
    const auto start_ms = [&] {
      return static_cast<std::uint64_t>(duration_of(search.current()["faults"][fault]["at"]).value_or(0) /
                                        kNanosecondsPerMillisecond);
    };
    const std::uint64_t at_ms = start_ms();
    shrink_integer(search, at_ms, 0, fmt::format("time before faults[{}] cut out (its start, ms)", fault),
                   [&](std::uint64_t new_ms) {
                     const TimeNs point_ns = duration_of(search.current()["faults"][fault]["at"]).value_or(0);
                     return cut_time(search, point_ns, milliseconds(static_cast<std::int64_t>(start_ms() - new_ms)));
                   },
                   finest_time_step(at_ms));
  }
  return search.steps().size() > before;
}

bool shorten_fault_durations(Search& search) { return shrink_fault_key(search, "duration", 1); }

bool move_fault_times(Search& search) { return shrink_fault_key(search, "at", 0); }

}  // namespace ksim::shrink
