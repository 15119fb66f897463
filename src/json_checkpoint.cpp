// Single-file JSON checkpoints: {"config", "generation_config" (optional), "tensors": {name:
// {"dtype", "shape", "base64" | "data"}}}. Handy for tests and hand-made models; validated as
// strictly as safetensors.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "crossmt/checkpoint.h"
#include "crossmt/error.h"

namespace crossmt {
namespace {

using nlohmann::json;

constexpr char kBase64Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(const std::byte* data, size_t size) {
  std::string text;
  text.reserve((size + 2) / 3 * 4);
  for (size_t i = 0; i < size; i += 3) {
    const size_t available = std::min<size_t>(3, size - i);
    uint32_t group = 0;
    for (size_t k = 0; k < 3; ++k)
      group = (group << 8) | (k < available ? static_cast<uint8_t>(data[i + k]) : 0u);
    for (size_t k = 0; k < 4; ++k)
      text += k <= available ? kBase64Alphabet[(group >> (18 - 6 * k)) & 0x3F] : '=';
  }
  return text;
}

// Strict RFC 4648 decoding: padded, no whitespace. Returns false on any malformed input.
bool base64_decode(const std::string& text, std::vector<std::byte>& out) {
  if (text.size() % 4 != 0) return false;
  int8_t value_of[256];
  std::memset(value_of, -1, sizeof value_of);
  for (int i = 0; i < 64; ++i) value_of[static_cast<uint8_t>(kBase64Alphabet[i])] = static_cast<int8_t>(i);
  out.clear();
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    const int padding = last ? (text[i + 3] == '=') + (text[i + 2] == '=' && text[i + 3] == '=') : 0;
    uint32_t group = 0;
    for (int k = 0; k < 4; ++k) {
      const int8_t value = k >= 4 - padding ? 0 : value_of[static_cast<uint8_t>(text[i + k])];
      if (value < 0) return false;
      group = (group << 6) | static_cast<uint32_t>(value);
    }
    for (int k = 0; k < 3 - padding; ++k) out.push_back(static_cast<std::byte>((group >> (16 - 8 * k)) & 0xFF));
  }
  return true;
}

// "data": [numbers...] encoded in the tensor's dtype (halves rounded to nearest even).
void encode_numbers(const json& numbers, const std::string& where, DType dtype, size_t elements,
                    std::vector<std::byte>& out) {
  if (!numbers.is_array()) throw Error(where + ": \"data\" must be an array of numbers");
  if (numbers.size() != elements)
    throw Error(where + ": \"data\" has " + std::to_string(numbers.size()) + " numbers but the shape needs " +
                std::to_string(elements));
  out.resize(elements * dtype_size(dtype));
  for (size_t i = 0; i < elements; ++i) {
    const json& number = numbers[i];
    if (!number.is_number())
      throw Error(where + ": \"data\"[" + std::to_string(i) + "] is " + std::string(number.type_name()) + ", not a number");
    const double value = number.get<double>();
    std::byte* slot = out.data() + i * dtype_size(dtype);
    if (dtype == DType::I8) {
      if (!number.is_number_integer() || value < -128 || value > 127)
        throw Error(where + ": \"data\"[" + std::to_string(i) + "] = " + number.dump() + " is not an I8 value");
      slot[0] = static_cast<std::byte>(static_cast<int8_t>(value));
    } else if (dtype == DType::F32) {
      const float single = static_cast<float>(value);
      std::memcpy(slot, &single, 4);
    } else {
      const float single = static_cast<float>(value);
      const uint16_t bits = dtype == DType::F16 ? f32_to_f16(single) : f32_to_bf16(single);
      std::memcpy(slot, &bits, 2);
    }
  }
}

StoredTensor parse_tensor(const std::string& name, const json& entry, const std::string& origin,
                          std::vector<std::byte>& bytes) {
  const std::string where = origin + ": tensor '" + name + "'";
  if (!entry.is_object()) throw Error(where + " must be a JSON object, got " + std::string(entry.type_name()));
  if (!entry.contains("dtype")) throw Error(where + " has no \"dtype\"");
  if (!entry.contains("shape")) throw Error(where + " has no \"shape\"");
  const json& dtype_value = entry.at("dtype");
  if (!dtype_value.is_string()) throw Error(where + ": \"dtype\" must be a string, got " + dtype_value.dump());
  const auto dtype = dtype_from_name(dtype_value.get<std::string>());
  if (!dtype)
    throw Error(where + ": unsupported dtype '" + dtype_value.get<std::string>() + "' (crossmt reads F32, F16, BF16, I8)");

  StoredTensor tensor;
  tensor.dtype = *dtype;
  uint64_t byte_size = 0;
  tensor.shape = parse_tensor_shape(entry.at("shape"), where, tensor.dtype, byte_size);
  const bool has_base64 = entry.contains("base64");
  const bool has_data = entry.contains("data");
  if (has_base64 == has_data) throw Error(where + " needs exactly one of \"base64\" and \"data\"");
  if (has_base64) {
    const json& text = entry.at("base64");
    if (!text.is_string() || !base64_decode(text.get_ref<const std::string&>(), bytes))
      throw Error(where + ": \"base64\" is not valid base64");
    if (bytes.size() != byte_size)
      throw Error(where + ": \"base64\" decodes to " + std::to_string(bytes.size()) + " bytes but shape " +
                  shape_to_string(tensor.shape) + " of " + dtype_name(tensor.dtype) + " needs " +
                  std::to_string(byte_size));
  } else {
    encode_numbers(entry.at("data"), where, tensor.dtype, byte_size / dtype_size(tensor.dtype), bytes);
  }
  tensor.data = bytes.data();
  tensor.byte_size = bytes.size();
  return tensor;
}

Checkpoint checkpoint_from_document(const json& document, const std::string& origin) {
  if (!document.is_object()) throw Error(origin + ": a JSON checkpoint must be an object with \"config\" and \"tensors\"");
  if (!document.contains("config")) throw Error(origin + ": has no \"config\" object");
  if (!document.contains("tensors")) throw Error(origin + ": has no \"tensors\" object");
  const json generation = document.value("generation_config", json());
  ModelConfig config = parse_model_config(document.at("config"), generation, origin + ": config",
                                          origin + ": generation_config");
  config.format = "json";
  config.format_description = "JSON checkpoint";

  const json& entries = document.at("tensors");
  if (!entries.is_object()) throw Error(origin + ": \"tensors\" must be an object of name -> tensor");
  // Each tensor owns its bytes; moving the outer vector never moves them, so `data` stays valid.
  auto buffers = std::make_shared<std::vector<std::vector<std::byte>>>(entries.size());
  std::map<std::string, StoredTensor> tensors;
  size_t index = 0;
  for (const auto& [name, entry] : entries.items()) tensors[name] = parse_tensor(name, entry, origin, (*buffers)[index++]);
  return Checkpoint(std::move(config), std::move(tensors), std::move(buffers), origin);
}

}  // namespace

