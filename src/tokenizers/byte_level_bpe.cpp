// GPT2Tokenizer's algorithm on the shared byte-level and BPE code. Unlike tokenizer.json's BPE,
// merges.txt may merge strings vocab.json lacks (Python works on strings): such symbols get ids
// past the vocabulary's, and tokens are reported as strings.
#include "byte_level_bpe.h"

#include <fstream>
#include <sstream>
#include <unordered_map>

#include "crossmt/error.h"
#include "crossmt/tokenizer.h"
#include "bpe_merges.h"
#include "components.h"
#include "vocabulary.h"

namespace crossmt {

using namespace tokenizer_json;

struct ByteLevelBpe::Impl {
  Vocabulary vocabulary;
  // Every symbol BPE can produce: vocabulary tokens, the 256 byte characters, merge results.
  std::unordered_map<std::string, int> symbol_ids;
  std::vector<std::string> symbols;
  BpeMerges merges;
  bool add_prefix_space = false;

  int intern(const std::string& symbol) {
    const auto found = symbol_ids.find(symbol);
    if (found != symbol_ids.end()) return found->second;
    const int id = static_cast<int>(symbols.size());
    symbols.push_back(symbol);
    symbol_ids.emplace(symbol, id);
    return id;
  }
};

ByteLevelBpe::ByteLevelBpe() : impl_(std::make_unique<Impl>()) {}
ByteLevelBpe::~ByteLevelBpe() = default;
ByteLevelBpe::ByteLevelBpe(ByteLevelBpe&&) noexcept = default;
ByteLevelBpe& ByteLevelBpe::operator=(ByteLevelBpe&&) noexcept = default;

namespace {
std::string read_file(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) throw Error(path.string() + ": cannot open the file");
  std::ostringstream content;
  content << stream.rdbuf();
  return content.str();
}
}  // namespace

ByteLevelBpe ByteLevelBpe::load(const std::filesystem::path& vocab_json, const std::filesystem::path& merges_txt, bool add_prefix_space) {
  const std::string vocab_text = read_file(vocab_json), merges_text = read_file(merges_txt);
  return from_strings(vocab_text, merges_text, add_prefix_space, vocab_json.string(), merges_txt.string());
}

ByteLevelBpe ByteLevelBpe::from_strings(std::string_view vocab_json, std::string_view merges_txt, bool add_prefix_space,
                                        const std::string& vocab_origin, const std::string& merges_origin) {
  ByteLevelBpe tokenizer;
  Impl& impl = *tokenizer.impl_;
  impl.add_prefix_space = add_prefix_space;
  Json vocab;
  try {
    vocab = Json::parse(vocab_json.begin(), vocab_json.end());
  } catch (const Json::exception& failure) {
    throw Error(vocab_origin + ": not valid JSON (" + failure.what() + ")");
  }
  impl.vocabulary = Vocabulary::from_json(vocab, Field{&vocab_origin, ""});
  for (const auto& [token, id] : impl.vocabulary.token_ids) impl.intern(token);
  for (int byte = 0; byte < 256; ++byte) impl.intern(byte_level_encode(std::string(1, static_cast<char>(byte))));

  // As BartTokenizer: the first line (#version) and the last (empty after the final newline)
  // are skipped; each other line is two symbols separated by whitespace.
  std::vector<std::string_view> lines;
  for (std::size_t begin = 0;;) {
    const std::size_t end = merges_txt.find('\n', begin);
    lines.push_back(merges_txt.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin));
    if (end == std::string_view::npos) break;
    begin = end + 1;
  }
  for (std::size_t line_number = 1; line_number + 1 < lines.size(); ++line_number) {
    const std::string_view line = lines[line_number];
    std::vector<std::string> parts;
    for (std::size_t pos = 0; pos < line.size();) {
      while (pos < line.size() && std::isspace(static_cast<unsigned char>(line[pos]))) ++pos;
      const std::size_t start = pos;
      while (pos < line.size() && !std::isspace(static_cast<unsigned char>(line[pos]))) ++pos;
      if (pos > start) parts.emplace_back(line.substr(start, pos - start));
    }
    if (parts.empty()) continue;
    if (parts.size() != 2)
      throw Error(merges_origin + ": line " + std::to_string(line_number + 1) + ": expected two symbols separated by a space");
    if (!is_valid_utf8(parts[0]) || !is_valid_utf8(parts[1]))
      throw Error(merges_origin + ": line " + std::to_string(line_number + 1) + ": invalid UTF-8");
    const int left = impl.intern(parts[0]), right = impl.intern(parts[1]);
    impl.merges.add(left, right, impl.intern(parts[0] + parts[1]), static_cast<int>(line_number - 1));
  }
  return tokenizer;
}

std::vector<std::string> ByteLevelBpe::tokenize(std::string_view text) const {
  if (const auto invalid = find_invalid_utf8(text))
    throw Error("text to tokenize: invalid UTF-8 at byte " + std::to_string(*invalid));
  std::string prepared;
  prepared.reserve(text.size() + 1);
  if (impl_->add_prefix_space) prepared += ' ';
  prepared += text;
  std::vector<std::string> tokens;
  std::vector<int> symbols;
  for (const auto& [begin, end] : gpt2_pattern_matches(prepared)) {
    const std::string word = byte_level_encode(std::string_view(prepared).substr(begin, end - begin));
    symbols.clear();
    for (std::size_t pos = 0; pos < word.size();) {
      const std::size_t length = next_code_point(word, pos).second;
      symbols.push_back(impl_->symbol_ids.at(word.substr(pos, length)));  // all 256 are interned
      pos += length;
    }
    impl_->merges.apply(symbols);
    for (const int symbol : symbols) tokens.push_back(impl_->symbols[symbol]);
  }
  return tokens;
}

std::optional<int> ByteLevelBpe::token_to_id(std::string_view token) const { return impl_->vocabulary.find(token); }
std::optional<std::string> ByteLevelBpe::id_to_token(int id) const { return impl_->vocabulary.token(id); }
std::size_t ByteLevelBpe::vocab_size() const { return impl_->vocabulary.token_ids.size(); }

std::string ByteLevelBpe::detokenize(const std::vector<std::string>& tokens) const {
  std::string bytes;
  for (const std::string& token : tokens) {
    for (std::size_t pos = 0; pos < token.size();) {
      const std::size_t length = next_code_point(token, pos).second;
      const std::string_view character = std::string_view(token).substr(pos, length);
      const auto byte = byte_level_decode(character);
      bytes += byte ? *byte : std::string(character);
      pos += length;
    }
  }
  return utf8_lossy(bytes);
}

}  // namespace crossmt
