// CTranslate2 model folders: the cases of CTranslate2's own tests/translator_test.cc (v4.8.1) that
// apply to a translator without CTranslate2-only options, run on its test models
// (tests/data/ctranslate2: an Arabic-to-Latin transliteration Transformer in the v1 and v2
// layouts, float32, int8 and int16), with CTranslate2's expected outputs copied as data. Cases
// left out are listed in tests/data/ctranslate2/README.md with the reason.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "crossmt/alignment.h"
#include "crossmt/checkpoint.h"
#include "crossmt/config.h"
#include "crossmt/error.h"
#include "crossmt/tokenizer.h"
#include "crossmt/translator.h"

namespace {

using crossmt::ComputeType;
using crossmt::SearchOptions;
using crossmt::Translator;
using Tokens = std::vector<std::string>;

const std::string kModels = std::string(CROSSMT_TEST_DATA_DIR) + "/ctranslate2/";
const Tokens kInput = {"آ", "ت", "ز", "م", "و", "ن"};
const Tokens kExpected = {"a", "t", "z", "m", "o", "n"};

// CTranslate2's default_model_dir(): v2/aren-transliteration. One Translator per model and
// compute type, shared by the cases.
const Translator& translator(const std::string& model = "v2/aren-transliteration",
                             ComputeType compute_type = ComputeType::Auto) {
  static std::map<std::pair<std::string, ComputeType>, std::unique_ptr<Translator>> translators;
  auto& slot = translators[{model, compute_type}];
  if (!slot) slot = std::make_unique<Translator>(kModels + model, compute_type);
  return *slot;
}

// CTranslate2's TranslationOptions defaults: beam 2, at most 256 generated tokens.
SearchOptions options(int beam_size = 2) {
  SearchOptions search = translator().default_search_options();
  search.num_beams = beam_size;
  return search;
}

struct Output {
  std::vector<Tokens> hypotheses;  // without the end token
  std::vector<Tokens> with_end;    // as generated
  std::vector<float> scores;
  std::vector<std::vector<int>> ids;
  std::vector<int> source_ids;
};

std::vector<Output> translate(const std::vector<Tokens>& inputs, const SearchOptions& search,
                              const Translator& model = translator()) {
  std::vector<std::vector<int>> sources;
  for (const Tokens& input : inputs)
    sources.push_back(input.empty() ? std::vector<int>{} : model.encode_source_pieces(input));
  const auto results = model.translate_ids(sources, search);
  std::vector<Output> outputs;
  for (const auto& result : results) {
    Output output;
    output.source_ids = result.source_ids;
    for (const auto& hypothesis : result.hypotheses) {
      Tokens pieces = model.target_pieces(hypothesis.ids);
      output.with_end.push_back(pieces);
      if (!pieces.empty() && hypothesis.ids.back() == search.eos_token_id) pieces.pop_back();
      output.hypotheses.push_back(pieces);
      output.scores.push_back(hypothesis.score);
      output.ids.push_back(hypothesis.ids);
    }
    outputs.push_back(std::move(output));
  }
  return outputs;
}

Tokens best(const std::vector<Tokens>& inputs, const SearchOptions& search) {
  return translate(inputs, search).at(0).hypotheses.at(0);
}

int target_id(const std::string& token) {
  for (int id = 0; id < translator().info().target_vocab_size; ++id)
    if (translator().target_pieces({id})[0] == token) return id;
  return -1;
}

}  // namespace

