#define BOOST_TEST_MODULE check_pipeline
#include <boost/test/unit_test.hpp>

#include "sim/check/checker.h"
#include "tests/check/history_builder.h"

// Pipelines (issue 15 item 6): the checker follows each input message through the output
// records linked to it (OutputProducedRecord) to the downstream group's effects, per stage
// and end to end, from a hand-written history.
using namespace ksim;
using namespace ksim::check::testing;

namespace {

// orders-0 (partition 0) is the input topic, results-0 (partition 1) the output topic.
// Group 0, enrich, is the processor (consumer-1); group 1, billing, reads results
// (consumer-2). Input 2 is processed twice (a crash before its commit: two output
// records), input 3 never (lost); every output record is applied once downstream.
history::History pipeline_history() {
  HistoryBuilder b;
  b.h.partitions = {{"orders", 0}, {"results", 0}};
  b.h.producers.push_back({ksim::NodeId{kConsumer1}, history::Acks::all, false, 1});
  b.group("enrich", "after-processing", false, {0}).group("billing", "after-processing", false, {1});
  b.h.groups[0].output_partitions = {ksim::PartitionId{1}};
  b.at(1).write(1, 0, 0).write(2, 0, 1).write(3, 0, 2);
  b.at(2).poll(kConsumer1, 0, 0, 0, 1).produce_output(kConsumer1, 0, 0, 0, 1, 101).write_by(kConsumer1, 101, 1, 0);
  b.apply(kConsumer1, 0, 0, 0, 1);
  b.at(3).poll(kConsumer1, 0, 0, 1, 2).produce_output(kConsumer1, 0, 0, 1, 2, 102).write_by(kConsumer1, 102, 1, 1);
  b.apply(kConsumer1, 0, 0, 1, 2);
  b.at(4).fault(kConsumer1, history::FaultKind::crash).fault(kConsumer1, history::FaultKind::restart);
  b.at(5).poll(kConsumer1, 0, 0, 1, 2).produce_output(kConsumer1, 0, 0, 1, 2, 103).write_by(kConsumer1, 103, 1, 2);
  b.apply(kConsumer1, 0, 0, 1, 2);
  b.at(6).read(kConsumer2, 1, 1, 0, 101).read(kConsumer2, 1, 1, 1, 102).read(kConsumer2, 1, 1, 2, 103);
  return b.build();
}

}  // namespace

BOOST_AUTO_TEST_CASE(one_duplicated_and_one_lost_end_to_end) {
  const check::Outcome outcome = check::check(pipeline_history(), {});
  const check::PipelineCounters& p = outcome.pipeline;
  BOOST_TEST(p.present);
  // Input -> processor: input 2 applied twice, input 3 never.
  BOOST_TEST(p.input_to_processor.delivered == 2U);
  BOOST_TEST(p.input_to_processor.duplicated == 1U);
  BOOST_TEST(p.input_to_processor.lost == 1U);
  // Output topic -> downstream: each of the three output records applied once.
  BOOST_TEST(p.output_to_downstream.delivered == 3U);
  BOOST_TEST(p.output_to_downstream.duplicated == 0U);
  BOOST_TEST(p.output_to_downstream.lost == 0U);
  // End to end: input 2 reached billing twice (through 102 and 103), input 3 never.
  BOOST_TEST(p.end_to_end.delivered == 2U);
  BOOST_TEST(p.end_to_end.duplicated == 1U);
  BOOST_TEST(p.end_to_end.lost == 1U);
  BOOST_TEST(p.end_to_end.reordered == 0U);
}

BOOST_AUTO_TEST_CASE(downstream_order_against_the_inputs_send_order) {
  // billing applies input 2's output before input 1's: one end-to-end inversion.
  HistoryBuilder b;
  b.h.partitions = {{"orders", 0}, {"results", 0}};
  b.h.producers.push_back({ksim::NodeId{kConsumer1}, history::Acks::all, false, 1});
  b.group("enrich", "after-processing", false, {0}).group("billing", "after-processing", false, {1});
  b.h.groups[0].output_partitions = {ksim::PartitionId{1}};
  b.at(1).write(1, 0, 0).write(2, 0, 1);
  b.at(2).produce_output(kConsumer1, 0, 0, 1, 2, 102).write_by(kConsumer1, 102, 1, 0).apply(kConsumer1, 0, 0, 1, 2);
  b.at(3).produce_output(kConsumer1, 0, 0, 0, 1, 101).write_by(kConsumer1, 101, 1, 1).apply(kConsumer1, 0, 0, 0, 1);
  b.at(4).read(kConsumer2, 1, 1, 0, 102).read(kConsumer2, 1, 1, 1, 101);
  const check::Outcome outcome = check::check(b.build(), {});
  BOOST_TEST(outcome.pipeline.input_to_processor.reordered == 1U);
  BOOST_TEST(outcome.pipeline.output_to_downstream.reordered == 0U);  // written 102 then 101, read so
  BOOST_TEST(outcome.pipeline.end_to_end.reordered == 1U);
  BOOST_TEST(outcome.pipeline.end_to_end.lost == 0U);
}

BOOST_AUTO_TEST_CASE(no_pipeline_without_a_processor_group) {
  HistoryBuilder b;
  b.group("billing", "after-processing", false, {0});
  b.at(1).write(1, 0, 0).at(2).read(kConsumer1, 0, 0, 0, 1);
  BOOST_TEST(!check::check(b.build(), {}).pipeline.present);
}
