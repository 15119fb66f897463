#pragma once
// The arithmetic a model runs in.
#include <string>

#include "crossmt/export.h"

namespace crossmt {

// Auto: int8 when the checkpoint stores int8 weights, float32 otherwise.
enum class ComputeType { Auto, Float32, Int8 };

// "auto", "float32" (also "fp32"), "int8"; throws crossmt::Error on anything else.
CROSSMT_API ComputeType parse_compute_type(const std::string& name);
CROSSMT_API std::string compute_type_name(ComputeType type);

}  // namespace crossmt
