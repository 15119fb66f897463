#pragma once
// Hugging Face fast tokenizers from their tokenizer.json, id for id as the `tokenizers` library
// encodes and decodes: added tokens, normalizer, pre-tokenizer, model (BPE, Unigram, WordPiece,
// WordLevel), post-processor and decoder. Offsets, truncation, padding and sequence pairs are not supported.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossmt {

class TokenizerJson {
 public:
  // Both throw crossmt::Error, one line naming the file and the JSON field at fault, for invalid
  // JSON and for any component this code does not implement.
  static TokenizerJson load(const std::filesystem::path& file);
  static TokenizerJson parse(std::string_view json_text, const std::string& origin);  // origin names the file in errors
  ~TokenizerJson();
  TokenizerJson(TokenizerJson&&) noexcept;
  TokenizerJson& operator=(TokenizerJson&&) noexcept;

  struct Encoding {
    std::vector<int> ids;
    std::vector<std::string> tokens;
  };
  // As tokenizer.encode(text, add_special_tokens=...). Throws crossmt::Error on invalid UTF-8.
  Encoding encode(std::string_view text, bool add_special_tokens) const;
  // As tokenizer.decode(ids, skip_special_tokens=...): unknown ids are skipped, the decoder is
  // applied (tokens joined by spaces without one), no clean-up of tokenization spaces.
  std::string decode(const std::vector<int>& ids, bool skip_special_tokens) const;
  std::optional<int> token_to_id(std::string_view token) const;  // added tokens, then the model's vocabulary
  std::optional<std::string> id_to_token(int id) const;
  std::size_t vocab_size() const;  // with added tokens (get_vocab_size(with_added_tokens=True))
  bool is_special(int id) const;   // an added token with special: true
  std::string model_type() const;  // "BPE", "Unigram", "WordPiece", "WordLevel"

 private:
  TokenizerJson();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// transformers' clean_up_tokenization: spaces before punctuation and English contractions
// removed (" ." -> ".", " ?", " !", " ,", " ' " -> "'", " n't", " 'm", " 's", " 've", " 're").
std::string clean_up_tokenization(std::string text);

}  // namespace crossmt
