// config.json + generation_config.json -> ModelConfig: every family, generation defaults and
// their precedence, and one-line errors that name the file and the field.
#include <catch2/catch.hpp>

#include "checkpoint_test_support.h"
#include "crossmt/config.h"
#include "crossmt/error.h"

using namespace crossmt;
using namespace crossmt::test;
using Catch::Contains;
using nlohmann::json;

namespace {

json tiny_config(const std::string& arch) {
  return json::parse(read_bytes(kTinyArchsDir / arch / "config.json"));
}

ModelConfig parse(const json& config, const json& generation = json()) {
  return parse_model_config(config, generation, "config.json", "generation_config.json");
}

// Parses `config` and returns the error message (empty when it parsed).
std::string error_of(const json& config, const json& generation = json()) {
  try {
    parse(config, generation);
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the default Marian model's config and generation config", "[config]") {
  const ModelConfig config = load_model_config(kDefaultModelDir);
  CHECK(config.model_type == "marian");
  CHECK(config.architecture == "MarianMTModel");
  CHECK(config.d_model == 256);
  CHECK(config.encoder_layers == 6);
  CHECK(config.decoder_layers == 3);
  CHECK(config.encoder_attention_heads == 4);
  CHECK(config.d_kv == 64);
  CHECK(config.encoder_ffn_dim == 1024);
  CHECK(config.vocab_size == 8000);
  CHECK(config.decoder_vocab_size == 8000);
  CHECK(config.max_position_embeddings == 256);
  CHECK(config.activation_function == "swish");
  CHECK(config.scale_embedding);
  CHECK(config.tie_word_embeddings);
  CHECK(config.share_encoder_decoder_embeddings);
  CHECK_FALSE(config.normalize_before);
  CHECK(config.position_encoding == PositionEncoding::MarianSinusoidal);
  CHECK(config.layer_norm_epsilon == 1e-5);
  CHECK(config.pad_token_id == 7999);
  CHECK(config.eos_token_id == 0);
  CHECK(config.bos_token_id == 0);
  CHECK(config.decoder_start_token_id == 7999);
  CHECK(config.forced_eos_token_id == 0);

  const GenerationConfig& generation = config.generation;
  CHECK(generation.num_beams == 4);
  CHECK(generation.max_length == 256);
  CHECK(generation.bad_words_ids == std::vector<std::vector<int>>{{7999}});
  CHECK(generation.forced_eos_token_id == 0);
  CHECK(generation.decoder_start_token_id == 7999);
  CHECK(generation.length_penalty == 1.0);
  CHECK(generation.early_stopping == EarlyStopping::False);
  CHECK_FALSE(config.raw_generation_config.is_null());
}

TEST_CASE("each tiny architecture's family facts", "[config]") {
  const ModelConfig marian = load_model_config(kTinyArchsDir / "marian_shared");
  CHECK(marian.bos_token_id == -1);  // null in config.json
  CHECK(marian.d_kv == 8);

  const ModelConfig bart = load_model_config(kTinyArchsDir / "bart");
  CHECK(bart.activation_function == "gelu");
  CHECK_FALSE(bart.normalize_before);
  CHECK_FALSE(bart.scale_embedding);
  CHECK(bart.position_encoding == PositionEncoding::Learned);
  CHECK(bart.decoder_vocab_size == 96);  // no decoder_vocab_size key: defaults to vocab_size

  const ModelConfig mbart = load_model_config(kTinyArchsDir / "mbart");
  CHECK(mbart.normalize_before);
  CHECK(mbart.position_encoding == PositionEncoding::Learned);

  const ModelConfig m2m100 = load_model_config(kTinyArchsDir / "m2m100_nllb");
  CHECK(m2m100.model_type == "m2m_100");
  CHECK(m2m100.normalize_before);
  CHECK(m2m100.activation_function == "relu");
  CHECK(m2m100.position_encoding == PositionEncoding::M2M100Sinusoidal);
  CHECK(m2m100.forced_eos_token_id == -1);  // absent

  const ModelConfig t5 = load_model_config(kTinyArchsDir / "t5_original");
  CHECK(t5.is_t5());
  CHECK(t5.encoder_layers == 2);
  CHECK(t5.decoder_layers == 2);
  CHECK(t5.encoder_attention_heads == 4);
  CHECK(t5.decoder_attention_heads == 4);
  CHECK(t5.encoder_ffn_dim == 64);
  CHECK(t5.d_kv == 8);
  CHECK(t5.max_position_embeddings == 0);
  CHECK(t5.relative_attention_num_buckets == 8);
  CHECK(t5.relative_attention_max_distance == 20);
  CHECK(t5.layer_norm_epsilon == 1e-6);
  CHECK(t5.feed_forward_proj == "relu");
  CHECK_FALSE(t5.gated_ffn);
  CHECK(t5.activation_function == "relu");
  CHECK(t5.scale_decoder_outputs);
  CHECK(t5.normalize_before);
  CHECK(t5.position_encoding == PositionEncoding::RelativeBuckets);
  CHECK(t5.pad_token_id == 0);
  CHECK(t5.eos_token_id == 1);
  CHECK(t5.decoder_start_token_id == 0);

  const ModelConfig t5_v1_1 = load_model_config(kTinyArchsDir / "t5_v1_1");
  CHECK(t5_v1_1.feed_forward_proj == "gated-gelu");
  CHECK(t5_v1_1.gated_ffn);
  CHECK(t5_v1_1.activation_function == "gelu_new");
  CHECK(t5_v1_1.tie_word_embeddings);
  CHECK_FALSE(t5_v1_1.scale_decoder_outputs);
}

TEST_CASE("t5 defaults: num_decoder_layers from num_layers, rescaling follows tied embeddings", "[config]") {
  json config = tiny_config("t5_original");
  config.erase("num_decoder_layers");
  config.erase("scale_decoder_outputs");
  config.erase("relative_attention_num_buckets");
  config["num_layers"] = 3;
  ModelConfig parsed = parse(config);
  CHECK(parsed.decoder_layers == 3);
  CHECK(parsed.scale_decoder_outputs);
  CHECK(parsed.relative_attention_num_buckets == 32);
  config["tie_word_embeddings"] = false;
  CHECK_FALSE(parse(config).scale_decoder_outputs);
}

TEST_CASE("generation defaults: generation_config.json alone when present, else config.json, then transformers'", "[config]") {
  json config = tiny_config("marian_shared");
  config["num_beams"] = 6;
  config["max_length"] = 100;
  config["length_penalty"] = 0.6;
  json generation = {{"num_beams", 3}, {"early_stopping", "never"}, {"eos_token_id", {0, 5}}};

  const GenerationConfig resolved = parse(config, generation).generation;
  CHECK(resolved.num_beams == 3);            // generation_config.json wins
  CHECK(resolved.max_length == 20);          // config.json is ignored once the file exists
  CHECK(resolved.length_penalty == 1.0);
  CHECK(resolved.early_stopping == EarlyStopping::Never);
  CHECK(resolved.eos_token_id == 0);         // a list: its first id
  CHECK(resolved.min_length == 0);           // else transformers' defaults
  CHECK(resolved.top_k == 50);
  CHECK(resolved.no_repeat_ngram_size == 0);
  CHECK(resolved.max_new_tokens == -1);
  CHECK(resolved.decoder_start_token_id == 95);  // special ids still fall back to config.json

  const GenerationConfig without_file = parse(config).generation;
  CHECK(without_file.num_beams == 6);        // no file: config.json's keys count
  CHECK(without_file.max_length == 100);
  CHECK(without_file.length_penalty == 0.6);
  CHECK(without_file.forced_eos_token_id == 0);

  CHECK(parse(config, {{"early_stopping", true}}).generation.early_stopping == EarlyStopping::True);
  CHECK(parse(config, {{"early_stopping", false}}).generation.early_stopping == EarlyStopping::False);
  CHECK(parse(config, {{"max_new_tokens", nullptr}}).generation.max_new_tokens == -1);
  CHECK(std::string(early_stopping_name(EarlyStopping::Never)) == "never");
}

TEST_CASE("special ids: null -> -1, an eos list -> its first id", "[config]") {
  json config = tiny_config("bart");
  config["pad_token_id"] = nullptr;
  config["eos_token_id"] = {2, 3};
  const ModelConfig parsed = parse(config);
  CHECK(parsed.pad_token_id == -1);
  CHECK(parsed.eos_token_id == 2);
}

TEST_CASE("config errors name the file and the field, on one line", "[config]") {
  const json marian = tiny_config("marian_shared");
  const json t5 = tiny_config("t5_original");
  auto with = [](json config, const std::string& key, const json& value) {
    if (value.is_discarded())
      config.erase(key);
    else
      config[key] = value;
    return config;
  };
  const json removed = json(json::value_t::discarded);

  struct Case {
    json config;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {with(marian, "d_model", removed), "config.json: field 'd_model' is missing"},
      {with(marian, "d_model", nullptr), "config.json: field 'd_model' is missing"},
      {with(marian, "model_type", removed), "config.json: field 'model_type' is missing"},
      {with(marian, "model_type", "gpt2"), "config.json: field 'model_type' is 'gpt2'"},
      {with(marian, "encoder_attention_heads", 0), "config.json: field 'encoder_attention_heads' must be positive"},
      {with(marian, "decoder_layers", -2), "config.json: field 'decoder_layers' must be positive, got -2"},
      {with(marian, "encoder_ffn_dim", 0), "field 'encoder_ffn_dim' must be positive"},
      {with(marian, "vocab_size", -1), "field 'vocab_size' must be positive"},
      {with(marian, "decoder_attention_heads", 5), "field 'decoder_attention_heads' (5) does not divide d_model (32)"},
      {with(marian, "activation_function", "mish"), "field 'activation_function' names an unknown activation 'mish'"},
      {with(marian, "d_model", "32"), "field 'd_model' must be an integer, got string \"32\""},
      {with(marian, "d_model", 32.5), "field 'd_model' must be an integer"},
      {with(marian, "scale_embedding", 1), "field 'scale_embedding' must be true or false"},
      {with(marian, "activation_function", 7), "field 'activation_function' must be a string"},
      {with(marian, "max_position_embeddings", removed), "field 'max_position_embeddings' is missing"},
      {with(marian, "pad_token_id", 96), "field 'pad_token_id' (96) is outside the vocabulary of 96"},
      {with(marian, "pad_token_id", -5), "field 'pad_token_id' must not be negative"},
      {with(marian, "d_model", 1e12), "field 'd_model' must be an integer"},
      {with(marian, "d_model", 5000000000LL), "field 'd_model' is out of range"},
      {with(t5, "num_heads", 0), "field 'num_heads' must be positive"},
      {with(t5, "d_kv", removed), "field 'd_kv' is missing"},
      {with(t5, "feed_forward_proj", "gated-mish"), "field 'feed_forward_proj' names an unknown activation"},
      {with(t5, "layer_norm_epsilon", "small"), "field 'layer_norm_epsilon' must be a number"},
      {json::array(), "config.json: expected a JSON object, got array"},
  };
  for (const Case& test : cases) {
    const std::string message = error_of(test.config);
    INFO("expected: " << test.expected);
    CHECK_THAT(message, Contains(test.expected));
    CHECK(message.find('\n') == std::string::npos);
  }
}

TEST_CASE("generation config errors name generation_config.json", "[config]") {
  const json config = tiny_config("marian_shared");
  CHECK_THAT(error_of(config, {{"num_beams", 0}}),
             Contains("generation_config.json: field 'num_beams' must be positive, got 0"));
  CHECK_THAT(error_of(config, {{"early_stopping", "sometimes"}}),
             Contains("generation_config.json: field 'early_stopping' must be true, false or \"never\""));
  CHECK_THAT(error_of(config, {{"bad_words_ids", {1, 2}}}), Contains("generation_config.json: field 'bad_words_ids'"));
  CHECK_THAT(error_of(config, {{"length_penalty", "long"}}),
             Contains("generation_config.json: field 'length_penalty' must be a number"));
  CHECK_THAT(error_of(config, json::array()), Contains("generation_config.json: expected a JSON object"));
  // A bad generation value in config.json is reported there when the folder has no
  // generation_config.json (with one, transformers never reads it).
  json with_bad_beams = config;
  with_bad_beams["num_beams"] = -1;
  CHECK_THAT(error_of(with_bad_beams), Contains("config.json: field 'num_beams' must be positive"));
  CHECK(error_of(with_bad_beams, json::object()).empty());
}

TEST_CASE("config files on disk: invalid JSON and missing files", "[config]") {
  TempDir folder("config-files");
  copy_tiny_model("marian_shared", folder.path());

  write_bytes(folder / "config.json", "{\"d_model\": 32,\n  \"oops\" }");
  const std::string invalid = (folder / "config.json").string() + ": invalid JSON: ";
  REQUIRE_THROWS_WITH(load_model_config(folder.path()), Contains(invalid));
  try {
    load_model_config(folder.path());
  } catch (const Error& error) {
    CHECK(std::string(error.what()).find('\n') == std::string::npos);
  }

  copy_tiny_model("marian_shared", folder.path());
  write_bytes(folder / "generation_config.json", "[1, 2");
  REQUIRE_THROWS_WITH(load_model_config(folder.path()),
                      Contains((folder / "generation_config.json").string() + ": invalid JSON"));

  fs::remove(folder / "generation_config.json");
  const ModelConfig without_generation = load_model_config(folder.path());
  CHECK(without_generation.raw_generation_config.is_null());
  CHECK(without_generation.generation.forced_eos_token_id == 0);  // from config.json

  edit_json_file(folder / "config.json", [](json& config) { config["encoder_layers"] = 0; });
  REQUIRE_THROWS_WITH(load_model_config(folder.path()),
                      Contains((folder / "config.json").string() + ": field 'encoder_layers' must be positive"));

  fs::remove(folder / "config.json");
  REQUIRE_THROWS_WITH(load_model_config(folder.path()), Contains((folder / "config.json").string() + ": missing"));
}
