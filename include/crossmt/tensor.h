#pragma once
// A dense row-major f32 tensor with 64-byte aligned storage (what oneDNN kernels like best).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <vector>

namespace crossmt {

using Shape = std::vector<int64_t>;

inline int64_t element_count(const Shape& shape) {
  int64_t count = 1;
  for (int64_t dim : shape) count *= dim;
  return count;
}

std::string shape_to_string(const Shape& shape);

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(Shape shape) { resize(std::move(shape)); }

  // Reallocates only when the new shape needs more elements than the current capacity, so a
  // buffer sized once for the largest batch is reused for every smaller one.
  void resize(Shape shape) {
    const int64_t needed = element_count(shape);
    if (needed > capacity_) {
      const size_t bytes = ((static_cast<size_t>(needed) * sizeof(float) + 63) / 64) * 64;
      void* memory = std::aligned_alloc(64, bytes);
      if (!memory) throw std::bad_alloc();
      storage_.reset(static_cast<float*>(memory));
      capacity_ = needed;
    }
    shape_ = std::move(shape);
  }

  const Shape& shape() const { return shape_; }
  int64_t dim(size_t axis) const { return shape_.at(axis); }
  int64_t size() const { return element_count(shape_); }
  float* data() { return storage_.get(); }
  const float* data() const { return storage_.get(); }
  float& operator[](int64_t index) { return storage_.get()[index]; }
  float operator[](int64_t index) const { return storage_.get()[index]; }

 private:
  struct FreeDeleter {
    void operator()(float* pointer) const { std::free(pointer); }
  };
  std::unique_ptr<float, FreeDeleter> storage_;
  int64_t capacity_ = 0;
  Shape shape_;
};

}  // namespace crossmt
