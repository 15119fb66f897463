#pragma once
// Text <-> ids as Hugging Face transformers' tokenizers do it: the Tokenizer interface every model
// family implements, and MarianTokenizer (SentencePiece pieces mapped through vocab.json).
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

// How one translation direction reaches a model, resolved from the languages a user names
// (Tokenizer::direction): the codes in the model's own spelling and where they go.
struct LanguageDirection {
  std::string source_code, target_code;  // ">>deu<<", "eng_Latn", "__de__", "en_XX"; "" when unused
  std::string text_prefix;                // prepended to the source text (T5: "translate English to German: ")
  int decoder_start_token_id = -1;        // mBART (cc25): the target code; -1 keeps the model's
  int forced_bos_token_id = -1;           // mBART-50, M2M100, NLLB: the target code; -1 keeps the model's
};

// The tokenizer of one model family. Source ids come in the family's layout of special tokens
// (`</s>` last for Marian and T5, `<s> ... </s>` for BART, language codes for the multilingual
// families), exactly as transformers' tokenizer(text) gives them.
class Tokenizer {
 public:
  virtual ~Tokenizer() = default;
  // "marian", "t5", "mbart", "mbart50", "m2m100", "nllb", "bart", or "tokenizer.json".
  virtual std::string family() const = 0;
  // What the tokenizer was read from, e.g. "sentencepiece.bpe.model" or "tokenizer.json".
  virtual std::string files() const = 0;

  // Source ids of a text for `direction` (its source code and text prefix); throws crossmt::Error
  // on invalid UTF-8.
  virtual std::vector<int> encode(std::string_view text, const LanguageDirection& direction) const = 0;
  std::vector<int> encode(std::string_view text) const { return encode(text, LanguageDirection{}); }
  // transformers' tokenize(): the pieces of a text, special tokens in it kept whole, none added.
  virtual std::vector<std::string> encode_pieces(std::string_view text) const = 0;
  // A given translation as tokenizer(text_target=...) encodes it (for alignment and scoring).
  virtual std::vector<int> encode_target(std::string_view text, const LanguageDirection& direction) const = 0;
  std::vector<int> encode_target(std::string_view text) const { return encode_target(text, LanguageDirection{}); }
  // Ids of given source pieces (CTranslate2-style token input), with the family's special tokens.
  virtual std::vector<int> encode_source_pieces(const std::vector<std::string>& pieces) const = 0;
  // Target text as decode(ids, skip_special_tokens=True) gives it.
  virtual std::string decode(const std::vector<int>& ids) const = 0;
  virtual std::string target_piece(int id) const = 0;  // `<unk>`'s spelling for an id the vocabulary lacks
  virtual std::string source_piece(int id) const = 0;

  virtual int eos_id() const = 0;
  virtual int pad_id() const = 0;
  virtual int unk_id() const = 0;
  virtual int source_bos_id() const = 0;  // -1 unless sources start with a BOS token
  // False for pre-tokenized models (tokens separated by spaces, no subword model).
  virtual bool has_sentencepiece() const = 0;
  // The piece prefix that starts a word ("▁" for SentencePiece, "Ġ" for byte-level BPE).
  virtual std::string word_start_marker() const { return "\xE2\x96\x81"; }
  virtual std::optional<int> source_token_id(const std::string& piece) const = 0;
  // Special ids that are not text (dropped from pieces shown as text, e.g. language codes).
  virtual bool is_special_id(int id) const { return id == eos_id() || id == pad_id() || id == source_bos_id(); }

  // Languages: the model's codes ("deu", "eng_Latn", "de"...) as users may type them, and the
  // direction for a pair given as ISO 639-1/-3 codes or the model's own codes. A code the model
  // lacks, an ambiguous one (NLLB's "zh": zho_Hans or zho_Hant) or a missing --from where the
  // family needs it is a crossmt::Error that lists the choices.
  virtual std::vector<std::string> languages() const = 0;
  virtual LanguageDirection direction(std::string_view source_language, std::string_view target_language) const = 0;
  // Whether the source language must be named (mBART, M2M100, NLLB, T5).
  virtual bool needs_source_language() const { return false; }
  // Language tokens of the source vocabulary in id order (Marian's ">>deu<<"; codes elsewhere).
  virtual std::vector<std::string> language_tokens() const = 0;
};

