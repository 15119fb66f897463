// Load generator for `crossmt serve`: C concurrent clients, each sending single sentences (POST
// /translate, one line of the file per request, in turn) for S seconds, for every C given.
// Prints requests/s, sentences/s and latency p50/p99 per level (a Markdown table row each).
//
//   build/serve_bench --port 5000 --clients 1,8,32,128 --seconds 10 -i data/multi30k/test_2016_flickr.en
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace {

struct Options {
  std::string host = "127.0.0.1", input = "data/multi30k/test_2016_flickr.en", source = "en", target = "de";
  std::string label;  // printed as the first column when given
  bool header = true;
  int port = 5000;
  double seconds = 10;
  std::vector<int> clients = {1, 8, 32, 128};
};

[[noreturn]] void usage(const std::string& problem) {
  std::cerr << "error: " << problem
            << "\nusage: serve_bench [--host H] [--port P] [--clients 1,8,32,128] [--seconds S] [-i FILE] [--from en] "
               "[--to de] [--label TEXT] [--header true|false]\n";
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) usage("missing value after " + flag);
    const std::string value = argv[++i];
    if (flag == "--host") options.host = value;
    else if (flag == "--port") options.port = std::stoi(value);
    else if (flag == "--seconds") options.seconds = std::stod(value);
    else if (flag == "-i") options.input = value;
    else if (flag == "--from") options.source = value;
    else if (flag == "--to") options.target = value;
    else if (flag == "--label") options.label = value;
    else if (flag == "--header") options.header = value == "true";
    else if (flag == "--clients") {
      options.clients.clear();
      std::istringstream list(value);
      for (std::string item; std::getline(list, item, ',');) options.clients.push_back(std::stoi(item));
    } else usage("unknown option " + flag);
  }
  if (options.clients.empty() || options.seconds <= 0) usage("--clients and --seconds must be positive");
  return options;
}

double percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t index = std::min(values.size() - 1, static_cast<size_t>(fraction * static_cast<double>(values.size())));
  return values[index];
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  std::vector<std::string> lines;
  std::ifstream in(options.input);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  if (lines.empty()) usage("no lines in " + options.input);

  const std::string first_column = options.label.empty() ? "" : "| " + options.label + " ";
  if (options.header)
    std::printf("%s| clients | requests | requests/s | sentences/s | p50 ms | p99 ms | errors |\n%s|---|---|---|---|---|---|\n",
                options.label.empty() ? "" : "| batching ", options.label.empty() ? "|---" : "|---|---");
  for (const int clients : options.clients) {
    std::atomic<size_t> next_line{0}, errors{0};
    std::vector<std::vector<double>> latencies(static_cast<size_t>(clients));
    const auto start = std::chrono::steady_clock::now();
    const auto stop_at = start + std::chrono::duration<double>(options.seconds);
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
      threads.emplace_back([&, c] {
        httplib::Client client(options.host, options.port);
        client.set_keep_alive(true);
        client.set_read_timeout(120, 0);
        // Without it, Nagle holds the body of each POST until the server's delayed ACK of the headers (40 ms).
        client.set_tcp_nodelay(true);
        while (std::chrono::steady_clock::now() < stop_at) {
          const std::string& line = lines[next_line++ % lines.size()];
          const std::string body =
              nlohmann::json{{"q", line}, {"source", options.source}, {"target", options.target}}.dump();
          const auto sent = std::chrono::steady_clock::now();
          const auto answer = client.Post("/translate", body, "application/json");
          const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - sent).count();
          if (!answer || answer->status != 200) ++errors;
          else latencies[static_cast<size_t>(c)].push_back(ms);
        }
      });
    for (auto& thread : threads) thread.join();
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::vector<double> all;
    for (const auto& per_client : latencies) all.insert(all.end(), per_client.begin(), per_client.end());
    const double rate = static_cast<double>(all.size()) / elapsed;
    // One sentence per request: sentences/s = requests/s, both printed for the table's reader.
    std::printf("%s| %d | %zu | %.1f | %.1f | %.1f | %.1f | %zu |\n", first_column.c_str(), clients, all.size(), rate, rate,
                percentile(all, 0.50), percentile(all, 0.99), errors.load());
    std::fflush(stdout);
  }
  return 0;
}
