// tokenizer.json decoders: each rewrites the token strings (tokenizers' decode_chain); the
// results are concatenated by TokenizerJson::decode.
#include "components.h"

namespace crossmt::tokenizer_json {

namespace {

// Tokens made of byte-level characters back to bytes (a token with any other character is kept
// as it is), all joined into one string read as UTF-8 with replacement characters.
class ByteLevelDecoder final : public Decoder {
 public:
  void decode(std::vector<std::string>& tokens) const override {
    std::string bytes;
    for (const std::string& token : tokens) {
      if (const auto decoded = byte_level_decode(token))
        bytes += *decoded;
      else
        bytes += token;
    }
    tokens = {utf8_lossy(bytes)};
  }
};

// "<0x41>" tokens in a row are gathered into bytes; valid UTF-8 becomes text, otherwise each
// byte becomes U+FFFD.
class ByteFallbackDecoder final : public Decoder {
 public:
  void decode(std::vector<std::string>& tokens) const override {
    std::vector<std::string> out;
    std::string bytes;
    std::size_t byte_count = 0;
    auto flush = [&] {
      if (byte_count == 0) return;
      if (utf8_lossy(bytes) == bytes) {
        out.push_back(bytes);
      } else {
        for (std::size_t i = 0; i < byte_count; ++i) out.emplace_back("\xEF\xBF\xBD");
      }
      bytes.clear();
      byte_count = 0;
    };
    for (std::string& token : tokens) {
      if (const auto byte = parse_byte_token(token)) {
        bytes += static_cast<char>(*byte);
        ++byte_count;
      } else {
        flush();
        out.push_back(std::move(token));
      }
    }
    flush();
    tokens = std::move(out);
  }
 private:
  static std::optional<uint8_t> parse_byte_token(const std::string& token) {
    if (token.size() != 6 || token.compare(0, 3, "<0x") != 0 || token[5] != '>') return std::nullopt;
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    const int high = hex(token[3]), low = hex(token[4]);
    if (high < 0 || low < 0) return std::nullopt;
    return static_cast<uint8_t>(high * 16 + low);
  }
};

// The replacement character back to spaces; in the first token it is dropped instead unless
// the pre-tokenizer never prepends it.
class MetaspaceDecoder final : public Decoder {
 public:
  MetaspaceDecoder(char32_t replacement, bool strip_first) : replacement_(to_utf8(replacement)), strip_first_(strip_first) {}
  void decode(std::vector<std::string>& tokens) const override {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      std::string out;
      const std::string& token = tokens[i];
      for (std::size_t pos = 0; pos < token.size();) {
        if (token.compare(pos, replacement_.size(), replacement_) == 0) {
          if (!(i == 0 && strip_first_)) out += ' ';
          pos += replacement_.size();
        } else {
          out += token[pos++];
        }
      }
      tokens[i] = std::move(out);
    }
  }
 private:
  std::string replacement_;
  bool strip_first_;
};

std::string wordpiece_cleanup(std::string text);

std::string prefixed_with_space(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 1);
  out += ' ';
  out += text;
  return out;
}

class WordPieceDecoder final : public Decoder {
 public:
  WordPieceDecoder(std::string prefix, bool cleanup) : prefix_(std::move(prefix)), cleanup_(cleanup) {}
  void decode(std::vector<std::string>& tokens) const override {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      std::string& token = tokens[i];
      if (i != 0) {
        // A token starting with the prefix continues the word (an empty prefix: every token does).
        if (token.compare(0, prefix_.size(), prefix_) == 0)
          token.erase(0, prefix_.size());
        else
          token = prefixed_with_space(token);
      }
      if (cleanup_) token = wordpiece_cleanup(std::move(token));
    }
  }
 private:
  std::string prefix_;
  bool cleanup_;
};

// end_of_word_suffix back to a space (nothing after the last token).
class BpeDecoder final : public Decoder {
 public:
  explicit BpeDecoder(std::string suffix) : suffix_(std::move(suffix)) {}
  void decode(std::vector<std::string>& tokens) const override {
    if (suffix_.empty()) return;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      const std::string replacement = i + 1 == tokens.size() ? "" : " ";
      std::string out;
      const std::vector<Span> matches = find_all_literal(tokens[i], suffix_);
      std::size_t copied = 0;
      for (const auto& [begin, end] : matches) {
        out.append(tokens[i], copied, begin - copied);
        out += replacement;
        copied = end;
      }
      out.append(tokens[i], copied, std::string::npos);
      tokens[i] = std::move(out);
    }
  }
 private:
  std::string suffix_;
};

class ReplaceDecoder final : public Decoder {
 public:
  ReplaceDecoder(std::optional<std::string> literal, std::optional<Regex> regex, std::string content)
      : literal_(std::move(literal)), regex_(std::move(regex)), content_(std::move(content)) {}
  void decode(std::vector<std::string>& tokens) const override {
    for (std::string& token : tokens) {
      const std::vector<Span> matches = regex_ ? regex_->find_all(token) : find_all_literal(token, *literal_);
      if (matches.empty()) continue;
      std::string out;
      std::size_t copied = 0;
      for (const auto& [begin, end] : matches) {
        out.append(token, copied, begin - copied);
        out += content_;
        copied = end;
      }
      out.append(token, copied, std::string::npos);
      token = std::move(out);
    }
  }
 private:
  std::optional<std::string> literal_;
  std::optional<Regex> regex_;
  std::string content_;
};

