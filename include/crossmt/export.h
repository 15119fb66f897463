#pragma once
// Marks what libcrossmt exports. Everything else is built with hidden visibility, so the shared
// library's symbol table is its API (C and C++) and nothing of the libraries it uses inside.
#if defined(__GNUC__)
#define CROSSMT_API __attribute__((visibility("default")))
#else
#define CROSSMT_API
#endif
