#pragma once
// Jepsen's Kafka workload history (history.edn, one operation map a line, as jepsen.tests.kafka
// records it) converted to a ksim-client-history version 2 text, which the client-history
// reader then reads like any other: `ksim check-history FILE.edn` (or `--format edn`) and
// `ksim convert-history FILE.edn --out F.jsonl`. The mapping is documented in
// scenarios/client-histories.md, "Jepsen's history.edn".
#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "reports/client_history_reader.h"

namespace ksim::reports {

struct JepsenConversion {
  std::string text;                          // the client history, when converted
  std::vector<std::size_t> source_lines;     // line of history.edn each converted line came from
  std::optional<ClientHistoryError> error;   // the history.edn line at fault
};

JepsenConversion convert_jepsen_history(std::istream& in, const ClientHistoryLimits& limits = {});
// Converts and reads `path`; an error names the history.edn line it came from.
ClientHistoryRead read_jepsen_history_file(const std::string& path, const ClientHistoryLimits& limits = {});

}  // namespace ksim::reports
