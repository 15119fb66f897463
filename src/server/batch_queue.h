#pragma once
// Dynamic batching across requests: the sentences of concurrent requests wait in one queue and are
// cut into batches by a token budget and a maximum wait, each batch run by one of the
// Translator's workers. Batches take sentences round-robin from the waiting requests, so a long
// request is split and cannot starve short ones. Only requests with the same search settings share
// a batch; a sampling request (or every request, with batching off) runs alone, exactly as
// `crossmt translate` would run its lines.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <future>
#include <list>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "crossmt/search_options.h"
#include "crossmt/translator.h"

namespace crossmt::server {

struct BatchQueueOptions {
  int max_batch_tokens = 1024;  // padded source tokens per batch
  std::chrono::milliseconds max_wait{5};
  size_t max_queued_sentences = 2048;
  bool batching = true;  // false: each request is translated alone, one request per batch
};

// Thrown by submit() when the queue cannot take the request now (full, or shutting down).
struct QueueFull : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What the queue did with one batch, for the metrics.
struct BatchReport {
  size_t sentences = 0, generated_tokens = 0;
  double seconds = 0;
};

class BatchQueue {
 public:
  using BatchObserver = std::function<void(const BatchReport&)>;

  // One dispatching thread per Translator worker.
  BatchQueue(const Translator& translator, const BatchQueueOptions& options, BatchObserver observer = nullptr);
  ~BatchQueue();  // stop()
  BatchQueue(const BatchQueue&) = delete;
  BatchQueue& operator=(const BatchQueue&) = delete;

  // Queues the sources (EOS-terminated ids; empty = nothing to translate) and returns their
  // results in order, as Translator::translate_ids would. Throws QueueFull when the sentences do
  // not fit in the queue or the queue is stopping, crossmt::Error when they never could.
  std::future<std::vector<TranslationResult>> submit(std::vector<std::vector<int>> sources,
                                                     const SearchOptions& search);

  // Refuses new requests, translates everything already queued, then joins the threads.
  void stop();

  size_t queued_sentences() const;
  size_t accepted_sentences() const;  // ever queued

 private:
  struct Request;
  struct Batch;
  void dispatch();
  Batch collect(std::unique_lock<std::mutex>& lock);
  void run(Batch& batch) const;

  const Translator& translator_;
  const BatchQueueOptions options_;
  const BatchObserver observer_;
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::list<std::shared_ptr<Request>> waiting_;  // requests with sentences not yet in a batch
  size_t queued_sentences_ = 0, accepted_sentences_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> dispatchers_;
};

}  // namespace crossmt::server
