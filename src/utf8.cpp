// UTF-8 validation by the table of well-formed byte sequences (Unicode 15, table 3-7), so that
// overlong forms, surrogates and code points past U+10FFFF are all rejected.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "crossmt/tokenizer.h"
#include "utf8.h"

namespace crossmt {

std::optional<std::size_t> find_invalid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    const std::uint8_t lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    // Allowed range of the second byte and number of continuation bytes, by lead byte.
    std::uint8_t second_min = 0x80, second_max = 0xBF;
    std::size_t continuation_count = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      continuation_count = 1;
    } else if (lead == 0xE0) {
      continuation_count = 2, second_min = 0xA0;  // below: overlong
    } else if (lead == 0xED) {
      continuation_count = 2, second_max = 0x9F;  // above: surrogates U+D800..U+DFFF
    } else if (lead >= 0xE1 && lead <= 0xEF) {
      continuation_count = 2;
    } else if (lead == 0xF0) {
      continuation_count = 3, second_min = 0x90;  // below: overlong
    } else if (lead >= 0xF1 && lead <= 0xF3) {
      continuation_count = 3;
    } else if (lead == 0xF4) {
      continuation_count = 3, second_max = 0x8F;  // above: past U+10FFFF
    } else {
      return i;  // a stray continuation byte, C0/C1 (overlong) or F5..FF
    }
    if (i + continuation_count >= size) return i;  // truncated sequence
    if (bytes[i + 1] < second_min || bytes[i + 1] > second_max) return i;
    for (std::size_t k = 2; k <= continuation_count; ++k)
      if (bytes[i + k] < 0x80 || bytes[i + k] > 0xBF) return i;
    i += continuation_count + 1;
  }
  return std::nullopt;
}

bool is_valid_utf8(std::string_view text) { return !find_invalid_utf8(text).has_value(); }

void append_utf8(std::string& out, char32_t code_point) {
  if (code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) code_point = 0xFFFD;
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

}  // namespace crossmt
