// GPT-2's byte-level alphabet and pre-tokenization regex, shared by tokenizer.json's ByteLevel
// components and the slow GPT-2/BART/RoBERTa tokenizer (ByteLevelBpe).
#include <array>
#include <unordered_map>

#include "components.h"

namespace crossmt::tokenizer_json {
namespace {

// bytes_to_unicode(): printable Latin-1 bytes stand for themselves, the other 68 bytes are
// given the code points 256, 257, ... in byte order.
struct ByteAlphabet {
  std::array<std::string, 256> byte_to_text;
  std::unordered_map<char32_t, uint8_t> char_to_byte;
  ByteAlphabet() {
    char32_t next_extra = 256;
    for (int byte = 0; byte < 256; ++byte) {
      const bool printable = (byte >= '!' && byte <= '~') || (byte >= 0xA1 && byte <= 0xAC) || (byte >= 0xAE && byte <= 0xFF);
      const char32_t c = printable ? static_cast<char32_t>(byte) : next_extra++;
      byte_to_text[byte] = to_utf8(c);
      char_to_byte[c] = static_cast<uint8_t>(byte);
    }
  }
};

const ByteAlphabet& alphabet() {
  static const ByteAlphabet instance;
  return instance;
}

}  // namespace

std::string byte_level_encode(std::string_view bytes) {
  const ByteAlphabet& table = alphabet();
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char byte : bytes) out += table.byte_to_text[static_cast<uint8_t>(byte)];
  return out;
}

std::optional<std::string> byte_level_decode(std::string_view text) {
  const ByteAlphabet& table = alphabet();
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const auto [c, length] = next_code_point(text, pos);
    pos += length;
    const auto found = table.char_to_byte.find(c);
    if (found == table.char_to_byte.end()) return std::nullopt;
    out += static_cast<char>(found->second);
  }
  return out;
}

// The regex is matched by hand, alternative by alternative, so that it needs no regex engine and
// runs in linear time on hostile input. \s is Unicode White_Space, as in Python's `regex` and
// Oniguruma.
std::vector<Span> gpt2_pattern_matches(std::string_view text) {
  std::vector<Span> matches;
  const std::size_t size = text.size();
  auto char_at = [&](std::size_t pos) { return next_code_point(text, pos); };
  // End of the run of characters in the class starting at `pos` (pos itself when none).
  auto run_end = [&](std::size_t pos, auto&& in_class) {
    while (pos < size) {
      const auto [c, length] = char_at(pos);
      if (!in_class(c)) break;
      pos += length;
    }
    return pos;
  };
  auto letter = [](char32_t c) { return is_letter(c); };
  auto number = [](char32_t c) { return is_number(c); };
  auto other = [](char32_t c) { return !is_white_space(c) && !is_letter(c) && !is_number(c); };
  auto space = [](char32_t c) { return is_white_space(c); };

  std::size_t pos = 0;
  while (pos < size) {
    // 's|'t|'re|'ve|'m|'ll|'d
    if (text[pos] == '\'' && pos + 1 < size) {
      const char next = text[pos + 1];
      if (next == 's' || next == 't' || next == 'm' || next == 'd') {
        matches.emplace_back(pos, pos + 2);
        pos += 2;
        continue;
      }
      if (pos + 2 < size) {
        const std::string_view two = text.substr(pos + 1, 2);
        if (two == "re" || two == "ve" || two == "ll") {
          matches.emplace_back(pos, pos + 3);
          pos += 3;
          continue;
        }
      }
    }
    // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`, in this order.
    const std::size_t class_start = (text[pos] == ' ' && pos + 1 < size) ? pos + 1 : pos;
    bool matched = false;
    for (int alternative = 0; alternative < 3 && !matched; ++alternative) {
      for (const std::size_t start : {class_start, pos}) {
        std::size_t end = start;
        if (alternative == 0) end = run_end(start, letter);
        if (alternative == 1) end = run_end(start, number);
        if (alternative == 2) end = run_end(start, other);
        if (end > start) {
          matches.emplace_back(pos, end);
          pos = end;
          matched = true;
          break;
        }
        if (class_start == pos) break;
      }
    }
    if (matched) continue;
    // \s+(?!\S) then \s+: a whitespace run, less its last character when a non-space follows
    // (that character then prefixes the next word), unless the run is a single character.
    const std::size_t end = run_end(pos, space);
    if (end > pos) {
      if (end == size) {
        matches.emplace_back(pos, end);
        pos = end;
        continue;
      }
      std::size_t last_start = end - 1;
      while ((static_cast<uint8_t>(text[last_start]) & 0xC0) == 0x80) --last_start;
      const std::size_t match_end = last_start > pos ? last_start : end;
      matches.emplace_back(pos, match_end);
      pos = match_end;
      continue;
    }
    // Not reachable for valid text (every character is in one of the classes); skip one
    // character rather than loop.
    pos += char_at(pos).second;
  }
  return matches;
}

}  // namespace crossmt::tokenizer_json
