// The Marian encoder/decoder against transformers' own numbers (tolerances from ../shared:
// encoder states and log-probs 1e-4, attention weights 1e-5).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>

#include <nlohmann/json.hpp>

#include "crossmt/checkpoint.h"
#include "crossmt/model.h"
#include "crossmt/ops.h"
#include "reference_data.h"

using crossmt::testing::default_model_dir;
using crossmt::testing::FixtureTensors;
using crossmt::testing::test_data;

namespace {

const crossmt::Seq2SeqModel& tiny_marian() {
  static crossmt::Seq2SeqModel model(crossmt::Checkpoint::open(test_data("tiny-archs/marian_shared")));
  return model;
}

const crossmt::Seq2SeqModel& default_model() {
  static crossmt::Seq2SeqModel model(crossmt::Checkpoint::open(default_model_dir()));
  return model;
}

const nlohmann::json& tiny_reference() {
  static nlohmann::json reference = [] {
    std::ifstream in(test_data("tiny-archs/marian_shared/reference.json"));
    return nlohmann::json::parse(in);
  }();
  return reference;
}

const FixtureTensors& m30k_records() {
  static FixtureTensors records(test_data("m30k_attention.safetensors"));
  return records;
}

double max_abs_diff(const float* a, const std::vector<float>& b) {
  double worst = 0;
  for (size_t i = 0; i < b.size(); ++i) worst = std::max(worst, std::abs(static_cast<double>(a[i]) - b[i]));
  return worst;
}

std::vector<float> flatten(const nlohmann::json& nested) {
  std::vector<float> out;
  if (nested.is_array()) {
    for (const auto& item : nested) {
      auto part = flatten(item);
      out.insert(out.end(), part.begin(), part.end());
    }
  } else {
    out.push_back(nested.get<float>());
  }
  return out;
}

// Encoder states of sentence b (unpadded) from a batch.
double encoder_diff(const crossmt::EncodedBatch& encoded, int64_t b, const std::vector<float>& expected) {
  const int64_t d = encoded.hidden.dim(2);
  return max_abs_diff(encoded.hidden.data() + b * encoded.max_length * d, expected);
}

// Checks forced decoding of sentence b against reference log-probs [steps][vocab] and
// cross-attention [layer][head][step][source].
void check_tiny_forced(const crossmt::ForcedOutput& output, const crossmt::EncodedBatch& encoded, int64_t b,
                       const nlohmann::json& forced) {
  const auto& model = tiny_marian();
  const int64_t vocab = model.target_vocab_size(), T = output.target_length, S = encoded.max_length;
  const auto& logprobs = forced["logprobs"];
  for (size_t i = 0; i < logprobs.size(); ++i)
    CHECK(max_abs_diff(output.log_probs.data() + (b * T + i) * vocab, flatten(logprobs[i])) <= 1e-4);
  const auto& attention = forced["cross_attentions"];
  const int layers = model.decoder_layers(), heads = model.decoder_heads();
  for (int l = 0; l < layers; ++l)
    for (int h = 0; h < heads; ++h)
      for (size_t i = 0; i < attention[l][h].size(); ++i) {
        const float* row = output.cross_attention.data() + (((b * layers + l) * heads + h) * T + i) * S;
        CHECK(max_abs_diff(row, flatten(attention[l][h][i])) <= 1e-5);
      }
}


}  // namespace

TEST_CASE("tiny marian: encoder states and forced decoding match transformers, batched and one by one") {
  const auto& model = tiny_marian();
  const auto& reference = tiny_reference();
  std::vector<std::vector<int>> inputs, decoder_inputs;
  for (const auto& input : reference["inputs"]) inputs.push_back(input.get<std::vector<int>>());
  for (const auto& forced : reference["forced"]) decoder_inputs.push_back(forced["decoder_input_ids"].get<std::vector<int>>());

  SECTION("batched") {
    const auto encoded = model.encode(inputs);
    const auto output = model.forced_decode(encoded, decoder_inputs, true);
    for (size_t b = 0; b < inputs.size(); ++b) {
      CHECK(encoder_diff(encoded, b, flatten(reference["encoder_last_hidden_state"][b])) <= 1e-4);
      check_tiny_forced(output, encoded, b, reference["forced"][b]);
    }
  }
  SECTION("one by one") {
    for (size_t b = 0; b < inputs.size(); ++b) {
      const auto encoded = model.encode({inputs[b]});
      const auto output = model.forced_decode(encoded, {decoder_inputs[b]}, true);
      CHECK(encoder_diff(encoded, 0, flatten(reference["encoder_last_hidden_state"][b])) <= 1e-4);
      check_tiny_forced(output, encoded, 0, reference["forced"][b]);
    }
  }
}

