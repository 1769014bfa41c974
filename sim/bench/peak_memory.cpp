#include "sim/bench/peak_memory.h"

#include <fstream>
#include <string>

namespace ksim {

namespace {

std::uint64_t status_bytes(const char* field) {
  std::ifstream status("/proc/self/status");
  const std::string prefix(field);
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(prefix, 0) == 0) {
      return std::stoull(line.substr(prefix.size())) * 1024;  // reported in kB
    }
  }
  return 0;
}

}  // namespace

std::uint64_t peak_rss_bytes() { return status_bytes("VmHWM:"); }

std::uint64_t current_rss_bytes() { return status_bytes("VmRSS:"); }

void reset_peak_rss() {
  std::ofstream clear_refs("/proc/self/clear_refs");
  clear_refs << "5";  // Linux 4.0+: the peak RSS (VmHWM) starts again from the current RSS
}

}  // namespace ksim
