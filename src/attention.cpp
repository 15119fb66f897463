#include "crossmt/attention.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "vector_math.h"

namespace crossmt {
namespace {

// Forking threads costs more than a few small heads take to compute (batch-1 decoding).
constexpr int64_t kMinParallelHeads = 16;

// Per-thread score buffer: grows to the longest key sequence seen, then never reallocates.
float* scratch_scores(int64_t count) {
  thread_local std::vector<float> scores;
  if (static_cast<int64_t>(scores.size()) < count) scores.resize(count);
  return scores.data();
}

// One query head against `n_keys` keys; key_row(j) returns the key row of position j (the value
// row sits value_offset floats after it), bias(j) an additive score term. Writes the head's
// context and, optionally, its weights.
template <class KeyRow, class Bias>
inline void attend_head(const float* query, int head_dim, int64_t n_keys, KeyRow key_row, int64_t value_offset,
                        Bias bias, float* context, float* weights) {
  float* scores = scratch_scores(n_keys);
  float max_score = -INFINITY;
  for (int64_t j = 0; j < n_keys; ++j) {
    const float* key = key_row(j);
    float dot = 0.f;
#pragma omp simd reduction(+ : dot)
    for (int d = 0; d < head_dim; ++d) dot += query[d] * key[d];
    dot += bias(j);
    scores[j] = dot;
    max_score = std::max(max_score, dot);
  }
  float sum = 0.f;
  for (int64_t j = 0; j < n_keys; ++j) {
    scores[j] = exp_vectorizable(scores[j] - max_score);
    sum += scores[j];
  }
  const float inverse = 1.f / sum;
  std::fill(context, context + head_dim, 0.f);
  for (int64_t j = 0; j < n_keys; ++j) {
    const float weight = scores[j] * inverse;
    if (weights) weights[j] = weight;
    const float* value = key_row(j) + value_offset;
#pragma omp simd
    for (int d = 0; d < head_dim; ++d) context[d] += weight * value[d];
  }
}

}  // namespace

void attend_sequences(HeadLayout layout, const float* q, int64_t q_stride, const float* k, const float* v,
                      int64_t kv_stride, int64_t batch, int64_t query_len, int64_t key_len,
                      const int* key_lengths, bool causal, float* out, float* probs,
                      int64_t probs_batch_stride, const PositionBias* position_bias) {
  const int heads = layout.heads, head_dim = layout.head_dim;
  const int64_t model_dim = static_cast<int64_t>(heads) * head_dim;
  const int64_t value_offset = v - k;
#pragma omp parallel for collapse(3) schedule(static) if (batch * query_len * heads >= kMinParallelHeads)
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t i = 0; i < query_len; ++i) {
      for (int h = 0; h < heads; ++h) {
        const int64_t n_keys = causal ? std::min<int64_t>(key_lengths[b], i + 1) : key_lengths[b];
        const float* key_base = k + b * key_len * kv_stride + static_cast<int64_t>(h) * head_dim;
        float* weights = nullptr;
        if (probs) {
          weights = probs + b * probs_batch_stride + (h * query_len + i) * key_len;
          std::fill(weights, weights + key_len, 0.f);
        }
        attend_head(q + (b * query_len + i) * q_stride + static_cast<int64_t>(h) * head_dim, head_dim,
                    std::max<int64_t>(n_keys, 0), [&](int64_t j) { return key_base + j * kv_stride; },
                    value_offset, [&](int64_t j) { return position_bias ? (*position_bias)(h, i, j) : 0.f; },
                    out + (b * query_len + i) * model_dim + static_cast<int64_t>(h) * head_dim, weights);
      }
    }
  }
}

void attend_cached_step(HeadLayout layout, const float* q, int64_t q_stride, int64_t rows, int64_t row_stride,
                        const float* cache, const int32_t* history, int64_t length, float* out,
                        const PositionBias* position_bias) {
  const int heads = layout.heads, head_dim = layout.head_dim;
  const int64_t model_dim = static_cast<int64_t>(heads) * head_dim;
  const int64_t entry = 2 * model_dim;
#pragma omp parallel for collapse(2) schedule(static) if (rows * heads >= kMinParallelHeads)
  for (int64_t r = 0; r < rows; ++r) {
    for (int h = 0; h < heads; ++h) {
      const float* head_cache = cache + static_cast<int64_t>(h) * head_dim;
      auto key_row = [&](int64_t s) { return head_cache + (s * row_stride + history[s * row_stride + r]) * entry; };
      const int64_t query_position = length - 1;
      attend_head(q + r * q_stride + static_cast<int64_t>(h) * head_dim, head_dim, length, key_row, model_dim,
                  [&](int64_t s) { return position_bias ? (*position_bias)(h, query_position, s) : 0.f; },
                  out + r * model_dim + static_cast<int64_t>(h) * head_dim, nullptr);
    }
  }
}

void attend_cross_step(HeadLayout layout, const float* q, int64_t q_stride, int64_t rows, const float* kv,
                       int64_t source_len, const int* row_source, const int* source_lengths, float* out,
                       float* probs) {
  const int heads = layout.heads, head_dim = layout.head_dim;
  const int64_t model_dim = static_cast<int64_t>(heads) * head_dim;
  const int64_t entry = 2 * model_dim;
#pragma omp parallel for collapse(2) schedule(static) if (rows * heads >= kMinParallelHeads)
  for (int64_t r = 0; r < rows; ++r) {
    for (int h = 0; h < heads; ++h) {
      const int source = row_source[r];
      const float* key_base = kv + source * source_len * entry + static_cast<int64_t>(h) * head_dim;
      float* weights = nullptr;
      if (probs) {
        weights = probs + (r * heads + h) * source_len;
        std::fill(weights, weights + source_len, 0.f);
      }
      attend_head(q + r * q_stride + static_cast<int64_t>(h) * head_dim, head_dim, source_lengths[source],
                  [&](int64_t j) { return key_base + j * entry; }, model_dim, [](int64_t) { return 0.f; },
                  out + r * model_dim + static_cast<int64_t>(h) * head_dim, weights);
    }
  }
}

}  // namespace crossmt
