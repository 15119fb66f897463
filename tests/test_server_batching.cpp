// The server's pieces in-process: the batch queue (outputs, fairness, limits) and the HTML text
// splitting of format=html.
#include <catch2/catch.hpp>

#include <fstream>
#include <thread>

#include "../src/server/batch_queue.h"
#include "../src/server/html_text.h"
#include "crossmt/error.h"
#include "crossmt/translator.h"

using namespace crossmt;
using namespace crossmt::server;

namespace {

const Translator& shared_translator() {
  static const Translator translator(CROSSMT_MODELS_DIR "/m30k-mul-marian");
  return translator;
}

std::vector<std::vector<int>> encoded_lines(size_t begin, size_t count) {
  std::ifstream in(CROSSMT_MODELS_DIR "/../data/multi30k/test_2016_flickr.en");
  std::vector<std::vector<int>> sources;
  size_t index = 0;
  const std::string token = shared_translator().language_token("de");
  for (std::string line; sources.size() < count && std::getline(in, line); ++index)
    if (index >= begin) sources.push_back(shared_translator().encode_line(line, token));
  return sources;
}

}  // namespace

TEST_CASE("batch queue: results equal translating each request alone", "[server]") {
  const Translator& translator = shared_translator();
  SearchOptions search = translator.default_search_options();
  search.num_beams = 2;
  BatchQueueOptions options;
  options.max_batch_tokens = 200;
  options.max_wait = std::chrono::milliseconds(20);
  BatchQueue queue(translator, options);
  std::vector<std::vector<std::vector<int>>> requests;
  for (size_t r = 0; r < 6; ++r) requests.push_back(encoded_lines(r * 5, 1 + r));
  requests[2].insert(requests[2].begin() + 1, std::vector<int>{});  // an empty line stays empty
  std::vector<std::future<std::vector<TranslationResult>>> pending;
  for (const auto& sources : requests) pending.push_back(queue.submit(sources, search));
  for (size_t r = 0; r < requests.size(); ++r) {
    const auto batched = pending[r].get();
    const auto alone = translator.translate_ids(requests[r], search);
    REQUIRE(batched.size() == alone.size());
    for (size_t i = 0; i < alone.size(); ++i) {
      REQUIRE(batched[i].hypotheses.size() == alone[i].hypotheses.size());
      for (size_t n = 0; n < alone[i].hypotheses.size(); ++n) {
        CHECK(batched[i].hypotheses[n].ids == alone[i].hypotheses[n].ids);
        CHECK(batched[i].hypotheses[n].score == Approx(alone[i].hypotheses[n].score).margin(1e-5));
      }
      CHECK(batched[i].texts == alone[i].texts);
    }
  }
  CHECK(queue.queued_sentences() == 0);
  CHECK(queue.accepted_sentences() == 6 * 7 / 2);
}

TEST_CASE("batch queue: a long request does not starve a short one", "[server]") {
  const Translator& translator = shared_translator();
  SearchOptions search = translator.default_search_options();
  search.num_beams = 1;
  BatchQueueOptions options;
  options.max_batch_tokens = 40;  // two or three sentences per batch
  options.max_wait = std::chrono::milliseconds(0);
  BatchQueue queue(translator, options);
  auto long_request = queue.submit(encoded_lines(0, 60), search);
  auto short_request = queue.submit(encoded_lines(100, 1), search);
  CHECK(short_request.get().front().hypotheses.size() == 1);
  CHECK(long_request.wait_for(std::chrono::seconds(0)) != std::future_status::ready);
  CHECK(long_request.get().size() == 60);
}

TEST_CASE("batch queue: limits and shutdown", "[server]") {
  const Translator& translator = shared_translator();
  const SearchOptions search = translator.default_search_options();
  BatchQueueOptions options;
  options.max_queued_sentences = 3;
  options.max_wait = std::chrono::milliseconds(200);
  BatchQueue queue(translator, options);
  CHECK_THROWS_AS(queue.submit(encoded_lines(0, 4), search), Error);  // could never fit
  auto first = queue.submit(encoded_lines(0, 2), search);
  CHECK_THROWS_AS(queue.submit(encoded_lines(2, 2), search), QueueFull);  // fits later
  CHECK(queue.queued_sentences() == 2);
  queue.stop();  // finishes what was queued
  CHECK(first.get().size() == 2);
  CHECK_THROWS_AS(queue.submit(encoded_lines(0, 1), search), QueueFull);
}

TEST_CASE("html text: text nodes out, markup kept, entities decoded and re-escaped", "[server]") {
  const auto segments = split_html(
      "<p class=\"a\"> Fish &amp; chips </p><script>var x = '<b>no</b>';</script><!-- c --><b>Two&#33;</b>\n");
  REQUIRE(segments.texts == std::vector<std::string>{"Fish & chips", "Two!"});
  CHECK(join_html(segments, {"A < B", "Zwei"}) ==
        "<p class=\"a\"> A &lt; B </p><script>var x = '<b>no</b>';</script><!-- c --><b>Zwei</b>\n");
  CHECK(join_html(split_html("no markup"), {"keine"}) == "keine");
  CHECK(split_html("<br/><img src=x>").texts.empty());
  CHECK(join_html(split_html("<a href='x'>unclosed"), {"offen"}) == "<a href='x'>offen");
}
