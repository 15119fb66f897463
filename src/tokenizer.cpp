// MarianTokenizer as Hugging Face transformers implements it (tokenization_marian.py on top of
// PreTrainedTokenizer): every detail below exists to give the same ids and text as that code.
#include "crossmt/tokenizer.h"

#include <sentencepiece_processor.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>
#include <utility>

#include "crossmt/error.h"
#include "crossmt/language.h"
#include "formats/marian_npz.h"
#include "tokenizers/tokenizer_files.h"

namespace crossmt {
namespace {

namespace fs = std::filesystem;

// A Marian *.vocab.yml, with <pad> appended after the largest id when absent, as transformers'
// convert_marian_to_pytorch.py does when it writes vocab.json.
Vocabulary load_marian_vocabulary(const fs::path& path, const SpecialTokens& special) {
  Vocabulary vocabulary;
  int next = 0;
  for (auto& [piece, id] : read_marian_vocabulary(path)) {
    next = std::max(next, id + 1);
    if (static_cast<std::size_t>(id) >= vocabulary.pieces_by_id.size()) vocabulary.pieces_by_id.resize(id + 1);
    vocabulary.pieces_by_id[id] = piece;
    vocabulary.ids_by_piece[std::move(piece)] = id;
  }
  if (!vocabulary.id_of(special.pad)) {
    vocabulary.ids_by_piece[special.pad] = next;
    vocabulary.pieces_by_id.resize(next + 1);
    vocabulary.pieces_by_id[next] = special.pad;
  }
  for (const std::string* required : {&special.eos, &special.unk})
    if (!vocabulary.id_of(*required)) throw Error(path.string() + ": no entry for the special token \"" + *required + "\"");
  return vocabulary;
}

}  // namespace

struct MarianTokenizer::Impl {
  std::unique_ptr<sentencepiece::SentencePieceProcessor> source_model, target_model;
  Vocabulary source_vocabulary;
  std::optional<Vocabulary> separate_target_vocabulary;  // target_vocab.json, with separate_vocabs
  SpecialTokens special;
  int eos_id = 0, pad_id = 0, unk_id = 0;
  int source_bos_id = -1;       // prepended to every source when set (CTranslate2's add_source_bos)
  bool add_source_eos = true;   // HF Marian always appends </s>

  const Vocabulary& target_vocabulary() const {
    return separate_target_vocabulary ? *separate_target_vocabulary : source_vocabulary;
  }

