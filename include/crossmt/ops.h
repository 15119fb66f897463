#pragma once
// The oneDNN layer: model code calls these and never sees a memory descriptor.
// Primitives are created once per Linear and reused; calls
// after warm-up allocate nothing.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "crossmt/tensor.h"

namespace crossmt {
struct QuantizedMatrix;
}

namespace crossmt::ops {

enum class Activation { None, Relu, Swish, GeluErf, GeluTanh };

// Maps config.json `activation_function` / `feed_forward_proj` names; throws on unknown names.
Activation parse_activation(const std::string& name);

// How many oneDNN primitives this process created; lets tests prove steady-state reuse.
int64_t primitives_created();

void set_num_threads(int threads);

// y = act(x · Wᵀ + b) [+ y when accumulate], with W given as PyTorch's [out, in] matrix.
// One runtime-M primitive serves every row count; weights are reordered once into the layout
// oneDNN prefers for it.
//
// Built from a QuantizedMatrix, the product runs in int8 (s8 x s8 -> s32 on VNNI): each call
// quantizes every source row with its own scale (absmax / 127), the per-output-channel weight
// scales are fixed in the primitive (runtime scales would leave oneDNN's fast kernels), and the
// row scale, bias, activation and residual are applied in one pass over the f32 product.
class Linear {
 public:
  struct Options {
    Activation activation = Activation::None;
    bool accumulate = false;  // add the product into dst (fused residual connection); no activation then
  };
  Linear();
  Linear(const Tensor& weight_out_in, const Tensor* bias, Options options);
  Linear(const QuantizedMatrix& weight_out_in, const Tensor* bias, Options options);
  Linear(Linear&&) noexcept;
  Linear& operator=(Linear&&) noexcept;
  ~Linear();

  // src: [rows, in] with row stride `in`; dst: [rows, out] with row stride `out`.
  void operator()(const float* src, int64_t rows, float* dst) const;
  int64_t in_features() const { return in_features_; }
  int64_t out_features() const { return out_features_; }
  bool is_int8() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int64_t in_features_ = 0;
  int64_t out_features_ = 0;
};

// Normalization over the last axis of [rows, width]: LayerNorm (gamma and beta) or
// T5's RMSNorm (x / sqrt(mean(x^2) + eps) * gamma, no mean, no bias). src may equal dst.
class LayerNorm {
 public:
  enum class Kind { Standard, RootMeanSquare };
  LayerNorm();
  LayerNorm(Tensor gamma, Tensor beta, float epsilon);  // Standard
  LayerNorm(Tensor gamma, float epsilon);               // RootMeanSquare
  LayerNorm(LayerNorm&&) noexcept;
  LayerNorm& operator=(LayerNorm&&) noexcept;
  ~LayerNorm();

  void operator()(const float* src, float* dst, int64_t rows) const;
  void operator()(float* data, int64_t rows) const { (*this)(data, data, rows); }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// a[i] *= b[i] for i < count (gated feed-forward layers).
void multiply_in_place(float* a, const float* b, int64_t count);

// Row-wise log-softmax over [rows, width], in place.
void log_softmax_rows(float* data, int64_t rows, int64_t width);

}  // namespace crossmt::ops
