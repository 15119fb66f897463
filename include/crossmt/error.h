#pragma once
// One exception type for every user-facing failure: its message is a single line that names the
// file, tensor or input line at fault, so the CLI can print it as `error: <message>`.
#include <stdexcept>
#include <string>

#include "crossmt/export.h"

namespace crossmt {

class CROSSMT_API Error : public std::runtime_error {
 public:
  // Line breaks inside the message (a tensor name or config value from a hostile file) are written
  // as the escapes \n and \r, so the message stays one line whatever it quotes.
  explicit Error(const std::string& message) : std::runtime_error(single_line(message)) {}

 private:
  static std::string single_line(const std::string& message) {
    if (message.find_first_of("\r\n") == std::string::npos) return message;
    std::string line;
    line.reserve(message.size() + 8);
    for (const char c : message) {
      if (c == '\n')
        line += "\\n";
      else if (c == '\r')
        line += "\\r";
      else
        line += c;
    }
    return line;
  }
};

}  // namespace crossmt
