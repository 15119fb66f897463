// libFuzzer target: the tokenizers of every family on arbitrary bytes: the default model's
// MarianTokenizer and the tiny models' T5, mBART, mBART-50, M2M100, NLLB and BART tokenizers, from
// their own files and from tokenizer.json. The first byte picks the tokenizer (byte / 2) and the
// direction: even -> encode the rest as source text (invalid UTF-8 must be an Error, valid text
// must give in-vocabulary ids ending with the family's special tokens, and decoding ids never
// fails); odd -> decode the rest read as little-endian int32 ids (negative and out-of-vocabulary
// ids included).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "crossmt/tokenizer.h"
#include "fuzz_common.h"

namespace {

const std::vector<std::unique_ptr<crossmt::Tokenizer>>& tokenizers() {
  static const auto instances = [] {
    std::vector<std::unique_ptr<crossmt::Tokenizer>> loaded;
    const char* folder = std::getenv("CROSSMT_MODEL_DIR");
    loaded.push_back(crossmt::load_tokenizer(folder && *folder ? folder : CROSSMT_DEFAULT_MODEL_DIR));
    const std::filesystem::path tiny = std::filesystem::path(CROSSMT_DEFAULT_MODEL_DIR) / "../../tests/data/tiny-archs";
    for (const char* family : {"t5_original", "t5_v1_1", "mbart", "mbart50", "m2m100", "m2m100_nllb", "bart"}) {
      loaded.push_back(crossmt::load_tokenizer(tiny / family, crossmt::TokenizerFiles::Slow));
      if (std::filesystem::exists(tiny / family / "tokenizer.json"))
        loaded.push_back(crossmt::load_tokenizer(tiny / family, crossmt::TokenizerFiles::Fast));
    }
    return loaded;
  }();
  return instances;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace crossmt;
  if (size == 0) return 0;
  const Tokenizer& tokenizer = *tokenizers()[(data[0] / 2) % tokenizers().size()];
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] % 2 == 0) {
    const bool valid = is_valid_utf8(rest);
    try {
      const std::vector<int> ids = tokenizer.encode(rest);
      fuzz::require(valid, "encode accepted invalid UTF-8");
      fuzz::require(!ids.empty(), "ids hold the special tokens at least");
      const bool eos_last = ids.back() == tokenizer.eos_id() || (ids.size() > 1 && ids[ids.size() - 2] == tokenizer.eos_id());
      fuzz::require(eos_last, "</s> ends the ids (or precedes mBART's language code)");
      for (const int id : ids) fuzz::require(tokenizer.source_piece(id) != "<unk>" || id == tokenizer.unk_id(), "known id");
      (void)tokenizer.decode(ids);
    } catch (const Error& error) {
      fuzz::check_error_message(error);
      fuzz::require(!valid, "encode refused valid UTF-8");
    }
  } else {
    std::vector<int> ids(rest.size() / 4);
    if (!ids.empty()) std::memcpy(ids.data(), rest.data(), ids.size() * 4);
    try {
      (void)tokenizer.decode(ids);
    } catch (const Error& error) {
      fuzz::check_error_message(error);
    }
  }
  return 0;
}
