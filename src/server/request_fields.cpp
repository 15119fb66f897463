#include "request_fields.h"

#include <cerrno>
#include <cstdlib>

namespace crossmt::server {
namespace {

bool is_json_body(const httplib::Request& request) {
  const std::string type = request.get_header_value("Content-Type");
  if (type.find("application/json") != std::string::npos) return true;
  const size_t first = request.body.find_first_not_of(" \t\r\n");
  return type.empty() && first != std::string::npos && request.body[first] == '{';
}

void add_field(nlohmann::json& fields, const std::string& name, const std::string& value) {
  if (!fields.contains(name)) fields[name] = value;
  else if (fields[name].is_array()) fields[name].push_back(value);
  else fields[name] = nlohmann::json::array({fields[name], value});
}

[[noreturn]] void wrong_type(const char* name, const char* expected) {
  throw HttpError(400, std::string("Invalid request: '") + name + "' must be " + expected);
}

}  // namespace

nlohmann::json request_fields(const httplib::Request& request) {
  nlohmann::json fields = nlohmann::json::object();
  if (is_json_body(request)) {
    fields = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
    if (fields.is_discarded()) throw HttpError(400, "Invalid request: the body is not valid JSON");
    if (!fields.is_object()) throw HttpError(400, "Invalid request: the JSON body must be an object");
  } else if (request.is_multipart_form_data()) {
    for (const auto& [name, part] : request.files) add_field(fields, name, part.content);
  }
  // Form-encoded bodies and query strings: cpp-httplib has put both into params.
  for (const auto& [name, value] : request.params)
    if (!fields.contains(name) || !is_json_body(request)) add_field(fields, name, value);
  return fields;
}

std::string string_field(const nlohmann::json& fields, const char* name, const std::string& fallback) {
  if (!fields.contains(name) || fields[name].is_null()) return fallback;
  if (!fields[name].is_string()) wrong_type(name, "a string");
  return fields[name].get<std::string>();
}

long long integer_field(const nlohmann::json& fields, const char* name, long long fallback, long long minimum,
                        long long maximum) {
  if (!fields.contains(name) || fields[name].is_null()) return fallback;
  const auto& value = fields[name];
  long long number = 0;
  if (value.is_number_integer()) {
    number = value.get<long long>();
  } else if (value.is_string()) {
    const std::string text = value.get<std::string>();
    char* end = nullptr;
    errno = 0;
    number = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno == ERANGE) wrong_type(name, "an integer");
  } else {
    wrong_type(name, "an integer");
  }
  if (number < minimum || number > maximum)
    throw HttpError(400, std::string("Invalid request: '") + name + "' must be from " + std::to_string(minimum) +
                             " to " + std::to_string(maximum) + ", got " + std::to_string(number));
  return number;
}

double number_field(const nlohmann::json& fields, const char* name, double fallback) {
  if (!fields.contains(name) || fields[name].is_null()) return fallback;
  const auto& value = fields[name];
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) {
    const std::string text = value.get<std::string>();
    char* end = nullptr;
    const double number = std::strtod(text.c_str(), &end);
    if (!text.empty() && *end == '\0') return number;
  }
  wrong_type(name, "a number");
}

bool boolean_field(const nlohmann::json& fields, const char* name, bool fallback) {
  if (!fields.contains(name) || fields[name].is_null()) return fallback;
  const auto& value = fields[name];
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_string()) {
    const std::string text = value.get<std::string>();
    if (text == "true" || text == "1") return true;
    if (text == "false" || text == "0") return false;
  }
  wrong_type(name, "true or false");
}

}  // namespace crossmt::server