Checkpoint open_json_checkpoint(const std::filesystem::path& file) {
  return checkpoint_from_document(read_json_file(file), file.string());
}

Checkpoint parse_json_checkpoint(std::string_view text, const std::string& origin) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::exception& failure) {  // parse_error, or out_of_range for a number overflow
    std::string reason = failure.what();
    std::replace(reason.begin(), reason.end(), '\n', ' ');
    throw Error(origin + ": invalid JSON: " + reason);
  }
  return checkpoint_from_document(document, origin);
}

void save_json_checkpoint(const Checkpoint& checkpoint, const std::filesystem::path& file) {
  json document = json::object();
  document["config"] = checkpoint.config().raw_config;
  if (!checkpoint.config().raw_generation_config.is_null())
    document["generation_config"] = checkpoint.config().raw_generation_config;
  json& tensors = document["tensors"] = json::object();
  for (const auto& [name, tensor] : checkpoint.tensors())
    tensors[name] = {{"dtype", dtype_name(tensor.dtype)},
                     {"shape", tensor.shape},
                     {"base64", base64_encode(tensor.data, tensor.byte_size)}};
  if (file.has_parent_path()) {
    std::error_code error;
    std::filesystem::create_directories(file.parent_path(), error);
    if (error) throw Error(file.parent_path().string() + ": cannot create folder: " + error.message());
  }
  write_file_atomically(file, [&](std::ostream& stream) { stream << document.dump(1) << "\n"; });
}

}  // namespace crossmt
