// The tokenizer.json `model` by its type.
#include "components.h"

namespace crossmt::tokenizer_json {

std::unique_ptr<Model> make_model(const Json& spec, const Field& field) {
  const std::string type = find_member(spec, "type") ? type_of(spec, field) : "";
  if (type == "BPE") return make_bpe_model(spec, field);
  if (type == "Unigram") return make_unigram_model(spec, field);
  if (type == "WordPiece") return make_wordpiece_model(spec, field);
  if (type == "WordLevel") return make_wordlevel_model(spec, field);
  if (type.empty()) field.at("type").fail("missing");
  field.at("type").fail("unknown model type \"" + type + "\"");
}

}  // namespace crossmt::tokenizer_json
