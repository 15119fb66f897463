#pragma once
// The safetensors format: element types, and a pure parser of the header from a byte buffer
// (no file access, so it can be fuzzed). Layout: 8-byte little-endian header length N, N bytes
// of JSON {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}},
// then the data area that the offsets index into.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "crossmt/tensor.h"

namespace crossmt {

enum class DType { F32, F16, BF16, I8 };

size_t dtype_size(DType dtype);
const char* dtype_name(DType dtype);  // safetensors spelling: "F32", "F16", "BF16", "I8"
std::optional<DType> dtype_from_name(std::string_view name);  // nullopt for anything else

// The largest header accepted; a bigger one is a corrupt length, not a real model.
inline constexpr uint64_t kMaxSafetensorsHeaderBytes = 100'000'000;

struct SafetensorsEntry {
  std::string name;
  DType dtype = DType::F32;
  Shape shape;
  uint64_t begin = 0;  // byte range relative to the data area
  uint64_t end = 0;
};

struct SafetensorsLayout {
  uint64_t data_start = 0;  // file offset of the data area: 8 + N
  std::vector<SafetensorsEntry> tensors;  // sorted by name
};

// Validates everything the header claims against the buffer: header length, JSON object shape,
// dtypes, shapes (no negative dims, no element-count overflow), offsets inside the data area,
// no overlaps, byte size == elements x dtype size. `__metadata__` is ignored. Throws
// crossmt::Error with one line "<origin>: ..." naming the tensor at fault.
SafetensorsLayout parse_safetensors(std::span<const std::byte> file_bytes, const std::string& origin);

// A JSON "shape" array checked for what a tensor needs: non-negative integer dims whose element
// count and byte size (elements x dtype size) fit in 64 bits. Errors start with `where`.
Shape parse_tensor_shape(const nlohmann::json& shape, const std::string& where, DType dtype, uint64_t& byte_size);

// Header bytes (length prefix included) for tensors laid out back to back in the given order,
// padded with spaces so that the data area starts 8-byte aligned. Fills each entry's begin/end.
std::string build_safetensors_header(std::vector<SafetensorsEntry>& tensors);

}  // namespace crossmt
