#pragma once
// Suggestions for misspelt keys: "acsk" -> "acks". Kafka config names are long and
// dotted, so one swapped or missing letter is the usual mistake.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ksim::scenario {

// Optimal string alignment distance (Levenshtein plus swaps of neighbours), ignoring
// ASCII case.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate within distance 2 (and closer than the word's own length, so
// "x" does not suggest "y"); ties go to the earliest candidate, so the result depends on
// nothing but the inputs.
std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace ksim::scenario