  // Source pieces (`model` = the source model) or target pieces (the target model).
  std::vector<std::string> pieces(std::string_view text, const sentencepiece::SentencePieceProcessor* model) const;
  void append_chunk_pieces(std::string_view chunk, const sentencepiece::SentencePieceProcessor* model,
                           std::vector<std::string>& pieces) const;
};

// HF splits the text on its added tokens (here the three special tokens) before anything else,
// keeps each as one token and tokenizes the chunks between them separately.
std::vector<std::string> MarianTokenizer::Impl::pieces(std::string_view text,
                                                       const sentencepiece::SentencePieceProcessor* model) const {
  if (const auto bad_byte = find_invalid_utf8(text))
    throw Error("invalid UTF-8 in the text to encode (byte " + std::to_string(*bad_byte) + ")");
  const std::array<const std::string*, 3> special_tokens{&special.eos, &special.unk, &special.pad};
  std::vector<std::string> result;
  std::size_t chunk_start = 0;
  for (std::size_t position = 0; position < text.size();) {
    const std::string* matched = nullptr;
    for (const std::string* token : special_tokens)
      if (!token->empty() && text.substr(position).starts_with(*token) && (!matched || token->size() > matched->size()))
        matched = token;
    if (!matched) {
      ++position;
      continue;
    }
    append_chunk_pieces(text.substr(chunk_start, position - chunk_start), model, result);
    result.push_back(*matched);
    position += matched->size();
    chunk_start = position;
  }
  append_chunk_pieces(text.substr(chunk_start), model, result);
  return result;
}

void MarianTokenizer::Impl::append_chunk_pieces(std::string_view chunk, const sentencepiece::SentencePieceProcessor* model,
                                                std::vector<std::string>& pieces) const {
  if (chunk.empty()) return;
  if (!model) {  // pre-tokenized input: the tokens are separated by spaces
    std::istringstream tokens{std::string(chunk)};
    for (std::string token; tokens >> token;) pieces.push_back(std::move(token));
    return;
  }
  const std::size_t code_length = leading_language_token_length(chunk);
  if (code_length > 0) pieces.emplace_back(chunk.substr(0, code_length));
  std::vector<std::string> sentence_pieces;
  const auto status = model->Encode(chunk.substr(code_length), &sentence_pieces);
  if (!status.ok()) throw Error("SentencePiece could not encode the text: " + single_line(status.ToString()));
  std::move(sentence_pieces.begin(), sentence_pieces.end(), std::back_inserter(pieces));
}

MarianTokenizer::MarianTokenizer() : impl_(std::make_unique<Impl>()) {}
MarianTokenizer::~MarianTokenizer() = default;
MarianTokenizer::MarianTokenizer(MarianTokenizer&&) noexcept = default;
MarianTokenizer& MarianTokenizer::operator=(MarianTokenizer&&) noexcept = default;

MarianTokenizer MarianTokenizer::load(const fs::path& model_dir) {
  MarianTokenizer tokenizer;
  Impl& impl = *tokenizer.impl_;

  bool separate_vocabs = false;
  const fs::path config_path = model_dir / "tokenizer_config.json";
  if (fs::exists(config_path)) {  // optional: HF falls back to its defaults without it
    const auto config = parse_json_file(config_path);
    if (!config.is_object()) throw Error(config_path.string() + ": expected a JSON object");
    if (const auto found = config.find("separate_vocabs"); found != config.end() && found->is_boolean())
      separate_vocabs = found->get<bool>();
    if (auto eos = special_token_setting(config, "eos_token")) impl.special.eos = std::move(*eos);
    if (auto unk = special_token_setting(config, "unk_token")) impl.special.unk = std::move(*unk);
    if (auto pad = special_token_setting(config, "pad_token")) impl.special.pad = std::move(*pad);
  }

  impl.source_model = load_sentencepiece(model_dir / "source.spm");
  impl.target_model = load_sentencepiece(model_dir / "target.spm");
  // A Marian folder (no vocab.json): its *.vocab.yml (one shared, or *src/*trg.vocab.yml).
  const auto marian_vocabularies =
      fs::exists(model_dir / "vocab.json") ? std::vector<fs::path>{} : find_marian_vocabularies(model_dir);
  if (!marian_vocabularies.empty()) {
    impl.source_vocabulary = load_marian_vocabulary(marian_vocabularies.front(), impl.special);
    if (marian_vocabularies.size() == 2)
      impl.separate_target_vocabulary = load_marian_vocabulary(marian_vocabularies.back(), impl.special);
  } else {
    impl.source_vocabulary = load_vocabulary(model_dir / "vocab.json", &impl.special);
    if (separate_vocabs) impl.separate_target_vocabulary = load_vocabulary(model_dir / "target_vocab.json", &impl.special);
  }

  impl.eos_id = *impl.source_vocabulary.id_of(impl.special.eos);
  impl.pad_id = *impl.source_vocabulary.id_of(impl.special.pad);
  impl.unk_id = *impl.source_vocabulary.id_of(impl.special.unk);
  return tokenizer;
}

MarianTokenizer MarianTokenizer::from_parts(const TokenizerParts& parts) {
  MarianTokenizer tokenizer;
  Impl& impl = *tokenizer.impl_;
  impl.special = {parts.eos, parts.unk, parts.pad};
  if (parts.source_sentencepiece)
    impl.source_model = parse_sentencepiece(*parts.source_sentencepiece, parts.sentencepiece_origin);
  if (parts.target_sentencepiece)
    impl.target_model = parse_sentencepiece(*parts.target_sentencepiece, parts.sentencepiece_origin);
  impl.source_vocabulary = vocabulary_from_pieces(parts.source_vocabulary);
  require_special_tokens(impl.source_vocabulary, impl.special, parts.origin + " (source vocabulary)");
  if (!parts.target_vocabulary.empty()) {
    impl.separate_target_vocabulary = vocabulary_from_pieces(parts.target_vocabulary);
    require_special_tokens(*impl.separate_target_vocabulary, impl.special, parts.origin + " (target vocabulary)");
  }
  impl.eos_id = *impl.source_vocabulary.id_of(impl.special.eos);
  impl.pad_id = *impl.source_vocabulary.id_of(impl.special.pad);
  impl.unk_id = *impl.source_vocabulary.id_of(impl.special.unk);
  if (parts.add_source_bos) {
    const auto bos = impl.source_vocabulary.id_of(parts.bos);
    if (!bos) throw Error(parts.origin + " (source vocabulary): no entry for the special token \"" + parts.bos + "\"");
    impl.source_bos_id = *bos;
  }
  impl.add_source_eos = parts.add_source_eos;
  return tokenizer;
}

std::vector<std::string> MarianTokenizer::encode_pieces(std::string_view text) const {
  return impl_->pieces(text, impl_->source_model.get());
}

std::vector<int> MarianTokenizer::encode_source_pieces(const std::vector<std::string>& pieces) const {
  std::vector<int> ids;
  ids.reserve(pieces.size() + 2);
  if (impl_->source_bos_id >= 0) ids.push_back(impl_->source_bos_id);
  for (const auto& piece : pieces) ids.push_back(impl_->source_vocabulary.id_of(piece).value_or(impl_->unk_id));
  if (impl_->add_source_eos) ids.push_back(impl_->eos_id);
  return ids;
}

std::vector<int> MarianTokenizer::encode(std::string_view text, const LanguageDirection& direction) const {
  if (direction.target_code.empty() || starts_with_language_token(text))
    return encode_source_pieces(impl_->pieces(text, impl_->source_model.get()));
  return encode_source_pieces(impl_->pieces(direction.target_code + " " + std::string(text), impl_->source_model.get()));
}

std::vector<int> MarianTokenizer::encode_target(std::string_view text, const LanguageDirection&) const {
  const Impl& impl = *impl_;
  std::vector<int> ids;
  for (const std::string& piece : impl.pieces(text, impl.target_model.get()))
    ids.push_back(impl.target_vocabulary().id_of(piece).value_or(impl.unk_id));
  ids.push_back(impl.eos_id);
  return ids;
}

std::string MarianTokenizer::decode(const std::vector<int>& ids) const {
  const Impl& impl = *impl_;
  std::string text;
  std::vector<std::string> run;  // ordinary pieces waiting for SentencePiece detokenization
  const auto flush_run = [&] {
    if (!impl.target_model) {  // pre-tokenized output: tokens joined by spaces
      for (const std::string& piece : run) text += (text.empty() ? "" : " ") + piece;
      run.clear();
      return;
    }
    std::string detokenized;
    const auto status = impl.target_model->Decode(run, &detokenized);
    if (!status.ok()) throw Error("SentencePiece could not decode the pieces: " + single_line(status.ToString()));
    text += detokenized;
    run.clear();
  };
  for (const int id : ids) {
    std::string piece = target_piece(id);
    if (piece == impl.special.eos || piece == impl.special.pad) continue;
    if (piece == impl.special.unk && impl.target_model) {  // special tokens bypass SentencePiece, each followed by a space
      flush_run();
      text += piece + " ";
    } else {
      run.push_back(std::move(piece));
    }
  }
  flush_run();
  return text;
}

std::string MarianTokenizer::target_piece(int id) const {
  const std::string* piece = impl_->target_vocabulary().piece_of(id);
  return piece ? *piece : impl_->special.unk;
}

std::string MarianTokenizer::source_piece(int id) const {
  const std::string* piece = impl_->source_vocabulary.piece_of(id);
  return piece ? *piece : impl_->special.unk;
}

int MarianTokenizer::eos_id() const { return impl_->eos_id; }
int MarianTokenizer::pad_id() const { return impl_->pad_id; }
int MarianTokenizer::unk_id() const { return impl_->unk_id; }
int MarianTokenizer::source_bos_id() const { return impl_->source_bos_id; }
bool MarianTokenizer::has_sentencepiece() const { return impl_->source_model != nullptr; }

std::vector<std::string> MarianTokenizer::language_tokens() const {
  std::vector<std::string> tokens;
  for (const auto& piece : impl_->source_vocabulary.pieces_by_id)
    if (piece && piece->size() > 4 && piece->starts_with(">>") && piece->ends_with("<<")) tokens.push_back(*piece);
  return tokens;
}

std::string MarianTokenizer::files() const {
  return impl_->source_model ? "source.spm, target.spm, vocabulary" : "vocabulary (pre-tokenized)";
}

std::vector<std::string> MarianTokenizer::languages() const {
  std::vector<std::string> codes;
  for (const std::string& token : language_tokens()) codes.push_back(token.substr(2, token.size() - 4));
  return codes;
}

LanguageDirection MarianTokenizer::direction(std::string_view, std::string_view target_language) const {
  LanguageDirection direction;
  if (!target_language.empty()) direction.target_code = language_token_for(target_language, language_tokens());
  return direction;
}

std::optional<int> MarianTokenizer::source_token_id(const std::string& piece) const {
  return impl_->source_vocabulary.id_of(piece);
}

}  // namespace crossmt
