#pragma once
// Shows a piece of user text inside an error message: in double quotes, with quotes,
// backslashes and control or non-ASCII bytes escaped, and cut after a limit, so a message
// stays one readable line whatever the file holds (binary junk, a 1 MiB scalar).
#include <cstddef>
#include <string>
#include <string_view>

namespace ksim::scenario {

inline constexpr std::size_t kQuoteLimit = 60;

std::string quote(std::string_view text, std::size_t limit = kQuoteLimit);

}  // namespace ksim::scenario
