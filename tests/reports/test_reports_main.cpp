#define BOOST_TEST_MODULE reports
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "tests/reports/report_fixture.h"

// Every test may write into the build-side output folder.
struct OutputDirectory {
  OutputDirectory() { std::filesystem::create_directories(ksim::reports::testing::out_dir()); }
};
BOOST_TEST_GLOBAL_FIXTURE(OutputDirectory);
