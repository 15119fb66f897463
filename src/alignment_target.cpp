// TargetTextEncoder: a given translation encoded as HF's MarianTokenizer(text_target=...) does,
// for `crossmt align` (MarianTokenizer itself only encodes source text).
#include <sentencepiece_processor.h>

#include <array>
#include <fstream>
#include <iterator>
#include <optional>
#include <unordered_map>

#include "crossmt/alignment.h"
#include "crossmt/error.h"
#include "crossmt/language.h"

namespace crossmt {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) throw Error("cannot read " + path.string());
  return {std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>()};
}

}  // namespace

struct TargetTextEncoder::Impl {
  const MarianTokenizer* tokenizer = nullptr;
  sentencepiece::SentencePieceProcessor target_model;
  std::optional<std::unordered_map<std::string, int>> target_vocabulary;  // only with separate_vocabs

  int id_of(const std::string& piece) const {
    if (target_vocabulary) {
      const auto found = target_vocabulary->find(piece);
      return found != target_vocabulary->end() ? found->second : tokenizer->unk_id();
    }
    return tokenizer->source_token_id(piece).value_or(tokenizer->unk_id());
  }

  void append_chunk(std::string_view chunk, std::vector<int>& ids) const {
    if (chunk.empty()) return;
    const size_t code_length = leading_language_token_length(chunk);
    if (code_length > 0) ids.push_back(id_of(std::string(chunk.substr(0, code_length))));
    std::vector<std::string> pieces;
    const auto status = target_model.Encode(chunk.substr(code_length), &pieces);
    if (!status.ok()) throw Error("SentencePiece could not encode the target text");
    for (const auto& piece : pieces) ids.push_back(id_of(piece));
  }
};

TargetTextEncoder::TargetTextEncoder(const std::filesystem::path& model_dir, const MarianTokenizer& tokenizer)
    : impl_(std::make_unique<Impl>()) {
  impl_->tokenizer = &tokenizer;
  const auto spm_path = model_dir / "target.spm";
  if (!impl_->target_model.LoadFromSerializedProto(read_text(spm_path)).ok())
    throw Error(spm_path.string() + ": not a valid SentencePiece model");
  const auto config_path = model_dir / "tokenizer_config.json";
  if (std::filesystem::exists(config_path)) {
    const auto config = nlohmann::json::parse(read_text(config_path), nullptr, false);
    if (config.is_object() && config.value("separate_vocabs", false)) {
      const auto vocab_path = model_dir / "target_vocab.json";
      const auto vocab = nlohmann::json::parse(read_text(vocab_path), nullptr, false);
      if (!vocab.is_object()) throw Error(vocab_path.string() + ": expected a JSON object mapping pieces to ids");
      impl_->target_vocabulary.emplace();
      for (const auto& [piece, id] : vocab.items())
        if (id.is_number_integer()) (*impl_->target_vocabulary)[piece] = id.get<int>();
    }
  }
}

TargetTextEncoder::~TargetTextEncoder() = default;

std::vector<int> TargetTextEncoder::encode(std::string_view text) const {
  if (const auto bad_byte = find_invalid_utf8(text))
    throw Error("invalid UTF-8 at byte " + std::to_string(*bad_byte + 1) + " of the target text");
  // The special tokens' spellings stay single tokens, as HF's added-token splitting keeps them.
  const MarianTokenizer& tokenizer = *impl_->tokenizer;
  const std::array<std::string, 3> specials{tokenizer.source_piece(tokenizer.eos_id()),
                                            tokenizer.source_piece(tokenizer.unk_id()),
                                            tokenizer.source_piece(tokenizer.pad_id())};
  std::vector<int> ids;
  size_t chunk_start = 0;
  for (size_t position = 0; position < text.size();) {
    const std::string* matched = nullptr;
    for (const auto& special : specials)
      if (text.substr(position).starts_with(special)) matched = &special;
    if (!matched) {
      ++position;
      continue;
    }
    impl_->append_chunk(text.substr(chunk_start, position - chunk_start), ids);
    ids.push_back(impl_->id_of(*matched));
    position += matched->size();
    chunk_start = position;
  }
  impl_->append_chunk(text.substr(chunk_start), ids);
  ids.push_back(impl_->tokenizer->eos_id());
  return ids;
}

}  // namespace crossmt
