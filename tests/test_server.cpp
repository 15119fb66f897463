// `crossmt serve`: outputs equal to `crossmt translate` under concurrent load, and LibreTranslate's
// documented requests with every field of their answers.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "server_process.h"

using crossmt::testing::ServerProcess;

namespace {

std::vector<std::string> test_lines(size_t count) {
  std::ifstream in(CROSSMT_MODELS_DIR "/../data/multi30k/test_2016_flickr.en");
  std::vector<std::string> lines;
  for (std::string line; lines.size() < count && std::getline(in, line);) lines.push_back(line);
  return lines;
}

// status is -1 when no answer came; failure then says why (timeout, connection refused, ...).
nlohmann::json post_json(httplib::Client& client, const std::string& path, const nlohmann::json& body, int& status,
                         std::string* failure = nullptr) {
  const auto answer = client.Post(path.c_str(), body.dump(), "application/json");
  if (!answer) {
    status = -1;
    if (failure) *failure = httplib::to_string(answer.error());
    return nullptr;
  }
  status = answer->status;
  return nlohmann::json::parse(answer->body);
}

// A metric's value from /metrics text, -1 when absent.
double metric(const std::string& text, const std::string& name) {
  const std::regex line("(^|\n)" + std::regex_replace(name, std::regex(R"([{}"+])"), R"(\$&)") + " ([0-9.e+-]+)");
  std::smatch match;
  return std::regex_search(text, match, line) ? std::stod(match[2]) : -1;
}

}  // namespace

TEST_CASE("server: 200 concurrent single-sentence requests give crossmt translate's lines", "[server]") {
  const auto lines = test_lines(200);
  REQUIRE(lines.size() == 200);
  std::string input;
  for (const auto& line : lines) input += line + "\n";
  const auto expected = crossmt::testing::run_crossmt("translate --to de", input);
  REQUIRE(expected.exit_status == 0);
  const auto expected_lines = crossmt::testing::split_lines(expected.out);
  REQUIRE(expected_lines.size() == 200);

  ServerProcess server({"--max-wait-ms", "20"});
  std::vector<std::string> translated(lines.size());
  std::vector<int> statuses(lines.size(), 0);
  std::vector<std::string> failures(lines.size());
  std::vector<std::thread> clients;
  for (size_t i = 0; i < lines.size(); ++i)
    clients.emplace_back([&, i] {
      auto client = server.client();
      const auto answer = post_json(client, "/translate", {{"q", lines[i]}, {"source", "en"}, {"target", "de"}},
                                    statuses[i], &failures[i]);
      if (statuses[i] == 200) translated[i] = answer["translatedText"].get<std::string>();
    });
  for (auto& client : clients) client.join();
  size_t differing = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    INFO("request " << i << ": " << failures[i]);
    CHECK(statuses[i] == 200);
    if (translated[i] != expected_lines[i]) ++differing;
  }
  CHECK(differing == 0);
  // The requests were batched together: fewer batches than sentences.
  auto client = server.client();
  const auto metrics = client.Get("/metrics");
  REQUIRE(metrics);
  const double batches = metric(metrics->body, "crossmt_batch_sentences_count");
  const double sentences = metric(metrics->body, "crossmt_batch_sentences_sum");
  CHECK(sentences == 200);
  CHECK(batches > 0);
  CHECK(batches < 100);
  CHECK(metric(metrics->body, "crossmt_http_requests_total{route=\"/translate\",status=\"200\"}") == 200);
  CHECK(server.terminate() == 0);
  // One JSON log line per request.
  size_t logged = 0;
  for (const auto& line : crossmt::testing::split_lines(server.log())) {
    const auto record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_object() && record["event"] == "request" && record["path"] == "/translate") {
      CHECK(record["status"] == 200);
      CHECK(record["method"] == "POST");
      ++logged;
    }
  }
  CHECK(logged == 200);
}

