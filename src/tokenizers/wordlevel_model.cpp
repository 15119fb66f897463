// tokenizer.json's WordLevel model: each pre-tokenized piece is one vocabulary entry, or the
// unknown token.
#include "components.h"
#include "vocabulary.h"

namespace crossmt::tokenizer_json {
namespace {

class WordLevelModel final : public Model {
 public:
  WordLevelModel(Vocabulary vocabulary, std::string unk_token) : vocabulary_(std::move(vocabulary)), unk_token_(std::move(unk_token)) {
    unk_id_ = *vocabulary_.find(unk_token_);
  }
  void tokenize(std::string_view word, std::vector<Token>& out) const override {
    if (word.empty()) return;
    if (const auto id = vocabulary_.find(word))
      out.push_back({*id, std::string(word)});
    else
      out.push_back({unk_id_, unk_token_});
  }
  std::optional<int> token_to_id(std::string_view token) const override { return vocabulary_.find(token); }
  std::optional<std::string> id_to_token(int id) const override { return vocabulary_.token(id); }
  std::size_t vocab_size() const override { return vocabulary_.token_ids.size(); }
  std::string type() const override { return "WordLevel"; }

 private:
  Vocabulary vocabulary_;
  std::string unk_token_;
  int unk_id_ = 0;
};

}  // namespace

std::unique_ptr<Model> make_wordlevel_model(const Json& spec, const Field& field) {
  Vocabulary vocabulary = Vocabulary::from_json(require_member(spec, field, "vocab"), field.at("vocab"));
  const std::string unk_token = string_member(spec, field, "unk_token", "<unk>");
  if (!vocabulary.find(unk_token)) field.at("unk_token").fail("\"" + unk_token + "\" is not in the vocabulary");
  return std::make_unique<WordLevelModel>(std::move(vocabulary), unk_token);
}

}  // namespace crossmt::tokenizer_json
