#pragma once
// SentencePiece's precompiled_charsmap (the Precompiled normalizer of tokenizer.json): a
// darts-clone double-array trie over UTF-8 byte strings whose values point into a blob of
// NUL-terminated replacement strings.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "components.h"

namespace crossmt::tokenizer_json {

class PrecompiledCharsmap {
 public:
  // An empty charsmap normalizes nothing. Throws Error naming `field` when the blob is malformed.
  static PrecompiledCharsmap from_base64(std::string_view base64, const Field& field);
  static PrecompiledCharsmap from_bytes(std::string_view blob, const Field& field);
  // As tokenizers' Precompiled normalizer: each extended grapheme cluster shorter than 6 bytes is
  // replaced whole when the trie knows a prefix of it, otherwise its characters one by one.
  std::string normalize(std::string_view text) const;
  // Replacement for the shortest trie key that is a prefix of `chunk` (spm_precompiled's
  // transform, which tokenizers uses), or nullopt.
  std::optional<std::string_view> transform(std::string_view chunk) const;

 private:
  std::vector<uint32_t> units_;
  std::string replacements_;
};

}  // namespace crossmt::tokenizer_json
