// libFuzzer target: a whole Marian .npz (zip layer, .npy headers, special:model.yml, the name
// mapping) from arbitrary file bytes. Every tensor of an accepted checkpoint must hold the bytes
// its shape and dtype imply; they are converted to f32 so that ASan sees any out-of-bounds range.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <vector>

#include "../../src/formats/marian_npz.h"
#include "crossmt/checkpoint.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace crossmt;
  // A folder of its own, with nothing beside the .npz (no vocabulary, no decoder.yml).
  static const std::filesystem::path folder = [] {
    auto path = std::filesystem::temp_directory_path() / ("crossmt-fuzz-npz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
    return path;
  }();
  const auto file = folder / "model.npz";
  std::ofstream(file, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data), size);
  try {
    fuzz::read_every_tensor(open_marian_npz(file));
  } catch (const Error& error) {
    fuzz::check_error_message(error);
  }
  return 0;
}
