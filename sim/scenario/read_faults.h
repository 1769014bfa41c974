#pragma once
// Shared by the readers of `faults[]` (read_faults.cpp, read_fault_roles.cpp,
// read_fault_when.cpp). Internal to the loader.
#include <optional>
#include <string>

#include "sim/scenario/read_world.h"

namespace ksim::scenario {

// A partition by its name ("events-0"), reported under `key` when there is none.
std::optional<std::uint32_t> read_partition_name(MapReader& reader, std::string_view key,
                                                 const kafka::WorldConfig& config);
// A role written as a one-key map ({leader-of: events-0}, ...); nullopt after a report.
std::optional<kafka::RoleTarget> read_role_map(MapReader& role, const kafka::WorldConfig& config);
// The words controller, random-broker, random-client; nullopt for any other word.
std::optional<kafka::RoleTarget> role_word(const std::string& word);
// Why a fault of kind `action` cannot target the role ("" when it can).
std::string role_problem(const kafka::RoleTarget& role, kafka::FaultAction action, const kafka::WorldConfig& config);

// `when:` into fault.when; warns when the condition can never fire.
void read_when(MapReader& fault_reader, const kafka::WorldConfig& config, kafka::FaultSpec& fault);
// `from`, `to` and the effects of a `kind: network` fault.
void read_network_fault(MapReader& reader, const kafka::WorldConfig& config, kafka::FaultSpec& fault);

}  // namespace ksim::scenario
