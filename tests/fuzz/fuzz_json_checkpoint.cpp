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
    fuzz::read_every_tensor(checkpoint);
    for (const auto& [name, tensor] : checkpoint.tensors()) (void)checkpoint.load_f32(name, tensor.shape);
    (void)count_parameters(checkpoint);
  } catch (const Error& error) {
    fuzz::check_error_message(error);
  }
  return 0;
}
