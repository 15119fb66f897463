#pragma once
// Greedy, beam and sampling search with the semantics of transformers 4.40.2 generate().
#include <cstdint>
#include <vector>

#include "crossmt/config.h"
#include "crossmt/model.h"

namespace crossmt {

// The generation settings of one run: the model's GenerationConfig with the user's overrides,
// max_new_tokens already folded into max_length (which counts the decoder start token, as
// transformers' max_length does), plus the sampling seed.
struct SearchOptions : GenerationConfig {
  uint64_t seed = 0;
};

// The model's generation defaults; max_new_tokens, when set, becomes max_length = 1 + it.
SearchOptions search_options_from(const GenerationConfig& generation);

struct Hypothesis {
  std::vector<int> ids;  // generated ids after the decoder start token, EOS included
  float score = 0.f;     // beam: transformers' sequences_scores; greedy/sampling: the same
                         // length-normalised sum of the chosen tokens' log-probs
};

// Buffers a search keeps between batches (decoder caches, scores); see start_decoding.
struct SearchWorkspace {
  DecoderState state;
  Tensor scores;
};

// One list of hypotheses (best first, num_return_sequences long) per encoded sentence.
// `workspace` (optional) lends buffers from earlier batches.
std::vector<std::vector<Hypothesis>> generate(const Seq2SeqModel& model, const EncodedBatch& encoded,
                                              const SearchOptions& options, SearchWorkspace* workspace = nullptr);

}  // namespace crossmt