TEST_CASE("default model: the first 16 attention records of test_2016 en-de and de-en match transformers") {
  const auto& model = default_model();
  const auto& records = m30k_records();
  const int layers = model.decoder_layers(), heads = model.decoder_heads();
  const int64_t vocab = model.target_vocab_size();
  for (const std::string direction : {"en-de", "de-en"}) {
    for (int k = 0; k < 16; ++k) {
      const std::string prefix = direction + "/" + std::to_string(k) + "/";
      INFO(prefix);
      const auto source = records.ids(prefix + "src_ids");
      const auto decoder_input = records.ids(prefix + "decoder_input_ids");
      const auto target = records.ids(prefix + "beam4_ids");
      const auto encoded = model.encode({source});
      if (records.has(prefix + "encoder_last_hidden_state"))
        CHECK(encoder_diff(encoded, 0, records.floats(prefix + "encoder_last_hidden_state")) <= 1e-4);

      const auto output = model.forced_decode(encoded, {decoder_input}, true);
      const int64_t T = output.target_length, S = encoded.max_length;
      const auto expected_logprobs = records.floats(prefix + "target_logprobs");
      REQUIRE(expected_logprobs.size() == target.size());
      double worst_logprob = 0;
      for (size_t i = 0; i < target.size(); ++i)
        worst_logprob = std::max(worst_logprob, static_cast<double>(std::abs(output.log_probs[i * vocab + target[i]] - expected_logprobs[i])));
      CHECK(worst_logprob <= 1e-4);

      const auto expected_attention = records.floats(prefix + "cross_attentions");  // [L][H][T][S]
      REQUIRE(expected_attention.size() == static_cast<size_t>(layers * heads * T * S));
      CHECK(max_abs_diff(output.cross_attention.data(), expected_attention) <= 1e-5);

      // The ten most likely first tokens, in order.
      std::vector<int> order(vocab);
      std::iota(order.begin(), order.end(), 0);
      std::partial_sort(order.begin(), order.begin() + 10, order.end(),
                        [&](int a, int b) { return output.log_probs[a] > output.log_probs[b]; });
      CHECK(std::vector<int>(order.begin(), order.begin() + 10) == records.ids(prefix + "step0_top10_ids"));
    }
  }
}

TEST_CASE("incremental decoding with the cache equals the full forced pass") {
  const auto& model = default_model();
  const auto& records = m30k_records();
  const int64_t vocab = model.target_vocab_size();
  // Four sentences decoded together, so padding and per-row history are exercised too.
  std::vector<std::vector<int>> sources, decoder_inputs;
  for (int k = 0; k < 4; ++k) {
    sources.push_back(records.ids("en-de/" + std::to_string(k) + "/src_ids"));
    decoder_inputs.push_back(records.ids("en-de/" + std::to_string(k) + "/decoder_input_ids"));
  }
  const auto encoded = model.encode(sources);
  const auto full = model.forced_decode(encoded, decoder_inputs, true);
  const int layers = model.decoder_layers(), heads = model.decoder_heads();
  const int64_t T = full.target_length, S = encoded.max_length, batch = encoded.batch;

  crossmt::DecoderState state = model.start_decoding(encoded, {0, 1, 2, 3});
  crossmt::Tensor log_probs, attention;
  std::vector<int> tokens(batch);
  double worst_logprob = 0, worst_attention = 0;
  for (int64_t t = 0; t < T; ++t) {
    for (int64_t b = 0; b < batch; ++b)
      tokens[b] = t < static_cast<int64_t>(decoder_inputs[b].size()) ? decoder_inputs[b][t] : decoder_inputs[b].back();
    model.step(state, tokens.data(), log_probs, &attention);
    for (int64_t b = 0; b < batch; ++b) {
      if (t >= static_cast<int64_t>(decoder_inputs[b].size())) continue;
      for (int64_t v = 0; v < vocab; ++v)
        worst_logprob = std::max(worst_logprob, static_cast<double>(std::abs(log_probs[b * vocab + v] - full.log_probs[(b * T + t) * vocab + v])));
      for (int l = 0; l < layers; ++l)
        for (int h = 0; h < heads; ++h)
          for (int64_t s = 0; s < S; ++s)
            worst_attention = std::max(worst_attention, static_cast<double>(std::abs(
                attention[((l * batch + b) * heads + h) * S + s] - full.cross_attention[(((b * layers + l) * heads + h) * T + t) * S + s])));
    }
  }
  CHECK(worst_logprob <= 1e-5);
  CHECK(worst_attention <= 1e-5);
}