TEST_CASE("server: LibreTranslate's documented requests", "[server]") {
  ServerProcess server({});
  auto client = server.client();
  int status = 0;

  SECTION("GET /languages lists every source with its targets") {
    const auto answer = client.Get("/languages");
    REQUIRE(answer);
    CHECK(answer->status == 200);
    const auto languages = nlohmann::json::parse(answer->body);
    REQUIRE(languages.size() == 4);
    CHECK(languages[0] == nlohmann::json{{"code", "cs"}, {"name", "Czech"}, {"targets", {"de", "en", "fr"}}});
    CHECK(languages[2] == nlohmann::json{{"code", "en"}, {"name", "English"}, {"targets", {"cs", "de", "fr"}}});
  }
  SECTION("string q") {
    const auto answer =
        post_json(client, "/translate", {{"q", "A man is riding a bike."}, {"source", "en"}, {"target", "de"}}, status);
    CHECK(status == 200);
    CHECK(answer == nlohmann::json{{"translatedText", "Ein Mann fährt auf einem Fahrrad."}});
  }
  SECTION("array q") {
    const auto answer = post_json(
        client, "/translate",
        {{"q", {"A man is riding a bike.", "Two dogs play."}}, {"source", "en"}, {"target", "de"}, {"format", "text"}},
        status);
    CHECK(status == 200);
    REQUIRE(answer.size() == 1);
    REQUIRE(answer["translatedText"].size() == 2);
    CHECK(answer["translatedText"][0] == "Ein Mann fährt auf einem Fahrrad.");
    CHECK(answer["translatedText"][1].get<std::string>().size() > 0);
  }
  SECTION("form-encoded body, 3-letter codes too") {
    const httplib::Params form = {{"q", "A man is riding a bike."}, {"source", "eng"}, {"target", "de"}};
    const auto answer = client.Post("/translate", form);
    REQUIRE(answer);
    CHECK(answer->status == 200);
    CHECK(nlohmann::json::parse(answer->body) == nlohmann::json{{"translatedText", "Ein Mann fährt auf einem Fahrrad."}});
  }
  SECTION("alternatives: the n-best after the best") {
    const auto answer = post_json(
        client, "/translate",
        {{"q", "A man is riding a bike."}, {"source", "en"}, {"target", "de"}, {"alternatives", 2}}, status);
    CHECK(status == 200);
    REQUIRE(answer.size() == 2);
    CHECK(answer["translatedText"] == "Ein Mann fährt auf einem Fahrrad.");
    REQUIRE(answer["alternatives"].size() == 2);
    // The same as `crossmt translate --n-best 3`.
    const auto n_best = crossmt::testing::run_crossmt("translate --to de --n-best 3", "A man is riding a bike.\n");
    const auto n_best_lines = crossmt::testing::split_lines(n_best.out);
    REQUIRE(n_best_lines.size() == 3);
    CHECK(answer["alternatives"][0] == n_best_lines[1]);
    CHECK(answer["alternatives"][1] == n_best_lines[2]);
    const auto batch = post_json(
        client, "/translate",
        {{"q", {"A man is riding a bike.", "Two dogs play."}}, {"source", "en"}, {"target", "de"}, {"alternatives", 1}},
        status);
    CHECK(status == 200);
    REQUIRE(batch["alternatives"].size() == 2);
    CHECK(batch["alternatives"][0] == nlohmann::json::array({n_best_lines[1]}));
  }
  SECTION("format=html: text nodes translated, markup kept") {
    const auto answer = post_json(client, "/translate",
                                  {{"q", "<p class=\"x\">A man is riding a bike.</p>\n<b>Two dogs play.</b>"},
                                   {"source", "en"},
                                   {"target", "de"},
                                   {"format", "html"}},
                                  status);
    CHECK(status == 200);
    const std::string html = answer["translatedText"];
    const auto plain = post_json(client, "/translate", {{"q", "Two dogs play."}, {"source", "en"}, {"target", "de"}}, status);
    CHECK(html == "<p class=\"x\">Ein Mann fährt auf einem Fahrrad.</p>\n<b>" +
                      plain["translatedText"].get<std::string>() + "</b>");
  }
  SECTION("multi-line q: each line translated, line breaks kept") {
    const auto answer = post_json(
        client, "/translate", {{"q", "A man is riding a bike.\nA man is riding a bike."}, {"source", "en"}, {"target", "de"}},
        status);
    CHECK(answer["translatedText"] == "Ein Mann fährt auf einem Fahrrad.\nEin Mann fährt auf einem Fahrrad.");
  }
  CHECK(server.terminate() == 0);
}

