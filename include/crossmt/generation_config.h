#pragma once
// Generation settings as transformers' GenerationConfig holds them (public: no JSON here).
#include <vector>

#include "crossmt/export.h"

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

CROSSMT_API const char* early_stopping_name(EarlyStopping mode);  // "false", "true", "never"

}  // namespace crossmt
