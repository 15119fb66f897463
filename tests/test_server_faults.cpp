// `crossmt serve` under bad input and bad clients: each answer is a clear JSON error with the
// right status, and the server keeps serving (the ASan build runs these too: no crash, no leak).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "server_process.h"

using crossmt::testing::ServerProcess;

namespace {

const nlohmann::json kBike = {{"q", "A man is riding a bike."}, {"source", "en"}, {"target", "de"}};
const std::string kBikeGerman = "Ein Mann fährt auf einem Fahrrad.";

struct Answer {
  int status = -1;
  nlohmann::json body;
  std::string retry_after;
};

Answer post(const ServerProcess& server, const std::string& path, const std::string& body,
            const std::string& content_type = "application/json") {
  auto client = server.client();
  const auto answer = client.Post(path.c_str(), body, content_type.c_str());
  Answer result;
  if (!answer) return result;
  result.status = answer->status;
  result.body = nlohmann::json::parse(answer->body, nullptr, false);
  result.retry_after = answer->get_header_value("Retry-After");
  return result;
}

std::string error_of(const Answer& answer) {
  return answer.body.is_object() && answer.body.contains("error") ? answer.body["error"].get<std::string>() : "";
}

// A raw TCP connection, for clients that misbehave below HTTP.
int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  return fd;
}

void send_all(int fd, const std::string& text) {
  size_t sent = 0;
  while (sent < text.size()) {
    const ssize_t n = ::send(fd, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<size_t>(n);
  }
}

double metric(const ServerProcess& server, const std::string& name) {
  auto client = server.client();
  const auto answer = client.Get("/metrics");
  if (!answer) return -1;
  std::smatch match;
  const std::regex line("(^|\n)" + name + " ([0-9.e+-]+)");
  return std::regex_search(answer->body, match, line) ? std::stod(match[2]) : -1;
}

}  // namespace

TEST_CASE("server faults: malformed and mistyped requests get 400 with a reason", "[server]") {
  ServerProcess server({"--char-limit", "100"});
  CHECK(error_of(post(server, "/translate", "{\"q\": \"x\",")) == "Invalid request: the body is not valid JSON");
  CHECK(post(server, "/translate", "{\"q\": \"x\",").status == 400);
  CHECK(post(server, "/translate", "[1, 2]").status == 400);
  const Answer number_q = post(server, "/translate", R"({"q": 5, "source": "en", "target": "de"})");
  CHECK(number_q.status == 400);
  CHECK(error_of(number_q) == "Invalid request: 'q' must be a string or an array of strings");
  CHECK(post(server, "/translate", R"({"q": ["a", 2], "source": "en", "target": "de"})").status == 400);
  const Answer bad_source = post(server, "/translate", R"({"q": "a", "source": 7, "target": "de"})");
  CHECK(bad_source.status == 400);
  CHECK(error_of(bad_source) == "Invalid request: 'source' must be a string");
  CHECK(post(server, "/translate", R"({"q": "a", "source": "en", "target": "de", "alternatives": "x"})").status == 400);
  CHECK(post(server, "/translate", R"({"q": "a", "source": "en", "target": "de", "alternatives": 99})").status == 400);
  CHECK(error_of(post(server, "/translate", R"({"source": "en", "target": "de"})")) ==
        "Invalid request: missing q parameter");
  CHECK(error_of(post(server, "/translate", R"({"q": "a", "source": "en", "target": "de", "format": "pdf"})")) ==
        "pdf format is not supported");
  CHECK(post(server, "/v1/translate", R"({"text": "a", "to": "de", "beam_size": 0})").status == 400);
  CHECK(post(server, "/v1/translate", R"({"text": "a", "to": "de", "n_best": 3, "beam_size": 2})").status == 400);
  CHECK(post(server, "/v1/align", R"({"source": ["a", "b"], "target": ["c"], "to": "de"})").status == 400);
  // Invalid UTF-8 can only come in a form body (JSON parsing refuses it).
  const Answer bad_utf8 = post(server, "/translate", "q=%FF%FE&source=en&target=de", "application/x-www-form-urlencoded");
  CHECK(bad_utf8.status == 400);
  CHECK(error_of(bad_utf8).find("invalid UTF-8") != std::string::npos);

  SECTION("character limit") {
    const Answer over = post(server, "/translate", nlohmann::json{{"q", std::string(101, 'a')}, {"source", "en"}, {"target", "de"}}.dump());
    CHECK(over.status == 400);
    CHECK(error_of(over) == "Invalid request: request (101) exceeds text limit (100)");
    // Characters, not bytes: 100 two-byte letters fit.
    std::string umlauts;
    for (int i = 0; i < 50; ++i) umlauts += "ä ";
    CHECK(post(server, "/translate", nlohmann::json{{"q", umlauts}, {"source", "en"}, {"target", "de"}}.dump()).status == 200);
  }
  SECTION("unknown languages") {
    const Answer target = post(server, "/translate", R"({"q": "a", "source": "en", "target": "xx"})");
    CHECK(target.status == 400);
    CHECK(error_of(target) == "xx is not supported");
    CHECK(error_of(post(server, "/translate", R"({"q": "a", "source": "zz", "target": "de"})")) == "zz is not supported");
    const Answer automatic = post(server, "/translate", R"({"q": "a", "source": "auto", "target": "de"})");
    CHECK(automatic.status == 400);
    CHECK(error_of(automatic).find("auto") != std::string::npos);
    CHECK(post(server, "/v1/translate", R"({"text": "a", "to": "xx"})").status == 400);
  }
  SECTION("a 10 MB body is refused with 413, and the server goes on") {
    const Answer huge = post(server, "/translate", std::string(10 << 20, 'a'));
    CHECK(huge.status == 413);
    CHECK(error_of(huge) == "Request body too large (limit 1048576 bytes)");
    const Answer after = post(server, "/translate", kBike.dump());
    CHECK(after.status == 200);
    CHECK(after.body["translatedText"] == kBikeGerman);
  }
  CHECK(server.terminate() == 0);
}

