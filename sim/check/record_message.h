#pragma once
// Which message a typed record names (records.h), for the passes that index messages.
#include <cstdint>
#include <type_traits>

#include "sim/history/records.h"

namespace ksim::check {

// Whether a typed record names a message (a transaction marker's append names none).
template <class Typed>
bool names_message(const Typed& typed) {
  if constexpr (std::is_same_v<Typed, history::AppendRecord>) {
    if (typed.message_id == history::kControlMessageId) return false;
  }
  return requires { typed.message_id; };
}

template <class Typed>
std::uint64_t message_id_of(const Typed& typed) {
  if constexpr (requires { typed.message_id; }) return typed.message_id;
  return 0;
}

}  // namespace ksim::check
