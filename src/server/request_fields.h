#pragma once
// The fields of a request, whatever its encoding (JSON body, form-encoded or multipart body,
// query string), as one JSON object; and the error a handler answers with.
#include <stdexcept>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace crossmt::server {

// Thrown by handlers; becomes {"error": message} with this status (and a Retry-After header when
// retry_after_s > 0).
struct HttpError : std::runtime_error {
  HttpError(int status, const std::string& message, int retry_after_s = 0)
      : std::runtime_error(message), status(status), retry_after_s(retry_after_s) {}
  int status;
  int retry_after_s;
};

// A JSON body (Content-Type application/json, or a body that starts with '{') must be an object;
// form fields are strings, a field given several times an array of them. Throws HttpError 400.
nlohmann::json request_fields(const httplib::Request& request);

// Typed reads with LibreTranslate-style messages ("Invalid request: ..."); absent -> fallback.
std::string string_field(const nlohmann::json& fields, const char* name, const std::string& fallback = "");
// Integers also from strings ("2"), as form fields carry them.
long long integer_field(const nlohmann::json& fields, const char* name, long long fallback, long long minimum,
                        long long maximum);
double number_field(const nlohmann::json& fields, const char* name, double fallback);
bool boolean_field(const nlohmann::json& fields, const char* name, bool fallback);

}  // namespace crossmt::server
