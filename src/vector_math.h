#pragma once
// exp() for the softmax loops: the classic range reduction x = n ln2 + r and a degree-6 polynomial
// for e^r (Cephes' expf coefficients). Relative error below 2e-7 over the float range (checked
// against std::exp in tests/test_ops.cpp); inputs below -87.3 give 0. sum_of_exp() runs it 8 lanes
// at a time with AVX2 (the compiler would not vectorize the scalar version reliably).
#include <algorithm>
#include <bit>
#include <cstdint>

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#endif

namespace crossmt {

namespace exp_constants {
constexpr float kLog2e = 1.44269504088896341f;
constexpr float kLn2High = 0.693359375f;
constexpr float kLn2Low = -2.12194440e-4f;
constexpr float kLowest = -87.3f, kHighest = 88.3f;
constexpr float kP0 = 1.9875691500e-4f, kP1 = 1.3981999507e-3f, kP2 = 8.3334519073e-3f, kP3 = 4.1665795894e-2f,
                kP4 = 1.6666665459e-1f, kP5 = 5.0000001201e-1f;
}  // namespace exp_constants

inline float exp_vectorizable(float x) {
  using namespace exp_constants;
  const float underflow_mask = x >= kLowest ? 1.f : 0.f;
  x = std::min(std::max(x, kLowest), kHighest);
  const float n = __builtin_floorf(x * kLog2e + 0.5f);
  const float r = x - n * kLn2High - n * kLn2Low;
  float p = kP0;
  p = p * r + kP1;
  p = p * r + kP2;
  p = p * r + kP3;
  p = p * r + kP4;
  p = p * r + kP5;
  p = p * r * r + r + 1.f;
  const float scale = std::bit_cast<float>((static_cast<int32_t>(n) + 127) << 23);
  return p * scale * underflow_mask;
}

#if defined(__AVX2__) && defined(__FMA__)
inline __m256 exp8(__m256 x) {
  using namespace exp_constants;
  const __m256 keep = _mm256_cmp_ps(x, _mm256_set1_ps(kLowest), _CMP_GE_OQ);
  x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(kLowest)), _mm256_set1_ps(kHighest));
  const __m256 n = _mm256_floor_ps(_mm256_fmadd_ps(x, _mm256_set1_ps(kLog2e), _mm256_set1_ps(0.5f)));
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(kLn2High), x);
  r = _mm256_fnmadd_ps(n, _mm256_set1_ps(kLn2Low), r);
  __m256 p = _mm256_set1_ps(kP0);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kP1));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kP2));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kP3));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kP4));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kP5));
  p = _mm256_fmadd_ps(_mm256_mul_ps(p, r), r, _mm256_add_ps(r, _mm256_set1_ps(1.f)));
  const __m256i exponent = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvttps_epi32(n), _mm256_set1_epi32(127)), 23);
  return _mm256_and_ps(_mm256_mul_ps(p, _mm256_castsi256_ps(exponent)), keep);
}
#endif

// sum over i of exp(values[i] - shift)
inline float sum_of_exp(const float* values, int64_t count, float shift) {
  int64_t i = 0;
  float sum = 0.f;
#if defined(__AVX2__) && defined(__FMA__)
  __m256 lanes = _mm256_setzero_ps();
  const __m256 shift8 = _mm256_set1_ps(shift);
  for (; i + 8 <= count; i += 8) lanes = _mm256_add_ps(lanes, exp8(_mm256_sub_ps(_mm256_loadu_ps(values + i), shift8)));
  alignas(32) float partial[8];
  _mm256_store_ps(partial, lanes);
  for (float lane : partial) sum += lane;
#endif
  for (; i < count; ++i) sum += exp_vectorizable(values[i] - shift);
  return sum;
}

// x * sigmoid(x), in place (SiLU / swish with beta 1).
inline void swish_in_place(float* values, int64_t count) {
  int64_t i = 0;
#if defined(__AVX2__) && defined(__FMA__)
  const __m256 one = _mm256_set1_ps(1.f);
  for (; i + 8 <= count; i += 8) {
    const __m256 x = _mm256_loadu_ps(values + i);
    const __m256 exp_negative = exp8(_mm256_sub_ps(_mm256_setzero_ps(), x));
    _mm256_storeu_ps(values + i, _mm256_div_ps(x, _mm256_add_ps(one, exp_negative)));
  }
#endif
  for (; i < count; ++i) values[i] = values[i] / (1.f + exp_vectorizable(-values[i]));
}

}  // namespace crossmt