// ModelVariantTest.Transliteration: every layout and stored type, in each compute type crossmt
// has (CTranslate2 also runs int16 kernels; crossmt dequantizes int16 weights to float32).
TEST_CASE("CTranslate2 test models translate in every layout, stored type and compute type", "[ctranslate2]") {
  for (const std::string model : {"v1/aren-transliteration", "v1/aren-transliteration-i16", "v2/aren-transliteration",
                                  "v2/aren-transliteration-i16", "v2/aren-transliteration-i8"}) {
    for (const ComputeType compute_type : {ComputeType::Auto, ComputeType::Float32, ComputeType::Int8}) {
      INFO(model << " " << crossmt::compute_type_name(compute_type));
      const Translator& loaded = translator(model, compute_type);
      CHECK(translate({kInput}, options(), loaded)[0].hypotheses[0] == kExpected);
    }
  }
  // Auto follows the stored weights: int8 for the int8 model (its own scales, not re-quantized).
  CHECK(translator("v2/aren-transliteration-i8").info().compute_type == ComputeType::Int8);
  CHECK(translator("v2/aren-transliteration-i16").info().compute_type == ComputeType::Float32);
}

TEST_CASE("CTranslate2 search cases, greedy and beam 4", "[ctranslate2]") {
  const int beam = GENERATE(1, 4);
  INFO("beam " << beam);

  SECTION("SetMaxDecodingLength") {
    SearchOptions search = options(beam);
    search.max_length = 1 + 3;  // max_decoding_length 3 (crossmt counts the decoder start)
    CHECK(best({kInput}, search).size() == 3);
  }
  SECTION("SetMinDecodingLength") {
    SearchOptions search = options(beam);
    search.min_length = 1 + 8;  // min_decoding_length 8
    CHECK(best({kInput}, search).size() == 8);
  }
  SECTION("ReturnAllHypotheses") {
    SearchOptions search = options(beam);
    search.num_return_sequences = beam;
    CHECK(translate({kInput}, search)[0].hypotheses.size() == static_cast<size_t>(beam));
  }
  SECTION("ReturnAttention: one row per target token, one column per source token") {
    SearchOptions search = options(beam);
    search.num_return_sequences = beam;
    const std::vector<Tokens> inputs = {{"آ", "ز", "ا"}, kInput};
    const std::vector<std::pair<size_t, size_t>> expected_shapes = {{4, 3}, {6, 6}};
    const auto outputs = translate(inputs, search);
    for (size_t i = 0; i < inputs.size(); ++i) {
      REQUIRE(outputs[i].ids.size() == static_cast<size_t>(beam));
      const auto attention = crossmt::forced_attention(translator().model(), {outputs[i].source_ids},
                                                       {outputs[i].ids[0]}, search.decoder_start_token_id);
      // CTranslate2 drops the row of the end token; crossmt keeps it (alignments skip it).
      CHECK(static_cast<size_t>(attention[0].attention.target_length) == expected_shapes[i].first + 1);
      CHECK(static_cast<size_t>(attention[0].attention.source_length) == expected_shapes[i].second);
    }
  }
  SECTION("ReturnEndToken") {
    const Tokens expected = {"a", "t", "z", "m", "o", "n", "</s>"};
    CHECK(translate({kInput}, options(beam))[0].with_end[0] == expected);
  }
  SECTION("TranslateBatch (with scores)") {
    const auto outputs = translate({{"آ", "ز", "ا"}, kInput}, options(beam));
    CHECK(outputs[0].hypotheses[0] == Tokens{"a", "z", "z", "a"});
    CHECK(outputs[1].hypotheses[0] == kExpected);
    CHECK(std::isfinite(outputs[0].scores[0]));
    CHECK(outputs[0].scores[0] < 0);
  }
  SECTION("SuppressSequences") {
    SearchOptions search = options(beam);
    search.bad_words_ids = {{target_id("o")}, {target_id("t"), target_id("z"), target_id("m")}};
    CHECK(best({kInput}, search) == Tokens{"a", "t", "z", "u", "m", "u", "n"});
  }
  SECTION("EndToken") {
    SearchOptions search = options(beam);
    search.eos_token_id = target_id("m");
    CHECK(best({kInput}, search) == Tokens{"a", "t", "z"});
  }
  SECTION("RepetitionPenalty (greedy only)") {
    // CTranslate2 penalizes logits in every search; transformers' beam search (and so crossmt's)
    // penalizes log-probabilities, where a near-certain repeat (log-prob -0.01 x 100) can survive.
    if (beam != 1) return;
    SearchOptions search = options(beam);
    search.repetition_penalty = 100;  // forces unique symbols
    const Tokens tokens = best({{"ن", "ن", "ن", "ن", "ن"}}, search);
    const std::unordered_set<std::string> unique(tokens.begin(), tokens.end());
    CHECK(unique.size() == tokens.size());
  }
  SECTION("NoRepeatNgram") {
    SearchOptions search = options(beam);
    search.no_repeat_ngram_size = 3;
    std::string output;
    for (const std::string& token : best({Tokens(50, "ن")}, search)) output += token;
    REQUIRE(output.size() > 3);
    std::unordered_set<std::string> ngrams;
    for (size_t i = 0; i < output.size() - 3; ++i) ngrams.insert(output.substr(i, 3));
    CHECK(ngrams.size() == output.size() - 3);
  }
  SECTION("NormalizeScores: length_penalty 1 divides by the length, EOS included") {
    SearchOptions search = options(beam);
    search.length_penalty = 0;
    const float score = translate({kInput}, search)[0].scores[0];
    search.length_penalty = 1;
    const auto normalized = translate({kInput}, search)[0];
    CHECK(normalized.scores[0] == Approx(score / normalized.with_end[0].size()).margin(1e-6));
  }
  SECTION("NormalizeScoresNoEos") {
    SearchOptions search = options(beam);
    search.max_length = 1 + 6;
    search.length_penalty = 0;
    const float score = translate({kInput}, search)[0].scores[0];
    search.length_penalty = 1;
    const auto normalized = translate({kInput}, search)[0];
    REQUIRE(normalized.with_end[0].size() == 6);
    CHECK(normalized.scores[0] == Approx(score / 6).margin(1e-6));
  }
}

