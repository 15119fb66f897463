#include <catch2/catch.hpp>

#include <cmath>

#include "../src/vector_math.h"
#include "crossmt/ops.h"

TEST_CASE("the vectorizable exp stays within 2e-7 relative error of std::exp") {
  double worst = 0;
  for (float x = -87.f; x <= 88.f; x += 0.00137f) {
    const double exact = std::exp(static_cast<double>(x));
    worst = std::max(worst, std::abs(crossmt::exp_vectorizable(x) - exact) / exact);
  }
  CHECK(worst < 2e-7);
  CHECK(crossmt::exp_vectorizable(-1000.f) == 0.f);
  CHECK(crossmt::exp_vectorizable(-INFINITY) == 0.f);
  CHECK(crossmt::exp_vectorizable(0.f) == 1.f);
}

TEST_CASE("the lane-parallel sum of exponentials agrees with std::exp") {
  std::vector<float> values;
  double exact = 0;
  for (int i = 0; i < 1003; ++i) {  // not a multiple of 8: the scalar tail runs too
    values.push_back(-0.037f * i + (i % 7 == 0 ? -200.f : 0.f));
    exact += std::exp(static_cast<double>(values.back()) - 1.5);
  }
  CHECK(std::abs(crossmt::sum_of_exp(values.data(), static_cast<int64_t>(values.size()), 1.5f) - exact) / exact < 1e-6);
}

TEST_CASE("log-softmax rows sum to one and keep -inf entries") {
  std::vector<float> scores = {1.f, 2.f, -INFINITY, 3.f, 0.5f, 0.5f, 0.5f, 0.5f};
  crossmt::ops::log_softmax_rows(scores.data(), 2, 4);
  double total = 0;
  for (int i = 0; i < 4; ++i) total += std::exp(static_cast<double>(scores[i]));
  CHECK(total == Approx(1.0).epsilon(1e-6));
  CHECK(scores[2] == -INFINITY);
  CHECK(scores[4] == Approx(std::log(0.25)).epsilon(1e-6));
}
