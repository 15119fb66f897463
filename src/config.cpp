// config.json + generation_config.json -> ModelConfig, with transformers' defaults and one-line
// errors naming the file and the field at fault.
#include "crossmt/config.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>

#include "crossmt/error.h"

namespace crossmt {
namespace {

using nlohmann::json;

std::string single_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  return text;
}

// Typed, checked access to the fields of one JSON object; errors name `origin` and the key.
class FieldReader {
 public:
  FieldReader(const json& object, std::string origin) : object_(object), origin_(std::move(origin)) {}

  const std::string& origin() const { return origin_; }
  // Present, even when null.
  bool has(const char* key) const { return object_.is_object() && object_.contains(key); }
  bool has_value(const char* key) const { return has(key) && !object_.at(key).is_null(); }

  [[noreturn]] void fail(const char* key, const std::string& problem) const {
    throw Error(origin_ + ": field '" + key + "' " + problem);
  }

  int integer(const char* key, int fallback) const {
    if (!has_value(key)) return fallback;
    return to_int(key, object_.at(key));
  }
  int required_integer(const char* key) const {
    if (!has_value(key)) fail(key, "is missing");
    return to_int(key, object_.at(key));
  }
  int required_positive(const char* key) const {
    const int value = required_integer(key);
    if (value <= 0) fail(key, "must be positive, got " + std::to_string(value));
    return value;
  }
  int positive(const char* key, int fallback) const {
    const int value = integer(key, fallback);
    if (value <= 0) fail(key, "must be positive, got " + std::to_string(value));
    return value;
  }
  int non_negative(const char* key, int fallback) const {
    const int value = integer(key, fallback);
    if (value < 0) fail(key, "must not be negative, got " + std::to_string(value));
    return value;
  }
  // A token id: null -> -1; a list (several EOS ids) -> its first element.
  int token_id(const char* key, int fallback, bool list_allowed = false) const {
    if (!has(key)) return fallback;
    const json& value = object_.at(key);
    if (value.is_null() || (list_allowed && value.is_array() && value.empty())) return -1;
    const int id = to_int(key, list_allowed && value.is_array() ? value.front() : value);
    if (id < 0) fail(key, "must not be negative, got " + std::to_string(id));
    return id;
  }
  double number(const char* key, double fallback) const {
    if (!has_value(key)) return fallback;
    const json& value = object_.at(key);
    if (!value.is_number()) fail(key, "must be a number, got " + describe(value));
    return value.get<double>();
  }
  bool boolean(const char* key, bool fallback) const {
    if (!has_value(key)) return fallback;
    const json& value = object_.at(key);
    if (!value.is_boolean()) fail(key, "must be true or false, got " + describe(value));
    return value.get<bool>();
  }
  std::string string(const char* key, const std::string& fallback) const {
    if (!has_value(key)) return fallback;
    const json& value = object_.at(key);
    if (!value.is_string()) fail(key, "must be a string, got " + describe(value));
    return value.get<std::string>();
  }
  std::string required_string(const char* key) const {
    if (!has_value(key)) fail(key, "is missing");
    return string(key, "");
  }
  const json& raw(const char* key) const { return object_.at(key); }

  static std::string describe(const json& value) {
    std::string text = value.dump();
    if (text.size() > 40) text = text.substr(0, 37) + "...";
    return std::string(value.type_name()) + " " + single_line(text);
  }

 private:
  int to_int(const char* key, const json& value) const {
    if (!value.is_number_integer()) fail(key, "must be an integer, got " + describe(value));
    if (value.is_number_unsigned() ? value.get<uint64_t>() > INT_MAX
                                   : (value.get<int64_t>() > INT_MAX || value.get<int64_t>() < INT_MIN))
      fail(key, "is out of range: " + value.dump());
    return value.get<int>();
  }

