#pragma once
// The client-operation history format "ksim-client-history" v1 and v2 (JSON Lines; documented in
// scenarios/README.md, "Client histories"): what `ksim run --history-out` writes and
// `ksim check-history` reads. Shared here: the names, the bounds and the error names, so
// the writer and the reader cannot drift apart.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "sim/history/history.h"

namespace ksim::reports {

inline constexpr std::string_view kClientHistoryFormat = "ksim-client-history";
// Version 2 (issue 16) adds transactions: a send's and an apply's `transaction`, the `txn`
// operation that ends one, the `client` role. Version 1 files are still read.
inline constexpr int kClientHistoryVersion = 2;
inline constexpr int kClientHistoryOldestVersion = 1;

// Bounds a reader enforces before judging anything: a history beyond them is refused with
// exit 2, never half-judged. Tests lower them to exercise the refusal.
struct ClientHistoryLimits {
  std::uint64_t max_bytes = std::uint64_t{4} << 30;  // 4 GiB
  std::uint64_t max_lines = 100'000'000;
  std::size_t max_line_bytes = 1 << 20;              // 1 MiB per line
};

// The error a send's completion carries ("delivery_timeout"); nullopt for an unknown name.
std::string_view error_name(history::ErrorCode error);
std::optional<history::ErrorCode> error_from_name(std::string_view name);

}  // namespace ksim::reports