TEST_CASE("CTranslate2 empty-input cases", "[ctranslate2]") {
  SECTION("TranslateEmptyBatch") { CHECK(translate({}, options()).empty()); }
  SECTION("TranslateBatchWithEmptySource") {
    const auto outputs = translate({{}, {"آ", "ز", "ا"}, {}, kInput, {}}, options());
    REQUIRE(outputs.size() == 5);
    for (size_t i : {0, 2, 4}) CHECK(outputs[i].hypotheses.empty());  // CTranslate2: one empty hypothesis
    CHECK(outputs[1].hypotheses[0] == Tokens{"a", "z", "z", "a"});
    CHECK(outputs[3].hypotheses[0] == kExpected);
  }
  SECTION("TranslateBatchWithOnlyEmptySource") {
    const auto outputs = translate({{}, {}}, options());
    REQUIRE(outputs.size() == 2);
    CHECK(outputs[0].hypotheses.empty());
    CHECK(outputs[1].hypotheses.empty());
  }
}

TEST_CASE("CTranslate2 folders: format, vocabularies and text in, text out", "[ctranslate2]") {
  const Translator& model = translator("v1/aren-transliteration");
  CHECK(model.config().format == "ctranslate2");
  CHECK(model.config().format_description == "CTranslate2 model.bin (binary version 1, TransformerBase revision 1)");
  CHECK(translator("v2/aren-transliteration-i8").config().format_description ==
        "CTranslate2 model.bin (binary version 2, TransformerBase revision 2)");
  // source_vocabulary.txt: <blank> <s> </s> then 47 letters; <unk> appended, as CTranslate2 does.
  CHECK(model.info().source_vocab_size == 51);
  CHECK(model.info().target_vocab_size == 43);
  // No SentencePiece model in the folder: a text line is its tokens separated by spaces.
  SearchOptions search = options();
  const auto results = model.translate_lines({"آ ت ز م و ن"}, "", search);
  REQUIRE(results[0].texts.size() == 1);
  CHECK(results[0].texts[0] == "a t z m o n");
  // No source EOS or BOS (config defaults add_source_bos/add_source_eos false).
  CHECK(model.encode_source_pieces(kInput).size() == kInput.size());
}
