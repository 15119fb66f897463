// Unicode character classes (ICU) and UTF-8 helpers for the tokenizer.json pipeline. Input text
// is validated once at the start of encode(), so these walk well-formed UTF-8.
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "components.h"

namespace crossmt::tokenizer_json {

std::pair<char32_t, std::size_t> next_code_point(std::string_view text, std::size_t pos) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const std::size_t size = text.size();
  const uint8_t lead = bytes[pos];
  std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  if (lead >= 0x80 && lead < 0xC0) length = 1;  // stray continuation byte: never from valid text
  if (pos + length > size) return {0xFFFD, 1};
  char32_t value = length == 1 ? lead : length == 2 ? (lead & 0x1F) : length == 3 ? (lead & 0x0F) : (lead & 0x07);
  for (std::size_t k = 1; k < length; ++k) value = (value << 6) | (bytes[pos + k] & 0x3F);
  return {value, length};
}


std::string to_utf8(char32_t c) {
  std::string out;
  append_utf8(out, c);
  return out;
}

std::size_t code_point_count(std::string_view text) {
  std::size_t count = 0;
  for (const char byte : text)
    if ((static_cast<uint8_t>(byte) & 0xC0) != 0x80) ++count;
  return count;
}

namespace {
uint32_t category_mask(char32_t c) { return U_GET_GC_MASK(static_cast<UChar32>(c)); }
}  // namespace

bool is_white_space(char32_t c) { return u_isUWhiteSpace(static_cast<UChar32>(c)); }
bool is_letter(char32_t c) { return (category_mask(c) & U_GC_L_MASK) != 0; }
bool is_number(char32_t c) { return (category_mask(c) & U_GC_N_MASK) != 0; }
bool is_punctuation(char32_t c) {
  if (c < 0x80) return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
  return (category_mask(c) & U_GC_P_MASK) != 0;
}
bool is_word_char(char32_t c) {
  return u_isUAlphabetic(static_cast<UChar32>(c)) || (category_mask(c) & (U_GC_M_MASK | U_GC_ND_MASK | U_GC_PC_MASK)) != 0 ||
         c == 0x200C || c == 0x200D;
}
bool is_decimal_digit(char32_t c) { return (category_mask(c) & U_GC_ND_MASK) != 0; }

std::string lowercase(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const auto [c, length] = next_code_point(text, pos);
    pos += length;
    if (c < 0x80) {
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      continue;
    }
    // One code point at a time, so no context-dependent mapping (final sigma) applies, as in
    // Rust's char::to_lowercase.
    UChar source[2];
    int32_t source_length = 0;
    U16_APPEND_UNSAFE(source, source_length, static_cast<UChar32>(c));
    UChar lowered[8];
    UErrorCode status = U_ZERO_ERROR;
    const int32_t lowered_length = u_strToLower(lowered, 8, source, source_length, "", &status);
    if (U_FAILURE(status)) {
      append_utf8(out, c);
      continue;
    }
    for (int32_t i = 0; i < lowered_length;) {
      UChar32 unit;
      U16_NEXT(lowered, i, lowered_length, unit);
      append_utf8(out, static_cast<char32_t>(unit));
    }
  }
  return out;
}

std::string utf8_lossy(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  const int32_t size = static_cast<int32_t>(bytes.size());
  int32_t pos = 0;
  while (pos < size) {
    const int32_t start = pos;
    UChar32 c;
    // ICU's U8_NEXT consumes a maximal ill-formed subsequence and yields a negative value, which
    // is exactly the "substitution of maximal subparts" practice Rust and Python follow.
    U8_NEXT(data, pos, size, c);
    if (c < 0)
      out += "\xEF\xBF\xBD";
    else
      out.append(bytes.substr(start, pos - start));
  }
  return out;
}

}  // namespace crossmt::tokenizer_json
