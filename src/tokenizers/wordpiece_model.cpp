// tokenizer.json's WordPiece model: greedy longest-match-first, later pieces with the
// continuing_subword_prefix ("##"); a word with any unmatched rest, or longer than
// max_input_chars_per_word characters, is the unknown token as a whole.
#include "components.h"
#include "vocabulary.h"

namespace crossmt::tokenizer_json {
namespace {

class WordPieceModel final : public Model {
 public:
  WordPieceModel(Vocabulary vocabulary, std::string unk_token, std::string prefix, std::size_t max_chars)
      : vocabulary_(std::move(vocabulary)), unk_token_(std::move(unk_token)), prefix_(std::move(prefix)), max_chars_(max_chars) {
    unk_id_ = *vocabulary_.find(unk_token_);
  }

  void tokenize(std::string_view word, std::vector<Token>& out) const override {
    if (word.empty()) return;
    if (code_point_count(word) > max_chars_) {
      out.push_back({unk_id_, unk_token_});
      return;
    }
    std::vector<Token> pieces;
    for (std::size_t start = 0; start < word.size();) {
      std::size_t end = word.size();
      std::optional<Token> match;
      while (end > start) {
        std::string candidate = (start > 0 ? prefix_ : std::string()) + std::string(word.substr(start, end - start));
        if (const auto id = vocabulary_.find(candidate)) {
          match = Token{*id, std::move(candidate)};
          break;
        }
        do --end;  // back to the previous character boundary
        while (end > start && (static_cast<uint8_t>(word[end]) & 0xC0) == 0x80);
      }
      if (!match) {
        out.push_back({unk_id_, unk_token_});
        return;
      }
      pieces.push_back(std::move(*match));
      start = end;
    }
    for (Token& piece : pieces) out.push_back(std::move(piece));
  }

  std::optional<int> token_to_id(std::string_view token) const override { return vocabulary_.find(token); }
  std::optional<std::string> id_to_token(int id) const override { return vocabulary_.token(id); }
  std::size_t vocab_size() const override { return vocabulary_.token_ids.size(); }
  std::string type() const override { return "WordPiece"; }

 private:
  Vocabulary vocabulary_;
  std::string unk_token_, prefix_;
  std::size_t max_chars_;
  int unk_id_ = 0;
};

}  // namespace

std::unique_ptr<Model> make_wordpiece_model(const Json& spec, const Field& field) {
  Vocabulary vocabulary = Vocabulary::from_json(require_member(spec, field, "vocab"), field.at("vocab"));
  const std::string unk_token = string_member(spec, field, "unk_token", "[UNK]");
  if (!vocabulary.find(unk_token)) field.at("unk_token").fail("\"" + unk_token + "\" is not in the vocabulary");
  const int64_t max_chars = int_member(spec, field, "max_input_chars_per_word", 100);
  if (max_chars < 0) field.at("max_input_chars_per_word").fail("negative");
  return std::make_unique<WordPieceModel>(std::move(vocabulary), unk_token, string_member(spec, field, "continuing_subword_prefix", "##"),
                                          static_cast<std::size_t>(max_chars));
}

}  // namespace crossmt::tokenizer_json