TEST_CASE("server: native API records are crossmt translate's JSONL records", "[server]") {
  ServerProcess server({});
  auto client = server.client();
  int status = 0;
  const auto expected = crossmt::testing::run_crossmt("translate --to fr --format jsonl --n-best 2 --alignment hard",
                                                      "Two dogs play.\n");
  REQUIRE(expected.exit_status == 0);
  const auto answer = post_json(client, "/v1/translate",
                                {{"text", {"Two dogs play."}}, {"to", "fr"}, {"n_best", 2}, {"alignment", "hard"}}, status);
  CHECK(status == 200);
  CHECK(answer["model"] == "m30k-mul-marian");
  REQUIRE(answer["results"].size() == 1);
  CHECK(answer["results"][0] == nlohmann::json::parse(expected.out));

  const auto aligned_cli = crossmt::testing::run_crossmt("align --to de --scores --format jsonl", "Two dogs. ||| Zwei Hunde.\n");
  REQUIRE(aligned_cli.exit_status == 0);
  const auto aligned = post_json(
      client, "/v1/align", {{"source", "Two dogs."}, {"target", "Zwei Hunde."}, {"to", "de"}, {"scores", true}}, status);
  CHECK(status == 200);
  REQUIRE(aligned["results"].size() == 1);
  CHECK(aligned["results"][0] == nlohmann::json::parse(aligned_cli.out));

  const auto models = client.Get("/v1/models");
  REQUIRE(models);
  const auto list = nlohmann::json::parse(models->body);
  REQUIRE(list.size() == 1);
  CHECK(list[0]["parameters"] == 10077952);
  CHECK(list[0]["targets"] == nlohmann::json{"en", "de", "fr", "cs"});
}

TEST_CASE("server: the web page and its attention map", "[server]") {
  ServerProcess server({});
  auto client = server.client();
  const auto empty_page = client.Get("/");
  REQUIRE(empty_page);
  CHECK(empty_page->status == 200);
  CHECK(empty_page->body.find("<textarea id=\"text\"") != std::string::npos);
  // Self-contained: nothing fetched from elsewhere.
  CHECK_FALSE(std::regex_search(empty_page->body, std::regex(R"(https?://|<(script|link|img)[^>]+(src|href)=)")));
  const auto page = client.Get("/?from=en&to=de&text=A%20man%20is%20riding%20a%20bike.");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->body.find("<div id=\"output\" aria-live=\"polite\">Ein Mann fährt auf einem Fahrrad.</div>") !=
        std::string::npos);
  CHECK(page->body.find("id=&quot;map-1&quot;") != std::string::npos);
  int status = 0;
  const auto attention =
      post_json(client, "/v1/attention", {{"text", "A man is riding a bike.\nTwo dogs play."}, {"from", "en"}, {"to", "de"}}, status);
  CHECK(status == 200);
  CHECK(attention["translations"][0] == "Ein Mann fährt auf einem Fahrrad.");
  CHECK(attention["alignments"].size() == 2);
  const std::string html = attention["html"];
  CHECK(html.find("id=\"map-2\"") != std::string::npos);
  CHECK(html.find("\"layers\":3,\"heads\":4") != std::string::npos);
}

TEST_CASE("server: several models, picked by pair or by name", "[server]") {
  const std::string folder = CROSSMT_MODELS_DIR "/m30k-mul-marian";
  ServerProcess server({"--model", "first=" + folder, "--model", "second=" + folder});
  auto client = server.client();
  const auto models = client.Get("/v1/models");
  REQUIRE(models);
  const auto list = nlohmann::json::parse(models->body);
  REQUIRE(list.size() == 2);
  CHECK(list[1]["name"] == "second");
  int status = 0;
  const auto by_pair = post_json(client, "/v1/translate", {{"text", "Two dogs play."}, {"from", "en"}, {"to", "de"}}, status);
  CHECK(status == 200);
  CHECK(by_pair["model"] == "first");
  const auto by_name = post_json(client, "/v1/translate", {{"text", "Two dogs play."}, {"to", "de"}, {"model", "second"}}, status);
  CHECK(status == 200);
  CHECK(by_name["model"] == "second");
  CHECK(by_name["results"] == by_pair["results"]);
  post_json(client, "/v1/translate", {{"text", "Two dogs play."}, {"to", "de"}, {"model", "third"}}, status);
  CHECK(status == 400);
  CHECK(server.terminate() == 0);
}

TEST_CASE("server: the web page renders in headless Chromium", "[server]") {
  // tools/check_serve_page.sh skips (exit 0, "SKIPPED") where no Chromium is installed.
  const std::string command = "'" CROSSMT_MODELS_DIR "/../tools/check_serve_page.sh' \"$(dirname '" CROSSMT_BINARY
                              "')\" 2>&1";
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe);
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, n);
  const int status = ::pclose(pipe);
  INFO(output);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK((output.find("check_serve_page: OK") != std::string::npos || output.find("SKIPPED") != std::string::npos));
}

