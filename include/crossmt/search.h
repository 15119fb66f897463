#pragma once
// Greedy, beam and sampling search with the semantics of transformers 4.40.2 generate().
#include <cstdint>
#include <vector>

#include "crossmt/config.h"
#include "crossmt/model.h"

namespace crossmt {

struct SearchOptions {
  int num_beams = 1;
  int num_return_sequences = 1;
  int max_length = 20;  // counts the decoder start token, as transformers' max_length does
  int min_length = 0;   // idem
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
  uint64_t seed = 0;
  int decoder_start_token_id = 0;
  int eos_token_id = 0;
  int pad_token_id = 0;
};

// The model's generation defaults; max_new_tokens, when set, becomes max_length = 1 + it.
SearchOptions search_options_from(const GenerationConfig& generation);

struct Hypothesis {
  std::vector<int> ids;  // generated ids after the decoder start token, EOS included
  float score = 0.f;     // beam: transformers' sequences_scores; greedy/sampling: the same
                         // length-normalised sum of the chosen tokens' log-probs
};

// One list of hypotheses (best first, num_return_sequences long) per encoded sentence.
std::vector<std::vector<Hypothesis>> generate(const Seq2SeqModel& model, const EncodedBatch& encoded,
                                              const SearchOptions& options);

}  // namespace crossmt
