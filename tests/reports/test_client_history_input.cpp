// Bad client histories (issue 16, "Bad input"): each is refused with the line (and field)
// at fault and nothing judged; a good one reads into the client-side records.
#define BOOST_TEST_MODULE client history input
#include <boost/test/unit_test.hpp>

#include <sstream>
#include <string>

#include "reports/client_history_reader.h"
#include "sim/check/checker.h"

namespace {

using ksim::reports::ClientHistoryLimits;
using ksim::reports::ClientHistoryRead;

const std::string kHeader =
    R"({"format":"ksim-client-history","version":1,"partitions":["t-0"],)"
    R"("groups":[{"name":"g","partitions":[]}],)"
    R"("processes":[{"process":"p","role":"producer","acks":"all"},{"process":"c","role":"consumer","group":0}]})"
    "\n";
const std::string kSend = R"({"id":1,"time":5,"process":"p","type":"invoke","f":"send","value":[{"key":3,"value":7,"partition":0}]})" "\n";
const std::string kAck = R"({"id":1,"time":9,"process":"p","type":"ok","f":"send","value":[{"key":3,"value":7,"partition":0,"offset":0}]})" "\n";
const std::string kPoll = R"({"id":2,"time":12,"process":"c","type":"invoke","f":"poll","value":[]})" "\n"
                          R"({"id":2,"time":12,"process":"c","type":"ok","f":"poll","value":[{"key":3,"value":7,"partition":0,"offset":0}]})" "\n";

std::string end_line(int ops) { return R"({"end":true,"ops":)" + std::to_string(ops) + "}\n"; }

ClientHistoryRead read(const std::string& text, const ClientHistoryLimits& limits = {}) {
  std::istringstream in(text);
  return ksim::reports::read_client_history(in, limits);
}

// The read is refused at `line`, with `field` and a message holding `words`; nothing is judged.
void refused(const std::string& text, std::size_t line, const std::string& field, const std::string& words,
             const ClientHistoryLimits& limits = {}) {
  const ClientHistoryRead result = read(text, limits);
  BOOST_REQUIRE_MESSAGE(result.error, "accepted: " << text);
  BOOST_TEST(!result.history);
  BOOST_TEST(result.error->line == line, result.error->to_string("h.jsonl"));
  BOOST_TEST(result.error->field == field, result.error->to_string("h.jsonl"));
  BOOST_TEST(result.error->message.find(words) != std::string::npos, result.error->to_string("h.jsonl"));
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_good_history_is_judged) {
  const ClientHistoryRead result = read(kHeader + kSend + kAck + kPoll + end_line(4));
  BOOST_REQUIRE(result.history);
  const ksim::check::Outcome outcome = ksim::check::check(*result.history);
  BOOST_TEST(outcome.counters.produced == 1U);
  BOOST_TEST(outcome.counters.acknowledged == 1U);
  BOOST_TEST(outcome.counters.delivered == 1U);  // no apply operations: a poll counts as applied
  BOOST_TEST(outcome.counters.lost == 0U);
  BOOST_TEST(outcome.jepsen.unseen.count == 0U);
}

BOOST_AUTO_TEST_CASE(an_unpolled_acknowledged_send_is_lost_and_unseen) {
  const ClientHistoryRead result = read(kHeader + kSend + kAck + end_line(2));
  BOOST_REQUIRE(result.history);
  const ksim::check::Outcome outcome = ksim::check::check(*result.history);
  BOOST_TEST(outcome.counters.lost == 1U);
  BOOST_TEST(outcome.jepsen.unseen.count == 1U);
}

BOOST_AUTO_TEST_CASE(truncated_histories_are_refused) {
  const std::string whole = kHeader + kSend + kAck;
  refused(whole.substr(0, whole.size() - 20), 3, "", "truncated");  // half a line: no newline
  refused(kHeader + kSend + kAck, 4, "", "without its end line");   // cut at a line boundary
  refused(kHeader + kSend + R"({"id":1,"time":9,"process")" "\n" + end_line(1), 3, "", "not valid JSON");
  refused(kHeader + kSend + end_line(2), 3, "ops", "counts 2 operations");
  refused("", 1, "", "empty file");
}

BOOST_AUTO_TEST_CASE(out_of_order_and_duplicate_operations_are_refused) {
  refused(kHeader + kAck + end_line(1), 2, "id", "without its invoke");
  refused(kHeader + kSend + kSend + end_line(2), 3, "id", "duplicate operation id 1");
  refused(kHeader + kSend + kAck + kAck + end_line(3), 4, "id", "completed twice");
  const std::string earlier = R"({"id":1,"time":4,"process":"p","type":"ok","f":"send","value":[]})" "\n";
  refused(kHeader + kSend + earlier + end_line(2), 3, "time", "goes back");
  refused(kHeader + kSend + kAck + end_line(2) + kPoll, 5, "", "after the end line");
}

BOOST_AUTO_TEST_CASE(unknown_fields_types_and_names_are_refused) {
  refused(kHeader + R"({"id":1,"time":5,"process":"p","type":"invoke","f":"send","colour":1,"value":[]})" "\n", 2,
          "colour", "unknown field");
  refused(kHeader + R"({"id":1,"time":5,"process":"p","type":"maybe","f":"send","value":[{"value":7,"partition":0}]})" "\n",
          2, "type", "unknown type");
  refused(kHeader + R"({"id":1,"time":5,"process":"p","type":"invoke","f":"commit","value":[]})" "\n", 2, "f",
          "unknown operation");
  refused(kHeader + R"({"id":1,"time":5,"process":"q","type":"invoke","f":"send","value":[]})" "\n", 2, "process",
          "not declared");
  refused(kHeader + R"({"id":1,"time":5,"process":"p","type":"invoke","f":"send","value":[{"value":7,"partition":4}]})" "\n",
          2, "value[].partition", "over the bound");
  refused(kHeader + kSend + R"({"id":1,"time":9,"process":"p","type":"fail","f":"send","error":"oops","value":[]})" "\n",
          3, "error", "unknown error");
  refused(kHeader + R"({"id":-1,"time":5,"process":"p","type":"invoke","f":"send","value":[]})" "\n", 2, "id",
          "non-negative integer");
}

BOOST_AUTO_TEST_CASE(wrong_format_or_version_is_refused) {
  refused(R"({"format":"jepsen","version":1})" "\n", 1, "format", "must be the header");
  std::string v3 = kHeader;
  v3.replace(v3.find("\"version\":1"), 11, "\"version\":3");
  refused(v3 + end_line(0), 1, "version", "version 3 is not supported");
  refused(R"({"format":"ksim-client-history","version":1,"partitions":[],"processes":[],"extra":0})" "\n", 1, "extra",
          "unknown field");
}

BOOST_AUTO_TEST_CASE(binary_input_is_refused) {
  refused(std::string("\x7f" "ELF\x02\x01\x01\0\0\0\n", 11), 1, "", "binary data");
  refused(kHeader + std::string("{\"id\":1,\0}\n", 11), 2, "", "binary data");
  refused(kHeader + "{\"id\":\"\xff\xfe\"}\n", 2, "", "not valid JSON");
}

BOOST_AUTO_TEST_CASE(histories_over_the_bounds_are_refused) {
  ClientHistoryLimits small;
  small.max_bytes = kHeader.size() + 10;
  refused(kHeader + kSend + kAck + end_line(2), 2, "", "size bound", small);
  ClientHistoryLimits few_lines;
  few_lines.max_lines = 2;
  refused(kHeader + kSend + kAck + end_line(2), 3, "", "bound of 2 lines", few_lines);
  ClientHistoryLimits short_lines;
  short_lines.max_line_bytes = 50;
  refused(kHeader + end_line(0), 1, "", "longer than the bound", short_lines);
}

// Version 2 (transactions): its additions are refused in a version 1 file, and checked in a
// version 2 one.
BOOST_AUTO_TEST_CASE(transactions_need_version_2_and_are_checked) {
  const std::string txn = R"({"id":1,"time":5,"process":"p","type":"invoke","f":"txn","value":[{"transaction":0}]})" "\n";
  refused(kHeader + txn, 2, "f", "txn needs version 2");
  refused(kHeader + R"({"id":1,"time":5,"process":"p","type":"invoke","f":"send","value":[{"value":7,"partition":0,"transaction":0}]})" "\n",
          2, "value[].transaction", "transactions need version 2");
  std::string v2 = kHeader;
  v2.replace(v2.find("\"version\":1"), 11, "\"version\":2");
  refused(v2 + R"({"id":1,"time":5,"process":"p","type":"invoke","f":"txn","value":[]})" "\n", 2, "value",
          "names the one transaction");
  refused(v2 + R"({"id":1,"time":5,"process":"p","type":"invoke","f":"txn","value":[{"transaction":-2}]})" "\n", 2,
          "value[].transaction", "non-negative integer");
  refused(v2 + R"({"id":1,"time":5,"process":"c","type":"invoke","f":"poll","value":[]})" "\n"
               R"({"id":1,"time":5,"process":"c","type":"ok","f":"poll","value":[{"value":7,"partition":0,"offset":0,"transaction":1}]})" "\n",
          3, "value[].transaction", "only an applied");
  std::string client_v1 = kHeader;
  client_v1.replace(client_v1.find("\"role\":\"producer\""), 17, "\"role\":\"client\"");
  refused(client_v1 + end_line(0), 1, "processes[].role", "needs version 2");
}
