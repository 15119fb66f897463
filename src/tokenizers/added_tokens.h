#pragma once
// tokenizer.json's added_tokens: strings matched in the text before the model sees it (longest
// match at the leftmost position, as tokenizers' aho-corasick LeftmostLongest), with the
// single_word, lstrip and rstrip rules.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "components.h"

namespace crossmt::tokenizer_json {

struct AddedToken {
  int id = 0;
  std::string content;
  bool single_word = false, lstrip = false, rstrip = false, normalized = false, special = false;
};

// A part of the text: an added token (id set) or text for the normalizer/model.
struct TextPart {
  std::string text;
  std::optional<int> added_token_id;
  bool at_text_start = false;
};

class AddedTokenMatcher {
 public:
  // `pattern` is what is searched for `token`: its content, normalized when the token is.
  void add(const AddedToken& token, std::string pattern);
  bool empty() const { return nodes_.size() <= 1; }
  // `part` split around the added tokens found in it.
  void split(const TextPart& part, std::vector<TextPart>& out) const;

 private:
  struct Node {
    std::unordered_map<unsigned char, int> children;
    int token = -1;  // index into tokens_ of the pattern ending here
  };
  std::vector<Node> nodes_{Node{}};
  std::vector<AddedToken> tokens_;
};

}  // namespace crossmt::tokenizer_json
