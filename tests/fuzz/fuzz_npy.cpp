// libFuzzer target: the .npy header parser on arbitrary bytes. An accepted array's data must be
// exactly product(shape) x item size bytes inside the buffer; they are read so that ASan sees any
// out-of-bounds range.
#include <cstddef>
#include <cstdint>
#include <span>

#include "../../src/formats/npy.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace crossmt;
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  try {
    const NpyArray array = parse_npy(bytes, "fuzz.npy");
    uint64_t elements = 1;
    for (const int64_t dimension : array.shape) {
      fuzz::require(dimension >= 0, "non-negative dimensions");
      elements *= static_cast<uint64_t>(dimension);
    }
    fuzz::require(array.data.data() >= bytes.data() && array.data.data() + array.data.size() <= bytes.data() + size,
                  "data inside the buffer");
    fuzz::require(elements * array.item_size == array.data.size(), "byte size == elements x item size");
    volatile unsigned sum = 0;
    for (const std::byte b : array.data) sum = sum + static_cast<unsigned>(b);
  } catch (const Error& error) {
    fuzz::check_error_message(error);
  }
  return 0;
}
