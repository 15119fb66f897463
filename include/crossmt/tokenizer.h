#pragma once
// Exactly Hugging Face's MarianTokenizer: SentencePiece pieces mapped through vocab.json.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossmt {

// A tokenizer assembled from parts already read, for model formats other than HF folders
// (CTranslate2 vocabularies, archives). Without SentencePiece models, text is taken as tokens
// separated by spaces and output tokens are joined by spaces (CTranslate2's pre-tokenized input).
struct TokenizerParts {
  std::string origin;                          // names the model in error messages
  std::optional<std::string> source_sentencepiece, target_sentencepiece;  // serialized models
  std::string sentencepiece_origin;            // names the SentencePiece file(s) in errors
  std::vector<std::string> source_vocabulary;  // pieces in id order
  std::vector<std::string> target_vocabulary;  // empty: the source vocabulary is shared
  std::string eos = "</s>", unk = "<unk>", pad = "<pad>", bos = "<s>";
  bool add_source_bos = false;
  bool add_source_eos = true;
};

class MarianTokenizer {
 public:
  // Reads source.spm, target.spm, vocab.json (and target_vocab.json when tokenizer_config.json
  // says separate_vocabs) from a model folder. Throws crossmt::Error naming the file at fault.
  static MarianTokenizer load(const std::filesystem::path& model_dir);
  // Throws crossmt::Error when a special token is missing from a vocabulary or a model is invalid.
  static MarianTokenizer from_parts(const TokenizerParts& parts);
  ~MarianTokenizer();
  MarianTokenizer(MarianTokenizer&&) noexcept;
  MarianTokenizer& operator=(MarianTokenizer&&) noexcept;

  // Source ids: a leading `>>xxx<<` kept as one token, the rest as pieces, then `</s>`. No BOS.
  // The special tokens' own spellings (`</s>`, `<unk>`, `<pad>`) inside the text stay single
  // tokens, as HF's added-token splitting does. Pieces missing from vocab.json become `<unk>`.
  // Throws crossmt::Error on invalid UTF-8.
  std::vector<int> encode(std::string_view text) const;
  std::vector<std::string> encode_pieces(std::string_view text) const;  // without `</s>`
  // A given translation as HF MarianTokenizer(text_target=...) encodes it: target SentencePiece
  // model, target vocabulary (the shared one unless separate_vocabs), `</s>` last. For alignment
  // and scoring of given targets. Throws crossmt::Error on invalid UTF-8.
  std::vector<int> encode_target(std::string_view text) const;
  // Ids of given source pieces (unknown ones become `<unk>`), with the model's source BOS/EOS.
  std::vector<int> encode_source_pieces(const std::vector<std::string>& pieces) const;
  // Target text: eos and pad dropped (as in the references), the other ids mapped to pieces and
  // detokenized by the target SentencePiece model; `<unk>` is written as is, followed by a space
  // (HF's convert_tokens_to_string). Spaces that SentencePiece leaves at either end are kept, as
  // in the references (HF's decode() would strip them).
  std::string decode(const std::vector<int>& ids) const;
  // Piece of an id (`<unk>` for an id the vocabulary lacks).
  std::string target_piece(int id) const;
  std::string source_piece(int id) const;

  int eos_id() const;
  int pad_id() const;
  int unk_id() const;
  int source_bos_id() const;  // -1 unless sources start with a BOS token
  // False for pre-tokenized models (tokens separated by spaces, no SentencePiece model).
  bool has_sentencepiece() const;
  // Language tokens of the source vocabulary, e.g. ">>deu<<", in id order.
  std::vector<std::string> language_tokens() const;
  std::optional<int> source_token_id(const std::string& piece) const;

 private:
  MarianTokenizer();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True when `text` is valid UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
bool is_valid_utf8(std::string_view text);
// Byte offset of the first ill-formed sequence, or nullopt when `text` is valid UTF-8.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

}  // namespace crossmt
