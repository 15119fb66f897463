// Element types of stored tensors and their exact conversions to and from f32.
#include <bit>
#include <cstring>

#include "crossmt/checkpoint.h"
#include "crossmt/safetensors.h"

namespace crossmt {

size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::F32: return 4;
    case DType::F16: return 2;
    case DType::BF16: return 2;
    case DType::I8: return 1;
  }
  return 0;
}

const char* dtype_name(DType dtype) {
  switch (dtype) {
    case DType::F32: return "F32";
    case DType::F16: return "F16";
    case DType::BF16: return "BF16";
    case DType::I8: return "I8";
  }
  return "?";
}

std::optional<DType> dtype_from_name(std::string_view name) {
  if (name == "F32") return DType::F32;
  if (name == "F16") return DType::F16;
  if (name == "BF16") return DType::BF16;
  if (name == "I8") return DType::I8;
  return std::nullopt;
}

float f16_to_f32(uint16_t bits) {
  const uint32_t sign = static_cast<uint32_t>(bits & 0x8000u) << 16;
  const uint32_t exponent = (bits >> 10) & 0x1Fu;
  uint32_t mantissa = bits & 0x3FFu;
  uint32_t result;
  if (exponent == 0x1F) {
    result = sign | 0x7F800000u | (mantissa << 13);  // inf, or NaN keeping its payload
  } else if (exponent != 0) {
    result = sign | ((exponent + 112) << 23) | (mantissa << 13);  // rebias 15 -> 127
  } else if (mantissa == 0) {
    result = sign;  // signed zero
  } else {
    // Subnormal half: shift the mantissa up until its leading one becomes the implicit bit.
    int shifts = 0;
    while (!(mantissa & 0x400u)) {
      mantissa <<= 1;
      ++shifts;
    }
    mantissa &= 0x3FFu;
    result = sign | (static_cast<uint32_t>(113 - shifts) << 23) | (mantissa << 13);
  }
  return std::bit_cast<float>(result);
}

float bf16_to_f32(uint16_t bits) { return std::bit_cast<float>(static_cast<uint32_t>(bits) << 16); }

uint16_t f32_to_bf16(float value) {
  const uint32_t bits = std::bit_cast<uint32_t>(value);
  if ((bits & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<uint16_t>((bits >> 16) | 0x40u);  // quiet NaN
  const uint32_t rounding = 0x7FFFu + ((bits >> 16) & 1u);  // round half to even
  return static_cast<uint16_t>((bits + rounding) >> 16);
}

uint16_t f32_to_f16(float value) {
  const uint32_t bits = std::bit_cast<uint32_t>(value);
  const uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
  const uint32_t magnitude = bits & 0x7FFFFFFFu;
  if (magnitude > 0x7F800000u) return sign | 0x7E00u;  // NaN
  if (magnitude >= 0x477FF000u) return sign | 0x7C00u;  // rounds past 65504: inf
  const int exponent = static_cast<int>(magnitude >> 23) - 127;
  if (exponent >= -14) {
    // Normal half: drop 13 mantissa bits, rounding half to even (a carry may bump the exponent).
    const uint32_t rebased = magnitude - (112u << 23);
    const uint32_t rounding = 0xFFFu + ((rebased >> 13) & 1u);
    return sign | static_cast<uint16_t>((rebased + rounding) >> 13);
  }
  if (exponent < -25) return sign;  // below half the smallest subnormal: zero
  // Subnormal half: value = mantissa_with_implicit_bit * 2^(exponent - 23), in units of 2^-24.
  const uint32_t full_mantissa = (magnitude & 0x7FFFFFu) | 0x800000u;
  const int shift = -exponent - 1;  // 14..24 bits to drop
  const uint32_t kept = full_mantissa >> shift;
  const uint32_t remainder = full_mantissa & ((1u << shift) - 1);
  const uint32_t halfway = 1u << (shift - 1);
  const bool round_up = remainder > halfway || (remainder == halfway && (kept & 1u));
  return sign | static_cast<uint16_t>(kept + (round_up ? 1 : 0));
}

void convert_to_f32(DType dtype, const std::byte* data, size_t count, float* out) {
  if (count == 0) return;  // an empty tensor's pointers may be null, which memcpy must not see
  switch (dtype) {
    case DType::F32:
      std::memcpy(out, data, count * sizeof(float));
      return;
    case DType::F16:
    case DType::BF16:
      for (size_t i = 0; i < count; ++i) {
        uint16_t bits;
        std::memcpy(&bits, data + 2 * i, 2);
        out[i] = dtype == DType::F16 ? f16_to_f32(bits) : bf16_to_f32(bits);
      }
      return;
    case DType::I8:
      for (size_t i = 0; i < count; ++i) out[i] = static_cast<float>(static_cast<int8_t>(data[i]));
      return;
  }
}

}  // namespace crossmt
