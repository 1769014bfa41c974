#pragma once
// Where a long run's history goes when it cannot stay in memory (issue 19 item 3): an
// anonymous file, append-only, read back by offset. It is created in a directory the user
// names and unlinked at once, so it never outlives the process, even one that crashes.
// Several RecordLogs (a history and its copies) may share one file: each appends its own
// blocks and remembers where they went; nothing written is ever changed.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace ksim::history {

// The file could not be created, written or read (a missing directory, a full disk): the
// environment's failure, not the simulator's, reported with the path and the system's reason.
class SpillError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SpillFile {
 public:
  static std::shared_ptr<SpillFile> create(const std::string& directory);
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  // Writes `size` bytes at the end of the file; returns where they start.
  std::uint64_t append(const std::uint8_t* bytes, std::size_t size);
  void read(std::uint64_t offset, std::uint8_t* bytes, std::size_t size) const;
  std::uint64_t size_bytes() const { return end_; }
  const std::string& directory() const { return directory_; }

 private:
  SpillFile(int descriptor, std::string directory) : descriptor_(descriptor), directory_(std::move(directory)) {}

  int descriptor_ = -1;
  std::string directory_;
  std::uint64_t end_ = 0;
};

}  // namespace ksim::history
