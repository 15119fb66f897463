// int8: weight quantization, the int8 Linear against the f32 one, the default model in int8
// against f32, and int8 checkpoints (written by quantize_checkpoint, loaded without quantizing).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

#include "crossmt/checkpoint.h"
#include "crossmt/model.h"
#include "crossmt/ops.h"
#include "crossmt/quantization.h"
#include "crossmt/search.h"
#include "int8_rows.h"
#include "reference_data.h"

using crossmt::ComputeType;
using crossmt::Tensor;
using crossmt::testing::default_model_dir;
using crossmt::testing::FixtureTensors;
using crossmt::testing::test_data;

namespace {

Tensor random_tensor(const crossmt::Shape& shape, uint64_t seed, float scale = 1.f) {
  std::mt19937_64 generator(seed);
  std::normal_distribution<float> normal(0.f, scale);
  Tensor tensor(shape);
  for (int64_t i = 0; i < tensor.size(); ++i) tensor[i] = normal(generator);
  return tensor;
}

const crossmt::Checkpoint& default_checkpoint() {
  static const crossmt::Checkpoint checkpoint = crossmt::Checkpoint::open(default_model_dir());
  return checkpoint;
}

const FixtureTensors& m30k_records() {
  static FixtureTensors records(test_data("m30k_attention.safetensors"));
  return records;
}

std::vector<std::vector<int>> record_sources(const std::string& direction, int count) {
  std::vector<std::vector<int>> sources;
  for (int k = 0; k < count; ++k) sources.push_back(m30k_records().ids(direction + "/" + std::to_string(k) + "/src_ids"));
  return sources;
}

}  // namespace

TEST_CASE("per-row quantization: largest magnitude to 127, error at most half a step") {
  Tensor matrix = random_tensor({5, 37}, 1);
  std::fill(matrix.data() + 2 * 37, matrix.data() + 3 * 37, 0.f);  // an all-zero row
  matrix[4 * 37 + 3] = -9.f;                                       // an outlier sets its row's scale
  const crossmt::QuantizedMatrix quantized = crossmt::quantize_rows(matrix);
  REQUIRE(quantized.rows == 5);
  REQUIRE(quantized.cols == 37);
  CHECK(quantized.scales[2] == 1.f);
  CHECK(quantized.values[4 * 37 + 3] == -127);
  CHECK(quantized.scales[4] == Approx(9.f / 127.f));
  const Tensor restored = crossmt::dequantize(quantized);
  for (int64_t r = 0; r < 5; ++r) {
    int largest = 0;
    for (int64_t c = 0; c < 37; ++c) {
      largest = std::max(largest, std::abs(static_cast<int>(quantized.values[r * 37 + c])));
      CHECK(std::abs(restored[r * 37 + c] - matrix[r * 37 + c]) <= 0.5f * quantized.scales[r] * (1.f + 1e-5f));
    }
    CHECK(largest == (r == 2 ? 0 : 127));
  }
}

// CTranslate2 quantizes w * (127 / max |w|) rounded half to even, and its activations as
// x * (127 / max |x|) + 128 (its u8 input) in one fused multiply-add, rounded half to even: the
// same values let a CTranslate2 int8 model run here as close to its own outputs as float noise allows.
TEST_CASE("int8 rounding is CTranslate2's: half to even, weights and source rows") {
  Tensor matrix({1, 6});
  const float row[] = {127.f, 0.5f, 1.5f, 2.5f, -0.5f, -1.5f};  // scale 1: every other value is a tie
  std::copy(std::begin(row), std::end(row), matrix.data());
  const crossmt::QuantizedMatrix quantized = crossmt::quantize_rows(matrix);
  CHECK(quantized.scales[0] == 1.f);
  CHECK(quantized.values == std::vector<int8_t>{127, 0, 2, 2, 0, -2});

  std::vector<int8_t> source(6);
  float row_scale = 0.f;
  crossmt::ops::quantize_source_rows(row, 1, 6, source.data(), &row_scale);
  CHECK(row_scale == 1.f);
  CHECK(source == std::vector<int8_t>{127, 0, 2, 2, 0, -2});

  // With max 3, x * (127 / 3) is 0.5000076: rounded to float and then added to 128 it becomes the
  // tie 128.5 (-> 0); fused, as CTranslate2's kernel computes it, it stays above the tie (-> 1).
  const float fused_case[] = {3.f, 0x1.83079p-7f};
  std::vector<int8_t> fused(2);
  crossmt::ops::quantize_source_rows(fused_case, 1, 2, fused.data(), &row_scale);
  CHECK(fused == std::vector<int8_t>{127, 1});
}

