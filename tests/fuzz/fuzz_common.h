#pragma once
// Shared by the libFuzzer targets: expected failures are crossmt::Error with a one-line message;
// anything else (another exception type, a crash, a sanitizer report) is a finding.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "crossmt/error.h"

namespace crossmt::fuzz {

// crossmt::Error messages are printed as one `error: ...` line, so they must not span lines.
inline void check_error_message(const Error& error) {
  if (std::strchr(error.what(), '\n') != nullptr) {
    std::fprintf(stderr, "crossmt::Error message spans lines: %s\n", error.what());
    std::abort();
  }
}

inline void require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}

}  // namespace crossmt::fuzz
