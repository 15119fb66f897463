#pragma once
// What every route handler of one server shares: options, models, metrics, API keys.
#include <atomic>
#include <set>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "crossmt/server.h"
#include "metrics.h"
#include "model_registry.h"

namespace crossmt::server {

struct ServerContext {
  ServeOptions options;
  ModelRegistry registry;
  Metrics metrics;
  std::set<std::string> api_keys;  // empty: no key needed
  std::atomic<bool> ready{false};  // the models are loaded

  // Throws HttpError 403 when keys are configured and the request's `api_key` field (or its
  // `Authorization: Bearer` header) is not one of them.
  void check_api_key(const nlohmann::json& fields, const httplib::Request& request) const;
  Metrics::QueueState queue_state() const;
};

// Reads an --api-keys file: one key per line, blank lines and lines starting with '#' skipped.
std::set<std::string> read_api_keys(const std::string& path);

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
