#pragma once
// `ksim check-history`: reads a "ksim-client-history" v1 or v2 file (client_history_format.h;
// scenarios/README.md, "Client histories") into the history records the checker reads for
// client-side facts: send, send_acknowledged, send_failed, poll, effect_applied,
// effect_skipped, partition_assigned, partition_revoked; from v2 also effect_in_transaction,
// transaction_ended and a send's transaction. Nothing of a bad file is judged:
// the first problem stops the read and is returned with its line (and field).
#include <cstddef>
#include <fstream>
#include <istream>
#include <optional>
#include <string>
#include <utility>

#include "reports/client_history_format.h"
#include "sim/history/history.h"

namespace ksim::reports {

struct ClientHistoryError {
  std::size_t line = 0;  // 1-based; 0 for the file as a whole
  std::string field;     // the JSON field at fault, empty if none
  std::string message;

  // "FILE:LINE: FIELD: MESSAGE", the shape of every ksim input error.
  std::string to_string(const std::string& file) const;
};

struct ClientHistoryRead {
  std::optional<history::History> history;  // set only when the whole file was read
  std::optional<ClientHistoryError> error;
  std::uint64_t operations = 0;             // operation lines read
  bool has_apply = false;                   // whether the file records applied effects
};

ClientHistoryRead read_client_history(std::istream& in, const ClientHistoryLimits& limits = {});
inline ClientHistoryRead failed_read(ClientHistoryError error) {
  ClientHistoryRead read;
  read.error = std::move(error);
  return read;
}
// Opens `path` for reading after checking its size against the bound; the error if it cannot.
std::optional<ClientHistoryError> open_history_file(const std::string& path, std::ifstream& in,
                                                    const ClientHistoryLimits& limits);
// Opens `path` (its size checked against the bound first) and reads it.
ClientHistoryRead read_client_history_file(const std::string& path, const ClientHistoryLimits& limits = {});

}  // namespace ksim::reports
