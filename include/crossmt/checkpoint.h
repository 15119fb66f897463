#pragma once
// Reading model checkpoints: Hugging Face folders (config.json + model.safetensors, mmapped and
// bounds-checked) and single-file JSON checkpoints; writing either format back out.
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "crossmt/config.h"
#include "crossmt/tensor.h"

namespace crossmt {

enum class DType { F32, F16, BF16, I8 };

size_t dtype_size(DType dtype);
const char* dtype_name(DType dtype);  // safetensors spelling: "F32", "F16", "BF16", "I8"

// A tensor exactly as the file stores it; `data` points into the checkpoint's mapping or buffer.
struct StoredTensor {
  DType dtype = DType::F32;
  Shape shape;
  const std::byte* data = nullptr;
  size_t byte_size = 0;
};

class Checkpoint {
 public:
  // `path` is a model folder (config.json, optional generation_config.json, model.safetensors)
  // or a single-file JSON checkpoint. A folder with only pytorch_model.bin is refused.
  static Checkpoint open(const std::filesystem::path& path);

  const ModelConfig& config() const { return config_; }
  // The file holding the tensors, as named in error messages.
  const std::string& weights_origin() const { return weights_origin_; }

  std::vector<std::string> tensor_names() const;  // sorted
  bool contains(const std::string& name) const;
  // Throws crossmt::Error "<file>: tensor '<name>' is missing" when absent.
  const StoredTensor& stored(const std::string& name) const;
  // An f32 copy (F16/BF16/I8 converted), checked against the shape the config implies.
  Tensor load_f32(const std::string& name, const Shape& expected_shape) const;

 private:
  struct Storage;  // keeps the mmap or the decoded JSON bytes alive
  std::shared_ptr<Storage> storage_;
  std::map<std::string, StoredTensor> tensors_;
  ModelConfig config_;
  std::string weights_origin_;
  friend Checkpoint open_safetensors_folder(const std::filesystem::path&);
  friend Checkpoint open_json_checkpoint(const std::filesystem::path&);
};

// Writers keep every tensor's dtype, shape and bytes, so a round trip is bit-identical.
// A folder gets config.json, generation_config.json (when the source had one) and
// model.safetensors.
void save_model_folder(const Checkpoint& checkpoint, const std::filesystem::path& folder);
// {"config": {...}, "generation_config": {...}, "tensors": {"name": {"dtype", "shape", "base64"}}}
void save_json_checkpoint(const Checkpoint& checkpoint, const std::filesystem::path& file);

// Number of parameters as transformers' num_parameters() counts it (see checkpoint.cpp).
int64_t count_parameters(const Checkpoint& checkpoint);

}  // namespace crossmt
