// `crossmt serve`: the HTTP server (LibreTranslate's API and crossmt's own; see crossmt/server.h).
#include <memory>

#include "commands.h"
#include "crossmt/error.h"
#include "crossmt/server.h"

namespace crossmt::cli {
namespace {

struct ServeCommandOptions {
  ServeOptions serve;
  std::string model_dir, compute_type = "auto";
  std::vector<std::string> named_models;  // NAME=PATH
  bool no_batching = false;
};

void run_serve(ServeCommandOptions& options) {
  ServeOptions& serve_options = options.serve;
  serve_options.compute_type = parse_compute_type(options.compute_type);
  serve_options.batching = !options.no_batching;
  if (!options.model_dir.empty() && !options.named_models.empty()) throw Error("give -m DIR or --model NAME=PATH, not both");
  for (const std::string& named : options.named_models) {
    const size_t equals = named.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == named.size())
      throw Error("--model: expected NAME=PATH, got '" + named + "'");
    serve_options.models.emplace_back(named.substr(0, equals), named.substr(equals + 1));
  }
  if (serve_options.models.empty()) {
    const std::filesystem::path folder = resolve_model_dir(options.model_dir);
    const std::string name = std::filesystem::path(folder).lexically_normal().filename().string();
    serve_options.models.emplace_back(name.empty() ? "default" : name, folder.string());
  }
  const int status = serve(serve_options);
  if (status != 0) throw ExitWithStatus{status};
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto options = std::make_shared<ServeCommandOptions>();
  ServeOptions& serve = options->serve;
  CLI::App* command = app.add_subcommand("serve", "HTTP translation server (LibreTranslate API + /v1 API)");
  command->add_option("-m,--model-dir", options->model_dir, "Model folder (default: the model shipped in models/)");
  command->add_option("--model", options->named_models, "NAME=PATH, repeatable: serve several models");
  command->add_option("--host", serve.host, "Address to listen on (default 127.0.0.1)");
  command->add_option("--port", serve.port, "Port (default 5000; 0 = any free port, logged)")->check(CLI::Range(0, 65535));
  add_worker_options(command, serve.workers, serve.threads);
  add_compute_type_option(command, options->compute_type);
  command->add_option("--max-batch-tokens", serve.max_batch_tokens, "Padded source tokens per batch (default 1024)")
      ->check(at_least(1));
  command->add_option("--max-wait-ms", serve.max_wait_ms, "Longest wait for a batch to fill (default 5)")
      ->check(at_least(0));
  command->add_flag("--no-batching", options->no_batching, "Translate each request alone (for comparison)");
  command->add_option("--max-queue", serve.max_queue, "Sentences waiting before 503 (default 2048)")->check(at_least(1));
  command->add_option("--char-limit", serve.char_limit, "Characters per request (default 10000; 0 = none)")
      ->check(at_least(0));
  command->add_option("--max-body-bytes", serve.max_body_bytes, "Request body limit (default 1 MiB)")->check(at_least(1));
  command->add_option("--read-timeout", serve.read_timeout_s, "Seconds a client may stay silent while sending (default 10)")
      ->check(at_least(1));
  command->add_option("--write-timeout", serve.write_timeout_s, "Seconds a client may stall a response (default 10)")
      ->check(at_least(1));
  command->add_option("--http-threads", serve.http_threads, "Connections served at once (default 256)")
      ->check(at_least(1));
  command->add_option("--req-limit", serve.req_limit, "Requests per minute per client, then 429 (default 0 = no limit)")
      ->check(at_least(0));
  command->add_option("--api-keys", serve.api_keys_file,
                      "File of accepted API keys, one per line, each optionally followed by its own requests per minute");
  command->add_option("--cors", serve.cors_origin, "Access-Control-Allow-Origin value (e.g. * or https://site)");
  command->callback([options] { run_serve(*options); });
}

}  // namespace crossmt::cli
