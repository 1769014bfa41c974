#include "reports/client_history_format.h"

#include <array>
#include <utility>

namespace ksim::reports {

namespace {

using history::ErrorCode;

constexpr std::array<std::pair<ErrorCode, std::string_view>, 15> kErrorNames{{
    {ErrorCode::none, "unknown"},
    {ErrorCode::request_timeout, "request_timeout"},
    {ErrorCode::delivery_timeout, "delivery_timeout"},
    {ErrorCode::not_leader_or_follower, "not_leader_or_follower"},
    {ErrorCode::not_enough_replicas, "not_enough_replicas"},
    {ErrorCode::not_enough_replicas_after_append, "not_enough_replicas_after_append"},
    {ErrorCode::out_of_order_sequence, "out_of_order_sequence"},
    {ErrorCode::producer_fenced, "producer_fenced"},
    {ErrorCode::network_exception, "network_exception"},
    {ErrorCode::illegal_generation, "illegal_generation"},
    {ErrorCode::transaction_aborted, "transaction_aborted"},
    {ErrorCode::concurrent_transactions, "concurrent_transactions"},
    {ErrorCode::not_coordinator, "not_coordinator"},
    {ErrorCode::max_block_timeout, "max_block_timeout"},
    {ErrorCode::invalid_txn_state, "invalid_txn_state"},
}};

}  // namespace

std::string_view error_name(ErrorCode error) {
  for (const auto& [code, name] : kErrorNames) {
    if (code == error) return name;
  }
  return "unknown";
}

std::optional<ErrorCode> error_from_name(std::string_view name) {
  for (const auto& [code, known] : kErrorNames) {
    if (known == name) return code;
  }
  return std::nullopt;
}

}  // namespace ksim::reports