TEST_CASE("server faults: API keys", "[server]") {
  const auto keys = std::filesystem::temp_directory_path() / ("crossmt_keys_" + std::to_string(::getpid()));
  std::ofstream(keys) << "# accepted keys\nsecret-1\n\nsecret-2\n";
  ServerProcess server({"--api-keys", keys.string()});
  const Answer missing = post(server, "/translate", kBike.dump());
  CHECK(missing.status == 403);
  CHECK(error_of(missing) == "Missing API key");
  nlohmann::json with_key = kBike;
  with_key["api_key"] = "wrong";
  const Answer wrong = post(server, "/translate", with_key.dump());
  CHECK(wrong.status == 403);
  CHECK(error_of(wrong) == "Invalid API key");
  with_key["api_key"] = "secret-2";
  const Answer right = post(server, "/translate", with_key.dump());
  CHECK(right.status == 200);
  CHECK(right.body["translatedText"] == kBikeGerman);
  CHECK(post(server, "/v1/translate", R"({"text": "a", "to": "de"})").status == 403);
  CHECK(server.terminate() == 0);
  std::filesystem::remove(keys);
}

TEST_CASE("server faults: clients that disconnect or send slowly", "[server]") {
  ServerProcess server({"--read-timeout", "1"});
  // Half a body, then gone.
  int fd = connect_to(server.port());
  send_all(fd, "POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"q\":");
  ::close(fd);
  // A whole request, gone before the answer: the translation finishes and is dropped.
  fd = connect_to(server.port());
  const std::string body = nlohmann::json{{"q", {"A man is riding a bike.", "Two dogs play.", "A woman sings."}},
                                          {"source", "en"},
                                          {"target", "fr"}}
                                .dump();
  send_all(fd, "POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
                   std::to_string(body.size()) + "\r\n\r\n" + body);
  ::close(fd);
  // A slow client: headers, then silence. The server hangs up after the read timeout, and
  // serves others meanwhile.
  const int slow = connect_to(server.port());
  send_all(slow, "POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
  const auto start = std::chrono::steady_clock::now();
  const Answer meanwhile = post(server, "/translate", kBike.dump());
  CHECK(meanwhile.status == 200);
  CHECK(meanwhile.body["translatedText"] == kBikeGerman);
  timeval limit{10, 0};
  ::setsockopt(slow, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  char buffer[512];
  const ssize_t received = ::recv(slow, buffer, sizeof buffer - 1, 0);
  const double held = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(held < 5);  // given up by the server (read timeout 1 s), not by our 10 s limit
  if (received > 0) CHECK(std::string(buffer, static_cast<size_t>(received)).starts_with("HTTP/1.1 400"));
  ::close(slow);
  CHECK(post(server, "/translate", kBike.dump()).status == 200);
  CHECK(server.terminate() == 0);
}

TEST_CASE("server faults: a full queue answers 503 with Retry-After, then recovers", "[server]") {
  ServerProcess server({"--max-queue", "4", "--max-wait-ms", "300", "--max-batch-tokens", "4096"});
  const nlohmann::json request = {{"q", {"A man is riding a bike.", "Two dogs play."}}, {"source", "en"}, {"target", "de"}};
  std::vector<Answer> answers(12);
  std::vector<std::thread> clients;
  for (auto& answer : answers) clients.emplace_back([&] { answer = post(server, "/translate", request.dump()); });
  for (auto& client : clients) client.join();
  size_t full = 0, translated = 0;
  for (const auto& answer : answers) {
    if (answer.status == 503) {
      ++full;
      CHECK(answer.retry_after == "1");
      CHECK(error_of(answer).find("queue is full") != std::string::npos);
    } else {
      CHECK(answer.status == 200);
      CHECK(answer.body["translatedText"][0] == kBikeGerman);
      ++translated;
    }
  }
  CHECK(full > 0);
  CHECK(translated >= 2);
  const Answer after = post(server, "/translate", request.dump());
  CHECK(after.status == 200);
  CHECK(metric(server, "crossmt_queue_sentences") == 0);
  CHECK(server.terminate() == 0);
}

TEST_CASE("server faults: SIGTERM under load answers every accepted request, then exits 0", "[server]") {
  ServerProcess server({"--max-batch-tokens", "64"});
  std::vector<std::string> lines;
  std::ifstream in(CROSSMT_MODELS_DIR "/../data/multi30k/test_2016_flickr.en");
  for (std::string line; lines.size() < 160 && std::getline(in, line);) lines.push_back(line);
  constexpr size_t kRequests = 20, kPerRequest = 8;
  std::vector<Answer> answers(kRequests);
  std::vector<std::thread> clients;
  for (size_t r = 0; r < kRequests; ++r)
    clients.emplace_back([&, r] {
      const std::vector<std::string> q(lines.begin() + r * kPerRequest, lines.begin() + (r + 1) * kPerRequest);
      answers[r] = post(server, "/translate", nlohmann::json{{"q", q}, {"source", "en"}, {"target", "de"}}.dump());
    });
  // Every request accepted before the signal, most of the work still to do.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (metric(server, "crossmt_accepted_sentences_total") < kRequests * kPerRequest &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK(metric(server, "crossmt_queue_sentences") > 0);
  const int status = server.terminate();
  for (auto& client : clients) client.join();
  CHECK(status == 0);
  for (const auto& answer : answers) {
    CHECK(answer.status == 200);
    CHECK(answer.body["translatedText"].size() == kPerRequest);
  }
}

TEST_CASE("server faults: form-encoded bodies above cpp-httplib's 8 KB get 413 naming that limit", "[server]") {
  ServerProcess server({});
  std::string form = "source=en&target=de&q=";
  for (int i = 0; i < 2500; ++i) form += "a%20";
  const Answer answer = post(server, "/translate", form, "application/x-www-form-urlencoded");
  CHECK(answer.status == 413);
  CHECK(error_of(answer) == "Form-encoded body too large (limit 8192 bytes); send JSON for more");
  CHECK(server.terminate() == 0);
}