TEST_CASE("beam reordering follows the parent's history without copying the cache") {
  const auto& model = default_model();
  const auto& records = m30k_records();
  const auto source = records.ids("en-de/0/src_ids");
  const auto target = records.ids("en-de/0/decoder_input_ids");
  const auto encoded = model.encode({source});
  const auto full = model.forced_decode(encoded, {target}, false);
  const int64_t vocab = model.target_vocab_size();

  // Row 0 feeds the real prefix, row 1 a wrong one; at step 3 both rows take row 0's history,
  // then one row leaves the batch. Row 0 must keep matching the forced pass.
  crossmt::DecoderState state = model.start_decoding(encoded, {0, 0});
  crossmt::Tensor log_probs;
  double worst = 0;
  for (size_t t = 0; t < target.size(); ++t) {
    if (t == 3) model.reorder(state, {0, 0});
    if (t == 5) model.reorder(state, {1});
    std::vector<int> tokens(state.rows(), target[t]);
    if (t < 3) tokens[1] = 42;
    model.step(state, tokens.data(), log_probs);
    for (int64_t r = 0; r < state.rows(); ++r) {
      if (t < 3 && r == 1) continue;
      for (int64_t v = 0; v < vocab; ++v)
        worst = std::max(worst, static_cast<double>(std::abs(log_probs[r * vocab + v] - full.log_probs[t * vocab + v])));
    }
  }
  CHECK(worst <= 1e-5);
}

TEST_CASE("growing the cache past 32 and 64 steps keeps each row's history, after rows left or swapped") {
  const auto& model = default_model();
  const auto& records = m30k_records();
  const auto encoded = model.encode({records.ids("en-de/0/src_ids"), records.ids("en-de/1/src_ids")});
  const int64_t vocab = model.target_vocab_size();
  // Three rows with their own made-up tokens; each row carries its log-prob rows along, so that
  // at the end every surviving row can be checked against a forced pass over its whole history.
  std::vector<int> sources = {0, 1, 1};
  crossmt::DecoderState state = model.start_decoding(encoded, sources);
  std::vector<std::vector<int>> histories(3, std::vector<int>{7999});
  std::vector<std::vector<std::vector<float>>> step_log_probs(3);
  crossmt::Tensor log_probs;
  const auto reorder = [&](const std::vector<int>& parents) {
    model.reorder(state, parents);
    std::vector<int> next_sources;
    std::vector<std::vector<int>> next_histories;
    std::vector<std::vector<std::vector<float>>> next_log_probs;
    for (int parent : parents) {
      next_sources.push_back(sources[parent]);
      next_histories.push_back(histories[parent]);
      next_log_probs.push_back(step_log_probs[parent]);
    }
    sources.swap(next_sources);
    histories.swap(next_histories);
    step_log_probs.swap(next_log_probs);
  };
  for (int t = 0; t < 70; ++t) {
    if (t == 20) reorder({0, 2});  // row 1 leaves before the first growth (at step 32)
    if (t == 40) reorder({1, 0});  // the survivors swap between the growths
    std::vector<int> tokens;
    for (size_t r = 0; r < histories.size(); ++r) tokens.push_back(histories[r].back());
    model.step(state, tokens.data(), log_probs);
    for (size_t r = 0; r < histories.size(); ++r) {
      step_log_probs[r].emplace_back(log_probs.data() + r * vocab, log_probs.data() + (r + 1) * vocab);
      histories[r].push_back(static_cast<int>((37 * t + 101 * r + 5) % 7000 + 10));
    }
  }
  for (size_t r = 0; r < histories.size(); ++r) {
    histories[r].pop_back();  // the last token was never fed
    const auto one = model.encode({records.ids("en-de/" + std::to_string(sources[r]) + "/src_ids")});
    const auto full = model.forced_decode(one, {histories[r]}, false);
    double worst = 0;
    for (int64_t t = 0; t < 70; ++t)
      for (int64_t v = 0; v < vocab; ++v)
        worst = std::max(worst, static_cast<double>(std::abs(step_log_probs[r][t][v] - full.log_probs[t * vocab + v])));
    INFO("row " << r);
    CHECK(worst <= 1e-4);
  }
}

TEST_CASE("warm decoding steps create no oneDNN primitives") {
  const auto& model = default_model();
  const auto& records = m30k_records();
  const auto encoded = model.encode({records.ids("en-de/1/src_ids"), records.ids("en-de/2/src_ids")});
  crossmt::Tensor log_probs;
  auto run = [&] {
    crossmt::DecoderState state = model.start_decoding(encoded, {0, 0, 1, 1});
    std::vector<int> tokens(4, 7999);
    for (int t = 0; t < 12; ++t) model.step(state, tokens.data(), log_probs);
  };
  run();
  const int64_t before = crossmt::ops::primitives_created();
  run();
  CHECK(crossmt::ops::primitives_created() == before);
}

TEST_CASE("bad model inputs are refused with a clear error") {
  const auto& model = tiny_marian();
  CHECK_THROWS_WITH(model.encode({{1, 2, 500, 0}}), Catch::Contains("source token id 500"));
  CHECK_THROWS_WITH(model.encode({std::vector<int>(65, 3)}), Catch::Contains("max_position_embeddings (64)"));
  CHECK_THROWS_WITH(model.encode({{}}), Catch::Contains("empty source"));
}