namespace {

// One POST over a fresh connection from `source_address` (any 127.0.0.0/8 address reaches the
// loopback server, so tests can be several clients by address). Returns "STATUS BODY".
std::string post_from(const std::string& source_address, int port, const std::string& path, const std::string& body) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in source{};
  source.sin_family = AF_INET;
  REQUIRE(::inet_pton(AF_INET, source_address.c_str(), &source.sin_addr) == 1);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&source), sizeof source) == 0);
  sockaddr_in server{};
  server.sin_family = AF_INET;
  server.sin_port = htons(static_cast<uint16_t>(port));
  server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&server), sizeof server) == 0);
  const std::string request = "POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
                              "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                              "\r\n\r\n" + body;
  REQUIRE(::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()));
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) answer.append(buffer, static_cast<size_t>(n));
  ::close(fd);
  const size_t body_start = answer.find("\r\n\r\n");
  if (!answer.starts_with("HTTP/1.1 ") || body_start == std::string::npos) return "no answer: " + answer;
  return answer.substr(9, 3) + " " + answer.substr(body_start + 4);
}

}  // namespace

TEST_CASE("server: --req-limit answers 429 once a key is over its limit, other keys unaffected", "[server]") {
  const auto keys = std::filesystem::temp_directory_path() / ("crossmt_req_limit_keys_" + std::to_string(::getpid()));
  std::ofstream(keys) << "key-a\nkey-b 5\n";  // key-a: --req-limit; key-b: its own 5 per minute
  ServerProcess server({"--req-limit", "3", "--api-keys", keys.string()});
  auto client = server.client();
  const auto post_with_key = [&](const std::string& path, const std::string& key) {
    nlohmann::json body = {{"q", "Two dogs play."}, {"text", "Two dogs play."}, {"source", "en"},
                           {"target", "de"},        {"to", "de"},               {"api_key", key}};
    return client.Post(path.c_str(), body.dump(), "application/json");
  };
  for (int i = 0; i < 3; ++i) {
    const auto answer = post_with_key("/translate", "key-a");
    REQUIRE(answer);
    CHECK(answer->status == 200);
  }
  const auto over = post_with_key("/translate", "key-a");
  REQUIRE(over);
  CHECK(over->status == 429);
  CHECK(over->body == R"({"error":"Slowdown: 3 per 1 minute"})");
  const int retry_after = std::atoi(over->get_header_value("Retry-After").c_str());
  CHECK(retry_after >= 1);
  CHECK(retry_after <= 60);
  // One count per client over every translating route.
  const auto native_over = post_with_key("/v1/translate", "key-a");
  REQUIRE(native_over);
  CHECK(native_over->status == 429);
  // Another key: its own count and its own limit.
  for (int i = 0; i < 5; ++i) {
    const auto answer = post_with_key(i % 2 ? "/v1/translate" : "/translate", "key-b");
    REQUIRE(answer);
    CHECK(answer->status == 200);
  }
  const auto b_over = post_with_key("/translate", "key-b");
  REQUIRE(b_over);
  CHECK(b_over->status == 429);
  CHECK(b_over->body == R"({"error":"Slowdown: 5 per 1 minute"})");
  // The language list, like LibreTranslate's, is not limited.
  const auto languages = client.Get("/languages");
  REQUIRE(languages);
  CHECK(languages->status == 200);
  const auto metrics = client.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metric(metrics->body, "crossmt_http_requests_total{route=\"/translate\",status=\"429\"}") == 2);
  CHECK(metric(metrics->body, "crossmt_http_requests_total{route=\"/v1/translate\",status=\"429\"}") == 1);
  CHECK(metric(metrics->body, "crossmt_request_limit_clients") == 2);
  CHECK(server.terminate() == 0);
  std::filesystem::remove(keys);
}

TEST_CASE("server: --req-limit without keys counts each remote address", "[server]") {
  ServerProcess server({"--req-limit", "2"});
  const std::string body = R"({"q": "Two dogs play.", "source": "en", "target": "de"})";
  CHECK(post_from("127.0.0.1", server.port(), "/translate", body).starts_with("200 "));
  // Without --api-keys an api_key field is ignored, whatever it holds (as before limits existed).
  const std::string with_number_key = R"({"q": "Two dogs play.", "source": "en", "target": "de", "api_key": 5})";
  CHECK(post_from("127.0.0.1", server.port(), "/translate", with_number_key).starts_with("200 "));
  CHECK(post_from("127.0.0.1", server.port(), "/translate", body) == R"(429 {"error":"Slowdown: 2 per 1 minute"})");
  CHECK(post_from("127.0.0.2", server.port(), "/translate", body).starts_with("200 "));
  CHECK(post_from("127.0.0.1", server.port(), "/translate", body).starts_with("429 "));
  CHECK(server.terminate() == 0);
}

