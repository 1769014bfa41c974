#pragma once
// An append-only sequence stored in fixed-size blocks. Growing never copies what is
// already stored and never holds a doubled buffer: a long run's history grows by one
// block at a time, so its memory is what it holds plus at most one block.
#include <cstddef>
#include <vector>

namespace ksim::history {

template <class T, std::size_t kBlockElements = 8192>
class ChunkedVector {
  static_assert((kBlockElements & (kBlockElements - 1)) == 0, "a power of two keeps indexing to a shift and a mask");

 public:
  void push_back(const T& value) {
    if (blocks_.empty() || blocks_.back().size() == kBlockElements) {
      blocks_.emplace_back();
    }
    std::vector<T>& last = blocks_.back();
    // Reserved whole once (a copied block has capacity == size), so a block never reallocates.
    if (last.size() == last.capacity()) last.reserve(kBlockElements);
    last.push_back(value);
    ++size_;
  }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](std::size_t index) const { return blocks_[index / kBlockElements][index % kBlockElements]; }
  T& operator[](std::size_t index) { return blocks_[index / kBlockElements][index % kBlockElements]; }
  const T& back() const { return blocks_.back().back(); }
  static constexpr std::size_t block_elements() { return kBlockElements; }

 private:
  std::vector<std::vector<T>> blocks_;
  std::size_t size_ = 0;
};

}  // namespace ksim::history
