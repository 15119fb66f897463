#pragma once
// Seq2SeqModel: an encoder-decoder Transformer (Marian, BART, mBART, M2M100/NLLB, T5) computed
// with oneDNN. encode() runs once per batch and also projects the cross-attention keys and values
// of every decoder layer; step() then feeds one token per hypothesis row.
//
// A model instance keeps per-shape oneDNN caches, so one instance serves one thread at a time.
#include <cstdint>
#include <memory>
#include <vector>

#include "crossmt/checkpoint.h"
#include "crossmt/config.h"
#include "crossmt/quantization.h"
#include "crossmt/tensor.h"

namespace crossmt {

struct EncodedBatch {
  int64_t batch = 0;
  int64_t max_length = 0;          // padded source length
  std::vector<int> lengths;        // real length of each source
  Tensor hidden;                   // [batch, max_length, d_model]; padded rows are not meaningful
  std::vector<Tensor> cross_kv;    // per decoder layer: [batch, max_length, 2 * inner] (keys | values),
                                   // inner = heads * head dim (d_model except in some T5s)
};

// The growing state of a decoding run: per-layer self-attention caches and per-row history.
class DecoderState {
 public:
  int64_t rows() const { return rows_; }
  int64_t steps_done() const { return steps_done_; }
  const std::vector<int>& row_source() const { return row_source_; }

 private:
  friend class Seq2SeqModel;
  const EncodedBatch* source_ = nullptr;
  int64_t rows_ = 0;
  int64_t row_capacity_ = 0;  // row slots per step; a reorder may only shrink the rows
  int64_t steps_done_ = 0;
  int64_t step_capacity_ = 0;
  std::vector<int> row_source_, row_source_scratch_;
  // Per layer [step][row slot][keys | values]. A reorder rewrites `history_`, never the cache:
  // history_[s * row_capacity_ + r] is the slot at step s that row r's past lives in.
  std::vector<Tensor> self_cache_;
  std::vector<int32_t> history_;
  std::vector<int32_t> history_scratch_;
  Tensor hidden_, normalized_, projections_, context_, feed_forward_, gate_;
};

struct ModelWeights;

struct ForcedOutput {
  int64_t target_length = 0;  // padded decoder input length T
  Tensor log_probs;           // [batch, T, vocab]
  Tensor cross_attention;     // [batch, layers, heads, T, source max_length] (empty unless asked)
};

class Seq2SeqModel {
 public:
  // Linear layers run in `compute_type`; Auto is int8 for an int8 checkpoint, float32 otherwise.
  explicit Seq2SeqModel(const Checkpoint& checkpoint, ComputeType compute_type = ComputeType::Auto);
  ~Seq2SeqModel();
  Seq2SeqModel(Seq2SeqModel&&) noexcept;

  const ModelConfig& config() const;
  ComputeType compute_type() const;  // Float32 or Int8, as resolved at load
  int64_t target_vocab_size() const;
  int64_t max_positions() const;  // longest source or target sequence the model takes
  int decoder_layers() const;
  int decoder_heads() const;

  // Sources are token ids (EOS included), each at most max_positions() long.
  EncodedBatch encode(const std::vector<std::vector<int>>& sources) const;

  // `row_source[r]` is the encoded sentence that hypothesis row r translates.
  DecoderState start_decoding(const EncodedBatch& encoded, std::vector<int> row_source) const;
  // The same into an existing state, reusing the buffers a previous batch grew: a run of many
  // batches then stops allocating (and stops growing its heap) once the largest batch was seen.
  void start_decoding(const EncodedBatch& encoded, std::vector<int> row_source, DecoderState& state) const;

  // Feeds tokens[r] to row r at the next position and writes scores [rows, vocab]: log-probs, or
  // the raw logits when `normalize` is false (greedy search processes logits as transformers does).
  // cross_attention (optional) receives [decoder layers, rows, heads, source max_length].
  void step(DecoderState& state, const int* tokens, Tensor& scores, Tensor* cross_attention = nullptr,
            bool normalize = true) const;

  // Row r continues the history of row parents[r] (beam search reordering and duplication).
  // Fewer parents than rows drops the rest (finished sentences leave the batch).
  void reorder(DecoderState& state, const std::vector<int>& parents) const;

  // Teacher forcing of whole decoder inputs (decoder start included) in one pass with a causal
  // mask: per-position log-probs and, when asked, every layer's cross-attention.
  ForcedOutput forced_decode(const EncodedBatch& encoded, const std::vector<std::vector<int>>& decoder_inputs,
                             bool with_attention) const;

 private:
  void grow_self_cache(DecoderState& state, int64_t capacity) const;

  std::unique_ptr<ModelWeights> weights_;
};

}  // namespace crossmt
