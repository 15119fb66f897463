// The server's request limit in-process: fixed one-minute windows per client, a bounded client
// map, and the --api-keys file with per-key limits.
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "../src/server/request_limiter.h"
#include "../src/server/server_context.h"
#include "crossmt/error.h"

using crossmt::server::RequestLimiter;
using Kind = RequestLimiter::ClientKind;
using namespace std::chrono_literals;

TEST_CASE("request limiter: N per window, then refused until the window ends", "[server]") {
  RequestLimiter limiter;
  const auto start = RequestLimiter::Clock::now();
  for (int i = 0; i < 3; ++i) CHECK(limiter.admit(Kind::Address, "10.0.0.1", 3, start + i * 1s).allowed);
  const auto refused = limiter.admit(Kind::Address, "10.0.0.1", 3, start + 20s);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after_s == 40);  // the window opened at the first request
  CHECK(limiter.admit(Kind::Address, "10.0.0.1", 3, start + 59500ms).retry_after_s == 1);  // rounded up
  // Another address, and an API key spelled like the address, have their own counts.
  CHECK(limiter.admit(Kind::Address, "10.0.0.2", 3, start + 20s).allowed);
  CHECK(limiter.admit(Kind::ApiKey, "10.0.0.1", 3, start + 20s).allowed);
  // A new window: three more.
  for (int i = 0; i < 3; ++i) CHECK(limiter.admit(Kind::Address, "10.0.0.1", 3, start + 60s).allowed);
  CHECK_FALSE(limiter.admit(Kind::Address, "10.0.0.1", 3, start + 61s).allowed);
  // Limit 0: no limit, nothing recorded.
  RequestLimiter unlimited;
  for (int i = 0; i < 1000; ++i) CHECK(unlimited.admit(Kind::Address, "10.0.0.1", 0, start).allowed);
  CHECK(unlimited.tracked_clients() == 0);
}

TEST_CASE("request limiter: ended windows are forgotten, and the client map is bounded", "[server]") {
  RequestLimiter limiter(2);
  const auto start = RequestLimiter::Clock::now();
  CHECK(limiter.admit(Kind::Address, "a", 1, start).allowed);
  CHECK_FALSE(limiter.admit(Kind::Address, "a", 1, start).allowed);
  CHECK(limiter.admit(Kind::Address, "b", 1, start).allowed);
  CHECK(limiter.tracked_clients() == 2);
  // Full of clients in their windows: a third is let through, uncounted.
  for (int i = 0; i < 5; ++i) CHECK(limiter.admit(Kind::Address, "c", 1, start + 1s).allowed);
  CHECK(limiter.untracked_admissions() == 5);
  CHECK(limiter.tracked_clients() == 2);
  // Still limited: the clients already counted.
  CHECK_FALSE(limiter.admit(Kind::Address, "a", 1, start + 1s).allowed);
  // Once their windows end, the sweep frees their places.
  CHECK(limiter.admit(Kind::Address, "c", 1, start + 61s).allowed);
  CHECK(limiter.tracked_clients() == 1);
  CHECK_FALSE(limiter.admit(Kind::Address, "c", 1, start + 62s).allowed);
  CHECK(limiter.untracked_admissions() == 5);
}

TEST_CASE("api keys file: a key per line, optionally with its own requests per minute", "[server]") {
  const auto path = std::filesystem::temp_directory_path() / ("crossmt_limit_keys_" + std::to_string(::getpid()));
  const auto read = [&](const std::string& text) {
    std::ofstream(path) << text;
    return crossmt::server::read_api_keys(path.string());
  };
  const auto keys = read("# accepted keys\r\n  plain-key \r\n\nlimited-key\t30\r\n");
  CHECK(keys == std::map<std::string, size_t>{{"plain-key", 0}, {"limited-key", 30}});
  CHECK_THROWS_WITH(read("key 0\n"), Catch::Contains(":1: expected KEY or KEY REQUESTS_PER_MINUTE"));
  CHECK_THROWS_WITH(read("a\nkey ten\n"), Catch::Contains(":2: expected KEY"));
  CHECK_THROWS_WITH(read("key 10 20\n"), Catch::Contains("expected KEY"));
  CHECK_THROWS_WITH(read("key 10x\n"), Catch::Contains("expected KEY"));
  CHECK_THROWS_WITH(read("# only a comment\n"), Catch::Contains("no API key in the file"));
  std::filesystem::remove(path);
}
