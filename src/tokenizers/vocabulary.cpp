#include "vocabulary.h"

#include <limits>

namespace crossmt::tokenizer_json {

Vocabulary Vocabulary::from_json(const Json& vocab, const Field& field) {
  if (!vocab.is_object()) field.fail("expected an object of token: id");
  Vocabulary vocabulary;
  vocabulary.token_ids.reserve(vocab.size());
  for (const auto& [token, id] : vocab.items()) {
    if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() > std::numeric_limits<int>::max() ||
        (id.is_number_unsigned() && id.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int>::max())))
      field.fail("id of \"" + token + "\" is not a non-negative 32-bit integer");
    const int value = id.get<int>();
    vocabulary.token_ids[token] = value;
    vocabulary.id_tokens[value] = token;
  }
  return vocabulary;
}

}  // namespace crossmt::tokenizer_json
