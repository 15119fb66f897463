// libFuzzer target: the default model's MarianTokenizer on arbitrary bytes. The first byte picks
// the direction: even -> encode the rest as source text (invalid UTF-8 must be an Error, valid text
// must give in-vocabulary ids ending with </s>, and decoding ids never fails); odd -> decode the rest
// read as little-endian int32 ids (negative and out-of-vocabulary ids included).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#include "crossmt/tokenizer.h"
#include "fuzz_common.h"

namespace {

const crossmt::MarianTokenizer& tokenizer() {
  static const crossmt::MarianTokenizer instance = [] {
    const char* folder = std::getenv("CROSSMT_MODEL_DIR");
    return crossmt::MarianTokenizer::load(folder && *folder ? folder : CROSSMT_DEFAULT_MODEL_DIR);
  }();
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace crossmt;
  if (size == 0) return 0;
  const MarianTokenizer& marian = tokenizer();
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] % 2 == 0) {
    const bool valid = is_valid_utf8(rest);
    try {
      const std::vector<int> ids = marian.encode(rest);
      fuzz::require(valid, "encode accepted invalid UTF-8");
      fuzz::require(!ids.empty() && ids.back() == marian.eos_id(), "ids end with </s>");
      for (const int id : ids) fuzz::require(marian.source_piece(id) != "<unk>" || id == marian.unk_id(), "known id");
      (void)marian.decode(ids);
    } catch (const Error& error) {
      fuzz::check_error_message(error);
      fuzz::require(!valid, "encode refused valid UTF-8");
    }
  } else {
    std::vector<int> ids(rest.size() / 4);
    if (!ids.empty()) std::memcpy(ids.data(), rest.data(), ids.size() * 4);
    try {
      (void)marian.decode(ids);
    } catch (const Error& error) {
      fuzz::check_error_message(error);
    }
  }
  return 0;
}
