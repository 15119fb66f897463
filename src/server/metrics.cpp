#include "metrics.h"

#include <sstream>

namespace crossmt::server {

void Metrics::record_request(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  for (size_t b = 0; b < kLatencyBounds.size(); ++b)
    if (seconds <= kLatencyBounds[b]) ++latency_buckets_[b];
  ++latency_count_;
  latency_sum_ += seconds;
}

void Metrics::record_batch(const BatchReport& report) {
  std::lock_guard lock(mutex_);
  for (size_t b = 0; b < kBatchBounds.size(); ++b)
    if (static_cast<double>(report.sentences) <= kBatchBounds[b]) ++batch_buckets_[b];
  ++batches_;
  batch_sentences_ += report.sentences;
  generated_tokens_ += report.generated_tokens;
  translation_seconds_ += report.seconds;
}

std::string Metrics::prometheus_text(const QueueState& queues, const LimiterState& limiter) const {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  out << "# HELP crossmt_http_requests_total HTTP requests answered, by route and status.\n"
         "# TYPE crossmt_http_requests_total counter\n";
  for (const auto& [key, count] : requests_)
    out << "crossmt_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} " << count
        << "\n";
  out << "# HELP crossmt_http_request_duration_seconds Time from the request's arrival to its answer.\n"
         "# TYPE crossmt_http_request_duration_seconds histogram\n";
  for (size_t b = 0; b < kLatencyBounds.size(); ++b)
    out << "crossmt_http_request_duration_seconds_bucket{le=\"" << kLatencyBounds[b] << "\"} " << latency_buckets_[b]
        << "\n";
  out << "crossmt_http_request_duration_seconds_bucket{le=\"+Inf\"} " << latency_count_ << "\n"
      << "crossmt_http_request_duration_seconds_sum " << latency_sum_ << "\n"
      << "crossmt_http_request_duration_seconds_count " << latency_count_ << "\n";
  out << "# HELP crossmt_queue_sentences Sentences waiting for a batch.\n"
         "# TYPE crossmt_queue_sentences gauge\n"
      << "crossmt_queue_sentences " << queues.queued_sentences << "\n";
  out << "# HELP crossmt_accepted_sentences_total Sentences ever accepted into the queue.\n"
         "# TYPE crossmt_accepted_sentences_total counter\n"
      << "crossmt_accepted_sentences_total " << queues.accepted_sentences << "\n";
  out << "# HELP crossmt_batch_sentences Sentences per translated batch.\n"
         "# TYPE crossmt_batch_sentences histogram\n";
  for (size_t b = 0; b < kBatchBounds.size(); ++b)
    out << "crossmt_batch_sentences_bucket{le=\"" << kBatchBounds[b] << "\"} " << batch_buckets_[b] << "\n";
  out << "crossmt_batch_sentences_bucket{le=\"+Inf\"} " << batches_ << "\n"
      << "crossmt_batch_sentences_sum " << batch_sentences_ << "\n"
      << "crossmt_batch_sentences_count " << batches_ << "\n";
  out << "# HELP crossmt_generated_tokens_total Target tokens generated (EOS included).\n"
         "# TYPE crossmt_generated_tokens_total counter\n"
      << "crossmt_generated_tokens_total " << generated_tokens_ << "\n";
  out << "# HELP crossmt_translation_seconds_total Time the workers spent translating batches.\n"
         "# TYPE crossmt_translation_seconds_total counter\n"
      << "crossmt_translation_seconds_total " << translation_seconds_ << "\n";
  out << "# HELP crossmt_generated_tokens_per_second Generated tokens per second of translation time.\n"
         "# TYPE crossmt_generated_tokens_per_second gauge\n"
      << "crossmt_generated_tokens_per_second "
      << (translation_seconds_ > 0 ? generated_tokens_ / translation_seconds_ : 0.0) << "\n";
  out << "# HELP crossmt_request_limit_clients Clients counted by the request limiter (--req-limit).\n"
         "# TYPE crossmt_request_limit_clients gauge\n"
      << "crossmt_request_limit_clients " << limiter.clients << "\n";
  out << "# HELP crossmt_request_limit_untracked_total Requests let through uncounted: the limiter was full.\n"
         "# TYPE crossmt_request_limit_untracked_total counter\n"
      << "crossmt_request_limit_untracked_total " << limiter.untracked_admissions << "\n";
  return out.str();
}

}  // namespace crossmt::server
