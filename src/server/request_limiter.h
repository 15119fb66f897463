#pragma once
// Requests per minute per client (`crossmt serve --req-limit`, and per-key limits of --api-keys),
// counted in fixed windows like flask-limiter's default strategy, which LibreTranslate uses: a
// client's window opens at its first request and its count starts again when the window ends.
#include <array>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace crossmt::server {

class RequestLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  // An API key and an address are different clients even when spelled alike.
  enum class ClientKind { ApiKey = 0, Address = 1 };
  struct Verdict {
    bool allowed = true;
    int retry_after_s = 0;  // when refused: seconds until the client's window ends (at least 1)
  };

  // max_clients bounds the memory: at most that many clients are counted at once.
  explicit RequestLimiter(size_t max_clients = 100'000, Clock::duration window = std::chrono::minutes(1));

  // Counts one request of `client`; refused once `limit` requests were allowed in its current
  // window. limit 0: no limit, nothing recorded.
  Verdict admit(ClientKind kind, const std::string& client, size_t limit, Clock::time_point now = Clock::now());

  size_t tracked_clients() const;
  // Clients let through uncounted because max_clients were already counted in their windows.
  size_t untracked_admissions() const;

 private:
  struct Window {
    Clock::time_point start;
    size_t count = 0;
  };
  void forget_ended_windows(Clock::time_point now);

  const size_t max_clients_;
  const Clock::duration window_;
  mutable std::mutex mutex_;
  std::array<std::unordered_map<std::string, Window>, 2> windows_;  // by ClientKind
  size_t tracked_ = 0;
  size_t untracked_admissions_ = 0;
  Clock::time_point last_sweep_{};
};

}  // namespace crossmt::server
