#pragma once
// What every route handler of one server shares: options, models, metrics, API keys.
#include <atomic>
#include <map>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "crossmt/server.h"
#include "metrics.h"
#include "model_registry.h"
#include "request_limiter.h"

namespace crossmt::server {

struct ServerContext {
  ServeOptions options;
  ModelRegistry registry;
  Metrics metrics;
  // key -> its requests per minute (0: options.req_limit); empty: no key needed
  std::map<std::string, size_t> api_keys;
  RequestLimiter limiter;
  std::atomic<bool> ready{false};  // the models are loaded

  // Called by every route that translates, once its fields are read. Counts the request against
  // its client's limit (the API key when it is a valid one, else the remote address, so that
  // guessing keys is limited too): HttpError 429 over it. Then, when keys are configured,
  // HttpError 403 unless the `api_key` field (or `Authorization: Bearer`) is one of them.
  void admit_request(const nlohmann::json& fields, const httplib::Request& request);
  Metrics::QueueState queue_state() const;
};

// Reads an --api-keys file: one key per line, optionally followed by whitespace and that key's
// requests per minute; blank lines and lines starting with '#' skipped.
std::map<std::string, size_t> read_api_keys(const std::string& path);

// Routes: LibreTranslate (/translate, /languages), native (/v1/...), the web page (/ and
// /v1/attention).
void add_libretranslate_routes(httplib::Server& http, ServerContext& context);
void add_native_routes(httplib::Server& http, ServerContext& context);
void add_web_page_routes(httplib::Server& http, ServerContext& context);

// Runs `handler` once the models are loaded (503 before), turning HttpError and other
// exceptions into {"error": ...} JSON answers.
void answer_json(const ServerContext& context, httplib::Response& response,
                 const std::function<nlohmann::ordered_json()>& handler);

}  // namespace crossmt::server
