#pragma once
// Greedy, beam and sampling search with the semantics of transformers 4.40.2 generate().
#include <cstdint>
#include <vector>

#include "crossmt/config.h"
#include "crossmt/model.h"
#include "crossmt/search_options.h"

namespace crossmt {

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
