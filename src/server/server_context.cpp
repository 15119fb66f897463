#include "server_context.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include "crossmt/error.h"
#include "request_fields.h"

namespace crossmt::server {

void ServerContext::admit_request(const nlohmann::json& fields, const httplib::Request& request) {
  std::string key;  // read only where keys are in use, as before: elsewhere any api_key is ignored
  if (!api_keys.empty()) {
    key = string_field(fields, "api_key");
    const std::string authorization = request.get_header_value("Authorization");
    if (key.empty() && authorization.starts_with("Bearer ")) key = authorization.substr(7);
  }
  const auto known_key = api_keys.find(key);
  const bool valid_key = known_key != api_keys.end();
  const size_t limit = valid_key && known_key->second > 0 ? known_key->second : options.req_limit;
  const RequestLimiter::Verdict verdict =
      valid_key ? limiter.admit(RequestLimiter::ClientKind::ApiKey, key, limit)
                : limiter.admit(RequestLimiter::ClientKind::Address, request.remote_addr, limit);
  // LibreTranslate's 429 message: "Slowdown: " and flask-limiter's description of the limit.
  if (!verdict.allowed)
    throw HttpError(429, "Slowdown: " + std::to_string(limit) + " per 1 minute", verdict.retry_after_s);
  if (!api_keys.empty() && !valid_key) throw HttpError(403, key.empty() ? "Missing API key" : "Invalid API key");
}

Metrics::QueueState ServerContext::queue_state() const {
  Metrics::QueueState state;
  if (!ready.load(std::memory_order_acquire)) return state;
  for (const auto& model : registry.models()) {
    state.queued_sentences += model->queue->queued_sentences();
    state.accepted_sentences += model->queue->accepted_sentences();
  }
  return state;
}

std::map<std::string, size_t> read_api_keys(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error("cannot read the API keys file '" + path + "'");
  std::map<std::string, size_t> keys;
  size_t line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    std::istringstream fields(line);
    std::string key, limit_text, extra;
    if (!(fields >> key) || key.starts_with('#')) continue;
    size_t limit = 0;
    if (fields >> limit_text) {
      const auto [end, failure] = std::from_chars(limit_text.data(), limit_text.data() + limit_text.size(), limit);
      if (failure != std::errc() || end != limit_text.data() + limit_text.size() || limit == 0 || fields >> extra)
        throw Error(path + ":" + std::to_string(line_number) +
                    ": expected KEY or KEY REQUESTS_PER_MINUTE (a positive integer)");
    }
    keys[key] = limit;
  }
  if (keys.empty()) throw Error(path + ": no API key in the file");
  return keys;
}

void answer_json(const ServerContext& context, httplib::Response& response,
                 const std::function<nlohmann::ordered_json()>& handler) {
  nlohmann::ordered_json body;
  try {
    if (!context.ready.load(std::memory_order_acquire)) throw HttpError(503, "the server is loading its models");
    body = handler();
    response.status = 200;
  } catch (const HttpError& failure) {
    response.status = failure.status;
    body = {{"error", failure.what()}};
    if (failure.retry_after_s > 0) response.set_header("Retry-After", std::to_string(failure.retry_after_s));
  } catch (const Error& failure) {
    response.status = 400;
    body = {{"error", std::string("Invalid request: ") + failure.what()}};
  } catch (const std::exception& failure) {
    response.status = 500;
    body = {{"error", failure.what()}};
  }
  if (response.status == 503) response.set_header("Retry-After", "1");
  response.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

}  // namespace crossmt::server