TEST_CASE("stacking quantized matrices scales only the first part's scales") {
  const auto first = crossmt::quantize_rows(random_tensor({3, 8}, 2));
  const auto second = crossmt::quantize_rows(random_tensor({2, 8}, 3));
  const auto stacked = crossmt::stack_quantized({first, second}, 0.125f);
  REQUIRE(stacked.rows == 5);
  CHECK(std::equal(first.values.begin(), first.values.end(), stacked.values.begin()));
  CHECK(std::equal(second.values.begin(), second.values.end(), stacked.values.begin() + 24));
  CHECK(stacked.scales[0] == first.scales[0] * 0.125f);
  CHECK(stacked.scales[4] == second.scales[1]);
}

TEST_CASE("the int8 Linear stays within 1.5% of the f32 one, for every activation and the residual sum") {
  // Largest differences seen: 0.4-0.6% of the largest output.
  using crossmt::ops::Activation;
  const Tensor weight = random_tensor({96, 64}, 4, 0.1f);
  const Tensor bias = random_tensor({96}, 5, 0.1f);
  const crossmt::QuantizedMatrix quantized = crossmt::quantize_rows(weight);
  for (const Activation activation :
       {Activation::None, Activation::Relu, Activation::Swish, Activation::GeluErf, Activation::GeluTanh}) {
    for (const bool accumulate : {false, true}) {
      const crossmt::ops::Linear::Options options{activation, accumulate};
      if (accumulate && activation != Activation::None) {
        CHECK_THROWS_WITH(crossmt::ops::Linear(weight, &bias, options),
                          "a linear layer cannot both apply an activation and add into its output");
        CHECK_THROWS_WITH(crossmt::ops::Linear(quantized, &bias, options),
                          "a linear layer cannot both apply an activation and add into its output");
        continue;
      }
      const crossmt::ops::Linear exact(weight, &bias, options), int8(quantized, &bias, options);
      CHECK(int8.is_int8());
      for (const int64_t rows : {1, 37}) {  // 37 * 96 crosses the parallel threshold neither way; both paths run
        const Tensor source = random_tensor({rows, 64}, 6 + rows);
        const Tensor start = random_tensor({rows, 96}, 7);
        Tensor expected({rows, 96}), got({rows, 96});
        std::memcpy(expected.data(), start.data(), sizeof(float) * expected.size());
        std::memcpy(got.data(), start.data(), sizeof(float) * got.size());
        exact(source.data(), rows, expected.data());
        int8(source.data(), rows, got.data());
        double worst = 0, largest = 0;
        for (int64_t i = 0; i < expected.size(); ++i) {
          worst = std::max(worst, static_cast<double>(std::abs(got[i] - expected[i])));
          largest = std::max(largest, static_cast<double>(std::abs(expected[i])));
        }
        INFO("activation " << static_cast<int>(activation) << ", accumulate " << accumulate << ", rows " << rows);
        CHECK(worst <= 0.015 * largest);
      }
    }
  }
}

TEST_CASE("compute types: names, and what auto means for a checkpoint") {
  CHECK(crossmt::parse_compute_type("int8") == ComputeType::Int8);
  CHECK(crossmt::parse_compute_type("fp32") == ComputeType::Float32);
  CHECK(crossmt::parse_compute_type("auto") == ComputeType::Auto);
  CHECK_THROWS_WITH(crossmt::parse_compute_type("int4"),
                    "unknown compute type 'int4'; expected auto, float32 or int8");
  CHECK(crossmt::resolve_compute_type(ComputeType::Auto, default_checkpoint()) == ComputeType::Float32);
  CHECK(crossmt::Seq2SeqModel(default_checkpoint(), ComputeType::Int8).compute_type() == ComputeType::Int8);
}

TEST_CASE("default model in int8: log-probs near f32, and the same best first token") {
  const crossmt::Seq2SeqModel exact(default_checkpoint(), ComputeType::Float32);
  const crossmt::Seq2SeqModel int8(default_checkpoint(), ComputeType::Int8);
  const int64_t vocab = exact.target_vocab_size();
  for (const std::string direction : {"en-de", "de-en"}) {
    const auto sources = record_sources(direction, 8);
    std::vector<std::vector<int>> targets;
    for (int k = 0; k < 8; ++k)
      targets.push_back(m30k_records().ids(direction + "/" + std::to_string(k) + "/decoder_input_ids"));
    const auto reference = exact.forced_decode(exact.encode(sources), targets, false);
    const auto quantized = int8.forced_decode(int8.encode(sources), targets, false);
    const int64_t T = reference.target_length;
    double worst_chosen = 0;
    int same_best = 0, positions = 0;
    for (size_t b = 0; b < targets.size(); ++b) {
      for (size_t t = 0; t + 1 < targets[b].size(); ++t) {
        const float* expected = reference.log_probs.data() + (b * T + t) * vocab;
        const float* got = quantized.log_probs.data() + (b * T + t) * vocab;
        const int next = targets[b][t + 1];  // the reference translation's next token
        worst_chosen = std::max(worst_chosen, static_cast<double>(std::abs(got[next] - expected[next])));
        same_best += std::max_element(expected, expected + vocab) - expected == std::max_element(got, got + vocab) - got;
        ++positions;
      }
    }
    INFO(direction << ": worst chosen-token log-prob difference " << worst_chosen << ", same argmax at " << same_best
                   << " of " << positions << " positions");
    CHECK(worst_chosen <= 0.25);
    CHECK(same_best >= 0.95 * positions);
  }
}

