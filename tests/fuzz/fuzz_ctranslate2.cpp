// libFuzzer target: a CTranslate2 model.bin (after two bytes giving the source and target
// vocabulary sizes, so that inputs can get past the vocabulary checks) read and mapped onto a
// checkpoint; every tensor it yields is read in full so that ASan sees any out-of-bounds view.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "crossmt/checkpoint.h"
#include "formats/ctranslate2.h"
#include "fuzz_common.h"

namespace {

std::string vocabulary(int size) {
  std::string text = "<blank>\n<s>\n</s>\n";
  for (int i = 3; i < size - 1; ++i) text += "t" + std::to_string(i) + "\n";
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace crossmt;
  if (size < 2) return 0;
  CTranslate2Files files;
  files.origin = "fuzz";
  files.model_bin = std::span<const std::byte>(reinterpret_cast<const std::byte*>(data) + 2, size - 2);
  const std::string source = vocabulary(data[0]), target = vocabulary(data[1]);
  files.read = [&](const std::string& name) -> std::optional<std::string> {
    if (name == "source_vocabulary.txt") return source;
    if (name == "target_vocabulary.txt") return target;
    return std::nullopt;
  };
  try {
    fuzz::read_every_tensor(ctranslate2_checkpoint(files));
  } catch (const Error& error) {
    fuzz::check_error_message(error);
  }
  return 0;
}
