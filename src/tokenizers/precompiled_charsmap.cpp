// Reading and applying SentencePiece's precompiled_charsmap. Every trie access is bounds-checked:
// the blob comes from the file.
#include "precompiled_charsmap.h"

#include <memory>

#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "crossmt/tokenizer.h"

namespace crossmt::tokenizer_json {
namespace {

std::optional<std::string> decode_base64(std::string_view text) {
  auto value_of = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    const int value = value_of(c);
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

// darts-clone unit layout.
bool has_leaf(uint32_t unit) { return ((unit >> 8) & 1) != 0; }
uint32_t value_of(uint32_t unit) { return unit & 0x7FFFFFFFu; }
uint32_t label_of(uint32_t unit) { return unit & 0x800000FFu; }
std::size_t offset_of(uint32_t unit) { return static_cast<std::size_t>((unit >> 10) << ((unit & (1u << 9)) >> 6)); }

}  // namespace

PrecompiledCharsmap PrecompiledCharsmap::from_base64(std::string_view base64, const Field& field) {
  const std::optional<std::string> blob = decode_base64(base64);
  if (!blob) field.fail("not valid base64");
  return from_bytes(*blob, field);
}

PrecompiledCharsmap PrecompiledCharsmap::from_bytes(std::string_view blob, const Field& field) {
  PrecompiledCharsmap charsmap;
  if (blob.empty()) return charsmap;
  if (blob.size() < 4) field.fail("charsmap shorter than its 4-byte trie size");
  const auto* bytes = reinterpret_cast<const uint8_t*>(blob.data());
  const uint64_t trie_bytes = bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (static_cast<uint64_t>(bytes[3]) << 24);
  if (trie_bytes % 4 != 0 || trie_bytes > blob.size() - 4) field.fail("charsmap trie size " + std::to_string(trie_bytes) + " does not fit the blob");
  charsmap.units_.resize(trie_bytes / 4);
  for (std::size_t i = 0; i < charsmap.units_.size(); ++i) {
    const uint8_t* unit = bytes + 4 + 4 * i;
    charsmap.units_[i] = unit[0] | (unit[1] << 8) | (unit[2] << 16) | (static_cast<uint32_t>(unit[3]) << 24);
  }
  charsmap.replacements_ = std::string(blob.substr(4 + trie_bytes));
  if (!is_valid_utf8(charsmap.replacements_)) field.fail("charsmap replacement strings are not valid UTF-8");
  return charsmap;
}

std::optional<std::string_view> PrecompiledCharsmap::transform(std::string_view chunk) const {
  if (units_.empty()) return std::nullopt;
  std::size_t node = offset_of(units_[0]);
  for (const char byte : chunk) {
    const auto label = static_cast<uint8_t>(byte);
    if (label == 0) break;
    node ^= label;
    if (node >= units_.size()) return std::nullopt;
    const uint32_t unit = units_[node];
    if (label_of(unit) != label) return std::nullopt;
    node ^= offset_of(unit);
    if (has_leaf(unit)) {
      if (node >= units_.size()) return std::nullopt;
      const std::size_t start = value_of(units_[node]);
      if (start > replacements_.size()) return std::nullopt;
      const std::size_t end = replacements_.find('\0', start);
      std::string_view replacement = std::string_view(replacements_).substr(start, end == std::string::npos ? std::string::npos : end - start);
      // The blob is valid UTF-8 as a whole, but an offset may point inside a character.
      if (!is_valid_utf8(replacement)) return std::nullopt;
      return replacement;
    }
  }
  return std::nullopt;
}

std::string PrecompiledCharsmap::normalize(std::string_view text) const {
  if (units_.empty() || text.empty()) return std::string(text);
  struct BreakIteratorCloser {
    void operator()(UBreakIterator* iterator) const { ubrk_close(iterator); }
  };
  thread_local std::unique_ptr<UBreakIterator, BreakIteratorCloser> graphemes = [] {
    UErrorCode status = U_ZERO_ERROR;
    return std::unique_ptr<UBreakIterator, BreakIteratorCloser>(ubrk_open(UBRK_CHARACTER, "", nullptr, 0, &status));
  }();
  std::vector<std::size_t> boundaries;
  UErrorCode status = U_ZERO_ERROR;
  UText* utext = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  if (graphemes && U_SUCCESS(status)) ubrk_setUText(graphemes.get(), utext, &status);
  if (graphemes && U_SUCCESS(status)) {
    for (int32_t boundary = ubrk_first(graphemes.get()); boundary != UBRK_DONE; boundary = ubrk_next(graphemes.get()))
      boundaries.push_back(static_cast<std::size_t>(boundary));
  }
  utext_close(utext);
  if (boundaries.empty() || boundaries.back() != text.size()) {  // no ICU data: characters alone
    boundaries.clear();
    for (std::size_t pos = 0; pos < text.size(); pos += next_code_point(text, pos).second) boundaries.push_back(pos);
    boundaries.push_back(text.size());
  }
  std::string out;
  out.reserve(text.size());
  for (std::size_t b = 0; b + 1 < boundaries.size(); ++b) {
    const std::string_view grapheme = text.substr(boundaries[b], boundaries[b + 1] - boundaries[b]);
    if (grapheme.size() < 6) {
      if (const auto replacement = transform(grapheme)) {
        out += *replacement;
        continue;
      }
    }
    for (std::size_t pos = 0; pos < grapheme.size();) {
      const std::size_t length = next_code_point(grapheme, pos).second;
      const std::string_view character = grapheme.substr(pos, length);
      if (const auto replacement = transform(character))
        out += *replacement;
      else
        out += character;
      pos += length;
    }
  }
  return out;
}

}  // namespace crossmt::tokenizer_json
