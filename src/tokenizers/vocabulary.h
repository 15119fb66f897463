#pragma once
// A token <-> id table read from a tokenizer.json `vocab` object (BPE, WordPiece).
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "components.h"

namespace crossmt::tokenizer_json {

struct Vocabulary {
  std::unordered_map<std::string, int> token_ids;
  std::unordered_map<int, std::string> id_tokens;

  // Throws Error naming `field` unless `vocab` is an object of non-negative integer ids.
  static Vocabulary from_json(const Json& vocab, const Field& field);
  std::optional<int> find(std::string_view token) const {
    const auto found = token_ids.find(std::string(token));
    if (found == token_ids.end()) return std::nullopt;
    return found->second;
  }
  std::optional<std::string> token(int id) const {
    const auto found = id_tokens.find(id);
    if (found == id_tokens.end()) return std::nullopt;
    return found->second;
  }
};

}  // namespace crossmt::tokenizer_json
