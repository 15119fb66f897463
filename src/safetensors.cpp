// Parsing and building safetensors headers. Every claim of the header is checked against the
// buffer before any tensor is touched, so a corrupt file fails with one clear line, never a crash.
#include "crossmt/safetensors.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include <nlohmann/json.hpp>

#include "crossmt/error.h"

namespace crossmt {
namespace {

using nlohmann::json;

// dtypes the safetensors format defines that crossmt does not read, for a precise message.
bool is_known_safetensors_dtype(const std::string& name) {
  static const char* const kKnown[] = {"F64", "I64", "U64", "I32", "U32", "I16", "U16", "U8",
                                       "BOOL", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3",
                                       "F6_E3M2", "F4", "C64"};
  return std::any_of(std::begin(kKnown), std::end(kKnown), [&](const char* known) { return name == known; });
}

std::string single_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  return text;
}

uint64_t read_u64_le(const std::byte* bytes) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  return value;
}

DType parse_dtype(const json& entry, const std::string& where) {
  const auto found = entry.find("dtype");
  if (found == entry.end()) throw Error(where + " has no \"dtype\"");
  if (!found->is_string()) throw Error(where + ": \"dtype\" must be a string, got " + found->dump());
  const std::string name = found->get<std::string>();
  if (const auto dtype = dtype_from_name(name)) return *dtype;
  if (is_known_safetensors_dtype(name))
    throw Error(where + ": unsupported dtype '" + name + "' (crossmt reads F32, F16, BF16, I8)");
  throw Error(where + ": unknown dtype '" + single_line(name) + "'");
}

Shape parse_shape(const json& entry, const std::string& where, DType dtype, uint64_t& byte_size) {
  const auto found = entry.find("shape");
  if (found == entry.end()) throw Error(where + " has no \"shape\"");
  return parse_tensor_shape(*found, where, dtype, byte_size);
}

void parse_offsets(const json& entry, const std::string& where, uint64_t& begin, uint64_t& end) {
  const auto found = entry.find("data_offsets");
  if (found == entry.end()) throw Error(where + " has no \"data_offsets\"");
  if (!found->is_array() || found->size() != 2 || !(*found)[0].is_number_unsigned() ||
      !(*found)[1].is_number_unsigned())
    throw Error(where + ": \"data_offsets\" must be [begin, end] with non-negative integers, got " +
                found->dump());
  begin = (*found)[0].get<uint64_t>();
  end = (*found)[1].get<uint64_t>();
  if (begin > end) throw Error(where + ": data_offsets " + found->dump() + " end before they begin");
}

}  // namespace

Shape parse_tensor_shape(const json& value, const std::string& where, DType dtype, uint64_t& byte_size) {
  if (!value.is_array()) throw Error(where + ": \"shape\" must be an array, got " + value.dump());
  Shape shape;
  uint64_t elements = 1;
  for (const json& dim : value) {
    if (!dim.is_number_integer()) throw Error(where + ": \"shape\" holds a non-integer " + dim.dump());
    if (!dim.is_number_unsigned() && dim.get<int64_t>() < 0)
      throw Error(where + ": \"shape\" has a negative dimension " + dim.dump());
    const uint64_t size = dim.get<uint64_t>();
    if (size > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) ||
        __builtin_mul_overflow(elements, size, &elements))
      throw Error(where + ": shape " + value.dump() + " has too many elements");
    shape.push_back(static_cast<int64_t>(size));
  }
  if (elements > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) ||
      __builtin_mul_overflow(elements, dtype_size(dtype), &byte_size))
    throw Error(where + ": shape " + value.dump() + " has too many elements");
  return shape;
}

