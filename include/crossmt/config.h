#pragma once
// Typed view of a Hugging Face `config.json` (+ `generation_config.json`).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace crossmt {

enum class EarlyStopping { False, True, Never };

// Generation defaults as transformers resolves them: generation_config.json when the folder has
// one, else the same keys in config.json, else transformers' own defaults. -1 means "not set".
struct GenerationConfig {
  int max_length = 20;
  int max_new_tokens = -1;
  int min_length = 0;
  int num_beams = 1;
  int num_return_sequences = 1;
  double length_penalty = 1.0;
  EarlyStopping early_stopping = EarlyStopping::False;
  std::vector<std::vector<int>> bad_words_ids;
  int forced_bos_token_id = -1;
  int forced_eos_token_id = -1;
  int no_repeat_ngram_size = 0;
  double repetition_penalty = 1.0;
  bool do_sample = false;
  int top_k = 50;
  double top_p = 1.0;
  double temperature = 1.0;
  int decoder_start_token_id = -1;
  int bos_token_id = -1;
  int eos_token_id = -1;
  int pad_token_id = -1;
};

struct ModelConfig {
  std::string model_type;    // config.json "model_type": "marian", "bart", "t5", ...
  std::string architecture;  // first of "architectures", e.g. "MarianMTModel"
  int d_model = 0;
  int encoder_layers = 0;
  int decoder_layers = 0;
  int encoder_attention_heads = 0;
  int decoder_attention_heads = 0;
  int encoder_ffn_dim = 0;
  int decoder_ffn_dim = 0;
  int vocab_size = 0;
  int decoder_vocab_size = 0;  // equals vocab_size unless the model has a separate target vocab
  int max_position_embeddings = 0;
  std::string activation_function;  // "swish", "gelu", "relu", ...
  bool scale_embedding = false;
  bool tie_word_embeddings = true;
  bool share_encoder_decoder_embeddings = true;
  int pad_token_id = -1;
  int eos_token_id = -1;
  int bos_token_id = -1;
  int decoder_start_token_id = -1;
  int forced_eos_token_id = -1;
  GenerationConfig generation;
  nlohmann::json raw_config;             // config.json as read
  nlohmann::json raw_generation_config;  // generation_config.json as read (null when absent)
};

// `origin` names the file(s) in error messages. Throws crossmt::Error on missing required fields
// or nonsense values (zero heads, d_model not divisible by heads, negative sizes, unknown
// activation).
ModelConfig parse_model_config(const nlohmann::json& config, const nlohmann::json& generation_config,
                               const std::string& origin);

const char* early_stopping_name(EarlyStopping mode);

}  // namespace crossmt
