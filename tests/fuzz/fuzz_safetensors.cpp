// libFuzzer target: the safetensors header parser on arbitrary file bytes. Every tensor it accepts
// must lie inside the buffer with the byte size its shape and dtype imply; its bytes are read and
// converted to f32 so that ASan sees any out-of-bounds range.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "crossmt/checkpoint.h"
#include "crossmt/safetensors.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace crossmt;
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  try {
    const SafetensorsLayout layout = parse_safetensors(bytes, "fuzz.safetensors");
    fuzz::require(layout.data_start >= 8 && layout.data_start <= size, "data area starts inside the file");
    std::vector<float> values;
    for (const SafetensorsEntry& tensor : layout.tensors) {
      fuzz::require(tensor.begin <= tensor.end, "begin <= end");
      fuzz::require(tensor.end <= size - layout.data_start, "tensor inside the data area");
      const int64_t elements = element_count(tensor.shape);
      fuzz::require(elements >= 0, "non-negative element count");
      fuzz::require(static_cast<uint64_t>(elements) * dtype_size(tensor.dtype) == tensor.end - tensor.begin,
                    "byte size == elements x dtype size");
      values.resize(static_cast<size_t>(elements));
      convert_to_f32(tensor.dtype, bytes.data() + layout.data_start + tensor.begin, values.size(), values.data());
    }
  } catch (const Error& error) {
    fuzz::check_error_message(error);
  }
  return 0;
}