  const json& object_;
  std::string origin_;
};

bool is_known_activation(const std::string& name) {
  static const char* const kActivations[] = {"relu", "gelu", "gelu_new", "gelu_fast", "gelu_pytorch_tanh",
                                             "swish", "silu", "tanh"};
  return std::any_of(std::begin(kActivations), std::end(kActivations),
                     [&](const char* known) { return name == known; });
}

void require_object(const json& value, const std::string& origin) {
  if (!value.is_object()) throw Error(origin + ": expected a JSON object, got " + std::string(value.type_name()));
}

void parse_bart_family(const FieldReader& fields, ModelConfig& config) {
  config.d_model = fields.required_positive("d_model");
  config.encoder_layers = fields.required_positive("encoder_layers");
  config.decoder_layers = fields.required_positive("decoder_layers");
  config.encoder_attention_heads = fields.required_positive("encoder_attention_heads");
  config.decoder_attention_heads = fields.required_positive("decoder_attention_heads");
  config.encoder_ffn_dim = fields.required_positive("encoder_ffn_dim");
  config.decoder_ffn_dim = fields.required_positive("decoder_ffn_dim");
  config.vocab_size = fields.required_positive("vocab_size");
  config.decoder_vocab_size = fields.positive("decoder_vocab_size", config.vocab_size);
  config.max_position_embeddings = fields.required_positive("max_position_embeddings");
  for (const char* heads_key : {"encoder_attention_heads", "decoder_attention_heads"}) {
    const int heads = fields.required_integer(heads_key);
    if (config.d_model % heads != 0)
      fields.fail(heads_key, "(" + std::to_string(heads) + ") does not divide d_model (" +
                                 std::to_string(config.d_model) + ")");
  }
  config.d_kv = config.d_model / config.encoder_attention_heads;
  config.activation_function = fields.string("activation_function", "gelu");
  if (!is_known_activation(config.activation_function))
    fields.fail("activation_function", "names an unknown activation '" + config.activation_function + "'");
  config.scale_embedding = fields.boolean("scale_embedding", false);
  config.share_encoder_decoder_embeddings = fields.boolean("share_encoder_decoder_embeddings", true);
  config.layer_norm_epsilon = 1e-5;  // nn.LayerNorm's default; these configs have no key for it
  const std::string& type = config.model_type;
  config.normalize_before = type == "mbart" || type == "m2m_100";
  config.position_encoding = type == "marian"    ? PositionEncoding::MarianSinusoidal
                             : type == "m2m_100" ? PositionEncoding::M2M100Sinusoidal
                                                 : PositionEncoding::Learned;
}

void parse_t5(const FieldReader& fields, ModelConfig& config) {
  config.d_model = fields.required_positive("d_model");
  config.encoder_layers = fields.required_positive("num_layers");
  config.decoder_layers = fields.positive("num_decoder_layers", config.encoder_layers);
  config.encoder_attention_heads = config.decoder_attention_heads = fields.required_positive("num_heads");
  config.encoder_ffn_dim = config.decoder_ffn_dim = fields.required_positive("d_ff");
  config.d_kv = fields.required_positive("d_kv");
  config.vocab_size = config.decoder_vocab_size = fields.required_positive("vocab_size");
  config.relative_attention_num_buckets = fields.positive("relative_attention_num_buckets", 32);
  config.relative_attention_max_distance = fields.positive("relative_attention_max_distance", 128);
  config.layer_norm_epsilon = fields.number("layer_norm_epsilon", 1e-6);
  if (!(config.layer_norm_epsilon > 0))
    fields.fail("layer_norm_epsilon", "must be positive, got " + std::to_string(config.layer_norm_epsilon));

  // transformers' T5Config: "[gated-]<act>", and "gated-gelu" means the tanh approximation.
  config.feed_forward_proj = fields.string("feed_forward_proj", "relu");
  const std::string& projection = config.feed_forward_proj;
  config.gated_ffn = projection.rfind("gated-", 0) == 0;
  std::string activation = config.gated_ffn ? projection.substr(6) : projection;
  if (projection == "gated-gelu") activation = "gelu_new";
  if (!is_known_activation(activation))
    fields.fail("feed_forward_proj", "names an unknown activation '" + projection + "'");
  config.activation_function = activation;

  config.scale_embedding = false;
  config.share_encoder_decoder_embeddings = true;
  config.normalize_before = true;
  config.position_encoding = PositionEncoding::RelativeBuckets;
}

// Where a generation setting comes from. transformers reads generation_config.json alone when the
// folder has one (config.json's num_beams, max_length, ... are then ignored); special token ids
// still fall back to config.json, where every model states them.
const FieldReader& source_of(const char* key, const FieldReader& generation, const FieldReader& model,
                             bool has_generation_file) {
  const bool special_id = std::string_view(key).ends_with("_token_id");
  if (has_generation_file && (!special_id || generation.has(key))) return generation;
  return model;
}

std::vector<std::vector<int>> parse_bad_words(const FieldReader& fields) {
  constexpr const char* kKey = "bad_words_ids";
  std::vector<std::vector<int>> sequences;
  if (!fields.has_value(kKey)) return sequences;
  const json& value = fields.raw(kKey);
  if (!value.is_array()) fields.fail(kKey, "must be a list of token id lists, got " + FieldReader::describe(value));
  for (const json& sequence : value) {
    if (!sequence.is_array() || sequence.empty())
      fields.fail(kKey, "must be a list of non-empty token id lists, got " + FieldReader::describe(sequence));
    std::vector<int> ids;
    for (const json& id : sequence) {
      if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() > INT_MAX)
        fields.fail(kKey, "holds " + FieldReader::describe(id) + ", not a token id");
      ids.push_back(id.get<int>());
    }
    sequences.push_back(std::move(ids));
  }
  return sequences;
}

