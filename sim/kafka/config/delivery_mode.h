#pragma once
// The named delivery modes users compare. Each is a preset of producer, consumer and
// sink settings applied before the scenario's explicit settings, and each states the
// guarantee it promises, which the checker then judges.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/kafka/config/world_config.h"

namespace ksim::kafka {

enum class DeliveryMode : std::uint8_t { at_most_once, at_least_once, exactly_once, exactly_once_transactions };

enum class Guarantee : std::uint8_t {
  no_duplicates,  // at-most-once
  no_loss,        // at-least-once
  no_loss_no_duplicates,  // exactly-once
};

std::string_view to_string(DeliveryMode mode);
std::optional<DeliveryMode> parse_delivery_mode(std::string_view name);
const std::vector<DeliveryMode>& all_delivery_modes();
Guarantee promised_guarantee(DeliveryMode mode);
std::string_view describe(Guarantee guarantee);

// Sets the knobs of `mode` on every producer and consumer group of `config`:
//   at-most-once:  acks=0, retries=0, no idempotence; commit before processing; plain sink
//   at-least-once: acks=all, retries, no idempotence; commit after processing; plain sink
//   exactly-once:  acks=all, idempotence; commit after processing; idempotent sink
//   exactly-once-transactions: transactional producers (transactional.id, "tx" unless
//                  the file names one); consume-transform-produce members (commit:
//                  transactional) reading with isolation.level=read_committed
void apply_delivery_mode(DeliveryMode mode, WorldConfig& config);
void apply_producer_preset(DeliveryMode mode, ProducerConfig& config);
void apply_consumer_preset(DeliveryMode mode, ConsumerGroupConfig& config);

}  // namespace ksim::kafka
