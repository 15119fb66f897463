#pragma once
// Multi-head scaled dot-product attention kernels. Queries arrive already scaled by
// head_dim^-0.5 (folded into the query projection); rows are laid out [heads * head_dim].
// Masked key positions are skipped, which gives them exactly the zero weight that
// transformers' additive finfo.min mask gives them.
#include <cstdint>

namespace crossmt {

struct HeadLayout {
  int heads = 0;
  int head_dim = 0;
};

// T5's relative position bias, added to the score of query position i and key position j.
struct PositionBias {
  const float* table = nullptr;    // [buckets][heads]: relative_attention_bias.weight
  const int32_t* bucket = nullptr; // bucket of the distance j - i, stored at index j - i + max_distance
  int64_t max_distance = 0;
  int heads = 0;
  float operator()(int head, int64_t i, int64_t j) const {
    return table[static_cast<int64_t>(bucket[j - i + max_distance]) * heads + head];
  }
};

// Whole sequences: batch b's query i attends to keys j < key_lengths[b] (and j <= i when causal).
// q row (b, i) at q + (b * query_len + i) * q_stride; k/v row (b, j) at k/v + (b * key_len + j) *
// kv_stride. out: [batch * query_len, heads * head_dim]. probs (optional): per batch
// probs_batch_stride floats holding [heads][query_len][key_len], zero where masked.
void attend_sequences(HeadLayout layout, const float* q, int64_t q_stride, const float* k, const float* v,
                      int64_t kv_stride, int64_t batch, int64_t query_len, int64_t key_len,
                      const int* key_lengths, bool causal, float* out, float* probs,
                      int64_t probs_batch_stride, const PositionBias* position_bias = nullptr);

// One decoding step of self-attention over a cache of `length` positions. Position s of row r
// lives in slot history[s * row_stride + r] of step s: its key at
// cache + (s * row_stride + slot) * 2 * model_dim, its value model_dim floats later.
void attend_cached_step(HeadLayout layout, const float* q, int64_t q_stride, int64_t rows, int64_t row_stride,
                        const float* cache, const int32_t* history, int64_t length, float* out,
                        const PositionBias* position_bias = nullptr);

// One decoding step of cross-attention: row r reads encoded sentence row_source[r], whose keys are
// kv + (row_source[r] * source_len + j) * 2 * model_dim (values model_dim floats later), for
// j < source_lengths[row_source[r]]. probs (optional): [rows][heads][source_len].
void attend_cross_step(HeadLayout layout, const float* q, int64_t q_stride, int64_t rows, const float* kv,
                       int64_t source_len, const int* row_source, const int* source_lengths, float* out,
                       float* probs);

}  // namespace crossmt
