// crossmt::serve: the HTTP server's life: bind, load the models, serve, and on SIGTERM stop
// accepting, answer every request already accepted, exit 0.
#include "crossmt/server.h"

#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <thread>

#include "crossmt/error.h"
#include "crossmt/ops.h"
#include "server_context.h"

namespace crossmt {
namespace {

using namespace server;

// Debian's cpp-httplib is compiled with a listen backlog of 5: a burst of new connections beyond
// that waits for TCP SYN retries (1 s, then 3 s). listen() again on the bound socket widens it.
class HttpServer : public httplib::Server {
 public:
  void widen_backlog(int backlog) { ::listen(svr_sock_, backlog); }
};

// One JSON line on stderr per event; the mutex keeps lines whole.
void log_line(const nlohmann::ordered_json& fields) {
  static std::mutex mutex;
  nlohmann::ordered_json line;
  char stamp[32];
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
  const long millis =
      static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000);
  char time_text[48];
  std::snprintf(time_text, sizeof time_text, "%s.%03ldZ", stamp, millis);
  line["time"] = time_text;
  line.update(fields);
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard lock(mutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

// Routes get their own metric label; anything else is "other" (no label per scanned URL).
std::string route_label(const std::string& path) {
  for (const char* route : {"/", "/translate", "/languages", "/v1/translate", "/v1/align", "/v1/models",
                            "/v1/attention", "/health", "/metrics"})
    if (path == route) return path;
  return "other";
}

// Set when a request's headers are read (pre-routing), read by the logger in the same thread.
thread_local std::chrono::steady_clock::time_point request_start;

std::string error_text(const httplib::Request& request, int status, const ServerContext& context) {
  // The compiled library refuses form-encoded bodies above its own limit, whatever ours is.
  const bool form = request.get_header_value("Content-Type").starts_with("application/x-www-form-urlencoded");
  const size_t length = request.get_header_value<uint64_t>("Content-Length");
  switch (status) {
    case 400: return "Invalid request";
    case 404: return "Not found";
    case 405: return "Method not allowed";
    case 413:
      if (form && length <= context.options.max_body_bytes)
        return "Form-encoded body too large (limit " + std::to_string(CPPHTTPLIB_FORM_URL_ENCODED_PAYLOAD_MAX_LENGTH) +
               " bytes); send JSON for more";
      return "Request body too large (limit " + std::to_string(context.options.max_body_bytes) + " bytes)";
    case 414: return "Request URI too long";
    default: return "HTTP status " + std::to_string(status);
  }
}

void configure(HttpServer& http, ServerContext& context) {
  const ServeOptions& options = context.options;
  const size_t http_threads = static_cast<size_t>(options.http_threads);
  http.new_task_queue = [http_threads] { return new httplib::ThreadPool(http_threads); };
  http.set_read_timeout(options.read_timeout_s, 0);
  http.set_write_timeout(options.write_timeout_s, 0);
  http.set_keep_alive_max_count(1000);
  http.set_keep_alive_timeout(5);
  http.set_payload_max_length(options.max_body_bytes);
  http.set_tcp_nodelay(true);
  http.set_pre_routing_handler([&context](const httplib::Request&, httplib::Response& response) {
    request_start = std::chrono::steady_clock::now();
    if (!context.options.cors_origin.empty()) {
      response.set_header("Access-Control-Allow-Origin", context.options.cors_origin);
      response.set_header("Vary", "Origin");
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // Answers cpp-httplib makes itself (404, 413, ...) get a JSON body like every other error.
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [&context](const httplib::Request& request, httplib::Response& response) {
        if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        response.set_content(nlohmann::json{{"error", error_text(request, response.status, context)}}.dump(),
                             "application/json");
        return httplib::Server::HandlerResponse::Handled;
      }));
  http.set_logger([&context](const httplib::Request& request, const httplib::Response& response) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - request_start).count();
    context.metrics.record_request(route_label(request.path), response.status, seconds);
    log_line({{"event", "request"},
              {"method", request.method},
              {"path", request.path},
              {"status", response.status},
              {"ms", std::round(seconds * 1e4) / 10},
              {"bytes_in", request.body.size()},
              {"bytes_out", response.body.size()},
              {"remote", request.remote_addr}});
  });
  if (!options.cors_origin.empty())
    http.Options(".*", [](const httplib::Request&, httplib::Response& response) {
      response.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
      response.set_header("Access-Control-Allow-Headers", "Content-Type, Authorization");
      response.status = 204;
    });
  http.Get("/health", [&context](const httplib::Request&, httplib::Response& response) {
    const bool ready = context.ready.load(std::memory_order_acquire);
    response.status = ready ? 200 : 503;
    response.set_content(nlohmann::json{{"status", ready ? "ready" : "loading"}}.dump(), "application/json");
  });
  http.Get("/metrics", [&context](const httplib::Request&, httplib::Response& response) {
    const Metrics::LimiterState limiter{context.limiter.tracked_clients(), context.limiter.untracked_admissions()};
    response.set_content(context.metrics.prometheus_text(context.queue_state(), limiter), "text/plain; version=0.0.4");
  });
  add_libretranslate_routes(http, context);
  add_native_routes(http, context);
  add_web_page_routes(http, context);
}

void load_models(ServerContext& context) {
  const ServeOptions& options = context.options;
  BatchQueueOptions queue_options;
  queue_options.max_batch_tokens = options.max_batch_tokens;
  queue_options.max_wait = std::chrono::milliseconds(options.max_wait_ms);
  queue_options.max_queued_sentences = options.max_queue;
  queue_options.batching = options.batching;
  for (const auto& [name, folder] : options.models) {
    auto model = std::make_unique<ServedModel>();
    model->name = name;
    model->translator = std::make_unique<Translator>(
        folder, TranslatorOptions{options.compute_type, options.workers, options.threads});
    model->info = model->translator->info();
    resolve_languages(*model, folder);
    model->queue = std::make_unique<BatchQueue>(*model->translator, queue_options,
                                                [&context](const BatchReport& report) { context.metrics.record_batch(report); });
    log_line({{"event", "model_loaded"},
              {"name", name},
              {"path", folder},
              {"compute_type", compute_type_name(model->info.compute_type)},
              {"sources", model->sources},
              {"targets", model->targets}});
    context.registry.add(std::move(model));
  }
}

}  // namespace

int serve(const ServeOptions& options) {
  if (options.models.empty()) throw Error("no model to serve");
  if (options.http_threads < 1) throw Error("--http-threads must be at least 1");
  // Signals are taken by one watcher thread (sigtimedwait); every thread started from here on
  // inherits the mask. A client closing its socket must not kill the server with SIGPIPE.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  ops::set_num_threads(options.threads);

  ServerContext context;
  context.options = options;
  if (!options.api_keys_file.empty()) context.api_keys = read_api_keys(options.api_keys_file);
  HttpServer http;
  configure(http, context);
  const int port = options.port == 0 ? http.bind_to_any_port(options.host)
                                     : (http.bind_to_port(options.host, options.port) ? options.port : -1);
  if (port <= 0) throw Error("cannot listen on " + options.host + ":" + std::to_string(options.port));
  http.widen_backlog(1024);
  log_line({{"event", "listening"}, {"host", options.host}, {"port", port}});

  std::atomic<bool> listener_done{false}, finished{false};
  std::thread listener([&] {
    http.listen_after_bind();
    listener_done = true;
  });
  std::thread signal_watcher([&] {
    const timespec poll{0, 100'000'000};
    while (!finished) {
      const int received = sigtimedwait(&stop_signals, nullptr, &poll);
      if (received != SIGTERM && received != SIGINT) continue;
      log_line({{"event", "shutting_down"}, {"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"}});
      // stop() only acts on a running server: wait for the listener to have started.
      while (!listener_done && !http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      http.stop();
      return;
    }
  });
  const auto stop_everything = [&] {
    while (!listener_done && !http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    http.stop();
    listener.join();
    finished = true;
    signal_watcher.join();
  };
  try {
    load_models(context);
  } catch (...) {
    stop_everything();
    throw;
  }
  context.ready.store(true, std::memory_order_release);
  log_line({{"event", "ready"}, {"models", context.registry.models().size()}});
  // Returns once stopped and every accepted connection has been answered.
  listener.join();
  for (const auto& model : context.registry.models()) model->queue->stop();
  finished = true;
  signal_watcher.join();
  log_line({{"event", "stopped"}});
  return 0;
}

}  // namespace crossmt