// Up to `start` leading and `stop` trailing `content` characters removed from each token.
class StripDecoder final : public Decoder {
 public:
  StripDecoder(char32_t content, std::size_t start, std::size_t stop) : content_(content), start_(start), stop_(stop) {}
  void decode(std::vector<std::string>& tokens) const override {
    for (std::string& token : tokens) {
      std::vector<std::pair<char32_t, std::size_t>> chars;  // code point, byte offset
      for (std::size_t pos = 0; pos < token.size();) {
        const auto [c, length] = next_code_point(token, pos);
        chars.emplace_back(c, pos);
        pos += length;
      }
      std::size_t first = 0;
      while (first < start_ && first < chars.size() && chars[first].first == content_) ++first;
      std::size_t last = chars.size();
      for (std::size_t i = 0; i < stop_ && last > first && chars[last - 1].first == content_; ++i) --last;
      const std::size_t begin = first < chars.size() ? chars[first].second : token.size();
      const std::size_t end = last < chars.size() ? chars[last].second : token.size();
      token = token.substr(begin, end - begin);
    }
  }
 private:
  char32_t content_;
  std::size_t start_, stop_;
};

class FuseDecoder final : public Decoder {
 public:
  void decode(std::vector<std::string>& tokens) const override {
    std::string joined;
    for (const std::string& token : tokens) joined += token;
    tokens = {joined};
  }
};

class SequenceDecoder final : public Decoder {
 public:
  explicit SequenceDecoder(std::vector<std::unique_ptr<Decoder>> steps) : steps_(std::move(steps)) {}
  void decode(std::vector<std::string>& tokens) const override {
    for (const auto& step : steps_) step->decode(tokens);
  }
 private:
  std::vector<std::unique_ptr<Decoder>> steps_;
};

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to);
}

// tokenizers' wordpiece cleanup: transformers' clean_up_tokenization plus " do not" -> " don't".
std::string wordpiece_cleanup(std::string text) {
  replace_all(text, " .", ".");
  replace_all(text, " ?", "?");
  replace_all(text, " !", "!");
  replace_all(text, " ,", ",");
  replace_all(text, " ' ", "'");
  replace_all(text, " n't", "n't");
  replace_all(text, " 'm", "'m");
  replace_all(text, " do not", " don't");
  replace_all(text, " 's", "'s");
  replace_all(text, " 've", "'ve");
  replace_all(text, " 're", "'re");
  return text;
}

}  // namespace

std::unique_ptr<Decoder> make_decoder(const Json& spec, const Field& field) {
  const std::string type = type_of(spec, field);
  if (type == "ByteLevel") return std::make_unique<ByteLevelDecoder>();
  if (type == "ByteFallback") return std::make_unique<ByteFallbackDecoder>();
  if (type == "Fuse") return std::make_unique<FuseDecoder>();
  if (type == "Metaspace") {
    bool strip_first = bool_member(spec, field, "add_prefix_space", true);
    if (find_member(spec, "prepend_scheme")) strip_first = string_member(spec, field, "prepend_scheme") != "never";
    return std::make_unique<MetaspaceDecoder>(char_member(spec, field, "replacement", U'\u2581'), strip_first);
  }
  if (type == "WordPiece")
    return std::make_unique<WordPieceDecoder>(string_member(spec, field, "prefix", "##"), bool_member(spec, field, "cleanup", true));
  if (type == "BPEDecoder") return std::make_unique<BpeDecoder>(string_member(spec, field, "suffix", "</w>"));
  if (type == "Replace") {
    auto [literal, regex] = read_pattern(spec, field);
    return std::make_unique<ReplaceDecoder>(std::move(literal), std::move(regex), string_member(spec, field, "content"));
  }
  if (type == "Strip") {
    const int64_t start = int_member(spec, field, "start", 0), stop = int_member(spec, field, "stop", 0);
    if (start < 0 || stop < 0) field.fail("start and stop must not be negative");
    return std::make_unique<StripDecoder>(char_member(spec, field, "content", U' '), static_cast<std::size_t>(start), static_cast<std::size_t>(stop));
  }
  if (type == "Sequence") {
    const Json& list = require_member(spec, field, "decoders");
    if (!list.is_array()) field.at("decoders").fail("expected an array");
    std::vector<std::unique_ptr<Decoder>> steps;
    for (std::size_t i = 0; i < list.size(); ++i) steps.push_back(make_decoder(list[i], field.at("decoders").index(i)));
    return std::make_unique<SequenceDecoder>(std::move(steps));
  }
  field.at("type").fail("unknown decoder \"" + type + "\"");
}

}  // namespace crossmt::tokenizer_json
