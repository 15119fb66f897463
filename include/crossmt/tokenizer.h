#pragma once
// Exactly Hugging Face's MarianTokenizer: SentencePiece pieces mapped through vocab.json.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossmt {

class MarianTokenizer {
 public:
  // Reads source.spm, target.spm, vocab.json (and target_vocab.json when tokenizer_config.json
  // says separate_vocabs) from a model folder. Throws crossmt::Error naming the file at fault.
  static MarianTokenizer load(const std::filesystem::path& model_dir);
  ~MarianTokenizer();
  MarianTokenizer(MarianTokenizer&&) noexcept;
  MarianTokenizer& operator=(MarianTokenizer&&) noexcept;

  // Source ids: a leading `>>xxx<<` kept as one token, the rest as pieces, then `</s>`. No BOS.
  // Throws crossmt::Error on invalid UTF-8.
  std::vector<int> encode(std::string_view text) const;
  std::vector<std::string> encode_pieces(std::string_view text) const;  // without `</s>`
  // Target text: eos and pad dropped (as in the references), the other ids mapped to pieces and
  // detokenized by the target SentencePiece model.
  std::string decode(const std::vector<int>& ids) const;
  std::string target_piece(int id) const;
  std::string source_piece(int id) const;

  int eos_id() const;
  int pad_id() const;
  int unk_id() const;
  // Language tokens of the vocabulary, e.g. ">>deu<<", in id order.
  std::vector<std::string> language_tokens() const;
  std::optional<int> source_token_id(const std::string& piece) const;

 private:
  MarianTokenizer();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True when `text` is valid UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
bool is_valid_utf8(std::string_view text);

}  // namespace crossmt
