// Added-token matching over a byte trie: O(text length x longest token).
#include "added_tokens.h"

namespace crossmt::tokenizer_json {
namespace {

// Last (first) character of `text` is a word character (\w), for single_word.
bool ends_with_word(std::string_view text) {
  if (text.empty()) return false;
  std::size_t last = text.size() - 1;
  while (last > 0 && (static_cast<uint8_t>(text[last]) & 0xC0) == 0x80) --last;
  return is_word_char(next_code_point(text, last).first);
}
bool starts_with_word(std::string_view text) { return !text.empty() && is_word_char(next_code_point(text, 0).first); }

}  // namespace

void AddedTokenMatcher::add(const AddedToken& token, std::string pattern) {
  if (pattern.empty()) return;
  int node = 0;
  for (const char byte : pattern) {
    const auto label = static_cast<unsigned char>(byte);
    const auto found = nodes_[node].children.find(label);
    if (found != nodes_[node].children.end()) {
      node = found->second;
    } else {
      nodes_.emplace_back();
      const int child = static_cast<int>(nodes_.size() - 1);
      nodes_[node].children[label] = child;
      node = child;
    }
  }
  tokens_.push_back(token);
  nodes_[node].token = static_cast<int>(tokens_.size() - 1);  // a repeated pattern: the last token wins
}

void AddedTokenMatcher::split(const TextPart& part, std::vector<TextPart>& out) const {
  const std::string_view text = part.text;
  std::size_t emitted = 0;  // text before this offset is already in `out`
  std::size_t scan = 0;
  auto emit_text = [&](std::size_t begin, std::size_t end) {
    if (end > begin) out.push_back({std::string(text.substr(begin, end - begin)), std::nullopt, part.at_text_start && begin == 0});
  };
  while (scan < text.size()) {
    // Longest pattern starting at the leftmost position at or after `scan`.
    std::size_t match_begin = 0, match_end = 0;
    int match_token = -1;
    for (std::size_t begin = scan; begin < text.size() && match_token < 0; ++begin) {
      int node = 0;
      for (std::size_t pos = begin; pos < text.size(); ++pos) {
        const auto found = nodes_[node].children.find(static_cast<unsigned char>(text[pos]));
        if (found == nodes_[node].children.end()) break;
        node = found->second;
        if (nodes_[node].token >= 0) match_begin = begin, match_end = pos + 1, match_token = nodes_[node].token;
      }
    }
    if (match_token < 0) break;
    const AddedToken& token = tokens_[match_token];
    scan = match_end;
    if (token.single_word && ((match_begin > 0 && ends_with_word(text.substr(0, match_begin))) ||
                              (match_end < text.size() && starts_with_word(text.substr(match_end)))))
      continue;  // inside a word: not this token (the text stays for the model)
    std::size_t begin = match_begin, end = match_end;
    if (token.lstrip) {
      while (begin > emitted) {
        std::size_t previous = begin - 1;
        while (previous > emitted && (static_cast<uint8_t>(text[previous]) & 0xC0) == 0x80) --previous;
        if (!is_white_space(next_code_point(text, previous).first)) break;
        begin = previous;
      }
    }
    if (token.rstrip) {
      while (end < text.size()) {
        const auto [c, length] = next_code_point(text, end);
        if (!is_white_space(c)) break;
        end += length;
      }
      scan = end;
    }
    emit_text(emitted, begin);
    out.push_back({std::string(text.substr(begin, end - begin)), token.id, part.at_text_start && begin == 0});
    emitted = end;
  }
  emit_text(emitted, text.size());
}

}  // namespace crossmt::tokenizer_json
