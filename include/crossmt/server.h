#pragma once
// `crossmt serve`: an HTTP translation server speaking LibreTranslate's API and crossmt's own
// (see README, "Serving over HTTP").
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "crossmt/compute_type.h"

namespace crossmt {

struct ServeOptions {
  // (name, folder) of each model; the name is what /v1 requests pick a model by.
  std::vector<std::pair<std::string, std::string>> models;
  std::string host = "127.0.0.1";
  int port = 5000;  // 0: any free port (the chosen one is logged)
  int workers = 1, threads = 0;
  ComputeType compute_type = ComputeType::Auto;
  int max_batch_tokens = 1024;
  int max_wait_ms = 5;
  bool batching = true;
  size_t max_queue = 2048;          // sentences waiting, over all requests
  size_t char_limit = 10000;        // characters of text per request
  size_t max_body_bytes = 1 << 20;  // request body
  size_t req_limit = 0;             // requests per minute per client (0: none); a key's own limit wins
  int read_timeout_s = 10, write_timeout_s = 10;
  int http_threads = 256;  // connections served at once
  std::string api_keys_file;
  std::string cors_origin;
};

// Loads the models, serves until SIGTERM or SIGINT, then finishes what was accepted. Returns the
// exit status; throws crossmt::Error when a model cannot be loaded or the port cannot be bound.
int serve(const ServeOptions& options);

}  // namespace crossmt