EarlyStopping parse_early_stopping(const FieldReader& fields) {
  constexpr const char* kKey = "early_stopping";
  if (!fields.has_value(kKey)) return EarlyStopping::False;
  const json& value = fields.raw(kKey);
  if (value.is_boolean()) return value.get<bool>() ? EarlyStopping::True : EarlyStopping::False;
  if (value.is_string() && value.get<std::string>() == "never") return EarlyStopping::Never;
  fields.fail(kKey, "must be true, false or \"never\", got " + FieldReader::describe(value));
}

GenerationConfig parse_generation(const FieldReader& generation, const FieldReader& model, bool has_generation_file) {
  GenerationConfig result;
  auto from = [&](const char* key) -> const FieldReader& {
    return source_of(key, generation, model, has_generation_file);
  };
  result.max_length = from("max_length").non_negative("max_length", result.max_length);
  result.max_new_tokens = from("max_new_tokens").integer("max_new_tokens", -1);
  if (result.max_new_tokens < -1 || result.max_new_tokens == 0)
    from("max_new_tokens").fail("max_new_tokens", "must be positive, got " + std::to_string(result.max_new_tokens));
  result.min_length = from("min_length").non_negative("min_length", result.min_length);
  result.num_beams = from("num_beams").positive("num_beams", result.num_beams);
  result.num_return_sequences = from("num_return_sequences").positive("num_return_sequences", 1);
  result.length_penalty = from("length_penalty").number("length_penalty", result.length_penalty);
  result.early_stopping = parse_early_stopping(from("early_stopping"));
  result.bad_words_ids = parse_bad_words(from("bad_words_ids"));
  result.forced_bos_token_id = from("forced_bos_token_id").token_id("forced_bos_token_id", -1);
  result.forced_eos_token_id = from("forced_eos_token_id").token_id("forced_eos_token_id", -1, true);
  result.no_repeat_ngram_size = from("no_repeat_ngram_size").non_negative("no_repeat_ngram_size", 0);
  result.repetition_penalty = from("repetition_penalty").number("repetition_penalty", 1.0);
  if (!(result.repetition_penalty > 0))
    from("repetition_penalty").fail("repetition_penalty", "must be positive");
  result.do_sample = from("do_sample").boolean("do_sample", false);
  result.top_k = from("top_k").non_negative("top_k", result.top_k);
  result.top_p = from("top_p").number("top_p", result.top_p);
  result.temperature = from("temperature").number("temperature", result.temperature);
  result.decoder_start_token_id = from("decoder_start_token_id").token_id("decoder_start_token_id", -1);
  result.bos_token_id = from("bos_token_id").token_id("bos_token_id", -1);
  result.eos_token_id = from("eos_token_id").token_id("eos_token_id", -1, true);
  result.pad_token_id = from("pad_token_id").token_id("pad_token_id", -1);
  return result;
}

}  // namespace

