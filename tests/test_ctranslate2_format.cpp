// CTranslate2 model folders: the cases of CTranslate2's own tests/translator_test.cc (v4.8.1) that
// apply to a translator without CTranslate2-only options, run on its test models
// (tests/data/ctranslate2: an Arabic-to-Latin transliteration Transformer in the v1 and v2
// layouts, float32, int8 and int16), with CTranslate2's expected outputs copied as data. Cases
// left out are listed in tests/data/ctranslate2/README.md with the reason.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "crossmt/alignment.h"
#include "crossmt/checkpoint.h"
#include "crossmt/config.h"
#include "crossmt/error.h"
#include "crossmt/quantization.h"
#include "crossmt/tokenizer.h"
#include "crossmt/translator.h"
#include "cli_runner.h"
#include "formats/ctranslate2.h"

#include <nlohmann/json.hpp>

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

// int8 weights and embeddings reach crossmt as CTranslate2 stored them (not re-quantized), with
// crossmt's multiplying scales: within a step of the float32 model they were quantized from (this
// v2 file truncated w * scale; CTranslate2 rounds since binary version 5).
TEST_CASE("CTranslate2 int8 tables keep their stored values and scales", "[ctranslate2]") {
  const crossmt::Checkpoint int8 = crossmt::Checkpoint::open(kModels + "v2/aren-transliteration-i8");
  const crossmt::Checkpoint float32 = crossmt::Checkpoint::open(kModels + "v2/aren-transliteration");
  for (const std::string name : {"model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight",
                                 "model.encoder.layers.0.fc1.weight", "model.decoder.layers.5.encoder_attn.k_proj.weight"}) {
    INFO(name);
    REQUIRE(int8.stored(name).dtype == crossmt::DType::I8);
    const crossmt::Shape shape = float32.stored(name).shape;
    const crossmt::Tensor values = int8.load_f32(name, shape), expected = float32.load_f32(name, shape);
    const crossmt::Tensor scales = int8.load_f32(name + "_scale", {shape[0]});
    for (int64_t r = 0; r < shape[0]; ++r) {
      float largest = 0.f;
      for (int64_t c = 0; c < shape[1]; ++c) {
        largest = std::max(largest, std::abs(values[r * shape[1] + c]));
        CHECK(std::abs(values[r * shape[1] + c] * scales[r] - expected[r * shape[1] + c]) <= scales[r] * 1.01f);
      }
      CHECK(largest >= 126.f);
    }
  }
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

namespace {

namespace fs = std::filesystem;

std::string read_bytes(const fs::path& file) {
  std::ifstream stream(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
}

// The v2 test model re-written as binary version 6 (type ids and byte counts, no aliases), the
// layout CTranslate2 4.x writes; `type_of` may replace a variable's type id.
std::string as_version_6(const std::string& v2, const std::function<uint8_t(const std::string&, uint8_t)>& type_of) {
  size_t at = 0;
  const auto take = [&](size_t n) { std::string bytes = v2.substr(at, n); at += n; return bytes; };
  const auto u32 = [&] { uint32_t v; std::memcpy(&v, take(4).data(), 4); return v; };
  const auto put32 = [](std::string& out, uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); };
  const auto string_field = [&] { uint16_t n; std::memcpy(&n, take(2).data(), 2); return std::string(reinterpret_cast<const char*>(&n), 2) + take(n); };
  std::string out;
  REQUIRE(u32() == 2);
  put32(out, 6);
  out += string_field();  // spec name
  put32(out, u32());      // revision
  const uint32_t count = u32();
  put32(out, count);
  for (uint32_t i = 0; i < count; ++i) {
    const std::string name_field = string_field();
    out += name_field;
    const uint8_t rank = static_cast<uint8_t>(take(1)[0]);
    out += static_cast<char>(rank);
    out += take(4 * rank);
    const uint8_t item = static_cast<uint8_t>(take(1)[0]);
    const uint32_t elements = u32();
    const uint8_t type = item == 4 ? 0 : item == 2 ? 2 : 1;
    out += static_cast<char>(type_of(name_field.substr(2, name_field.size() - 3), type));
    put32(out, elements * item);
    out += take(elements * item);
  }
  put32(out, 0);  // no aliases
  return out;
}

// A copy of the v2 float32 model folder whose model.bin is `model_bin`.
fs::path folder_with_model_bin(const std::string& model_bin) {
  const fs::path folder = crossmt::testing::cli_scratch_folder() / "model";
  fs::copy(kModels + "v2/aren-transliteration", folder);
  std::ofstream(folder / "model.bin", std::ios::binary | std::ios::trunc) << model_bin;
  return folder;
}

std::string open_error(const fs::path& folder) {
  try {
    crossmt::Checkpoint::open(folder);
  } catch (const crossmt::Error& error) {
    return error.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("CTranslate2 binary version 6 files load like the v2 original", "[ctranslate2]") {
  const std::string v2 = read_bytes(kModels + "v2/aren-transliteration/model.bin");
  const fs::path folder = folder_with_model_bin(as_version_6(v2, [](const std::string&, uint8_t type) { return type; }));
  Translator translator(folder);
  CHECK(translator.config().format_description ==
        "CTranslate2 model.bin (binary version 6, TransformerBase revision 2)");
  const auto results = translator.translate_lines({"آ ت ز م و ن"}, "", translator.default_search_options());
  CHECK(results[0].texts[0] == "a t z m o n");
  fs::remove_all(folder.parent_path());
}

TEST_CASE("Hostile CTranslate2 files give one-line errors", "[ctranslate2][errors]") {
  const std::string v2 = read_bytes(kModels + "v2/aren-transliteration/model.bin");
  const auto keep_types = [](const std::string&, uint8_t type) { return type; };
  const std::string v6 = as_version_6(v2, keep_types);
  const auto error_for = [](const std::string& model_bin) {
    const fs::path folder = folder_with_model_bin(model_bin);
    const std::string message = open_error(folder);
    fs::remove_all(folder.parent_path());
    CHECK(message.find('\n') == std::string::npos);
    return message;
  };

  SECTION("truncated anywhere") {
    for (const size_t length : {size_t{0}, size_t{3}, size_t{5}, size_t{20}, size_t{40}, size_t{100}, v2.size() / 2,
                                v2.size() - 1})
      CHECK_THAT(error_for(v2.substr(0, length)), Catch::Contains("model.bin: truncated") ||
                                                      Catch::Contains("model.bin: binary version"));
  }
  SECTION("trailing bytes") {
    CHECK_THAT(error_for(v6 + "xyz"), Catch::Contains("3 unexpected bytes after the last variable"));
  }
  SECTION("a byte count that lies") {
    std::string lying = v6;
    // The first variable's byte count sits after version, spec, revision, count, name, rank, dims, type.
    const size_t spec_end = 4 + 2 + 16 + 4 + 4;
    const size_t name_length = static_cast<uint8_t>(lying[spec_end]) | static_cast<uint8_t>(lying[spec_end + 1]) << 8;
    const size_t count_at = spec_end + 2 + name_length + 1 + 8 + 1;
    lying[count_at] = static_cast<char>(lying[count_at] + 4);
    CHECK_THAT(error_for(lying), Catch::Contains("variable 'decoder/embeddings/weight' holds 5508 bytes but its shape "
                                                 "and type need 5504"));
  }
  SECTION("an unknown data type") {
    const std::string unknown = as_version_6(v2, [](const std::string& name, uint8_t type) {
      return name == "encoder/layer_norm/gamma" ? uint8_t{9} : type;
    });
    CHECK_THAT(error_for(unknown), Catch::Contains("variable 'encoder/layer_norm/gamma' has unknown data type 9"));
  }
  SECTION("an int32 weight") {
    const std::string wrong = as_version_6(v2, [](const std::string& name, uint8_t type) {
      return name == "encoder/layer_0/ffn/linear_0/weight" ? uint8_t{3} : type;
    });
    CHECK_THAT(error_for(wrong), Catch::Contains("'encoder/layer_0/ffn/linear_0/weight' is int32"));
  }
  SECTION("a spec that is not an encoder-decoder Transformer") {
    std::string whisper = v6;
    whisper.replace(6, 15, "WhisperSpecXxxx");
    CHECK_THAT(error_for(whisper), Catch::Contains("spec 'WhisperSpecXxxx' is not an encoder-decoder Transformer"));
    whisper.replace(6, 15, "WhisperSpec\0\0\0\0", 15);
    CHECK_THAT(error_for(whisper), Catch::Contains("the spec name contains a NUL byte"));
  }
  SECTION("a newer binary version") {
    std::string newer = v6;
    newer[0] = 7;
    CHECK_THAT(error_for(newer), Catch::Contains("binary version 7 is not one crossmt reads"));
  }
  SECTION("a missing variable, by name") {
    const std::string renamed = [&] {
      std::string bytes = v6;
      const size_t at = bytes.find("encoder/layer_3/ffn/linear_1/weight");
      bytes[at + std::string("encoder/layer_3/ffn/linear_1/").size()] = 'W';
      return bytes;
    }();
    const std::string message = error_for(renamed);
    CHECK_THAT(message, Catch::Contains("variable 'encoder/layer_3/ffn/linear_1/weight' is missing"));
  }
}

TEST_CASE("CTranslate2 folders with bad vocabularies or config give one-line errors", "[ctranslate2][errors]") {
  const fs::path folder = folder_with_model_bin(read_bytes(kModels + "v2/aren-transliteration/model.bin"));
  SECTION("a vocabulary that does not match the embeddings") {
    std::ofstream(folder / "target_vocabulary.txt", std::ios::app) << "extra\n";
    CHECK_THAT(open_error(folder), Catch::Contains("the target vocabulary has 44 tokens but 'decoder/embeddings/weight' has 43 rows"));
  }
  SECTION("no vocabulary") {
    fs::remove(folder / "target_vocabulary.txt");
    CHECK_THAT(open_error(folder), Catch::Contains("no vocabulary"));
  }
  SECTION("invalid config.json") {
    std::ofstream(folder / "config.json") << "{\"eos_token\": ";
    CHECK_THAT(open_error(folder), Catch::Contains("config.json: not valid JSON"));
  }
  SECTION("a decoder start token outside the vocabulary") {
    std::ofstream(folder / "config.json") << R"({"decoder_start_token": "<go>"})";
    CHECK_THAT(open_error(folder), Catch::Contains("the decoder start token \"<go>\" is not in the target vocabulary"));
  }
  SECTION("the CLI exits 2 with the message") {
    fs::resize_file(folder / "model.bin", 1000);
    const auto result = crossmt::testing::run_crossmt("translate -m '" + folder.string() + "'", "x\n");
    CHECK(result.exit_status == 2);
    CHECK_THAT(result.err, Catch::Contains("model.bin: truncated"));
  }
  fs::remove_all(folder.parent_path());
}

TEST_CASE("crossmt convert --to ctranslate2 and back translates as the HF folder does", "[ctranslate2][cli]") {
  using crossmt::testing::run_crossmt;
  const fs::path scratch = crossmt::testing::cli_scratch_folder();
  const std::string hf = CROSSMT_MODELS_DIR "/m30k-mul-marian";
  const std::string ct2 = (scratch / "ct2").string(), back = (scratch / "back").string();
  REQUIRE(run_crossmt("convert --to ctranslate2 '" + hf + "' '" + ct2 + "'", "").exit_status == 0);
  for (const char* file : {"model.bin", "config.json", "shared_vocabulary.json", "source.spm", "target.spm"})
    CHECK(fs::exists(fs::path(ct2) / file));
  REQUIRE(run_crossmt("convert --to safetensors '" + ct2 + "' '" + back + "'", "").exit_status == 0);

  std::ifstream source(std::string(CROSSMT_MODELS_DIR) + "/../data/multi30k/test_2016_flickr.en");
  std::string input;
  std::string line;
  for (int i = 0; i < 40 && std::getline(source, line); ++i) input += line + "\n";
  const std::string options = " --to de --beam-size 4 --max-length 128 --format jsonl --quiet";
  const auto ids_of = [&](const std::string& model) {
    const auto result = run_crossmt("translate -m '" + model + "'" + options, input);
    REQUIRE(result.exit_status == 0);
    std::vector<std::string> ids;
    for (const std::string& record : crossmt::testing::split_lines(result.out))
      ids.push_back(nlohmann::json::parse(record)["ids"].dump());
    return ids;
  };
  // Lines that reach --max-length differ by design: the HF folder's generation_config forces </s>
  // at the last position (forced_eos_token_id), CTranslate2 has no such setting.
  const auto comparable = [](std::vector<std::string> ids, const std::vector<std::string>& reference) {
    for (size_t i = 0; i < ids.size(); ++i)
      if (std::count(reference[i].begin(), reference[i].end(), ',') + 1 >= 127) ids[i] = "(length limit)";
    return ids;
  };
  const auto expected = ids_of(hf);
  REQUIRE(expected.size() == 40);
  CHECK(comparable(ids_of(ct2), expected) == comparable(expected, expected));  // written by crossmt
  // Converted back to an HF folder (generation defaults are CTranslate2's: it stores none).
  CHECK(comparable(ids_of(back), expected) == comparable(expected, expected));
  const auto inspect = run_crossmt("inspect --json '" + back + "'", "");
  CHECK(nlohmann::json::parse(inspect.out)["model_type"] == "marian");
  fs::remove_all(scratch);
}

// An HF folder converted from a CTranslate2 int8 model keeps its embedding table as int8; written
// to CTranslate2 again (a float32 model) the table is dequantized, not copied as raw int8 values.
TEST_CASE("An int8 embedding table is written to CTranslate2 dequantized", "[ctranslate2]") {
  const fs::path model = CROSSMT_MODELS_DIR "/m30k-mul-marian";
  const crossmt::Checkpoint original = crossmt::Checkpoint::open(model);
  const crossmt::StoredTensor& table = original.stored("model.shared.weight");
  const crossmt::QuantizedMatrix quantized = crossmt::quantize_rows(original.load_f32("model.shared.weight", table.shape));
  auto bytes = std::make_shared<std::pair<std::vector<int8_t>, std::vector<float>>>(quantized.values, quantized.scales);
  std::map<std::string, crossmt::StoredTensor> tensors = original.tensors();
  tensors["model.shared.weight"] = {crossmt::DType::I8, table.shape, reinterpret_cast<const std::byte*>(bytes->first.data()),
                                    bytes->first.size()};
  tensors["model.shared.weight_scale"] = {crossmt::DType::F32, {table.shape[0]},
                                          reinterpret_cast<const std::byte*>(bytes->second.data()),
                                          bytes->second.size() * sizeof(float)};
  const crossmt::Checkpoint with_int8_table(original.config(), tensors, bytes, original.weights_origin());

  const fs::path folder = crossmt::testing::cli_scratch_folder() / "ct2";
  crossmt::save_ctranslate2_folder(with_int8_table, crossmt::MarianTokenizer::load(model), folder);
  const crossmt::Checkpoint written = crossmt::Checkpoint::open(folder);
  REQUIRE(written.stored("model.shared.weight").dtype == crossmt::DType::F32);
  const crossmt::Tensor expected = crossmt::dequantize(quantized);
  const crossmt::Tensor values = written.load_f32("model.shared.weight", table.shape);
  CHECK(std::memcmp(values.data(), expected.data(), sizeof(float) * expected.size()) == 0);
  fs::remove_all(folder.parent_path());
}

TEST_CASE("CTranslate2 cases: hypotheses, scores, large beams, concurrent callers", "[ctranslate2]") {
  SECTION("InvalidNumHypotheses") {
    SearchOptions search = options();
    search.num_return_sequences = 0;
    CHECK_THROWS_AS(translate({kInput}, search), crossmt::Error);
  }
  SECTION("IgnoreScore (greedy output)") { CHECK(best({kInput}, options(1)) == kExpected); }
  SECTION("SameBeamAndGreedyScore") {
    const float greedy = translate({kInput}, options(1))[0].scores[0];
    const float beam = translate({kInput}, options(2))[0].scores[0];
    CHECK(greedy == Approx(beam).margin(1e-5));
  }
  SECTION("BeamSizeLargerThanVocabSize (2 x 22 candidates, 43 target tokens)") {
    SearchOptions search = options(22);
    search.num_return_sequences = 22;
    CHECK(translate({kInput}, search)[0].hypotheses.size() == 22);
  }
  SECTION("BufferedTranslationWrapper.Basic: concurrent callers get their own results") {
    std::vector<Tokens> first, second;
    std::thread a([&] { first = translate({{"آ", "ز", "ا"}}, options())[0].hypotheses; });
    std::thread b([&] { second = translate({kInput}, options())[0].hypotheses; });
    a.join();
    b.join();
    CHECK(first[0] == Tokens{"a", "z", "z", "a"});
    CHECK(second[0] == kExpected);
  }
}

// TranslatorTest.Scoring: the log-probability of each target token, </s> included, within 1e-5.
TEST_CASE("CTranslate2 case Scoring: token log-probabilities of given targets", "[ctranslate2]") {
  const std::vector<Tokens> sources = {kInput, {"آ", "ت", "ش", "ي", "س", "و", "ن"}, {"آ", "ر", "ب", "ا", "ك", "ه"},
                                       {"آ", "ر", "ث", "ر"}};
  const std::vector<Tokens> targets = {kExpected, {"a", "c", "h", "i", "s", "o", "n"}, {"a", "r", "b", "a", "k", "e"},
                                       {"a", "r", "t", "h", "e", "r"}};
  const std::vector<std::vector<float>> expected = {
      {-0.106023f, -0.065410f, -0.056002f, -0.447953f, -0.230714f, -0.092184f, -0.063463f},
      {-0.072660f, -0.300309f, -0.181187f, -0.395671f, -0.025631f, -0.123466f, -0.002034f, -0.012639f},
      {-0.103136f, -0.089504f, -0.063889f, -0.007327f, -0.452072f, -0.060154f, -0.016636f},
      {-0.076704f, -0.036037f, -0.029253f, -0.030273f, -0.149276f, -0.002440f, -0.003742f},
  };
  std::vector<std::vector<int>> source_ids, target_ids;
  for (size_t i = 0; i < sources.size(); ++i) {
    source_ids.push_back(translator().encode_source_pieces(sources[i]));
    std::vector<int> ids;
    for (const std::string& token : targets[i]) ids.push_back(target_id(token));
    ids.push_back(target_id("</s>"));
    target_ids.push_back(ids);
  }
  const auto scores = translator().score_ids(source_ids, target_ids);
  REQUIRE(scores.size() == expected.size());
  for (size_t i = 0; i < scores.size(); ++i) {
    REQUIRE(scores[i].size() == expected[i].size());
    for (size_t t = 0; t < scores[i].size(); ++t) CHECK(scores[i][t] == Approx(expected[i][t]).margin(1e-5));
  }
}

TEST_CASE("crossmt align on a pre-tokenized CTranslate2 model aligns token by token", "[ctranslate2][cli]") {
  const auto result = crossmt::testing::run_crossmt(
      "align -m '" + kModels + "v2/aren-transliteration'", "آ ت ز م و ن ||| a t z m o n\n");
  REQUIRE(result.exit_status == 0);
  // Without SentencePiece word marks each token is a word: one link per target token.
  const auto links = crossmt::testing::split_lines(result.out);
  REQUIRE(links.size() == 1);
  CHECK(std::count(links[0].begin(), links[0].end(), '-') == 6);
}
