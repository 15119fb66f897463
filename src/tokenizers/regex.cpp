// Split and Replace patterns. tokenizers compiles them with Oniguruma; ICU's regex engine reads
// the same syntax for what tokenizer.json files use (\p{L}, \s, lookahead, (?i:...)).
#include <unicode/regex.h>
#include <unicode/utext.h>

#include "components.h"

namespace crossmt::tokenizer_json {

struct Regex::Impl {
  std::unique_ptr<icu::RegexPattern> pattern;
};

Regex::Regex(const std::string& pattern, const Field& field) : impl_(std::make_unique<Impl>()) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error{};
  impl_->pattern.reset(icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(pattern), 0, parse_error, status));
  if (U_FAILURE(status) || !impl_->pattern)
    field.fail("invalid regular expression (" + std::string(u_errorName(status)) + " at offset " + std::to_string(parse_error.offset) + ")");
}

Regex::~Regex() = default;
Regex::Regex(Regex&&) noexcept = default;

std::vector<Span> Regex::find_all(std::string_view text) const {
  std::vector<Span> matches;
  UErrorCode status = U_ZERO_ERROR;
  UText* utext = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  if (U_FAILURE(status)) return matches;
  std::unique_ptr<icu::RegexMatcher> matcher(impl_->pattern->matcher(status));
  if (U_SUCCESS(status) && matcher) {
    matcher->reset(utext);
    while (matcher->find(status) && U_SUCCESS(status)) {
      const int64_t begin = matcher->start64(status), end = matcher->end64(status);
      if (U_FAILURE(status)) break;
      if (end > begin) matches.emplace_back(static_cast<std::size_t>(begin), static_cast<std::size_t>(end));
    }
  }
  utext_close(utext);
  return matches;
}

std::vector<Span> find_all_literal(std::string_view text, std::string_view needle) {
  std::vector<Span> matches;
  if (needle.empty()) return matches;
  for (std::size_t pos = text.find(needle); pos != std::string_view::npos; pos = text.find(needle, pos + needle.size()))
    matches.emplace_back(pos, pos + needle.size());
  return matches;
}

// A Split/Replace `pattern`: {"String": "..."} or {"Regex": "..."}.
std::pair<std::optional<std::string>, std::optional<Regex>> read_pattern(const Json& spec, const Field& field) {
  const Json& pattern = require_member(spec, field, "pattern");
  const Field pattern_field = field.at("pattern");
  if (const Json* literal = find_member(pattern, "String")) {
    if (!literal->is_string()) pattern_field.at("String").fail("expected a string");
    return {literal->get<std::string>(), std::nullopt};
  }
  if (const Json* regex = find_member(pattern, "Regex")) {
    if (!regex->is_string()) pattern_field.at("Regex").fail("expected a string");
    return {std::nullopt, Regex(regex->get<std::string>(), pattern_field.at("Regex"))};
  }
  pattern_field.fail("expected {\"String\": ...} or {\"Regex\": ...}");
}

}  // namespace crossmt::tokenizer_json