ModelConfig parse_model_config(const json& config, const json& generation_config, const std::string& origin,
                               const std::string& generation_origin) {
  require_object(config, origin);
  const std::string generation_name = generation_origin.empty() ? origin : generation_origin;
  if (!generation_config.is_null()) require_object(generation_config, generation_name);
  const FieldReader fields(config, origin);
  const FieldReader generation_fields(generation_config, generation_name);

  ModelConfig result;
  result.model_type = fields.required_string("model_type");
  if (fields.has_value("architectures")) {
    const json& architectures = fields.raw("architectures");
    if (!architectures.is_array() || (!architectures.empty() && !architectures.front().is_string()))
      fields.fail("architectures", "must be a list of class names, got " + FieldReader::describe(architectures));
    if (!architectures.empty()) result.architecture = architectures.front().get<std::string>();
  }

  const std::string& type = result.model_type;
  const bool is_t5 = type == "t5";
  if (type == "marian" || type == "bart" || type == "mbart" || type == "m2m_100")
    parse_bart_family(fields, result);
  else if (is_t5)
    parse_t5(fields, result);
  else
    fields.fail("model_type", "is '" + type + "', not one crossmt supports (marian, bart, mbart, m2m_100, t5)");

  result.tie_word_embeddings = fields.boolean("tie_word_embeddings", true);
  result.scale_decoder_outputs = is_t5 && fields.boolean("scale_decoder_outputs", result.tie_word_embeddings);
  // T5Config's own defaults; the bart family has none that would fit every vocabulary.
  result.pad_token_id = fields.token_id("pad_token_id", is_t5 ? 0 : -1);
  result.eos_token_id = fields.token_id("eos_token_id", is_t5 ? 1 : -1, true);
  result.bos_token_id = fields.token_id("bos_token_id", -1);
  result.decoder_start_token_id = fields.token_id("decoder_start_token_id", is_t5 ? result.pad_token_id : -1);
  result.forced_eos_token_id = fields.token_id("forced_eos_token_id", -1, true);
  const int vocabulary = std::max(result.vocab_size, result.decoder_vocab_size);
  for (const char* key : {"pad_token_id", "eos_token_id", "bos_token_id", "decoder_start_token_id",
                          "forced_eos_token_id"}) {
    const int id = fields.token_id(key, -1, true);
    if (id >= vocabulary)
      fields.fail(key, "(" + std::to_string(id) + ") is outside the vocabulary of " + std::to_string(vocabulary));
  }

  result.generation = parse_generation(generation_fields, fields, !generation_config.is_null());
  result.raw_config = config;
  result.raw_generation_config = generation_config;
  return result;
}

nlohmann::json read_json_file(const std::filesystem::path& file) {
  std::ifstream stream(file, std::ios::binary);
  if (!stream) throw Error(file.string() + ": cannot read: " + std::strerror(errno));
  std::ostringstream text;
  text << stream.rdbuf();
  if (stream.bad()) throw Error(file.string() + ": cannot read: " + std::strerror(errno));
  try {
    return json::parse(text.str());
  } catch (const json::exception& failure) {  // parse_error, or out_of_range for a number overflow
    throw Error(file.string() + ": invalid JSON: " + single_line(failure.what()));
  }
}

ModelConfig load_model_config(const std::filesystem::path& folder) {
  const auto config_file = folder / "config.json";
  const auto generation_file = folder / "generation_config.json";
  if (!std::filesystem::exists(config_file))
    throw Error(config_file.string() + ": missing (a model folder needs config.json and model.safetensors)");
  const json config = read_json_file(config_file);
  const json generation = std::filesystem::exists(generation_file) ? read_json_file(generation_file) : json();
  return parse_model_config(config, generation, config_file.string(), generation_file.string());
}

const char* early_stopping_name(EarlyStopping mode) {
  switch (mode) {
    case EarlyStopping::False: return "false";
    case EarlyStopping::True: return "true";
    case EarlyStopping::Never: return "never";
  }
  return "?";
}

const char* position_encoding_name(PositionEncoding encoding) {
  switch (encoding) {
    case PositionEncoding::MarianSinusoidal: return "sinusoidal (marian)";
    case PositionEncoding::M2M100Sinusoidal: return "sinusoidal (m2m_100)";
    case PositionEncoding::Learned: return "learned";
    case PositionEncoding::RelativeBuckets: return "relative buckets";
  }
  return "?";
}

}  // namespace crossmt
