// write_file_atomically: a reader sees the old file or the new one, never a part.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "reports/atomic_write.h"
#include "tests/reports/report_fixture.h"

using namespace ksim::reports;
using namespace ksim::reports::testing;

namespace {

std::filesystem::path fresh_dir(const std::string& name) {
  const std::filesystem::path dir = out_dir() / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::size_t temp_files(const std::filesystem::path& dir) {
  std::size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) n += entry.path().filename().string().find(".tmp-") != std::string::npos;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(atomic_write)

BOOST_AUTO_TEST_CASE(replaces_content) {
  const std::filesystem::path dir = fresh_dir("atomic_replace");
  write_file_atomically(dir / "a.txt", "old");
  write_file_atomically(dir / "a.txt", "new content");
  BOOST_TEST(read_text(dir / "a.txt") == "new content");
  BOOST_TEST(temp_files(dir) == 0u);
}

// A failing rename (the target is a directory) must throw with the path and leave no
// temp file. Root ignores permission bits, so a read-only folder would not fail reliably.
BOOST_AUTO_TEST_CASE(failure_removes_temp_and_names_the_path) {
  const std::filesystem::path dir = fresh_dir("atomic_failure");
  std::filesystem::create_directories(dir / "target" / "child");
  try {
    write_file_atomically(dir / "target", "content");
    BOOST_FAIL("expected an exception");
  } catch (const std::runtime_error& error) {
    BOOST_TEST(std::string(error.what()).find((dir / "target").string()) != std::string::npos, error.what());
  }
  BOOST_TEST(temp_files(dir) == 0u);
  BOOST_CHECK_THROW(write_file_atomically(dir / "missing-folder" / "x.txt", "content"), std::runtime_error);
}

// A writer SIGKILLed in the middle of writing: the target keeps its old content, whole.
// The child writes 256 MiB; the parent kills it as soon as its temp file has data in it.
BOOST_AUTO_TEST_CASE(killed_writer_leaves_old_file_whole) {
  const std::filesystem::path dir = fresh_dir("atomic_kill");
  const std::string old_content = "old content, complete\n";
  write_file_atomically(dir / "report.html", old_content);
  const pid_t child = ::fork();
  BOOST_TEST_REQUIRE(child >= 0);
  if (child == 0) {
    const std::string huge(256u << 20, 'x');
    write_file_atomically(dir / "report.html", huge);
    ::_exit(0);
  }
  bool killed_midway = false;
  for (int i = 0; i < 20000 && !killed_midway; ++i) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      std::error_code error;
      if (entry.path().filename().string().find(".tmp-") != std::string::npos && std::filesystem::file_size(entry.path(), error) > 0) {
        ::kill(child, SIGKILL);
        killed_midway = true;
        break;
      }
    }
    if (!killed_midway) std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  if (!killed_midway) ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  const std::string after = read_text(dir / "report.html");
  if (WIFSIGNALED(status)) {
    BOOST_TEST(after == old_content);
  } else {
    BOOST_TEST(after.size() == (256u << 20));  // the child won the race: the new file, whole
  }
  BOOST_TEST_MESSAGE("killed midway: " << killed_midway << ", stale temp files: " << temp_files(dir));
}

BOOST_AUTO_TEST_SUITE_END()
