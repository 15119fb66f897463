// Reading tokenizer files; see tokenizer_files.h.
#include "tokenizers/tokenizer_files.h"

#include <sentencepiece_processor.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>

#include "crossmt/error.h"
#include "json_object_members.h"

namespace crossmt {
namespace {

namespace fs = std::filesystem;

// Ids beyond this are taken for corruption rather than allocating a huge id -> piece table.
constexpr long long kMaxVocabularyId = 1 << 24;

}  // namespace

namespace fs = std::filesystem;

std::string read_whole_file(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) throw Error("cannot read " + path.string() + ": " + std::strerror(errno));
  std::string bytes((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  if (stream.bad()) throw Error("cannot read " + path.string() + ": read error");
  return bytes;
}

// Library messages may span lines; crossmt::Error messages must not.
std::string single_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

std::unique_ptr<sentencepiece::SentencePieceProcessor> parse_sentencepiece(const std::string& bytes,
                                                                          const std::string& origin) {
  auto processor = std::make_unique<sentencepiece::SentencePieceProcessor>();
  const auto status = processor->LoadFromSerializedProto(bytes);
  if (!status.ok()) throw Error(origin + ": not a valid SentencePiece model (" + single_line(status.ToString()) + ")");
  return processor;
}

std::unique_ptr<sentencepiece::SentencePieceProcessor> load_sentencepiece(const fs::path& path) {
  return parse_sentencepiece(read_whole_file(path), path.string());
}

nlohmann::ordered_json parse_json_file(const fs::path& path) {
  const std::string text = read_whole_file(path);
  try {
    return nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::json::exception& failure) {  // parse_error, or out_of_range for a number overflow
    throw Error(path.string() + ": not valid JSON (" + single_line(failure.what()) + ")");
  }
}

void require_special_tokens(const Vocabulary& vocabulary, const SpecialTokens& special, const std::string& origin) {
  for (const std::string* required : {&special.eos, &special.unk, &special.pad})
    if (!vocabulary.id_of(*required)) throw Error(origin + ": no entry for the special token \"" + *required + "\"");
}

// A vocabulary given as pieces in id order; a repeated piece keeps its first id.
Vocabulary vocabulary_from_pieces(const std::vector<std::string>& pieces) {
  Vocabulary vocabulary;
  vocabulary.pieces_by_id.reserve(pieces.size());
  for (const std::string& piece : pieces) {
    vocabulary.ids_by_piece.emplace(piece, static_cast<int>(vocabulary.pieces_by_id.size()));
    vocabulary.pieces_by_id.emplace_back(piece);
  }
  return vocabulary;
}

Vocabulary load_vocabulary(const fs::path& path, const SpecialTokens* special) {
  const JsonObjectMembers json = read_json_object_members(read_whole_file(path), path.string());
  if (!json.is_object) throw Error(path.string() + ": expected a JSON object mapping pieces to ids");
  Vocabulary vocabulary;
  for (const auto& [piece, value] : json.members) {
    if (!value.is_number_integer() || value.get<long long>() < 0 || value.get<long long>() >= kMaxVocabularyId)
      throw Error(path.string() + ": the id of \"" + piece + "\" is not an integer in [0, " +
                  std::to_string(kMaxVocabularyId) + ")");
    const int id = value.get<int>();
    vocabulary.ids_by_piece[piece] = id;
    if (static_cast<std::size_t>(id) >= vocabulary.pieces_by_id.size()) vocabulary.pieces_by_id.resize(id + 1);
    vocabulary.pieces_by_id[id] = piece;  // a repeated id keeps its last piece, like HF's {v: k} inversion
  }
  if (special) require_special_tokens(vocabulary, *special, path.string());
  return vocabulary;
}

// A special token in tokenizer_config.json is a string or a serialized AddedToken {"content": ...}.
std::optional<std::string> special_token_setting(const nlohmann::ordered_json& config, const char* key) {
  const auto found = config.find(key);
  if (found == config.end() || found->is_null()) return std::nullopt;
  if (found->is_string()) return found->get<std::string>();
  if (found->is_object() && found->contains("content") && (*found)["content"].is_string())
    return (*found)["content"].get<std::string>();
  return std::nullopt;
}


void Vocabulary::assign(const std::string& piece, int id) {
  if (static_cast<std::size_t>(id) >= pieces_by_id.size()) pieces_by_id.resize(id + 1);
  if (pieces_by_id[id])
    if (const auto previous = ids_by_piece.find(*pieces_by_id[id]); previous != ids_by_piece.end() && previous->second == id)
      ids_by_piece.erase(previous);
  pieces_by_id[id] = piece;
  ids_by_piece[piece] = id;
}

namespace {

// Protocol-buffer wire format, just enough to rewrite one field of a SentencePiece ModelProto.
bool read_varint(const std::string& bytes, std::size_t& position, uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64 && position < bytes.size(); shift += 7) {
    const auto byte = static_cast<uint8_t>(bytes[position++]);
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return true;
  }
  return false;
}

void write_varint(std::string& bytes, uint64_t value) {
  do {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    if (value) byte |= 0x80;
    bytes.push_back(static_cast<char>(byte));
  } while (value);
}

// Splits a message into its fields (tag, raw bytes of the whole field); false when malformed.
bool split_fields(const std::string& message, std::vector<std::pair<uint64_t, std::string>>& fields) {
  for (std::size_t position = 0; position < message.size();) {
    const std::size_t start = position;
    uint64_t tag = 0, length = 0;
    if (!read_varint(message, position, tag)) return false;
    switch (tag & 7) {
      case 0: if (!read_varint(message, position, length)) return false; break;
      case 1: position += 8; break;
      case 5: position += 4; break;
      case 2:
        if (!read_varint(message, position, length) || length > message.size() - position) return false;
        position += length;
        break;
      default: return false;
    }
    if (position > message.size()) return false;
    fields.emplace_back(tag, message.substr(start, position - start));
  }
  return true;
}

}  // namespace

std::string without_dummy_prefix(const std::string& serialized_model, const std::string& origin) {
  constexpr uint64_t kNormalizerSpecTag = (3 << 3) | 2;  // ModelProto.normalizer_spec
  constexpr uint64_t kAddDummyPrefixTag = (3 << 3) | 0;  // NormalizerSpec.add_dummy_prefix
  std::vector<std::pair<uint64_t, std::string>> fields;
  if (!split_fields(serialized_model, fields)) throw Error(origin + ": not a valid SentencePiece model");
  std::string rewritten;
  for (const auto& [tag, bytes] : fields) {
    if (tag != kNormalizerSpecTag) {
      rewritten += bytes;
      continue;
    }
    std::size_t position = 0;
    uint64_t ignored = 0, length = 0;
    read_varint(bytes, position, ignored);
    read_varint(bytes, position, length);
    std::vector<std::pair<uint64_t, std::string>> spec_fields;
    if (!split_fields(bytes.substr(position), spec_fields)) throw Error(origin + ": not a valid SentencePiece model");
    std::string spec;
    for (const auto& [spec_tag, spec_bytes] : spec_fields)
      if (spec_tag != kAddDummyPrefixTag) spec += spec_bytes;
    write_varint(spec, kAddDummyPrefixTag);
    write_varint(spec, 0);
    write_varint(rewritten, kNormalizerSpecTag);
    write_varint(rewritten, spec.size());
    rewritten += spec;
  }
  return rewritten;
}

}  // namespace crossmt
