// render_chrome_trace on a small hand-built history: valid JSON with every event type.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "reports/trace_writer.h"

using namespace ksim;
using history::RecordKind;

namespace {

history::History small_history() {
  history::History h;
  h.nodes = {{"broker-1", "broker"}, {"broker-2", "broker"}, {"producer-0", "producer"}, {"consumer-0", "consumer"}};
  h.partitions = {{"orders", 0}};
  const auto add = [&h](TimeNs t, RecordKind kind, std::uint32_t node, std::uint64_t id, std::int64_t offset, std::uint8_t detail = 0) {
    history::Record r;
    r.time_ns = t;
    r.kind = kind;
    r.node = node;
    r.message_id = id;
    r.offset = offset;
    r.detail = detail;
    r.epoch = 1;
    h.add(r);
  };
  add(1000, RecordKind::leader_elected, 0, 0, history::kNoOffset);
  add(2500, RecordKind::send, 2, 7, history::kNoOffset);
  add(3001, RecordKind::append, 0, 7, 0, 1);
  add(3500, RecordKind::append, 1, 7, 0, 0);
  add(4000, RecordKind::high_watermark, 0, 0, 1);
  add(4500, RecordKind::send_acknowledged, 2, 7, 0);
  add(5000, RecordKind::fault, 0, 0, history::kNoOffset, static_cast<std::uint8_t>(history::FaultKind::crash));
  add(6000, RecordKind::poll, 3, 7, 0);
  add(6100, RecordKind::effect_applied, 3, 7, 0);
  return h;
}

std::size_t count_phase(const nlohmann::json& trace, const std::string& phase) {
  std::size_t n = 0;
  for (const auto& event : trace["traceEvents"]) n += event["ph"] == phase;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(trace_writer)

BOOST_AUTO_TEST_CASE(all_event_kinds_present) {
  const nlohmann::json trace = nlohmann::json::parse(reports::render_chrome_trace(small_history()));
  BOOST_TEST(trace["displayTimeUnit"] == "ns");
  BOOST_TEST(count_phase(trace, "M") == 8u);  // 4 process names + 4 thread names
  BOOST_TEST(count_phase(trace, "C") == 1u);
  BOOST_TEST(count_phase(trace, "s") == 2u);  // send -> append, append -> effect
  BOOST_TEST(count_phase(trace, "f") == 2u);
  BOOST_TEST(count_phase(trace, "i") == 8u);
  bool saw_process_name = false, saw_fractional_ts = false, saw_global = false;
  for (const auto& event : trace["traceEvents"]) {
    if (event["ph"] == "M" && event["name"] == "process_name" && event["args"]["name"] == "producer-0") saw_process_name = event["pid"] == 2;
    if (event["ph"] == "i" && event["name"] == "append" && event["args"]["message_id"] == 7 && event["ts"] == 3.001) saw_fractional_ts = true;
    if (event["ph"] == "i" && event.value("s", "") == "g") saw_global = true;
    if (event["ph"] == "f") BOOST_TEST(event["bp"] == "e");
  }
  BOOST_TEST(saw_process_name);
  BOOST_TEST(saw_fractional_ts);
  BOOST_TEST(saw_global);
}

BOOST_AUTO_TEST_CASE(size_is_bounded) {
  history::History h = small_history();
  const history::Record send = h.records[1];
  for (int i = 0; i < 1000; ++i) h.add(send);
  const nlohmann::json trace = nlohmann::json::parse(reports::render_chrome_trace(h, 50));
  BOOST_TEST(trace["traceEvents"].size() == 50u);
  BOOST_TEST(trace["traceEvents"].back()["name"] == "trace truncated");
}

BOOST_AUTO_TEST_SUITE_END()
