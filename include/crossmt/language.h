#pragma once
// Language codes as users type them (`de`, `deu`, `>>deu<<`) resolved to a model's target token.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossmt {

// ISO 639-1 two-letter code -> ISO 639-3 code as OPUS-MT vocabularies spell it ("de" -> "deu");
// nullopt for a code the table lacks.
std::optional<std::string> iso639_3_from_iso639_1(std::string_view two_letter_code);
// The reverse ("deu" -> "de").
std::optional<std::string> iso639_1_from_iso639_3(std::string_view three_letter_code);

// The model's token for `language`, given as `xx`, `xxx` (or any other bare code such as
// `pt_br`) or `>>xxx<<`: the first of `>>language<<`, then `>>` + its 639-3 or 639-1 twin + `<<`,
// that `model_tokens` contains. Throws crossmt::Error listing the model's codes otherwise.
std::string language_token_for(std::string_view language, const std::vector<std::string>& model_tokens);

// Length of the language token `>>xxx<<` that `text` starts with, or 0: HF MarianTokenizer's
// regex `>>.+?<<` matched at the start (shortest match; `.` stops at a newline).
std::size_t leading_language_token_length(std::string_view text);
bool starts_with_language_token(std::string_view text);

}  // namespace crossmt
