// Typed access to tokenizer.json members; every failure is one line naming the file and field.
#include <string>

#include "crossmt/error.h"
#include "components.h"

namespace crossmt::tokenizer_json {

void Field::fail(const std::string& message) const {
  throw Error(*origin + ": " + (path.empty() ? std::string("(top level)") : path) + ": " + message);
}

const Json* find_member(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto found = object.find(std::string(key));
  if (found == object.end() || found->is_null()) return nullptr;
  return &*found;
}

const Json& require_member(const Json& object, const Field& field, std::string_view key) {
  if (!object.is_object()) field.fail("expected an object");
  const Json* member = find_member(object, key);
  if (member == nullptr) field.at(key).fail("missing");
  return *member;
}

std::string string_member(const Json& object, const Field& field, std::string_view key,
                          std::optional<std::string> fallback) {
  const Json* member = find_member(object, key);
  if (member == nullptr) {
    if (fallback) return *fallback;
    field.at(key).fail("missing");
  }
  if (!member->is_string()) field.at(key).fail("expected a string");
  return member->get<std::string>();
}

bool bool_member(const Json& object, const Field& field, std::string_view key, bool fallback) {
  const Json* member = find_member(object, key);
  if (member == nullptr) return fallback;
  if (!member->is_boolean()) field.at(key).fail("expected true or false");
  return member->get<bool>();
}

int64_t int_member(const Json& object, const Field& field, std::string_view key, std::optional<int64_t> fallback) {
  const Json* member = find_member(object, key);
  if (member == nullptr) {
    if (fallback) return *fallback;
    field.at(key).fail("missing");
  }
  if (!member->is_number_integer()) field.at(key).fail("expected an integer");
  const int64_t value = member->get<int64_t>();
  if (value < 0 && member->is_number_unsigned()) field.at(key).fail("integer out of range");
  return value;
}

char32_t char_member(const Json& object, const Field& field, std::string_view key, char32_t fallback) {
  const Json* member = find_member(object, key);
  if (member == nullptr) return fallback;
  if (!member->is_string()) field.at(key).fail("expected a one-character string");
  const std::string text = member->get<std::string>();
  if (text.empty() || code_point_count(text) != 1) field.at(key).fail("expected a one-character string");
  return next_code_point(text, 0).first;
}

std::string type_of(const Json& object, const Field& field) {
  if (!object.is_object()) field.fail("expected an object");
  // Sequences nest; a hostile file must not exhaust the stack.
  if (field.path.size() > 2000) field.fail("components nested too deeply");
  return string_member(object, field, "type");
}

}  // namespace crossmt::tokenizer_json
