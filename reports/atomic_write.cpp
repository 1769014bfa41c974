#include "reports/atomic_write.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "reports/html_report.h"
#include "reports/junit_xml.h"
#include "reports/results_doc.h"
#include "reports/summary_markdown.h"

namespace ksim::reports {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const char* step, int error) {
  throw std::runtime_error(fmt::format("cannot write {}: {} failed: {}", path.string(), step, std::strerror(error)));
}

// Writes all of `content` to `fd`, retrying short writes and EINTR; returns errno or 0.
int write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t written = ::write(fd, content.data(), content.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    content.remove_prefix(static_cast<std::size_t>(written));
  }
  return 0;
}

// fsync of the directory makes the rename itself durable; best effort, since some file
// systems refuse fsync on directories and the file's own content is already safe.
void sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  // Built with append, not operator+: g++ 12 -O3 warns falsely (-Wrestrict) on "." + string.
  std::string name(1, '.');
  name.append(path.filename().string()).append(".tmp-XXXXXX");
  std::string temp = (dir / name).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) fail(path, "creating a temp file", errno);
  const auto abandon = [&](const char* step, int error) {
    ::close(fd);
    ::unlink(temp.c_str());
    fail(path, step, error);
  };
  // mkstemp makes the file 0600; a report is meant to be read by others, like any file.
  if (::fchmod(fd, 0644) != 0) abandon("fchmod", errno);
  if (const int error = write_all(fd, content); error != 0) abandon("write", error);
  if (::fsync(fd) != 0) abandon("fsync", errno);
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    fail(path, "close", error);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    fail(path, "rename", error);
  }
  sync_directory(dir);
}

void write_report_dir(const std::filesystem::path& dir, const nlohmann::json& results) {
  require_results_schema(results);
  // Render everything first: a renderer that throws leaves the directory untouched.
  const std::string results_text = results.dump(2) + "\n";
  const std::string summary = render_summary_markdown(results);
  const std::string junit = render_junit_xml(results);
  const std::string html = render_html_report(results);
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) throw std::runtime_error(fmt::format("cannot create {}: {}", dir.string(), error.message()));
  write_file_atomically(dir / "results.json", results_text);
  write_file_atomically(dir / "summary.md", summary);
  write_file_atomically(dir / "junit.xml", junit);
  write_file_atomically(dir / "report.html", html);
}

}  // namespace ksim::reports
