#pragma once
// Small text helpers shared by the commands and tools.
#include <string>
#include <vector>

namespace crossmt {

// "12 7 0": ids separated by single spaces.
inline std::string join_ids(const std::vector<int>& ids) {
  std::string text;
  for (int id : ids) {
    if (!text.empty()) text += ' ';
    text += std::to_string(id);
  }
  return text;
}

}  // namespace crossmt
