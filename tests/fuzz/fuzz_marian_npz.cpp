// libFuzzer target: a whole Marian .npz (zip layer, .npy headers, special:model.yml, the name
// mapping) from arbitrary file bytes. Every tensor of an accepted checkpoint must hold the bytes
// its shape and dtype imply; they are converted to f32 so that ASan sees any out-of-bounds range.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <vector>

#include "../../src/formats/marian_npz.h"
#include "crossmt/checkpoint.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace crossmt;
  // A folder of its own, with nothing beside the .npz (no vocabulary, no decoder.yml).
  static const std::filesystem::path folder = [] {
    auto path = std::filesystem::temp_directory_path() / ("crossmt-fuzz-npz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
    return path;
  }();
  const auto file = folder / "model.npz";
  std::ofstream(file, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data), size);
  try {
    const Checkpoint checkpoint = open_marian_npz(file);
    std::vector<float> values;
    for (const auto& [name, tensor] : checkpoint.tensors()) {
      const int64_t elements = element_count(tensor.shape);
      fuzz::require(elements >= 0, "non-negative element count");
      fuzz::require(static_cast<uint64_t>(elements) * dtype_size(tensor.dtype) == tensor.byte_size,
                    "byte size == elements x dtype size");
      values.resize(static_cast<size_t>(elements));
      convert_to_f32(tensor.dtype, tensor.data, values.size(), values.data());
    }
  } catch (const Error& error) {
    fuzz::check_error_message(error);
  }
  return 0;
}
