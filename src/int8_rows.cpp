#include "int8_rows.h"

#include <algorithm>
#include <cmath>

#include "vector_math.h"

namespace crossmt::ops {
namespace {

// Below this many elements, forking OpenMP threads costs more than the loop (batch-1 decoding).
constexpr int64_t kParallelElements = 1 << 15;

float activate(float x, Activation activation) {
  switch (activation) {
    case Activation::None: return x;
    case Activation::Relu: return std::max(x, 0.f);
    case Activation::Swish: return x / (1.f + exp_vectorizable(-x));
    case Activation::GeluErf: return 0.5f * x * (1.f + std::erf(x * static_cast<float>(M_SQRT1_2)));
    case Activation::GeluTanh: {
      const float sqrt_2_over_pi = static_cast<float>(std::sqrt(2.0 / M_PI));
      return 0.5f * x * (1.f + std::tanh(sqrt_2_over_pi * (x + 0.044715f * (x * x * x))));
    }
  }
  return x;
}

// One loop per activation, so that the compiler vectorizes each without a switch inside.
template <Activation kActivation, bool kAccumulate>
void finish_rows(const float* product, int64_t rows, int64_t width, const float* row_scales, const float* bias,
                 float* out) {
#pragma omp parallel for if (rows * width >= kParallelElements) schedule(static)
  for (int64_t r = 0; r < rows; ++r) {
    const float scale = row_scales[r];
    const float* in = product + r * width;
    float* dst = out + r * width;
    if constexpr (kActivation == Activation::Swish && !kAccumulate) {
      // The generic loop below does not vectorize exp(); this one does (AVX2).
#pragma omp simd
      for (int64_t n = 0; n < width; ++n) dst[n] = in[n] * scale + (bias ? bias[n] : 0.f);
      swish_in_place(dst, width);
      continue;
    }
#pragma omp simd
    for (int64_t n = 0; n < width; ++n) {
      const float value = activate(in[n] * scale + (bias ? bias[n] : 0.f), kActivation);
      dst[n] = kAccumulate ? dst[n] + value : value;
    }
  }
}

}  // namespace

void quantize_source_rows(const float* src, int64_t rows, int64_t width, int8_t* quantized, float* row_scales) {
#pragma omp parallel for if (rows * width >= kParallelElements) schedule(static)
  for (int64_t r = 0; r < rows; ++r) {
    const float* in = src + r * width;
    int8_t* q = quantized + r * width;
    float largest = 0.f;
#pragma omp simd reduction(max : largest)
    for (int64_t i = 0; i < width; ++i) largest = std::max(largest, std::fabs(in[i]));
    const float multiplier = largest > 0.f ? 127.f / largest : 1.f;
    row_scales[r] = 1.f / multiplier;
    // CTranslate2 rounds x * multiplier + 128 (its u8 input) half to even, in one fused step;
    // rounding the same way keeps its int8 models' outputs within reach of its own.
#pragma omp simd
    for (int64_t i = 0; i < width; ++i)
      q[i] = static_cast<int8_t>(static_cast<int32_t>(std::nearbyint(std::fma(in[i], multiplier, 128.f))) - 128);
  }
}

void finish_int8_product(const float* product, int64_t rows, int64_t width, const float* row_scales,
                         const float* bias, Activation activation, bool accumulate, float* out) {
  if (accumulate) return finish_rows<Activation::None, true>(product, rows, width, row_scales, bias, out);
  switch (activation) {
    case Activation::None: return finish_rows<Activation::None, false>(product, rows, width, row_scales, bias, out);
    case Activation::Relu: return finish_rows<Activation::Relu, false>(product, rows, width, row_scales, bias, out);
    case Activation::Swish: return finish_rows<Activation::Swish, false>(product, rows, width, row_scales, bias, out);
    case Activation::GeluErf: return finish_rows<Activation::GeluErf, false>(product, rows, width, row_scales, bias, out);
    case Activation::GeluTanh:
      return finish_rows<Activation::GeluTanh, false>(product, rows, width, row_scales, bias, out);
  }
}

void gelu_tanh_in_place(float* data, int64_t count) {
  for (int64_t i = 0; i < count; ++i) data[i] = activate(data[i], Activation::GeluTanh);
}

}  // namespace crossmt::ops
