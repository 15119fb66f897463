#pragma once
// The members of a large flat JSON object (vocab.json: piece -> id) in file order, in linear time.
// nlohmann's ordered_json keeps file order too, but finds each key by a linear scan: parsing a
// 58,000-piece OPUS-MT vocabulary took 4 s with it.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace crossmt {

struct JsonObjectMembers {
  bool is_object = false;  // false: the text is valid JSON but not an object
  // A repeated key keeps its first place and its last value, as Python's json and ordered_json do.
  // Nested objects and arrays are given as empty ones (callers here only want scalars).
  std::vector<std::pair<std::string, nlohmann::json>> members;
};

// Throws crossmt::Error "<origin>: not valid JSON (...)" on a syntax error or a number overflow.
JsonObjectMembers read_json_object_members(std::string_view text, const std::string& origin);

}  // namespace crossmt
