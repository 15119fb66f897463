#include "crossmt/quantization.h"

#include <algorithm>
#include <cmath>

#include "crossmt/error.h"

namespace crossmt {

ComputeType parse_compute_type(const std::string& name) {
  if (name == "auto") return ComputeType::Auto;
  if (name == "float32" || name == "fp32") return ComputeType::Float32;
  if (name == "int8") return ComputeType::Int8;
  throw Error("unknown compute type '" + name + "'; expected auto, float32 or int8");
}

std::string compute_type_name(ComputeType type) {
  switch (type) {
    case ComputeType::Auto: return "auto";
    case ComputeType::Float32: return "float32";
    case ComputeType::Int8: return "int8";
  }
  return "?";
}

ComputeType resolve_compute_type(ComputeType requested, const Checkpoint& checkpoint) {
  if (requested != ComputeType::Auto) return requested;
  return is_quantized(checkpoint) ? ComputeType::Int8 : ComputeType::Float32;
}

QuantizedMatrix quantize_rows(const Tensor& matrix) {
  QuantizedMatrix quantized;
  quantized.rows = matrix.dim(0);
  quantized.cols = matrix.dim(1);
  quantized.values.resize(static_cast<size_t>(quantized.rows * quantized.cols));
  quantized.scales.resize(static_cast<size_t>(quantized.rows));
  for (int64_t r = 0; r < quantized.rows; ++r) {
    const float* row = matrix.data() + r * quantized.cols;
    float largest = 0.f;
    for (int64_t c = 0; c < quantized.cols; ++c) largest = std::max(largest, std::fabs(row[c]));
    // As CTranslate2 quantizes (round(w * 127 / max|w|), half to even), so that a float model
    // quantized here holds the int8 values CTranslate2 would give it.
    const float multiplier = largest > 0.f ? 127.f / largest : 1.f;
    quantized.scales[r] = 1.f / multiplier;
    for (int64_t c = 0; c < quantized.cols; ++c) {
      const float q = std::clamp(std::nearbyint(row[c] * multiplier), -127.f, 127.f);
      quantized.values[r * quantized.cols + c] = static_cast<int8_t>(q);
    }
  }
  return quantized;
}

Tensor dequantize(const QuantizedMatrix& matrix) {
  Tensor values({matrix.rows, matrix.cols});
  for (int64_t r = 0; r < matrix.rows; ++r)
    for (int64_t c = 0; c < matrix.cols; ++c)
      values[r * matrix.cols + c] = static_cast<float>(matrix.values[r * matrix.cols + c]) * matrix.scales[r];
  return values;
}

QuantizedMatrix stack_quantized(const std::vector<QuantizedMatrix>& parts, float first_scale) {
  QuantizedMatrix stacked;
  stacked.cols = parts.front().cols;
  for (size_t p = 0; p < parts.size(); ++p) {
    const QuantizedMatrix& part = parts[p];
    stacked.rows += part.rows;
    stacked.values.insert(stacked.values.end(), part.values.begin(), part.values.end());
    for (float scale : part.scales) stacked.scales.push_back(p == 0 ? scale * first_scale : scale);
  }
  return stacked;
}

std::string weight_scale_name(const std::string& weight_name) { return weight_name + "_scale"; }

bool is_quantized(const Checkpoint& checkpoint) {
  return std::any_of(checkpoint.tensors().begin(), checkpoint.tensors().end(),
                     [](const auto& entry) { return entry.second.dtype == DType::I8; });
}

}  // namespace crossmt