TEST_CASE("an int8 checkpoint loads without quantizing and decodes exactly as int8 on the fly") {
  const crossmt::Checkpoint quantized = crossmt::quantize_checkpoint(default_checkpoint());
  CHECK(crossmt::is_quantized(quantized));
  CHECK_FALSE(crossmt::is_quantized(default_checkpoint()));
  CHECK(crossmt::count_parameters(quantized) == crossmt::count_parameters(default_checkpoint()));
  const auto& q_proj = quantized.stored("model.encoder.layers.0.self_attn.q_proj.weight");
  CHECK(q_proj.dtype == crossmt::DType::I8);
  CHECK(quantized.stored("model.encoder.layers.0.self_attn.q_proj.weight_scale").shape == crossmt::Shape{256});
  CHECK_FALSE(quantized.contains("lm_head.weight"));  // the output projection stays f32 (tied here)
  CHECK(quantized.stored("model.shared.weight").dtype == crossmt::DType::F32);
  CHECK_THROWS_WITH(crossmt::quantize_checkpoint(quantized), Catch::EndsWith(": already holds int8 weights"));

  const crossmt::Seq2SeqModel from_file(quantized);  // auto: int8
  const crossmt::Seq2SeqModel on_the_fly(default_checkpoint(), ComputeType::Int8);
  CHECK(from_file.compute_type() == ComputeType::Int8);
  auto options = crossmt::search_options_from(from_file.config().generation);
  const auto sources = record_sources("en-de", 6);
  for (const int beams : {1, 4}) {
    options.num_beams = beams;
    const auto a = crossmt::generate(from_file, from_file.encode(sources), options);
    const auto b = crossmt::generate(on_the_fly, on_the_fly.encode(sources), options);
    for (size_t i = 0; i < sources.size(); ++i) {
      CHECK(a[i][0].ids == b[i][0].ids);
      CHECK(a[i][0].score == b[i][0].score);
    }
  }
  // float32 from an int8 file: the dequantized weights, so the same first tokens.
  const crossmt::Seq2SeqModel dequantized(quantized, ComputeType::Float32);
  CHECK(dequantized.compute_type() == ComputeType::Float32);
  options.num_beams = 1;
  const auto greedy = crossmt::generate(dequantized, dequantized.encode(sources), options);
  const auto greedy_int8 = crossmt::generate(from_file, from_file.encode(sources), options);
  for (size_t i = 0; i < sources.size(); ++i) CHECK(greedy[i][0].ids.front() == greedy_int8[i][0].ids.front());
}

TEST_CASE("int8 checkpoints with missing or misshapen scales are refused, naming the tensor") {
  const crossmt::Checkpoint quantized = crossmt::quantize_checkpoint(default_checkpoint());
  const std::string weight = "model.decoder.layers.2.fc1.weight";
  auto tensors = quantized.tensors();
  SECTION("scales missing") {
    tensors.erase(crossmt::weight_scale_name(weight));
    const crossmt::Checkpoint broken(quantized.config(), tensors, nullptr, "broken.safetensors");
    // The tensors still point into `quantized`, which outlives `broken` here.
    CHECK_THROWS_WITH(crossmt::Seq2SeqModel(broken),
                      "broken.safetensors: tensor 'model.decoder.layers.2.fc1.weight' is I8 but its scales "
                      "'model.decoder.layers.2.fc1.weight_scale' are missing");
  }
  SECTION("scales of the wrong shape") {
    tensors[crossmt::weight_scale_name(weight)].shape = {512};
    tensors[crossmt::weight_scale_name(weight)].byte_size = 0;
    const crossmt::Checkpoint broken(quantized.config(), tensors, nullptr, "broken.safetensors");
    CHECK_THROWS_WITH(crossmt::Seq2SeqModel(broken),
                      "broken.safetensors: tensor 'model.decoder.layers.2.fc1.weight_scale' has shape [512] but the "
                      "config implies [1024]");
  }
}