SafetensorsLayout parse_safetensors(std::span<const std::byte> file_bytes, const std::string& origin) {
  if (file_bytes.size() < 8)
    throw Error(origin + ": not a safetensors file: " + std::to_string(file_bytes.size()) +
                " bytes, shorter than the 8-byte header length");
  const uint64_t header_length = read_u64_le(file_bytes.data());
  if (header_length > kMaxSafetensorsHeaderBytes)
    throw Error(origin + ": header length " + std::to_string(header_length) + " exceeds the " +
                std::to_string(kMaxSafetensorsHeaderBytes) + "-byte limit (corrupt file?)");
  if (header_length > file_bytes.size() - 8)
    throw Error(origin + ": header length " + std::to_string(header_length) + " runs past the end of the " +
                std::to_string(file_bytes.size()) + "-byte file");

  const char* header_text = reinterpret_cast<const char*>(file_bytes.data() + 8);
  json header;
  try {
    header = json::parse(header_text, header_text + header_length);
  } catch (const json::exception& failure) {  // parse_error, or out_of_range for a number overflow
    throw Error(origin + ": header is not valid JSON: " + single_line(failure.what()));
  }
  if (!header.is_object()) throw Error(origin + ": header must be a JSON object, got " + std::string(header.type_name()));

  SafetensorsLayout layout;
  layout.data_start = 8 + header_length;
  const uint64_t data_size = file_bytes.size() - layout.data_start;
  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") continue;
    const std::string where = origin + ": tensor '" + single_line(name) + "'";
    if (!entry.is_object()) throw Error(where + " must be a JSON object, got " + std::string(entry.type_name()));
    SafetensorsEntry tensor;
    tensor.name = name;
    tensor.dtype = parse_dtype(entry, where);
    uint64_t byte_size = 0;
    tensor.shape = parse_shape(entry, where, tensor.dtype, byte_size);
    parse_offsets(entry, where, tensor.begin, tensor.end);
    if (tensor.end > data_size)
      throw Error(where + ": data_offsets [" + std::to_string(tensor.begin) + ", " + std::to_string(tensor.end) +
                  "] lie outside the " + std::to_string(data_size) + "-byte data area");
    if (tensor.end - tensor.begin != byte_size)
      throw Error(where + ": data_offsets span " + std::to_string(tensor.end - tensor.begin) +
                  " bytes but shape " + shape_to_string(tensor.shape) + " of " + dtype_name(tensor.dtype) +
                  " needs " + std::to_string(byte_size));
    layout.tensors.push_back(std::move(tensor));
  }

  // Overlaps: sorted by start, each tensor must begin at or after the end of the previous one.
  std::vector<const SafetensorsEntry*> by_offset;
  for (const auto& tensor : layout.tensors) by_offset.push_back(&tensor);
  std::sort(by_offset.begin(), by_offset.end(), [](const SafetensorsEntry* a, const SafetensorsEntry* b) {
    return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
  });
  for (size_t i = 1; i < by_offset.size(); ++i) {
    const SafetensorsEntry& previous = *by_offset[i - 1];
    const SafetensorsEntry& current = *by_offset[i];
    if (current.begin < previous.end)
      throw Error(origin + ": tensor '" + single_line(current.name) + "' (bytes " + std::to_string(current.begin) +
                  "-" + std::to_string(current.end) + ") overlaps tensor '" + single_line(previous.name) +
                  "' (bytes " + std::to_string(previous.begin) + "-" + std::to_string(previous.end) + ")");
  }
  // json objects iterate in key order, so layout.tensors is already sorted by name.
  return layout;
}

std::string build_safetensors_header(std::vector<SafetensorsEntry>& tensors) {
  json header = json::object();
  header["__metadata__"] = {{"format", "pt"}};  // transformers refuses files without it
  uint64_t offset = 0;
  for (auto& tensor : tensors) {
    tensor.begin = offset;
    tensor.end = offset + static_cast<uint64_t>(element_count(tensor.shape)) * dtype_size(tensor.dtype);
    offset = tensor.end;
    header[tensor.name] = {{"dtype", dtype_name(tensor.dtype)},
                           {"shape", tensor.shape},
                           {"data_offsets", {tensor.begin, tensor.end}}};
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  std::string bytes(8, '\0');
  const uint64_t length = text.size();
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((length >> (8 * i)) & 0xFF);
  return bytes + text;
}

}  // namespace crossmt
