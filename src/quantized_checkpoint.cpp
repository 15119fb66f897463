// quantize_checkpoint: an f32 (or F16/BF16) checkpoint -> the same checkpoint with its linear
// weights as I8 + per-channel F32 scales. Which tensors are linear weights is learned by loading
// the model once, so that the list follows the architecture mapping of model_loading.cpp exactly.
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "crossmt/error.h"
#include "crossmt/quantization.h"
#include "model_weights.h"

namespace crossmt {
namespace {

// Owns the bytes of every tensor of the new checkpoint.
class TensorBytes {
 public:
  StoredTensor add(DType dtype, const Shape& shape, const void* data, size_t byte_size) {
    auto& bytes = buffers_.emplace_back(byte_size);
    if (byte_size) std::memcpy(bytes.data(), data, byte_size);
    return StoredTensor{dtype, shape, bytes.data(), byte_size};
  }

 private:
  std::vector<std::vector<std::byte>> buffers_;  // inner buffers never move once filled
};

}  // namespace

Checkpoint quantize_checkpoint(const Checkpoint& checkpoint) {
  if (is_quantized(checkpoint)) throw Error(checkpoint.weights_origin() + ": already holds int8 weights");
  LinearWeightInventory inventory;
  load_model_weights(checkpoint, ComputeType::Float32, &inventory);  // also validates every tensor

  auto bytes = std::make_shared<TensorBytes>();
  std::map<std::string, StoredTensor> tensors;
  for (const auto& [name, stored] : checkpoint.tensors())
    tensors[name] = bytes->add(stored.dtype, stored.shape, stored.data, stored.byte_size);

  const auto store_quantized = [&](const std::string& name, const Tensor& weight) {  // [out, in]
    const QuantizedMatrix matrix = quantize_rows(weight);
    tensors[name] = bytes->add(DType::I8, {matrix.rows, matrix.cols}, matrix.values.data(), matrix.values.size());
    tensors[weight_scale_name(name)] =
        bytes->add(DType::F32, {matrix.rows}, matrix.scales.data(), matrix.scales.size() * sizeof(float));
  };
  for (const std::string& name : inventory.stored)
    store_quantized(name, checkpoint.load_f32(name, checkpoint.stored(name).shape));
  return Checkpoint(checkpoint.config(), std::move(tensors), bytes, checkpoint.weights_origin());
}

}  // namespace crossmt
