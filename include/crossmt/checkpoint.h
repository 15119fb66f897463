#pragma once
// Reading model checkpoints: Hugging Face folders (config.json + model.safetensors, mmapped and
// bounds-checked) and single-file JSON checkpoints; writing either format back out.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "crossmt/config.h"
#include "crossmt/safetensors.h"  // DType, dtype_size, dtype_name
#include "crossmt/tensor.h"

namespace crossmt {

// A tensor exactly as the file stores it; `data` points into the checkpoint's mapping or buffer
// (not necessarily aligned for its dtype: read it with memcpy or convert_to_f32).
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

  // Assembles a checkpoint from parts already validated: `owner` keeps the bytes the tensors
  // point into alive (a mapping, a buffer, anything). Used by the readers and by tools that
  // build tensors in memory (quantization, tests).
  Checkpoint(ModelConfig config, std::map<std::string, StoredTensor> tensors,
             std::shared_ptr<const void> owner, std::string weights_origin);

  const ModelConfig& config() const { return config_; }
  // For readers that wrap another (an Argos package around a CTranslate2 model) and adjust it.
  ModelConfig& mutable_config() { return config_; }
  // The file holding the tensors, as named in error messages.
  const std::string& weights_origin() const { return weights_origin_; }

  const std::map<std::string, StoredTensor>& tensors() const { return tensors_; }
  std::vector<std::string> tensor_names() const;  // sorted
  bool contains(const std::string& name) const;
  // Throws crossmt::Error "<file>: tensor '<name>' is missing" when absent.
  const StoredTensor& stored(const std::string& name) const;
  // An f32 copy (F16/BF16/I8 converted), checked against the shape the config implies:
  // "<file>: tensor '<name>' has shape [a, b] but the config implies [c, d]".
  // NaN or Inf values are loaded as they are, with one line on stderr:
  // "warning: <file>: tensor '<name>' holds N NaN/Inf values (first at element K)".
  Tensor load_f32(const std::string& name, const Shape& expected_shape) const;

 private:
  friend Checkpoint open_safetensors_folder(const std::filesystem::path& folder);

  std::shared_ptr<const void> owner_;  // keeps the mmap or the decoded JSON bytes alive
  // Set for mapped files: lets load_f32 drop the pages of a tensor it has copied out.
  std::function<void(const std::byte*, size_t)> release_pages_;
  std::map<std::string, StoredTensor> tensors_;
  ModelConfig config_;
  std::string weights_origin_;
};

// The two readers behind Checkpoint::open, for callers that know the format already.
Checkpoint open_safetensors_folder(const std::filesystem::path& folder);
Checkpoint open_json_checkpoint(const std::filesystem::path& file);
// The same reader on JSON text already in memory; `origin` names it in error messages.
Checkpoint parse_json_checkpoint(std::string_view text, const std::string& origin);

// Writers keep every tensor's dtype, shape and bytes, so a round trip is bit-identical.
// A folder gets config.json, generation_config.json (when the source had one) and
// model.safetensors. Files are written beside their destination and renamed into place, so
// overwriting the checkpoint being read (still mmapped) is safe.
void save_model_folder(const Checkpoint& checkpoint, const std::filesystem::path& folder);
// {"config": {...}, "generation_config": {...}, "tensors": {"name": {"dtype", "shape", "base64"}}}
// The reader also accepts "data": [numbers...] in place of "base64".
void save_json_checkpoint(const Checkpoint& checkpoint, const std::filesystem::path& file);

// Writes `file` through a temporary sibling renamed over it once complete.
void write_file_atomically(const std::filesystem::path& file,
                           const std::function<void(std::ostream&)>& write);

// Number of parameters as transformers' num_parameters() counts it: every stored tensor except
// buffers (final_logits_bias), tied aliases counted once, plus marian's two sinusoidal position
// tables (parameters in transformers, never stored).
int64_t count_parameters(const Checkpoint& checkpoint);

// Exact IEEE conversions (subnormals, infinities and NaN included); to-half rounds to nearest
// even, as PyTorch does.
float f16_to_f32(uint16_t bits);
float bf16_to_f32(uint16_t bits);
uint16_t f32_to_f16(float value);
uint16_t f32_to_bf16(float value);
// `count` elements of `dtype` at `data` (any alignment) to f32; I8 values are taken as they are.
void convert_to_f32(DType dtype, const std::byte* data, size_t count, float* out);

}  // namespace crossmt
