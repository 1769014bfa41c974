#pragma once
// A set of small indices (partitions, nodes) as a bitmap: insert, erase and membership in
// O(1), and visiting the members in ascending order costs one word per 64 indices plus one
// step per member. For sets that are walked often and change often, where an ordered tree
// would spend its time on node hops.
#include <bit>
#include <cstdint>
#include <vector>

namespace ksim {

class IndexSet {
 public:
  void insert(std::uint32_t index) {
    const std::size_t word = index / 64;
    if (word >= words_.size()) words_.resize(word + 1, 0);
    words_[word] |= std::uint64_t{1} << (index % 64);
  }
  void erase(std::uint32_t index) {
    const std::size_t word = index / 64;
    if (word < words_.size()) words_[word] &= ~(std::uint64_t{1} << (index % 64));
  }
  bool contains(std::uint32_t index) const {
    const std::size_t word = index / 64;
    return word < words_.size() && (words_[word] >> (index % 64) & 1) != 0;
  }
  void clear() { words_.clear(); }

  // Calls visit(index) for each member, ascending. `visit` may erase any member and insert
  // indices below the one visited; a member inserted above it may or may not be visited.
  template <class Visit>
  void for_each(Visit&& visit) const {
    for (std::size_t word = 0; word < words_.size(); ++word) {
      std::uint64_t bits = words_[word];
      while (bits != 0) {
        const auto bit = static_cast<std::uint32_t>(std::countr_zero(bits));
        bits &= bits - 1;
        visit(static_cast<std::uint32_t>(word * 64 + bit));
      }
    }
  }

 private:
  std::vector<std::uint64_t> words_;
};

}  // namespace ksim
