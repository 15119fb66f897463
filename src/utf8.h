#pragma once
// UTF-8 encoding of one code point, shared by the tokenizers and the server's HTML entity decoding.
#include <string>

namespace crossmt {

// Appends `code_point` as UTF-8; a surrogate or a value past U+10FFFF becomes U+FFFD.
void append_utf8(std::string& out, char32_t code_point);

}  // namespace crossmt
