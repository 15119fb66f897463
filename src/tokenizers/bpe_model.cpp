// tokenizer.json's BPE model: characters (with continuing_subword_prefix / end_of_word_suffix)
// looked up in the vocabulary, unknown ones as byte tokens (byte_fallback) or the unknown token,
// then merged by rank.
#include "bpe_merges.h"
#include "components.h"
#include "vocabulary.h"

namespace crossmt::tokenizer_json {
namespace {

// "<0x41>": the byte-fallback token of a byte.
std::string byte_token(uint8_t byte) {
  static const char* digits = "0123456789ABCDEF";
  return std::string("<0x") + digits[byte >> 4] + digits[byte & 15] + ">";
}

struct BpeOptions {
  std::optional<std::string> unk_token;
  std::optional<std::string> continuing_subword_prefix;
  std::optional<std::string> end_of_word_suffix;
  bool fuse_unk = false;
  bool byte_fallback = false;
  bool ignore_merges = false;
};

class BpeModel final : public Model {
 public:
  BpeModel(Vocabulary vocabulary, BpeMerges merges, BpeOptions options)
      : vocabulary_(std::move(vocabulary)), merges_(std::move(merges)), options_(std::move(options)) {
    if (options_.unk_token) unk_id_ = vocabulary_.find(*options_.unk_token);
  }

  void tokenize(std::string_view piece, std::vector<Token>& out) const override {
    if (piece.empty()) return;
    if (options_.ignore_merges) {
      if (const auto id = vocabulary_.find(piece)) {
        out.push_back({*id, std::string(piece)});
        return;
      }
    }
    std::vector<int> symbols;
    int pending_unk = -1;  // an unknown-token symbol not yet added (to fuse the next one), or -1
    for (std::size_t pos = 0; pos < piece.size();) {
      const std::size_t length = next_code_point(piece, pos).second;
      std::string symbol(piece.substr(pos, length));
      if (pos > 0 && options_.continuing_subword_prefix) symbol.insert(0, *options_.continuing_subword_prefix);
      pos += length;
      if (pos == piece.size() && options_.end_of_word_suffix) symbol += *options_.end_of_word_suffix;
      if (const auto id = vocabulary_.find(symbol)) {
        if (pending_unk >= 0) symbols.push_back(pending_unk), pending_unk = -1;
        symbols.push_back(*id);
        continue;
      }
      if (options_.byte_fallback) {
        std::vector<int> byte_ids;
        for (const char byte : symbol) {
          const auto id = vocabulary_.find(byte_token(static_cast<uint8_t>(byte)));
          if (!id) break;
          byte_ids.push_back(*id);
        }
        if (byte_ids.size() == symbol.size()) {
          // tokenizers adds the bytes without flushing a pending unknown token first.
          symbols.insert(symbols.end(), byte_ids.begin(), byte_ids.end());
          continue;
        }
      }
      if (unk_id_) {
        if (pending_unk >= 0 && !options_.fuse_unk) symbols.push_back(pending_unk);
        pending_unk = *unk_id_;
      }
      // Without an unknown token the character is dropped, as tokenizers does.
    }
    if (pending_unk >= 0) symbols.push_back(pending_unk);
    merges_.apply(symbols);
    for (const int id : symbols) out.push_back({id, vocabulary_.token(id).value_or(std::string())});
  }

  std::optional<int> token_to_id(std::string_view token) const override { return vocabulary_.find(token); }
  std::optional<std::string> id_to_token(int id) const override { return vocabulary_.token(id); }
  std::size_t vocab_size() const override { return vocabulary_.token_ids.size(); }
  std::string type() const override { return "BPE"; }

 private:
  Vocabulary vocabulary_;
  BpeMerges merges_;
  BpeOptions options_;
  std::optional<int> unk_id_;
};

std::optional<std::string> optional_string(const Json& spec, const Field& field, std::string_view key) {
  if (!find_member(spec, key)) return std::nullopt;
  return string_member(spec, field, key);
}

}  // namespace

std::unique_ptr<Model> make_bpe_model(const Json& spec, const Field& field) {
  Vocabulary vocabulary = Vocabulary::from_json(require_member(spec, field, "vocab"), field.at("vocab"));
  BpeOptions options;
  options.unk_token = optional_string(spec, field, "unk_token");
  options.continuing_subword_prefix = optional_string(spec, field, "continuing_subword_prefix");
  options.end_of_word_suffix = optional_string(spec, field, "end_of_word_suffix");
  options.fuse_unk = bool_member(spec, field, "fuse_unk", false);
  options.byte_fallback = bool_member(spec, field, "byte_fallback", false);
  options.ignore_merges = bool_member(spec, field, "ignore_merges", false);
  if (options.unk_token && !vocabulary.find(*options.unk_token))
    field.at("unk_token").fail("\"" + *options.unk_token + "\" is not in the vocabulary");

  const Json& merge_list = require_member(spec, field, "merges");
  const Field merges_field = field.at("merges");
  if (!merge_list.is_array()) merges_field.fail("expected an array");
  const std::size_t prefix_length = options.continuing_subword_prefix ? options.continuing_subword_prefix->size() : 0;
  BpeMerges merges;
  for (std::size_t rank = 0; rank < merge_list.size(); ++rank) {
    const Json& entry = merge_list[rank];
    const Field entry_field = merges_field.index(rank);
    std::string left, right;
    if (entry.is_string()) {  // "a b"
      const std::string text = entry.get<std::string>();
      const std::size_t space = text.find(' ');
      if (space == std::string::npos || text.find(' ', space + 1) != std::string::npos)
        entry_field.fail("expected two tokens separated by one space");
      left = text.substr(0, space);
      right = text.substr(space + 1);
    } else if (entry.is_array() && entry.size() == 2 && entry[0].is_string() && entry[1].is_string()) {  // ["a", "b"]
      left = entry[0].get<std::string>();
      right = entry[1].get<std::string>();
    } else {
      entry_field.fail("expected \"a b\" or [\"a\", \"b\"]");
    }
    const auto left_id = vocabulary.find(left), right_id = vocabulary.find(right);
    if (!left_id) entry_field.fail("token \"" + left + "\" is not in the vocabulary");
    if (!right_id) entry_field.fail("token \"" + right + "\" is not in the vocabulary");
    // The right part loses its continuing_subword_prefix in the merged token.
    if (right.size() < prefix_length || (right.size() > prefix_length && (static_cast<uint8_t>(right[prefix_length]) & 0xC0) == 0x80))
      entry_field.fail("token \"" + right + "\" is shorter than continuing_subword_prefix");
    const std::string merged = left + right.substr(prefix_length);
    const auto merged_id = vocabulary.find(merged);
    if (!merged_id) entry_field.fail("merged token \"" + merged + "\" is not in the vocabulary");
    merges.add(*left_id, *right_id, *merged_id, static_cast<int>(rank));
  }
  return std::make_unique<BpeModel>(std::move(vocabulary), std::move(merges), std::move(options));
}

}  // namespace crossmt::tokenizer_json
