// tokenizer.json normalizers: Unicode forms, case, accents, literal and regex replacement, BERT's
// cleaning, Prepend, Precompiled (SentencePiece charsmaps) and Sequence.
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include "components.h"
#include "precompiled_charsmap.h"

namespace crossmt::tokenizer_json {
namespace {

enum class UnicodeForm { nfc, nfd, nfkc, nfkd };

const icu::Normalizer2& icu_normalizer(UnicodeForm form) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = nullptr;
  switch (form) {
    case UnicodeForm::nfc: normalizer = icu::Normalizer2::getNFCInstance(status); break;
    case UnicodeForm::nfd: normalizer = icu::Normalizer2::getNFDInstance(status); break;
    case UnicodeForm::nfkc: normalizer = icu::Normalizer2::getNFKCInstance(status); break;
    case UnicodeForm::nfkd: normalizer = icu::Normalizer2::getNFKDInstance(status); break;
  }
  if (U_FAILURE(status) || normalizer == nullptr) throw std::runtime_error("ICU normalizer data missing");
  return *normalizer;
}

std::string apply_unicode_form(const std::string& text, UnicodeForm form) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString normalized =
      icu_normalizer(form).normalize(icu::UnicodeString::fromUTF8(text), status);
  if (U_FAILURE(status)) return text;
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

// Keeps the code points for which `keep` holds.
template <class Keep>
std::string filter_code_points(const std::string& text, Keep&& keep) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const auto [c, length] = next_code_point(text, pos);
    if (keep(c)) out.append(text, pos, length);
    pos += length;
  }
  return out;
}

bool is_mark(char32_t c) { return (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_M_MASK) != 0; }
bool is_nonspacing_mark(char32_t c) { return (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_MN_MASK) != 0; }

class UnicodeFormNormalizer final : public Normalizer {
 public:
  explicit UnicodeFormNormalizer(UnicodeForm form) : form_(form) {}
  void normalize(std::string& text) const override { text = apply_unicode_form(text, form_); }
 private:
  UnicodeForm form_;
};

class LowercaseNormalizer final : public Normalizer {
 public:
  void normalize(std::string& text) const override { text = lowercase(text); }
};

class StripNormalizer final : public Normalizer {
 public:
  StripNormalizer(bool left, bool right) : left_(left), right_(right) {}
  void normalize(std::string& text) const override {
    std::size_t begin = 0, end = text.size();
    if (left_) {
      while (begin < end) {
        const auto [c, length] = next_code_point(text, begin);
        if (!is_white_space(c)) break;
        begin += length;
      }
    }
    if (right_) {
      while (end > begin) {
        std::size_t last = end - 1;
        while (last > begin && (static_cast<uint8_t>(text[last]) & 0xC0) == 0x80) --last;
        if (!is_white_space(next_code_point(text, last).first)) break;
        end = last;
      }
    }
    text = text.substr(begin, end - begin);
  }
 private:
  bool left_, right_;
};

// StripAccents drops combining marks (Mn, Mc, Me); it is meant to follow NFD/NFKD.
class StripAccentsNormalizer final : public Normalizer {
 public:
  void normalize(std::string& text) const override {
    text = filter_code_points(text, [](char32_t c) { return !is_mark(c); });
  }
};

class ReplaceNormalizer final : public Normalizer {
 public:
  ReplaceNormalizer(std::optional<std::string> literal, std::optional<Regex> regex, std::string content)
      : literal_(std::move(literal)), regex_(std::move(regex)), content_(std::move(content)) {}
  void normalize(std::string& text) const override {
    const std::vector<Span> matches = regex_ ? regex_->find_all(text) : find_all_literal(text, *literal_);
    if (matches.empty()) return;
    std::string out;
    std::size_t copied = 0;
    for (const auto& [begin, end] : matches) {
      out.append(text, copied, begin - copied);
      out += content_;
      copied = end;
    }
    out.append(text, copied, std::string::npos);
    text = std::move(out);
  }
 private:
  std::optional<std::string> literal_;
  std::optional<Regex> regex_;
  std::string content_;
};

class PrependNormalizer final : public Normalizer {
 public:
  explicit PrependNormalizer(std::string prefix) : prefix_(std::move(prefix)) {}
  void normalize(std::string& text) const override {
    if (!text.empty()) text.insert(0, prefix_);  // tokenizers leaves an empty string empty
  }
 private:
  std::string prefix_;
};

// BERT's normalizer: control characters dropped and whitespace turned into spaces (clean_text),
// spaces around CJK ideographs, accents stripped (NFD, then nonspacing marks dropped), lowercase.
class BertNormalizer final : public Normalizer {
 public:
  BertNormalizer(bool clean_text, bool chinese_chars, bool strip_accents, bool lowercase)
      : clean_text_(clean_text), chinese_chars_(chinese_chars), strip_accents_(strip_accents), lowercase_(lowercase) {}
  void normalize(std::string& text) const override {
    if (clean_text_) {
      std::string out;
      out.reserve(text.size());
      for (std::size_t pos = 0; pos < text.size();) {
        const auto [c, length] = next_code_point(text, pos);
        pos += length;
        if (c == 0 || c == 0xFFFD || is_control(c)) continue;
        if (c == '\t' || c == '\n' || c == '\r' || is_white_space(c))
          out += ' ';
        else
          append_utf8(out, c);
      }
      text = std::move(out);
    }
    if (chinese_chars_) {
      std::string out;
      out.reserve(text.size());
      for (std::size_t pos = 0; pos < text.size();) {
        const auto [c, length] = next_code_point(text, pos);
        pos += length;
        if (is_chinese_char(c)) {
          out += ' ';
          append_utf8(out, c);
          out += ' ';
        } else {
          append_utf8(out, c);
        }
      }
      text = std::move(out);
    }
    if (strip_accents_) {
      text = filter_code_points(apply_unicode_form(text, UnicodeForm::nfd), [](char32_t c) { return !is_nonspacing_mark(c); });
    }
    if (lowercase_) text = lowercase(text);
  }

