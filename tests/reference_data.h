#pragma once
// Test helpers: paths of the fixtures and float tensors read from a safetensors fixture file.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "crossmt/checkpoint.h"
#include "crossmt/safetensors.h"

namespace crossmt::testing {

inline std::filesystem::path test_data(const std::string& relative) {
  return std::filesystem::path(CROSSMT_TEST_DATA_DIR) / relative;
}
inline std::filesystem::path default_model_dir() {
  return std::filesystem::path(CROSSMT_MODELS_DIR) / "m30k-mul-marian";
}

// A safetensors file of F32 fixtures (see tools/make_attention_fixture.py).
class FixtureTensors {
 public:
  explicit FixtureTensors(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    bytes_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    layout_ = parse_safetensors(std::as_bytes(std::span(bytes_.data(), bytes_.size())), file.string());
  }
  bool has(const std::string& name) const { return find(name) != nullptr; }
  Shape shape(const std::string& name) const { return find_or_throw(name).shape; }
  std::vector<float> floats(const std::string& name) const {
    const auto& entry = find_or_throw(name);
    std::vector<float> values((entry.end - entry.begin) / sizeof(float));
    std::memcpy(values.data(), bytes_.data() + layout_.data_start + entry.begin, entry.end - entry.begin);
    return values;
  }
  std::vector<int> ids(const std::string& name) const {
    std::vector<int> result;
    for (float value : floats(name)) result.push_back(static_cast<int>(value));
    return result;
  }

 private:
  const SafetensorsEntry* find(const std::string& name) const {
    for (const auto& entry : layout_.tensors)
      if (entry.name == name) return &entry;
    return nullptr;
  }
  const SafetensorsEntry& find_or_throw(const std::string& name) const {
    const auto* entry = find(name);
    if (!entry) throw std::runtime_error("fixture tensor missing: " + name);
    return *entry;
  }
  std::vector<char> bytes_;
  SafetensorsLayout layout_;
};

}  // namespace crossmt::testing
