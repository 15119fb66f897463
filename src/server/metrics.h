#pragma once
// Counters of a running server, written as Prometheus text (GET /metrics).
#include <array>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "batch_queue.h"

namespace crossmt::server {

class Metrics {
 public:
  void record_request(const std::string& route, int status, double seconds);
  void record_batch(const BatchReport& report);
  // The queues' state now, summed over the models.
  struct QueueState {
    size_t queued_sentences = 0, accepted_sentences = 0;
  };
  // The request limiter's state now (--req-limit).
  struct LimiterState {
    size_t clients = 0, untracked_admissions = 0;
  };
  std::string prometheus_text(const QueueState& queues, const LimiterState& limiter) const;

 private:
  static constexpr std::array<double, 12> kLatencyBounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                          0.5,   1,    2.5,   5,    10,  30};
  static constexpr std::array<double, 9> kBatchBounds{1, 2, 4, 8, 16, 32, 64, 128, 256};

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, size_t> requests_;  // (route, status) -> count
  std::array<size_t, kLatencyBounds.size()> latency_buckets_{};
  size_t latency_count_ = 0;
  double latency_sum_ = 0;
  std::array<size_t, kBatchBounds.size()> batch_buckets_{};
  size_t batches_ = 0, batch_sentences_ = 0, generated_tokens_ = 0;
  double translation_seconds_ = 0;
};

}  // namespace crossmt::server
