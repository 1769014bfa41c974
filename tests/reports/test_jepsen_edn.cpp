// Jepsen's history.edn (issue 16 item 3): the bounded EDN reader, the conversion to a
// client history, and bad input refused with the history.edn line at fault.
#define BOOST_TEST_MODULE jepsen edn
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "reports/edn.h"
#include "reports/jepsen_history.h"
#include "sim/check/checker.h"

using namespace ksim;
using reports::Edn;

namespace {

reports::JepsenConversion converted(const std::string& text) {
  std::istringstream in(text);
  return reports::convert_jepsen_history(in);
}

void refused(const std::string& text, std::size_t line, const std::string& words) {
  const reports::JepsenConversion result = converted(text);
  BOOST_REQUIRE_MESSAGE(result.error, "accepted: " << text);
  BOOST_TEST(result.error->line == line, text);
  BOOST_TEST(result.error->to_string("h.edn").find(words) != std::string::npos, result.error->to_string("h.edn"));
}

std::size_t edn_error_column(const std::string& text) {
  try {
    reports::parse_edn(text);
  } catch (const reports::EdnError& error) {
    return error.column;
  }
  return 0;
}

const std::string kInvoke = "{:type :invoke, :f :send, :process 0, :time 1, :value [[:send :x :a]]}\n";

}  // namespace

BOOST_AUTO_TEST_CASE(edn_values_read_as_jepsen_writes_them) {
  const Edn op = reports::parse_edn(
      R"(#jepsen.history.Op{:index 3, :type :ok, :f :txn, :value [[:send 5 [12 7N]] [:poll {5 [[0 1]]}]], :error "a \"b\"", :x #{1 2} :y nil :z (true) :w -4})");
  BOOST_REQUIRE(op.kind == Edn::Kind::map);
  BOOST_TEST(op.find("type")->is_keyword("ok"));
  BOOST_TEST(op.find("index")->integer == 3);
  const Edn& value = *op.find("value");
  BOOST_REQUIRE(value.items.size() == 2U);
  BOOST_TEST(value.items[0].items[2].items[1].integer == 7);
  BOOST_TEST(value.items[1].items[1].value_at(0).items[0].items[1].integer == 1);
  BOOST_TEST(op.find("error")->text == "a \"b\"");
  BOOST_TEST(op.find("x")->items.size() == 2U);
  BOOST_TEST((op.find("y")->kind == Edn::Kind::nil));
  BOOST_TEST(op.find("w")->integer == -4);
  BOOST_TEST(op.find("missing") == nullptr);
}

BOOST_AUTO_TEST_CASE(edn_outside_the_subset_is_refused_with_its_column) {
  BOOST_TEST(edn_error_column("{:a 1.5}") == 5U);
  BOOST_TEST(edn_error_column("{:a \\c}") == 7U);
  BOOST_TEST(edn_error_column("{:a [1 2}") == 9U);
  BOOST_TEST(edn_error_column("{:a}") == 4U);
  BOOST_TEST(edn_error_column("{:a 1} 2") == 8U);
  BOOST_TEST(edn_error_column("#_ 1") == 2U);
  BOOST_TEST(edn_error_column(std::string(70, '[') + std::string(70, ']')) > 0U);  // nesting bound
  BOOST_TEST(edn_error_column("\"open") == 6U);
}

BOOST_AUTO_TEST_CASE(a_jepsen_history_converts_to_a_client_history_judged_the_same) {
  const reports::JepsenConversion result =
      converted(kInvoke + "{:type :ok, :f :send, :process 0, :time 2, :value [[:send :x [0 :a]]]}\n"
                          "{:type :info, :f :kill, :process :nemesis, :time 3}\n"
                          "{:type :invoke, :f :poll, :process 1, :time 4, :value [[:poll]]}\n"
                          "{:type :ok, :f :poll, :process 1, :time 5, :value [[:poll {:x [[0 :a]]}]]}\n");
  BOOST_REQUIRE(!result.error);
  BOOST_TEST(result.text.find(R"("format":"ksim-client-history")") != std::string::npos);
  BOOST_TEST(result.text.find(R"("process":"p0","role":"client")") != std::string::npos);
  BOOST_TEST(result.text.find(R"("type":"ok","f":"apply","value":[{"key":null,"value":1,"partition":0,"offset":0}])") !=
             std::string::npos);
  std::istringstream text(result.text);
  const reports::ClientHistoryRead read = reports::read_client_history(text);
  BOOST_REQUIRE(read.history);
  const check::Outcome outcome = check::check(*read.history);
  BOOST_TEST(outcome.counters.acknowledged == 1U);
  BOOST_TEST(outcome.counters.delivered == 1U);
  BOOST_TEST(outcome.jepsen.unseen.count == 0U);
}

BOOST_AUTO_TEST_CASE(bad_jepsen_histories_are_refused_with_the_line) {
  refused("", 1, "empty file");
  refused("{:type :ok, :f :send, :process 0, :value [[:send :x [0 :a]]]}\n", 1, "without its :invoke");
  refused(kInvoke + "[1 2]\n", 2, "expected an operation map");
  refused(kInvoke + "{:type :done, :f :send, :process 0}\n", 2, "unknown type :done");
  refused(kInvoke + "{:type :ok, :f :send, :process 0, :time 0, :value [[:send :x [0 :a]]]}\n", 2, "goes back");
  refused(kInvoke + kInvoke, 2, "invoked again");
  refused(kInvoke + "{:type :ok, :f :poll, :process 0, :value [[:poll]]}\n", 2, "differs from its :invoke's :send");
  refused(kInvoke + "{:type :ok, :f :send, :process 0, :value [[:send :x [0 :a]] [:send :x [1 :b]]]}\n", 2,
          "2 micro-operations, its :invoke had 1");
  refused(kInvoke + "{:type :ok, :f :send, :process 0, :value [[:append :x 1]]}\n", 2, "expected [:send k v]");
  refused(kInvoke + "{:type :ok, :f :send, :process 0, :value [[:send :x [0 :a]]\n", 2, "not EDN (column");
  refused(kInvoke + std::string("{:type \x01}\n"), 2, "binary data");
  refused("{:type :invoke, :f :send, :time 1, :value []}\n", 1, ":process: missing");
  refused(kInvoke + "{:type :ok, :f :send, :process 0, :value [[:send :x [-1 :a]]]}\n", 2, "never negative");
}

// A problem the client-history reader finds in the converted text names the history.edn line
// it came from: here the completion sends another value than its invoke.
BOOST_AUTO_TEST_CASE(a_reader_error_names_the_history_edn_line) {
  const std::string path = "/tmp/ksim-test-jepsen-edn-" + std::to_string(::getpid()) + ".edn";
  {
    std::ofstream out(path);
    out << "; a comment line\n" << kInvoke << "{:type :ok, :f :send, :process 0, :value [[:send :x [0 :b]]]}\n";
  }
  const reports::ClientHistoryRead read = reports::read_jepsen_history_file(path);
  std::remove(path.c_str());
  BOOST_REQUIRE(read.error);
  BOOST_TEST(read.error->line == 3U);
  BOOST_TEST(read.error->message.find("differs from the message of the send's invoke") != std::string::npos);
}
