#pragma once
// Shared by the libFuzzer targets: expected failures are crossmt::Error with a one-line message;
// anything else (another exception type, a crash, a sanitizer report) is a finding.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <vector>

#include "crossmt/checkpoint.h"
#include "crossmt/error.h"

namespace crossmt::fuzz {

// crossmt::Error messages are printed as one `error: ...` line, so they must not span lines.
inline void check_error_message(const Error& error) {
  if (std::strchr(error.what(), '\n') != nullptr) {
    std::fprintf(stderr, "crossmt::Error message spans lines: %s\n", error.what());
    std::abort();
  }
}

inline void require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}

// Every tensor a reader accepted lies in its bytes with the size its shape and dtype imply, and is
// read in full (so that ASan sees any out-of-bounds view).
inline void read_every_tensor(const Checkpoint& checkpoint) {
  std::vector<float> values;
  for (const auto& [name, tensor] : checkpoint.tensors()) {
    const int64_t elements = element_count(tensor.shape);
    require(elements >= 0, "non-negative element count");
    require(static_cast<uint64_t>(elements) * dtype_size(tensor.dtype) == tensor.byte_size,
            "byte size == elements x dtype size");
    values.resize(static_cast<size_t>(elements));
    convert_to_f32(tensor.dtype, tensor.data, values.size(), values.data());
  }
}

}  // namespace crossmt::fuzz
