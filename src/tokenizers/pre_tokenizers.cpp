// tokenizer.json pre-tokenizers: each splits the pieces left by the previous one, with the
// delimiter behaviours of tokenizers' NormalizedString::split.
#include <algorithm>

#include <unicode/uchar.h>

#include "components.h"

namespace crossmt::tokenizer_json {

std::vector<Piece> split_piece(const Piece& piece, const std::vector<Span>& matches, SplitBehavior behavior, bool invert) {
  // The whole text as alternating (span, is_match) parts.
  std::vector<std::pair<Span, bool>> parts;
  std::size_t covered = 0;
  for (const auto& [begin, end] : matches) {
    if (begin < covered || end < begin || end > piece.text.size()) continue;  // defensive: overlapping
    if (begin > covered) parts.push_back({{covered, begin}, invert});
    parts.push_back({{begin, end}, !invert});
    covered = end;
  }
  if (covered < piece.text.size()) parts.push_back({{covered, piece.text.size()}, invert});

  std::vector<Span> kept;
  switch (behavior) {
    case SplitBehavior::removed:
      for (const auto& [span, is_match] : parts)
        if (!is_match) kept.push_back(span);
      break;
    case SplitBehavior::isolated:
      for (const auto& part : parts) kept.push_back(part.first);
      break;
    case SplitBehavior::merged_with_previous: {
      bool previous_match = false;
      for (const auto& [span, is_match] : parts) {
        if (is_match && !previous_match && !kept.empty())
          kept.back().second = span.second;
        else
          kept.push_back(span);
        previous_match = is_match;
      }
      break;
    }
    case SplitBehavior::merged_with_next: {
      bool previous_match = false;
      for (auto part = parts.rbegin(); part != parts.rend(); ++part) {
        if (part->second && !previous_match && !kept.empty())
          kept.back().first = part->first.first;
        else
          kept.push_back(part->first);
        previous_match = part->second;
      }
      std::reverse(kept.begin(), kept.end());
      break;
    }
    case SplitBehavior::contiguous: {
      bool previous_match = false;
      for (const auto& [span, is_match] : parts) {
        if (is_match == previous_match && !kept.empty())
          kept.back().second = span.second;
        else
          kept.push_back(span);
        previous_match = is_match;
      }
      break;
    }
  }
  std::vector<Piece> pieces;
  for (const auto& [begin, end] : kept)
    if (end > begin) pieces.push_back({piece.text.substr(begin, end - begin), piece.at_text_start && begin == 0});
  return pieces;
}

namespace {

// Each character for which `is_delimiter` holds, as a match of its own.
template <class Predicate>
auto character_matches(Predicate is_delimiter) {
  return [is_delimiter](std::string_view text) {
    std::vector<Span> matches;
    for (std::size_t pos = 0; pos < text.size();) {
      const auto [c, length] = next_code_point(text, pos);
      if (is_delimiter(c)) matches.emplace_back(pos, pos + length);
      pos += length;
    }
    return matches;
  };
}

// Runs of characters in the same class (`class_of` returns -1 for characters in no run).
template <class ClassOf>
std::vector<Span> class_runs(std::string_view text, ClassOf class_of) {
  std::vector<Span> runs;
  int run_class = -1;
  for (std::size_t pos = 0; pos < text.size();) {
    const auto [c, length] = next_code_point(text, pos);
    const int current = class_of(c);
    if (current >= 0 && current == run_class)
      runs.back().second = pos + length;
    else if (current >= 0)
      runs.emplace_back(pos, pos + length);
    run_class = current;
    pos += length;
  }
  return runs;
}

SplitBehavior read_behavior(const Json& spec, const Field& field, const std::string& fallback) {
  const std::string name = string_member(spec, field, "behavior", fallback);
  if (name == "Removed") return SplitBehavior::removed;
  if (name == "Isolated") return SplitBehavior::isolated;
  if (name == "MergedWithPrevious") return SplitBehavior::merged_with_previous;
  if (name == "MergedWithNext") return SplitBehavior::merged_with_next;
  if (name == "Contiguous") return SplitBehavior::contiguous;
  field.at("behavior").fail("unknown split behavior \"" + name + "\"");
}

// Whitespace: \w+|[^\w\s]+ kept, whitespace dropped.
class WhitespacePreTokenizer final : public PreTokenizer {
 public:
  void pre_tokenize(Pieces& pieces) const override {
    split_pieces(pieces, [](std::string_view text) {
      return class_runs(text, [](char32_t c) { return is_white_space(c) ? -1 : is_word_char(c) ? 0 : 1; });
    }, SplitBehavior::removed, true);
  }
};

class WhitespaceSplitPreTokenizer final : public PreTokenizer {
 public:
  void pre_tokenize(Pieces& pieces) const override {
    split_pieces(pieces, character_matches(is_white_space), SplitBehavior::removed);
  }
};

class CharDelimiterPreTokenizer final : public PreTokenizer {
 public:
  explicit CharDelimiterPreTokenizer(char32_t delimiter) : delimiter_(delimiter) {}
  void pre_tokenize(Pieces& pieces) const override {
    const char32_t delimiter = delimiter_;
    split_pieces(pieces, character_matches([delimiter](char32_t c) { return c == delimiter; }), SplitBehavior::removed);
  }
 private:
  char32_t delimiter_;
};

class PunctuationPreTokenizer final : public PreTokenizer {
 public:
  explicit PunctuationPreTokenizer(SplitBehavior behavior) : behavior_(behavior) {}
  void pre_tokenize(Pieces& pieces) const override {
    split_pieces(pieces, character_matches(is_punctuation), behavior_);
  }
 private:
  SplitBehavior behavior_;
};

class BertPreTokenizer final : public PreTokenizer {
 public:
  void pre_tokenize(Pieces& pieces) const override {
    split_pieces(pieces, character_matches(is_white_space), SplitBehavior::removed);
    split_pieces(pieces, character_matches(is_punctuation), SplitBehavior::isolated);
  }
};

class DigitsPreTokenizer final : public PreTokenizer {
 public:
  explicit DigitsPreTokenizer(bool individual) : individual_(individual) {}
  void pre_tokenize(Pieces& pieces) const override {
    split_pieces(pieces, character_matches(is_number), individual_ ? SplitBehavior::isolated : SplitBehavior::contiguous);
  }
 private:
  bool individual_;
};

class SplitPreTokenizer final : public PreTokenizer {
 public:
  SplitPreTokenizer(std::optional<std::string> literal, std::optional<Regex> regex, SplitBehavior behavior, bool invert)
      : literal_(std::move(literal)), regex_(std::move(regex)), behavior_(behavior), invert_(invert) {}
  void pre_tokenize(Pieces& pieces) const override {
    split_pieces(pieces, [this](std::string_view text) { return regex_ ? regex_->find_all(text) : find_all_literal(text, *literal_); },
                 behavior_, invert_);
  }
 private:
  std::optional<std::string> literal_;
  std::optional<Regex> regex_;
  SplitBehavior behavior_;
  bool invert_;
};

enum class PrependScheme { always, first, never };

// Metaspace: spaces become the replacement character (default ▁), which is prepended per the
// scheme and, with split, starts each piece.
class MetaspacePreTokenizer final : public PreTokenizer {
 public:
  MetaspacePreTokenizer(char32_t replacement, PrependScheme scheme, bool split)
      : replacement_(to_utf8(replacement)), scheme_(scheme), split_(split) {}
  void pre_tokenize(Pieces& pieces) const override {
    for (Piece& piece : pieces) {
      std::string replaced;
      replaced.reserve(piece.text.size() + replacement_.size());
      for (const char c : piece.text) {
        if (c == ' ')
          replaced += replacement_;
        else
          replaced += c;
      }
      const bool starts_with_replacement = replaced.compare(0, replacement_.size(), replacement_) == 0;
      if (!starts_with_replacement && (scheme_ == PrependScheme::always || (scheme_ == PrependScheme::first && piece.at_text_start)))
        replaced.insert(0, replacement_);
      piece.text = std::move(replaced);
    }
    if (split_) {
      const std::string replacement = replacement_;
      split_pieces(pieces, [&replacement](std::string_view text) { return find_all_literal(text, replacement); },
                   SplitBehavior::merged_with_next);
    }
  }
 private:
  std::string replacement_;
  PrependScheme scheme_;
  bool split_;
};

// ByteLevel: optional leading space, GPT-2's regex, then every byte as its printable character.
class ByteLevelPreTokenizer final : public PreTokenizer {
 public:
  ByteLevelPreTokenizer(bool add_prefix_space, bool use_regex) : add_prefix_space_(add_prefix_space), use_regex_(use_regex) {}
  void pre_tokenize(Pieces& pieces) const override {
    for (Piece& piece : pieces)
      if (add_prefix_space_ && piece.text.compare(0, 1, " ") != 0) {
        std::string prefixed;
        prefixed.reserve(piece.text.size() + 1);
        prefixed += ' ';
        prefixed += piece.text;
        piece.text = std::move(prefixed);
      }
    if (use_regex_) split_pieces(pieces, gpt2_pattern_matches, SplitBehavior::isolated);
    for (Piece& piece : pieces) piece.text = byte_level_encode(piece.text);
  }
 private:
  bool add_prefix_space_, use_regex_;
};

class SequencePreTokenizer final : public PreTokenizer {
 public:
  explicit SequencePreTokenizer(std::vector<std::unique_ptr<PreTokenizer>> steps) : steps_(std::move(steps)) {}
  void pre_tokenize(Pieces& pieces) const override {
    for (const auto& step : steps_) step->pre_tokenize(pieces);
  }
 private:
  std::vector<std::unique_ptr<PreTokenizer>> steps_;
};

}  // namespace

std::unique_ptr<PreTokenizer> make_pre_tokenizer(const Json& spec, const Field& field) {
  const std::string type = type_of(spec, field);
  if (type == "Whitespace") return std::make_unique<WhitespacePreTokenizer>();
  if (type == "WhitespaceSplit") return std::make_unique<WhitespaceSplitPreTokenizer>();
  if (type == "BertPreTokenizer") return std::make_unique<BertPreTokenizer>();
  if (type == "Punctuation") return std::make_unique<PunctuationPreTokenizer>(read_behavior(spec, field, "Isolated"));
  if (type == "Digits") return std::make_unique<DigitsPreTokenizer>(bool_member(spec, field, "individual_digits", false));
  if (type == "CharDelimiterSplit") return std::make_unique<CharDelimiterPreTokenizer>(char_member(spec, field, "delimiter", U' '));
  if (type == "Split") {
    auto [literal, regex] = read_pattern(spec, field);
    return std::make_unique<SplitPreTokenizer>(std::move(literal), std::move(regex), read_behavior(spec, field, "Isolated"),
                                               bool_member(spec, field, "invert", false));
  }
  if (type == "Metaspace") {
    PrependScheme scheme = PrependScheme::always;
    if (find_member(spec, "prepend_scheme")) {
      const std::string name = string_member(spec, field, "prepend_scheme");
      if (name == "always") scheme = PrependScheme::always;
      else if (name == "first") scheme = PrependScheme::first;
      else if (name == "never") scheme = PrependScheme::never;
      else field.at("prepend_scheme").fail("unknown prepend scheme \"" + name + "\"");
    } else if (!bool_member(spec, field, "add_prefix_space", true)) {  // files from before prepend_scheme
      scheme = PrependScheme::never;
    }
    return std::make_unique<MetaspacePreTokenizer>(char_member(spec, field, "replacement", U'\u2581'), scheme,
                                                   bool_member(spec, field, "split", true));
  }
  if (type == "ByteLevel")
    return std::make_unique<ByteLevelPreTokenizer>(bool_member(spec, field, "add_prefix_space", true), bool_member(spec, field, "use_regex", true));
  if (type == "Sequence") {
    const Json& list = require_member(spec, field, "pretokenizers");
    if (!list.is_array()) field.at("pretokenizers").fail("expected an array");
    std::vector<std::unique_ptr<PreTokenizer>> steps;
    for (std::size_t i = 0; i < list.size(); ++i) steps.push_back(make_pre_tokenizer(list[i], field.at("pretokenizers").index(i)));
    return std::make_unique<SequencePreTokenizer>(std::move(steps));
  }
  field.at("type").fail("unknown pre-tokenizer \"" + type + "\"");
}

}  // namespace crossmt::tokenizer_json
