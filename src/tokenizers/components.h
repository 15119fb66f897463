#pragma once
// Internal building blocks of TokenizerJson (tokenizer.json) and ByteLevelBpe (vocab.json +
// merges.txt): each pipeline stage of Hugging Face's `tokenizers` as a small interface, plus the
// Unicode and JSON helpers they share. Offsets are not tracked: crossmt needs ids and tokens only.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "utf8.h"

namespace crossmt::tokenizer_json {

using Json = nlohmann::json;

// ---- Where a JSON value sits, for one-line errors "<file>: <field>: <message>" ----------------
struct Field {
  const std::string* origin;
  std::string path;
  Field at(std::string_view key) const { return {origin, path.empty() ? std::string(key) : path + "." + std::string(key)}; }
  Field index(std::size_t i) const { return {origin, path + "[" + std::to_string(i) + "]"}; }
  [[noreturn]] void fail(const std::string& message) const;
};

// Member `key` of `object`, or nullptr when absent or null.
const Json* find_member(const Json& object, std::string_view key);
const Json& require_member(const Json& object, const Field& field, std::string_view key);
std::string string_member(const Json& object, const Field& field, std::string_view key,
                          std::optional<std::string> fallback = std::nullopt);
bool bool_member(const Json& object, const Field& field, std::string_view key, bool fallback);
int64_t int_member(const Json& object, const Field& field, std::string_view key,
                   std::optional<int64_t> fallback = std::nullopt);
// A JSON string holding exactly one character (Metaspace's replacement, Strip's content).
char32_t char_member(const Json& object, const Field& field, std::string_view key, char32_t fallback);
// `type` of a component object (an Error when it is not an object, or nested too deeply).
std::string type_of(const Json& object, const Field& field);

// ---- Unicode (UTF-8 strings known to be valid) ----------------------------------------------
// Code point at byte `pos` and its length in bytes.
std::pair<char32_t, std::size_t> next_code_point(std::string_view text, std::size_t pos);
std::string to_utf8(char32_t code_point);
std::size_t code_point_count(std::string_view text);
bool is_white_space(char32_t c);      // Unicode White_Space (Rust's char::is_whitespace)
bool is_letter(char32_t c);           // \p{L}
bool is_number(char32_t c);           // \p{N} (Rust's char::is_numeric)
bool is_punctuation(char32_t c);      // ASCII punctuation or \p{P}
bool is_decimal_digit(char32_t c);    // \p{Nd}
bool is_word_char(char32_t c);        // Unicode \w of Rust's regex: alphabetic, marks, Nd, Pc, joiners
std::string lowercase(std::string_view text);  // per code point full lowercase mapping (no context)
// Bytes decoded as UTF-8 with every maximal ill-formed subsequence replaced by U+FFFD (Rust's
// from_utf8_lossy, Python's errors="replace").
std::string utf8_lossy(std::string_view bytes);

// ---- Normalizers --------------------------------------------------------------------------
class Normalizer {
 public:
  virtual ~Normalizer() = default;
  virtual void normalize(std::string& text) const = 0;
};
std::unique_ptr<Normalizer> make_normalizer(const Json& spec, const Field& field);

// ---- Pre-tokenizers -----------------------------------------------------------------------
struct Piece {
  std::string text;
  bool at_text_start = false;  // starts where the input text starts (Metaspace prepend_scheme "first")
};
using Pieces = std::vector<Piece>;

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  virtual void pre_tokenize(Pieces& pieces) const = 0;
};
std::unique_ptr<PreTokenizer> make_pre_tokenizer(const Json& spec, const Field& field);

enum class SplitBehavior { removed, isolated, merged_with_previous, merged_with_next, contiguous };
using Span = std::pair<std::size_t, std::size_t>;  // [begin, end) in bytes
// Splits each piece around the spans `find_matches` reports (sorted, non-overlapping), as
// NormalizedString::split does; empty pieces are dropped.
template <class FindMatches>
void split_pieces(Pieces& pieces, FindMatches&& find_matches, SplitBehavior behavior, bool invert = false);
std::vector<Piece> split_piece(const Piece& piece, const std::vector<Span>& matches, SplitBehavior behavior,
                               bool invert);

// ---- Models -------------------------------------------------------------------------------
struct Token {
  int id;
  std::string text;
};

class Model {
 public:
  virtual ~Model() = default;
  virtual void tokenize(std::string_view piece, std::vector<Token>& out) const = 0;
  virtual std::optional<int> token_to_id(std::string_view token) const = 0;
  virtual std::optional<std::string> id_to_token(int id) const = 0;
  virtual std::size_t vocab_size() const = 0;
  virtual std::string type() const = 0;
};
std::unique_ptr<Model> make_model(const Json& spec, const Field& field);
std::unique_ptr<Model> make_bpe_model(const Json& spec, const Field& field);
std::unique_ptr<Model> make_unigram_model(const Json& spec, const Field& field);
std::unique_ptr<Model> make_wordpiece_model(const Json& spec, const Field& field);
std::unique_ptr<Model> make_wordlevel_model(const Json& spec, const Field& field);

// ---- Post-processors and decoders ---------------------------------------------------------
class PostProcessor {
 public:
  virtual ~PostProcessor() = default;
  virtual void process(std::vector<Token>& tokens, bool add_special_tokens) const = 0;
};
std::unique_ptr<PostProcessor> make_post_processor(const Json& spec, const Field& field);

class Decoder {
 public:
  virtual ~Decoder() = default;
  virtual void decode(std::vector<std::string>& tokens) const = 0;  // in place, token by token
};
std::unique_ptr<Decoder> make_decoder(const Json& spec, const Field& field);

// ---- Byte-level (GPT-2) helpers, shared with ByteLevelBpe ---------------------------------
// GPT-2's bytes_to_unicode: every byte as a printable character.
std::string byte_level_encode(std::string_view bytes);
// The inverse; nullopt when a character is not one of the 256.
std::optional<std::string> byte_level_decode(std::string_view text);
// GPT-2's pre-tokenization regex, 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
std::vector<Span> gpt2_pattern_matches(std::string_view text);

// ---- ICU regular expressions (Split, Replace) ---------------------------------------------
class Regex {
 public:
  Regex(const std::string& pattern, const Field& field);  // throws Error naming the field
  ~Regex();
  Regex(Regex&&) noexcept;
  std::vector<Span> find_all(std::string_view text) const;  // non-empty matches, left to right
 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};
std::vector<Span> find_all_literal(std::string_view text, std::string_view needle);
// A Split/Replace `pattern` member: {"String": "..."} (the literal) or {"Regex": "..."}.
std::pair<std::optional<std::string>, std::optional<Regex>> read_pattern(const Json& spec, const Field& field);

// ---- Template implementation --------------------------------------------------------------
template <class FindMatches>
void split_pieces(Pieces& pieces, FindMatches&& find_matches, SplitBehavior behavior, bool invert) {
  Pieces result;
  result.reserve(pieces.size());
  for (const Piece& piece : pieces) {
    std::vector<Piece> parts = split_piece(piece, find_matches(std::string_view(piece.text)), behavior, invert);
    for (Piece& part : parts) result.push_back(std::move(part));
  }
  pieces = std::move(result);
}

}  // namespace crossmt::tokenizer_json
