#pragma once
// int8 weights: symmetric per-output-channel quantization of linear layers (value = q * scale,
// q in [-127, 127]), the compute type a model runs in, and int8 checkpoints that store the
// quantized weights so that loading them does not quantize again.
#include <cstdint>
#include <string>
#include <vector>

#include "crossmt/checkpoint.h"
#include "crossmt/compute_type.h"
#include "crossmt/tensor.h"

namespace crossmt {

// What Auto means for this checkpoint.
ComputeType resolve_compute_type(ComputeType requested, const Checkpoint& checkpoint);

// A PyTorch [out, in] matrix as int8 rows, each with its own scale.
struct QuantizedMatrix {
  int64_t rows = 0, cols = 0;
  std::vector<int8_t> values;  // [rows, cols]
  std::vector<float> scales;   // [rows]
};

// Each row scaled so that its largest magnitude maps to 127 (an all-zero row gets scale 1).
QuantizedMatrix quantize_rows(const Tensor& matrix);
Tensor dequantize(const QuantizedMatrix& matrix);
// The rows of `parts` one after the other, the first part's scales multiplied by `first_scale`
// (exact for the int8 values: a scale factor only moves the scale).
QuantizedMatrix stack_quantized(const std::vector<QuantizedMatrix>& parts, float first_scale);

// The tensor holding the scales of an int8 weight "<prefix>.weight": "<prefix>.weight_scale".
std::string weight_scale_name(const std::string& weight_name);

// True when the checkpoint holds int8 weights (written by quantize_checkpoint).
bool is_quantized(const Checkpoint& checkpoint);

// The same checkpoint with every linear-layer weight as I8 + F32 "<name>_scale" [out]; the output
// projection, embeddings, norms and biases stay as they are.
Checkpoint quantize_checkpoint(const Checkpoint& checkpoint);

}  // namespace crossmt
