#include "server_context.h"

#include <fstream>

#include "crossmt/error.h"
#include "request_fields.h"

namespace crossmt::server {

void ServerContext::check_api_key(const nlohmann::json& fields, const httplib::Request& request) const {
  if (api_keys.empty()) return;
  std::string key = string_field(fields, "api_key");
  const std::string authorization = request.get_header_value("Authorization");
  if (key.empty() && authorization.starts_with("Bearer ")) key = authorization.substr(7);
  if (!api_keys.contains(key)) throw HttpError(403, key.empty() ? "Missing API key" : "Invalid API key");
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

std::set<std::string> read_api_keys(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error("cannot read the API keys file '" + path + "'");
  std::set<std::string> keys;
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    keys.insert(line.substr(first));
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
