#pragma once
// Typed view of a Hugging Face `config.json` (+ `generation_config.json`).
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crossmt/generation_config.h"

namespace crossmt {

// How token positions enter the model; fixed by model_type.
enum class PositionEncoding {
  MarianSinusoidal,   // sin | cos halves, not stored in the checkpoint, positions from 0
  M2M100Sinusoidal,   // fairseq-style sinusoids, a non-persistent buffer, positions from pad + 1
  Learned,            // bart / mbart `embed_positions.weight` (stored, offset 2)
  RelativeBuckets,    // t5 `relative_attention_bias` in the first layer of each stack
};

struct ModelConfig {
  std::string model_type;    // config.json "model_type": "marian", "bart", "mbart", "m2m_100", "t5"
  std::string architecture;  // first of "architectures", e.g. "MarianMTModel" ("" when absent)
  int d_model = 0;
  int encoder_layers = 0;     // t5: num_layers
  int decoder_layers = 0;     // t5: num_decoder_layers (defaults to num_layers)
  int encoder_attention_heads = 0;  // t5: num_heads
  int decoder_attention_heads = 0;  // t5: num_heads
  int encoder_ffn_dim = 0;    // t5: d_ff
  int decoder_ffn_dim = 0;    // t5: d_ff
  int vocab_size = 0;
  int decoder_vocab_size = 0;  // equals vocab_size unless the model has a separate target vocab
  int max_position_embeddings = 0;  // 0 for t5 (relative positions have no table size)
  // "swish", "gelu", "relu", ...; for t5 the activation named by feed_forward_proj
  // ("relu", or "gelu_new" for "gated-gelu", as transformers maps it).
  std::string activation_function;
  bool scale_embedding = false;
  bool tie_word_embeddings = true;
  bool share_encoder_decoder_embeddings = true;
  int pad_token_id = -1;
  int eos_token_id = -1;
  int bos_token_id = -1;
  int decoder_start_token_id = -1;
  int forced_eos_token_id = -1;

  // Per-head width of q/k/v: d_model / heads for the bart family, config "d_kv" for t5.
  int d_kv = 0;
  double layer_norm_epsilon = 1e-5;  // bart family: 1e-5 (nn.LayerNorm); t5: config, default 1e-6
  bool normalize_before = false;     // pre-norm layers: mbart, m2m_100, t5
  PositionEncoding position_encoding = PositionEncoding::MarianSinusoidal;
  // t5 only (zero / empty / false elsewhere).
  std::string feed_forward_proj;     // "relu", "gated-gelu", ...
  bool gated_ffn = false;            // feed_forward_proj starts with "gated-": wi_0, wi_1, wo
  int relative_attention_num_buckets = 0;
  int relative_attention_max_distance = 0;
  // t5 multiplies the decoder output by d_model^-0.5 before a tied lm_head. Absent from older
  // configs, where transformers rescales exactly when tie_word_embeddings is true.
  bool scale_decoder_outputs = false;

  // The file format the model was read from ("safetensors", "json", "ctranslate2"), and the
  // same for people ("safetensors folder", "CTranslate2 model.bin (binary version 6, ...)").
  std::string format, format_description;
  // The language pair a bilingual package declares (Argos metadata.json), "" when it says none.
  std::string source_language, target_language;

  GenerationConfig generation;
  nlohmann::json raw_config;             // config.json as read
  nlohmann::json raw_generation_config;  // generation_config.json as read (null when absent)

  bool is_t5() const { return model_type == "t5"; }
};

// `origin` names the file(s) in error messages; `generation_origin` names the generation config
// (defaults to `origin`). Throws crossmt::Error on missing required fields, wrong JSON types or
// nonsense values (zero heads, d_model not divisible by heads, negative sizes, unknown
// activation, unsupported model_type).
ModelConfig parse_model_config(const nlohmann::json& config, const nlohmann::json& generation_config,
                               const std::string& origin, const std::string& generation_origin = "");

// config.json (+ generation_config.json when present) of a model folder, without the weights.
ModelConfig load_model_config(const std::filesystem::path& folder);

// Throws crossmt::Error "<file>: cannot read ..." or "<file>: invalid JSON: <reason>".
nlohmann::json read_json_file(const std::filesystem::path& file);

const char* position_encoding_name(PositionEncoding encoding);

}  // namespace crossmt
