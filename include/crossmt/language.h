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

// The language part of a model's code: "deu" of ">>deu<<", "en" of "__en__" or "en_XX", "eng" of
// "eng_Latn", lower-cased.
std::string language_of_code(std::string_view code);
// The model's code for a language a user names: the code itself when the model has it, else the
// one code whose language part is the language or its ISO 639-1/-3 twin. Throws crossmt::Error
// listing the model's codes when none or several match (NLLB's "zh": zho_Hans or zho_Hant);
// `role` ("source", "target") says which language in the message.
std::string model_language_code(std::string_view language, const std::vector<std::string>& codes,
                                std::string_view role);
// English name of a language given by its ISO 639-1 or -3 code ("de" -> "German"), nullopt when
// the table lacks it.
std::optional<std::string> english_language_name(std::string_view code);

// Length of the language token `>>xxx<<` that `text` starts with, or 0: HF MarianTokenizer's
// regex `>>.+?<<` matched at the start (shortest match; `.` stops at a newline).
std::size_t leading_language_token_length(std::string_view text);
bool starts_with_language_token(std::string_view text);

}  // namespace crossmt
