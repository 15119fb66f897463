#pragma once
// One exception type for every user-facing failure: its message is a single line that names the
// file, tensor or input line at fault, so the CLI can print it as `error: <message>`.
#include <stdexcept>
#include <string>

namespace crossmt {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace crossmt
