#pragma once
// transformers' default logits processors, applied in transformers' order to one row of scores
// (raw logits in greedy/sampling, log-probs in beam search, exactly where transformers applies
// them).
#include <cstdint>
#include <vector>

#include "crossmt/search.h"

namespace crossmt {

// `sequence`: the row's decoder input so far, decoder start token included.
void process_scores(const SearchOptions& options, const std::vector<int>& sequence, float* scores, int64_t vocab);

// Temperature, top-k and top-p as transformers' sampling warpers (in that order), in place.
void warp_for_sampling(const SearchOptions& options, float* scores, int64_t vocab, std::vector<int>& scratch);

}  // namespace crossmt
