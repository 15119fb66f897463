#pragma once
// The tokenizers of T5, mBART (cc25), mBART-50, M2M100, NLLB and BART, and of a bare
// tokenizer.json, as transformers' tokenizer classes of the same names behave.
#include <filesystem>
#include <memory>

#include "crossmt/tokenizer.h"

namespace crossmt {

enum class TokenizerFamily { T5, MBart, MBart50, M2M100, Nllb, Bart, TokenizerJson };

// The family of a transformers tokenizer_class ("NllbTokenizerFast" -> Nllb), nullopt for a class
// this code does not know (a bare tokenizer.json is then used when the folder has one).
std::optional<TokenizerFamily> family_of_tokenizer_class(std::string_view tokenizer_class);

std::unique_ptr<Tokenizer> load_family_tokenizer(const std::filesystem::path& model_dir, TokenizerFamily family,
                                                 TokenizerFiles files);

}  // namespace crossmt
