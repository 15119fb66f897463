// libFuzzer target: Hugging Face tokenizer.json files and the slow byte-level BPE. The first byte
// picks the mode: even -> the rest up to the first 0xFF byte is a tokenizer.json (a malformed one
// must be an Error), the bytes after it are text to encode (invalid UTF-8 must be an Error) and the
// ids are decoded again; odd -> the rest is text for a small fixed ByteLevelBpe, whose tokens must
// detokenize back to the very text when it is valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crossmt/tokenizer.h"
#include "fuzz_common.h"
#include "tokenizers/byte_level_bpe.h"
#include "tokenizers/tokenizer_json.h"

namespace {

const crossmt::ByteLevelBpe& byte_level_bpe() {
  static const crossmt::ByteLevelBpe instance = crossmt::ByteLevelBpe::from_strings(
      R"({"H": 0, "e": 1, "l": 2, "o": 3, "Ġ": 4, "He": 5, "ll": 6, "Hell": 7, "Hello": 8, "Ġw": 9, "w": 10})",
      "#version: 0.2\nH e\nl l\nHe ll\nHell o\nĠ w\n", false, "vocab.json", "merges.txt");
  return instance;
}

void fuzz_tokenizer_json(std::string_view json, std::string_view text) {
  using namespace crossmt;
  std::optional<TokenizerJson> tokenizer;
  try {
    tokenizer.emplace(TokenizerJson::parse(json, "fuzz.json"));
  } catch (const Error& error) {
    fuzz::check_error_message(error);
    return;
  }
  const bool valid = is_valid_utf8(text);
  for (const bool add_special_tokens : {false, true}) {
    try {
      const TokenizerJson::Encoding encoding = tokenizer->encode(text, add_special_tokens);
      fuzz::require(valid, "encode accepted invalid UTF-8");
      fuzz::require(encoding.ids.size() == encoding.tokens.size(), "one token per id");
      (void)tokenizer->decode(encoding.ids, false);
      (void)tokenizer->decode(encoding.ids, true);
    } catch (const Error& error) {
      fuzz::check_error_message(error);  // invalid UTF-8, or a Unigram model without unk_id
    }
  }
  (void)tokenizer->vocab_size();
  (void)tokenizer->decode({-1, 0, 1, 2, 1 << 30}, false);
}

void fuzz_byte_level_bpe(std::string_view text) {
  using namespace crossmt;
  const ByteLevelBpe& bpe = byte_level_bpe();
  const bool valid = is_valid_utf8(text);
  try {
    const std::vector<std::string> tokens = bpe.tokenize(text);
    fuzz::require(valid, "tokenize accepted invalid UTF-8");
    fuzz::require(bpe.detokenize(tokens) == text, "detokenize(tokenize(text)) == text");
  } catch (const Error& error) {
    fuzz::check_error_message(error);
    fuzz::require(!valid, "tokenize refused valid UTF-8");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] % 2 == 0) {
    const std::size_t separator = rest.find('\xff');
    const std::string_view json = rest.substr(0, separator);
    const std::string_view text = separator == std::string_view::npos ? std::string_view("Hello world!") : rest.substr(separator + 1);
    fuzz_tokenizer_json(json, text);
  } else {
    fuzz_byte_level_bpe(rest);
  }
  return 0;
}
