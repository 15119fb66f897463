// Search against transformers' generate(): tiny marian (greedy and beam with length_penalty 0.6
// and no_repeat_ngram_size 2) and the default model on reference rows.
#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "crossmt/checkpoint.h"
#include "crossmt/logits_processor.h"
#include "crossmt/model.h"
#include "crossmt/search.h"
#include "reference_data.h"

using crossmt::testing::test_data;

namespace {

struct TinyMarian {
  crossmt::Checkpoint checkpoint = crossmt::Checkpoint::open(test_data("tiny-archs/marian_shared"));
  crossmt::Seq2SeqModel model{checkpoint};
  nlohmann::json reference = [] {
    std::ifstream in(test_data("tiny-archs/marian_shared/reference.json"));
    return nlohmann::json::parse(in);
  }();

  // reference.json's `generate` arguments are those of the beam run; its greedy sequences repeat
  // bigrams, so they were made without no_repeat_ngram_size (and length_penalty is beam-only).
  crossmt::SearchOptions options(int beams) const {
    auto options = crossmt::search_options_from(checkpoint.config().generation);
    const auto& generate = reference["generate"];
    options.num_beams = beams;
    options.max_length = 1 + generate["max_new_tokens"].get<int>();
    options.bad_words_ids = generate["bad_words_ids"].get<std::vector<std::vector<int>>>();
    if (beams > 1) {
      options.length_penalty = generate["length_penalty"].get<double>();
      options.no_repeat_ngram_size = generate["no_repeat_ngram_size"].get<int>();
    }
    return options;
  }
  std::vector<std::vector<int>> inputs() const {
    std::vector<std::vector<int>> result;
    for (const auto& input : reference["inputs"]) result.push_back(input.get<std::vector<int>>());
    return result;
  }
};

// Reference sequences include the decoder start and may be padded after EOS.
std::vector<int> generated_part(const nlohmann::json& sequence, int pad, int eos) {
  auto ids = sequence.get<std::vector<int>>();
  ids.erase(ids.begin());
  auto end = std::find(ids.begin(), ids.end(), eos);
  if (end != ids.end()) ids.erase(end + 1, ids.end());
  while (!ids.empty() && ids.back() == pad) ids.pop_back();
  return ids;
}

const TinyMarian& tiny() {
  static TinyMarian instance;
  return instance;
}

}  // namespace

TEST_CASE("tiny marian: greedy and beam search equal transformers' sequences and scores") {
  const auto& t = tiny();
  const auto inputs = t.inputs();
  const int pad = t.checkpoint.config().pad_token_id, eos = t.checkpoint.config().eos_token_id;
  for (const bool batched : {true, false}) {
    INFO("batched " << batched);
    for (const int beams : {1, 4}) {
      std::vector<std::vector<crossmt::Hypothesis>> results;
      if (batched) {
        results = crossmt::generate(t.model, t.model.encode(inputs), t.options(beams));
      } else {
        for (const auto& input : inputs) results.push_back(crossmt::generate(t.model, t.model.encode({input}), t.options(beams))[0]);
      }
      const auto& expected = t.reference[beams == 1 ? "greedy_sequences" : "beam_sequences"];
      for (size_t b = 0; b < inputs.size(); ++b) {
        INFO("beams " << beams << " sentence " << b);
        CHECK(results[b][0].ids == generated_part(expected[b], pad, eos));
        if (beams > 1) CHECK(std::abs(results[b][0].score - t.reference["beam_sequences_scores"][b].get<float>()) <= 1e-4);
      }
    }
  }
}

TEST_CASE("n-best lists are sorted and as long as asked") {
  const auto& t = tiny();
  auto options = t.options(4);
  options.num_return_sequences = 3;
  const auto results = crossmt::generate(t.model, t.model.encode(t.inputs()), options);
  for (const auto& list : results) {
    REQUIRE(list.size() == 3);
    CHECK(list[0].score >= list[1].score);
    CHECK(list[1].score >= list[2].score);
  }
  options.num_return_sequences = 5;
  CHECK_THROWS_WITH(crossmt::generate(t.model, t.model.encode(t.inputs()), options),
                    Catch::Contains("num_return_sequences"));
}

TEST_CASE("logits processors follow transformers") {
  crossmt::SearchOptions options;
  options.max_length = 10;
  options.eos_token_id = 0;
  std::vector<float> scores(6, -1.f);

  SECTION("no_repeat_ngram_size bans the token completing a seen n-gram") {
    options.no_repeat_ngram_size = 2;
    crossmt::process_scores(options, {5, 3, 4, 3}, scores.data(), 6);
    CHECK(scores[4] == -INFINITY);
    CHECK(scores[3] == -1.f);
  }
  SECTION("repetition penalty multiplies negative scores once per distinct token") {
    options.repetition_penalty = 2.0;
    scores[2] = 3.f;
    crossmt::process_scores(options, {2, 1, 1}, scores.data(), 6);
    CHECK(scores[1] == -2.f);
    CHECK(scores[2] == 1.5f);
    CHECK(scores[4] == -1.f);
  }
  SECTION("bad words: single tokens always, sequences after their prefix") {
    options.bad_words_ids = {{5}, {1, 2}};
    crossmt::process_scores(options, {3, 1}, scores.data(), 6);
    CHECK(scores[5] == -INFINITY);
    CHECK(scores[2] == -INFINITY);
  }
  SECTION("min_length forbids EOS; forced EOS at the last position") {
    options.min_length = 3;
    crossmt::process_scores(options, {3, 1}, scores.data(), 6);
    CHECK(scores[0] == -INFINITY);
    options.min_length = 0;
    options.forced_eos_token_id = 0;
    std::vector<int> long_sequence(9, 1);
    crossmt::process_scores(options, long_sequence, scores.data(), 6);
    CHECK(scores[0] == 0.f);
    CHECK(scores[3] == -INFINITY);
  }
  SECTION("forced BOS at the first step") {
    options.forced_bos_token_id = 4;
    crossmt::process_scores(options, {3}, scores.data(), 6);
    CHECK(scores[4] == 0.f);
    CHECK(scores[1] == -INFINITY);
  }
}

TEST_CASE("sampling is reproducible with a seed and respects top_k") {
  const auto& t = tiny();
  auto options = t.options(1);
  options.do_sample = true;
  options.top_k = 1;
  options.seed = 7;
  const auto encoded = t.model.encode(t.inputs());
  const auto greedy = crossmt::generate(t.model, encoded, t.options(1));
  const auto top1 = crossmt::generate(t.model, encoded, options);
  for (size_t b = 0; b < greedy.size(); ++b) CHECK(top1[b][0].ids == greedy[b][0].ids);
  options.top_k = 0;
  options.temperature = 1.5;
  CHECK(crossmt::generate(t.model, encoded, options)[0][0].ids == crossmt::generate(t.model, encoded, options)[0][0].ids);
}
