#include "request_limiter.h"

#include <algorithm>

namespace crossmt::server {

RequestLimiter::RequestLimiter(size_t max_clients, Clock::duration window) : max_clients_(max_clients), window_(window) {}

RequestLimiter::Verdict RequestLimiter::admit(ClientKind kind, const std::string& client, size_t limit,
                                              Clock::time_point now) {
  if (limit == 0) return {};
  std::lock_guard lock(mutex_);
  // A sweep visits every client: often enough that ended windows do not crowd out new clients,
  // seldom enough that its cost is nothing per request.
  if (now - last_sweep_ >= window_ / 6) forget_ended_windows(now);
  auto& windows = windows_[static_cast<size_t>(kind)];
  auto found = windows.find(client);
  if (found == windows.end()) {
    // Full of clients in their windows (a flood of addresses): let this one through rather
    // than refuse a client that sent nothing, or forget one that is being limited.
    if (tracked_ >= max_clients_) {
      ++untracked_admissions_;
      return {};
    }
    found = windows.try_emplace(client, Window{now, 0}).first;
    ++tracked_;
  }
  Window& current = found->second;
  if (now - current.start >= window_) current = Window{now, 0};
  if (current.count >= limit) {
    const auto left = current.start + window_ - now;
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(left).count();
    return {false, static_cast<int>(std::max<decltype(seconds)>(seconds, 1))};
  }
  ++current.count;
  return {};
}

void RequestLimiter::forget_ended_windows(Clock::time_point now) {
  for (auto& windows : windows_)
    tracked_ -= std::erase_if(windows, [&](const auto& entry) { return now - entry.second.start >= window_; });
  last_sweep_ = now;
}

size_t RequestLimiter::tracked_clients() const {
  std::lock_guard lock(mutex_);
  return tracked_;
}

size_t RequestLimiter::untracked_admissions() const {
  std::lock_guard lock(mutex_);
  return untracked_admissions_;
}

}  // namespace crossmt::server
