#pragma once
// NumPy .npy arrays (format versions 1, 2 and 3): the header parsed with every length checked, the
// data left where it is.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "crossmt/tensor.h"

namespace crossmt {

struct NpyArray {
  std::string descr;  // numpy's type string as the header spells it: "<f4", "|u1", ...
  Shape shape;        // () for a scalar
  size_t item_size = 0;
  std::span<const std::byte> data;  // exactly product(shape) * item_size bytes of `bytes`
};

// Parses `bytes` (a whole .npy file). Accepted types: <f4, <f2, <i4, <i8, <f8, |i1, |u1 (and the
// other spellings of their byte order: =, |); big-endian and Fortran-ordered arrays are refused.
// Throws crossmt::Error "<origin>: <what is wrong>" in one line.
NpyArray parse_npy(std::span<const std::byte> bytes, const std::string& origin);

// A version-1 .npy header (magic through the padded dict and '\n', 64-byte aligned as numpy
// writes it) for a C-ordered array.
std::string npy_header(const std::string& descr, const Shape& shape);

}  // namespace crossmt
