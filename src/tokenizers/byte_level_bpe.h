#pragma once
// The slow GPT-2/BART/RoBERTa tokenizer of transformers (GPT2Tokenizer, BartTokenizer) from
// vocab.json and merges.txt: GPT-2's pre-tokenization regex, bytes as printable characters, BPE
// by merge rank. Special tokens (<s>, </s>, <mask>...) are the caller's: split them off first.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossmt {

class ByteLevelBpe {
 public:
  // Throws crossmt::Error naming the file (and the entry) at fault.
  static ByteLevelBpe load(const std::filesystem::path& vocab_json, const std::filesystem::path& merges_txt,
                           bool add_prefix_space = false);
  // The files' contents; the origins name them in errors.
  static ByteLevelBpe from_strings(std::string_view vocab_json, std::string_view merges_txt, bool add_prefix_space,
                                   const std::string& vocab_origin, const std::string& merges_origin);
  ~ByteLevelBpe();
  ByteLevelBpe(ByteLevelBpe&&) noexcept;
  ByteLevelBpe& operator=(ByteLevelBpe&&) noexcept;

  // BPE tokens ("Ġworld"), as GPT2Tokenizer.tokenize. Throws crossmt::Error on invalid UTF-8.
  std::vector<std::string> tokenize(std::string_view text) const;
  std::optional<int> token_to_id(std::string_view token) const;
  std::optional<std::string> id_to_token(int id) const;
  std::size_t vocab_size() const;
  // Tokens back to text: bytes decoded as UTF-8 with errors="replace". A character outside the
  // byte alphabet (where Python would raise KeyError) stands for its own UTF-8 bytes.
  std::string detokenize(const std::vector<std::string>& tokens) const;

 private:
  ByteLevelBpe();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace crossmt
