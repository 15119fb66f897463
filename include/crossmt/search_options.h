#pragma once
// What a search is asked for and what it returns (public: no model types here).
#include <cstdint>
#include <vector>

#include "crossmt/export.h"
#include "crossmt/generation_config.h"

namespace crossmt {

// The generation settings of one run: the model's GenerationConfig with the user's overrides,
// max_new_tokens already folded into max_length (which counts the decoder start token, as
// transformers' max_length does), plus the sampling seed.
struct SearchOptions : GenerationConfig {
  uint64_t seed = 0;
};

// The model's generation defaults; max_new_tokens, when set, becomes max_length = 1 + it.
CROSSMT_API SearchOptions search_options_from(const GenerationConfig& generation);

struct Hypothesis {
  std::vector<int> ids;  // generated ids after the decoder start token, EOS included
  float score = 0.f;     // beam: transformers' sequences_scores; greedy/sampling: the same
                         // length-normalised sum of the chosen tokens' log-probs
};

}  // namespace crossmt
