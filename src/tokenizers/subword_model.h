#pragma once
// What a family tokenizer needs from its subword back end (SentencePiece, byte-level BPE, or a
// tokenizer.json pipeline): pieces of plain text and text of pieces.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossmt {

class SubwordModel {
 public:
  virtual ~SubwordModel() = default;
  // Pieces of text that holds no special token.
  virtual std::vector<std::string> pieces(std::string_view text) const = 0;
  // Text of ordinary pieces (special tokens already removed).
  virtual std::string text(const std::vector<std::string>& pieces) const = 0;
  // What marks a piece that starts a word.
  virtual std::string word_start_marker() const = 0;
};

}  // namespace crossmt
