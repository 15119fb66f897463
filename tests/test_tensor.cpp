#include <catch2/catch.hpp>

#include "crossmt/tensor.h"

TEST_CASE("tensor storage is 64-byte aligned and reused when shrinking") {
  crossmt::Tensor tensor({4, 8});
  REQUIRE(reinterpret_cast<uintptr_t>(tensor.data()) % 64 == 0);
  const float* first = tensor.data();
  tensor.resize({2, 8});
  REQUIRE(tensor.data() == first);
  REQUIRE(tensor.size() == 16);
  REQUIRE(crossmt::shape_to_string(tensor.shape()) == "[2, 8]");
}
