#pragma once
// exp() written so that GCC vectorizes loops calling it (std::exp is an opaque libm call): the
// classic range reduction x = n ln2 + r and a degree-6 polynomial for e^r. Relative error below
// 2e-7 over the whole float range (checked against std::exp in tests/test_ops.cpp); inputs below
// -87.3 give 0, as e^x underflows there anyway.
#include <cstdint>
#include <cstring>

namespace crossmt {

inline float exp_vectorizable(float x) {
  constexpr float kLog2e = 1.44269504088896341f;
  constexpr float kLn2High = 0.693359375f;
  constexpr float kLn2Low = -2.12194440e-4f;
  const bool underflow = x < -87.3f;
  x = x > 88.3f ? 88.3f : (x < -87.3f ? -87.3f : x);
  const float n = __builtin_floorf(x * kLog2e + 0.5f);
  const float r = x - n * kLn2High - n * kLn2Low;
  // Taylor coefficients (minimax-adjusted in Cephes' expf) for e^r on |r| <= ln2 / 2.
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.f;
  const int32_t exponent_bits = (static_cast<int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &exponent_bits, sizeof scale);
  return underflow ? 0.f : p * scale;
}

}  // namespace crossmt