namespace {

// A copy of the default model (links to its files) whose config.json is a FIFO: a server loading
// it waits in open() until the test writes the real file in, so the test decides how long the
// server stays "loading", without any test hook in the server.
class HeldModelFolder {
 public:
  HeldModelFolder() : folder_(crossmt::testing::cli_scratch_folder() / "held-model") {
    const std::filesystem::path model = CROSSMT_MODELS_DIR "/m30k-mul-marian";
    std::filesystem::create_directories(folder_);
    for (const auto& entry : std::filesystem::directory_iterator(model))
      if (entry.path().filename() != "config.json")
        std::filesystem::create_symlink(entry.path(), folder_ / entry.path().filename());
    if (::mkfifo(fifo().c_str(), 0600) != 0) throw std::runtime_error("mkfifo failed");
    std::ifstream in(model / "config.json", std::ios::binary);
    config_.assign(std::istreambuf_iterator<char>(in), {});
  }
  ~HeldModelFolder() {
    release(std::chrono::seconds(5));
    std::filesystem::remove_all(folder_.parent_path());
  }
  std::string path() const { return folder_.string(); }

  // Writes config.json into the FIFO once its reader (the loading server) has opened it; false
  // when no reader came within `limit`.
  bool release(std::chrono::seconds limit = std::chrono::seconds(60)) {
    if (released_) return true;
    released_ = true;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int fd;
    while ((fd = ::open(fifo().c_str(), O_WRONLY | O_NONBLOCK)) < 0) {  // ENXIO: no reader yet
      if (errno != ENXIO || std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::fcntl(fd, F_SETFL, 0);  // blocking writes from here on
    size_t written = 0;
    while (written < config_.size()) {
      const ssize_t n = ::write(fd, config_.data() + written, config_.size() - written);
      if (n <= 0) break;
      written += static_cast<size_t>(n);
    }
    ::close(fd);
    return written == config_.size();
  }

 private:
  std::string fifo() const { return (folder_ / "config.json").string(); }
  std::filesystem::path folder_;
  std::string config_;
  bool released_ = false;
};

// Releases the held model when leaving the test early, before the server is stopped (a server
// stuck in open() would only die to SIGKILL after ServerProcess's minute).
struct ReleaseOnExit {
  HeldModelFolder& model;
  ~ReleaseOnExit() { model.release(std::chrono::seconds(5)); }
};

}  // namespace

TEST_CASE("server: /health answers loading until the models are loaded, requests 503 meanwhile", "[server]") {
  HeldModelFolder model;
  // Returns as soon as the server logs its port: it listens before loading.
  ServerProcess server({"-m", model.path()}, ServerProcess::WaitFor::Listening);
  const ReleaseOnExit release_on_exit{model};
  auto client = server.client(std::chrono::seconds(30));
  const auto loading = client.Get("/health");
  REQUIRE(loading);
  CHECK(loading->status == 503);
  CHECK(loading->body == R"({"status":"loading"})");
  const auto early = client.Post("/translate", R"({"q": "Two dogs play.", "source": "en", "target": "de"})",
                                 "application/json");
  REQUIRE(early);
  CHECK(early->status == 503);
  CHECK(early->body == R"({"error":"the server is loading its models"})");
  CHECK(early->get_header_value("Retry-After") == "1");
  const auto metrics = client.Get("/metrics");  // monitoring works meanwhile
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  CHECK(server.log().find("model_loaded") == std::string::npos);

  REQUIRE(model.release());
  server.wait_until_ready();
  const auto ready = client.Get("/health");
  REQUIRE(ready);
  CHECK(ready->status == 200);
  CHECK(ready->body == R"({"status":"ready"})");
  const auto translated = client.Post("/translate", R"({"q": "Two dogs play.", "source": "en", "target": "de"})",
                                      "application/json");
  REQUIRE(translated);
  CHECK(translated->status == 200);
  CHECK(nlohmann::json::parse(translated->body)["translatedText"] == "Zwei Hunde spielen.");
  CHECK(server.terminate() == 0);
}
