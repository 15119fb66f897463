#pragma once
// The C++ halves of an int8 linear layer around oneDNN's s8 x s8 matmul: quantizing the source
// rows on the way in, and turning the scaled product back into the layer's output on the way out.
#include <cstdint>

#include "crossmt/ops.h"

namespace crossmt::ops {

// Row r of src [rows, width] becomes round(src * m_r) in [-127, 127] with m_r = 127 / max |src_r|
// (1 for an all-zero row), rounded half to even as CTranslate2 does; row_scales[r] = 1 / m_r.
void quantize_source_rows(const float* src, int64_t rows, int64_t width, int8_t* quantized, float* row_scales);

// out[r, n] = act(product[r, n] * row_scales[r] + bias[n]), or, when accumulating (no activation
// then), out[r, n] += product[r, n] * row_scales[r] + bias[n]. bias may be null; product may
// equal out unless accumulating.
void finish_int8_product(const float* product, int64_t rows, int64_t width, const float* row_scales,
                         const float* bias, Activation activation, bool accumulate, float* out);

// transformers' NewGELUActivation in f32, in place. oneDNN's gelu_tanh post-op approximates tanh
// more loosely (1e-4 apart after a few T5 layers), so the f32 Linear runs this after its matmul.
void gelu_tanh_in_place(float* data, int64_t count);

}  // namespace crossmt::ops
