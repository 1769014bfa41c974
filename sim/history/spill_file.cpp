#include "sim/history/spill_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <vector>

namespace ksim::history {

namespace {

std::string reason() { return std::strerror(errno); }

}  // namespace

std::shared_ptr<SpillFile> SpillFile::create(const std::string& directory) {
  std::string path = directory + "/ksim-history-XXXXXX";
  std::vector<char> name(path.begin(), path.end());
  name.push_back('\0');
  const int descriptor = ::mkstemp(name.data());
  if (descriptor < 0) {
    throw SpillError(fmt::format("cannot create the history file in '{}': {}", directory, reason()));
  }
  // Unlinked at once: the space is freed when the descriptor closes, however the process ends.
  ::unlink(name.data());
  return std::shared_ptr<SpillFile>(new SpillFile(descriptor, directory));
}

SpillFile::~SpillFile() {
  if (descriptor_ >= 0) ::close(descriptor_);
}

std::uint64_t SpillFile::append(const std::uint8_t* bytes, std::size_t size) {
  const std::uint64_t start = end_;
  std::size_t written = 0;
  while (written < size) {
    const ssize_t n = ::pwrite(descriptor_, bytes + written, size - written, static_cast<off_t>(start + written));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw SpillError(fmt::format("cannot write the history file in '{}' ({} bytes written so far): {}", directory_,
                                   start + written, n < 0 ? reason() : "no space written"));
    }
    written += static_cast<std::size_t>(n);
  }
  end_ += size;
  return start;
}

void SpillFile::read(std::uint64_t offset, std::uint8_t* bytes, std::size_t size) const {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(descriptor_, bytes + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw SpillError(fmt::format("cannot read the history file in '{}' at byte {}: {}", directory_, offset + done,
                                   n < 0 ? reason() : "unexpected end of file"));
    }
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace ksim::history
