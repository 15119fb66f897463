// libFuzzer target: the single-file JSON checkpoint reader (config + tensors) on arbitrary text.
// Accepted tensors are converted to f32 (reading every byte) and the parameter count is taken.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "crossmt/checkpoint.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace crossmt;
  try {
    const Checkpoint checkpoint =
        parse_json_checkpoint(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
    std::vector<float> values;
    for (const auto& [name, tensor] : checkpoint.tensors()) {
      const int64_t elements = element_count(tensor.shape);
      fuzz::require(elements >= 0, "non-negative element count");
      fuzz::require(static_cast<uint64_t>(elements) * dtype_size(tensor.dtype) == tensor.byte_size,
                    "byte size == elements x dtype size");
      values.resize(static_cast<size_t>(elements));
      convert_to_f32(tensor.dtype, tensor.data, values.size(), values.data());
      (void)checkpoint.load_f32(name, tensor.shape);
    }
    (void)count_parameters(checkpoint);
  } catch (const Error& error) {
    fuzz::check_error_message(error);
  }
  return 0;
}