 private:
  static bool is_control(char32_t c) {
    if (c == '\t' || c == '\n' || c == '\r') return false;
    // Rust's unicode_categories is_other: Cc, Cf, Cn, Co, Cs.
    return (U_GET_GC_MASK(static_cast<UChar32>(c)) & (U_GC_CC_MASK | U_GC_CF_MASK | U_GC_CN_MASK | U_GC_CO_MASK | U_GC_CS_MASK)) != 0;
  }
  static bool is_chinese_char(char32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
           (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
  }
  bool clean_text_, chinese_chars_, strip_accents_, lowercase_;
};

// SentencePiece's NMT rules: some control characters dropped, other spaces and separators
// turned into plain spaces.
class NmtNormalizer final : public Normalizer {
 public:
  void normalize(std::string& text) const override {
    std::string out;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
      const auto [c, length] = next_code_point(text, pos);
      pos += length;
      if ((c >= 0x01 && c <= 0x08) || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F || c == 0x8F || c == 0x9F) continue;
      const bool to_space = c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D || c == 0x1680 || (c >= 0x200B && c <= 0x200F) ||
                            c == 0x2028 || c == 0x2029 || c == 0x2581 || c == 0xFEFF || c == 0xFFFD;
      if (to_space)
        out += ' ';
      else
        append_utf8(out, c);
    }
    text = std::move(out);
  }
};

class PrecompiledNormalizer final : public Normalizer {
 public:
  explicit PrecompiledNormalizer(PrecompiledCharsmap charsmap) : charsmap_(std::move(charsmap)) {}
  void normalize(std::string& text) const override { text = charsmap_.normalize(text); }
 private:
  PrecompiledCharsmap charsmap_;
};

// Every byte as its GPT-2 byte-level character (the ByteLevel pre-tokenizer without the split).
class ByteLevelNormalizer final : public Normalizer {
 public:
  void normalize(std::string& text) const override { text = byte_level_encode(text); }
};

class SequenceNormalizer final : public Normalizer {
 public:
  explicit SequenceNormalizer(std::vector<std::unique_ptr<Normalizer>> steps) : steps_(std::move(steps)) {}
  void normalize(std::string& text) const override {
    for (const auto& step : steps_) step->normalize(text);
  }
 private:
  std::vector<std::unique_ptr<Normalizer>> steps_;
};

}  // namespace

std::unique_ptr<Normalizer> make_normalizer(const Json& spec, const Field& field) {
  const std::string type = type_of(spec, field);
  if (type == "NFC") return std::make_unique<UnicodeFormNormalizer>(UnicodeForm::nfc);
  if (type == "NFD") return std::make_unique<UnicodeFormNormalizer>(UnicodeForm::nfd);
  if (type == "NFKC") return std::make_unique<UnicodeFormNormalizer>(UnicodeForm::nfkc);
  if (type == "NFKD") return std::make_unique<UnicodeFormNormalizer>(UnicodeForm::nfkd);
  if (type == "Lowercase") return std::make_unique<LowercaseNormalizer>();
  if (type == "Nmt") return std::make_unique<NmtNormalizer>();
  if (type == "ByteLevel") return std::make_unique<ByteLevelNormalizer>();
  if (type == "StripAccents") return std::make_unique<StripAccentsNormalizer>();
  if (type == "Strip")
    return std::make_unique<StripNormalizer>(bool_member(spec, field, "strip_left", true), bool_member(spec, field, "strip_right", true));
  if (type == "Prepend") return std::make_unique<PrependNormalizer>(string_member(spec, field, "prepend"));
  if (type == "Replace") {
    auto [literal, regex] = read_pattern(spec, field);
    return std::make_unique<ReplaceNormalizer>(std::move(literal), std::move(regex), string_member(spec, field, "content"));
  }
  if (type == "BertNormalizer") {
    const bool lowercase_text = bool_member(spec, field, "lowercase", true);
    // strip_accents null follows lowercase, as in BERT's original tokenizer.
    return std::make_unique<BertNormalizer>(bool_member(spec, field, "clean_text", true),
                                            bool_member(spec, field, "handle_chinese_chars", true),
                                            bool_member(spec, field, "strip_accents", lowercase_text), lowercase_text);
  }
  if (type == "Precompiled") {
    return std::make_unique<PrecompiledNormalizer>(
        PrecompiledCharsmap::from_base64(string_member(spec, field, "precompiled_charsmap", ""), field.at("precompiled_charsmap")));
  }
  if (type == "Sequence") {
    const Json& list = require_member(spec, field, "normalizers");
    if (!list.is_array()) field.at("normalizers").fail("expected an array");
    std::vector<std::unique_ptr<Normalizer>> steps;
    for (std::size_t i = 0; i < list.size(); ++i) steps.push_back(make_normalizer(list[i], field.at("normalizers").index(i)));
    return std::make_unique<SequenceNormalizer>(std::move(steps));
  }
  field.at("type").fail("unknown normalizer \"" + type + "\"");
}

}  // namespace crossmt::tokenizer_json
