#pragma once
// Reading the files tokenizers are made of (SentencePiece models, vocab.json, tokenizer_config.json),
// each failure a crossmt::Error naming the file.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace crossmt {

std::string read_whole_file(const std::filesystem::path& path);
// Library messages may span lines; crossmt::Error messages must not.
std::string single_line(std::string text);
nlohmann::ordered_json parse_json_file(const std::filesystem::path& path);

std::unique_ptr<sentencepiece::SentencePieceProcessor> parse_sentencepiece(const std::string& bytes,
                                                                          const std::string& origin);
std::unique_ptr<sentencepiece::SentencePieceProcessor> load_sentencepiece(const std::filesystem::path& path);
// The serialized model with normalizer_spec.add_dummy_prefix = false: transformers' non-legacy
// T5/Llama tokenizers load SentencePiece so, and add the prefix space themselves.
std::string without_dummy_prefix(const std::string& serialized_model, const std::string& origin);

// One direction of a vocabulary: piece <-> id.
struct Vocabulary {
  std::unordered_map<std::string, int> ids_by_piece;
  std::vector<std::optional<std::string>> pieces_by_id;

  std::optional<int> id_of(const std::string& piece) const {
    const auto found = ids_by_piece.find(piece);
    if (found == ids_by_piece.end()) return std::nullopt;
    return found->second;
  }
  const std::string* piece_of(int id) const {
    if (id < 0 || static_cast<std::size_t>(id) >= pieces_by_id.size() || !pieces_by_id[id]) return nullptr;
    return &*pieces_by_id[id];
  }
  // Gives `id` to `piece`; the id's previous piece loses its entry unless it has another id.
  void assign(const std::string& piece, int id);
};

struct SpecialTokens {
  std::string eos = "</s>", unk = "<unk>", pad = "<pad>";
};

void require_special_tokens(const Vocabulary& vocabulary, const SpecialTokens& special, const std::string& origin);
// A vocabulary given as pieces in id order; a repeated piece keeps its first id.
Vocabulary vocabulary_from_pieces(const std::vector<std::string>& pieces);
// vocab.json (piece -> id), checked for the given special tokens (none when `special` is null).
Vocabulary load_vocabulary(const std::filesystem::path& path, const SpecialTokens* special);

// A special token in tokenizer_config.json is a string or a serialized AddedToken {"content": ...}.
std::optional<std::string> special_token_setting(const nlohmann::ordered_json& config, const char* key);

}  // namespace crossmt