// Which files a folder's tokenizer is read from when it has both kinds.
enum class TokenizerFiles {
  Automatic,  // the family's own ("slow") files when present, else tokenizer.json
  Slow,       // SentencePiece models, vocab.json, merges.txt
  Fast,       // tokenizer.json
};

// The tokenizer of an HF model folder, its family chosen by tokenizer_config.json's
// tokenizer_class, else by the files present (source.spm: Marian; spiece.model: T5;
// sentencepiece.bpe.model: mBART, NLLB or M2M100 by config.json's model_type; vocab.json +
// merges.txt: BART; tokenizer.json). Throws crossmt::Error naming the file and field at fault.
std::unique_ptr<Tokenizer> load_tokenizer(const std::filesystem::path& model_dir,
                                          TokenizerFiles files = TokenizerFiles::Automatic);
// True when the folder holds a tokenizer load_tokenizer can read.
bool has_tokenizer_files(const std::filesystem::path& model_dir);

class MarianTokenizer : public Tokenizer {
 public:
  // Reads source.spm, target.spm, vocab.json (and target_vocab.json when tokenizer_config.json
  // says separate_vocabs) from a model folder. Throws crossmt::Error naming the file at fault.
  static MarianTokenizer load(const std::filesystem::path& model_dir);
  // Throws crossmt::Error when a special token is missing from a vocabulary or a model is invalid.
  static MarianTokenizer from_parts(const TokenizerParts& parts);
  ~MarianTokenizer();
  MarianTokenizer(MarianTokenizer&&) noexcept;
  MarianTokenizer& operator=(MarianTokenizer&&) noexcept;

  std::string family() const override { return "marian"; }
  std::string files() const override;
  // Source ids: a leading `>>xxx<<` kept as one token (the direction's target code is prepended
  // when the text has none), the rest as pieces, then `</s>`. No BOS. The special tokens' own
  // spellings (`</s>`, `<unk>`, `<pad>`) inside the text stay single tokens, as HF's added-token
  // splitting does. Pieces missing from vocab.json become `<unk>`.
  using Tokenizer::encode;
  using Tokenizer::encode_target;
  std::vector<int> encode(std::string_view text, const LanguageDirection& direction) const override;
  std::vector<std::string> encode_pieces(std::string_view text) const override;  // without `</s>`
  // Target model, target vocabulary (the shared one unless separate_vocabs), `</s>` last.
  std::vector<int> encode_target(std::string_view text, const LanguageDirection& direction) const override;
  std::vector<int> encode_source_pieces(const std::vector<std::string>& pieces) const override;
  // eos and pad dropped (as in the references), the other ids mapped to pieces and detokenized by
  // the target SentencePiece model; `<unk>` is written as is, followed by a space (HF's
  // convert_tokens_to_string). Spaces that SentencePiece leaves at either end are kept, as in the
  // references (HF's decode() would strip them).
  std::string decode(const std::vector<int>& ids) const override;
  std::string target_piece(int id) const override;
  std::string source_piece(int id) const override;

  int eos_id() const override;
  int pad_id() const override;
  int unk_id() const override;
  int source_bos_id() const override;
  bool has_sentencepiece() const override;
  std::optional<int> source_token_id(const std::string& piece) const override;
  // The target token codes ("deu"); the source language is not named to Marian models.
  std::vector<std::string> languages() const override;
  LanguageDirection direction(std::string_view source_language, std::string_view target_language) const override;
  std::vector<std::string> language_tokens() const override;  // ">>deu<<", in id order

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
