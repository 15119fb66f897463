#include "batch_queue.h"

#include <algorithm>
#include <climits>
#include <sstream>

#include "crossmt/error.h"

namespace crossmt::server {
namespace {

// Requests whose settings print the same may share a batch: every field a search reads.
std::string search_key(const SearchOptions& search) {
  std::ostringstream key;
  key << search.max_length << ' ' << search.min_length << ' ' << search.num_beams << ' '
      << search.num_return_sequences << ' ' << search.length_penalty << ' ' << static_cast<int>(search.early_stopping)
      << ' ' << search.forced_bos_token_id << ' ' << search.forced_eos_token_id << ' ' << search.no_repeat_ngram_size
      << ' ' << search.repetition_penalty << ' ' << search.do_sample << ' ' << search.top_k << ' ' << search.top_p << ' '
      << search.temperature << ' ' << search.decoder_start_token_id << ' ' << search.bos_token_id << ' '
      << search.eos_token_id << ' ' << search.pad_token_id << ' ' << search.seed << ' ';
  for (const auto& words : search.bad_words_ids) {
    for (int id : words) key << id << ',';
    key << ';';
  }
  return key.str();
}

}  // namespace

struct BatchQueue::Request {
  SearchOptions search;
  std::string key;
  bool shares_batches = true;
  std::vector<std::vector<int>> sources;
  std::vector<size_t> pending;  // indices of the non-empty sources, in order
  size_t next_pending = 0;      // pending[next_pending...] are not in a batch yet
  size_t unfinished = 0;
  std::vector<TranslationResult> results;
  std::promise<std::vector<TranslationResult>> done;
  std::chrono::steady_clock::time_point arrival;
};

struct BatchQueue::Batch {
  struct Sentence {
    std::shared_ptr<Request> request;
    size_t index;
  };
  std::vector<Sentence> sentences;
  bool alone = false;  // one whole request, batched as `crossmt translate` batches its input
};

BatchQueue::BatchQueue(const Translator& translator, const BatchQueueOptions& options, BatchObserver observer)
    : translator_(translator), options_(options), observer_(std::move(observer)) {
  for (int i = 0; i < translator.workers(); ++i) dispatchers_.emplace_back([this] { dispatch(); });
}

BatchQueue::~BatchQueue() { stop(); }

void BatchQueue::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  arrived_.notify_all();
  for (auto& thread : dispatchers_)
    if (thread.joinable()) thread.join();
}

size_t BatchQueue::queued_sentences() const {
  std::lock_guard lock(mutex_);
  return queued_sentences_;
}

size_t BatchQueue::accepted_sentences() const {
  std::lock_guard lock(mutex_);
  return accepted_sentences_;
}

std::future<std::vector<TranslationResult>> BatchQueue::submit(std::vector<std::vector<int>> sources,
                                                               const SearchOptions& search) {
  auto request = std::make_shared<Request>();
  request->search = search;
  request->key = search_key(search);
  request->shares_batches = options_.batching && !search.do_sample;
  request->results.resize(sources.size());
  for (size_t i = 0; i < sources.size(); ++i)
    if (!sources[i].empty()) request->pending.push_back(i);
  request->sources = std::move(sources);
  request->unfinished = request->pending.size();
  auto future = request->done.get_future();
  if (request->pending.empty()) {
    request->done.set_value(std::move(request->results));
    return future;
  }
  if (request->pending.size() > options_.max_queued_sentences)
    throw Error(std::to_string(request->pending.size()) + " sentences in one request; the queue holds at most " +
                std::to_string(options_.max_queued_sentences));
  {
    std::lock_guard lock(mutex_);
    if (stopping_) throw QueueFull("the server is shutting down");
    if (queued_sentences_ + request->pending.size() > options_.max_queued_sentences)
      throw QueueFull("the translation queue is full (" + std::to_string(queued_sentences_) + " sentences waiting)");
    request->arrival = std::chrono::steady_clock::now();
    queued_sentences_ += request->pending.size();
    accepted_sentences_ += request->pending.size();
    waiting_.push_back(std::move(request));
  }
  arrived_.notify_all();
  return future;
}

// Takes the next batch out of the queue (the lock held on entry and exit). Waits up to max_wait
// after the oldest request arrived for the token budget to fill.
BatchQueue::Batch BatchQueue::collect(std::unique_lock<std::mutex>& lock) {
  for (;;) {
    if (waiting_.empty()) return {};
    const std::shared_ptr<Request> oldest = waiting_.front();
    Batch batch;
    if (!oldest->shares_batches) {
      batch.alone = true;
      for (size_t k = oldest->next_pending; k < oldest->pending.size(); ++k)
        batch.sentences.push_back({oldest, oldest->pending[k]});
      queued_sentences_ -= oldest->pending.size() - oldest->next_pending;
      oldest->next_pending = oldest->pending.size();
      waiting_.pop_front();
      return batch;
    }
    // Round-robin over the compatible requests, oldest first, while the padded size fits.
    std::vector<std::pair<std::shared_ptr<Request>, size_t>> taken;  // request, sentences taken from it
    for (const auto& request : waiting_)
      if (request->shares_batches && request->key == oldest->key) taken.emplace_back(request, 0);
    size_t count = 0, longest = 0;
    bool full = false, took_any = true;
    while (!full && took_any) {
      took_any = false;
      for (auto& [request, n] : taken) {
        const size_t k = request->next_pending + n;
        if (k >= request->pending.size()) continue;
        const size_t length = request->sources[request->pending[k]].size();
        if (count > 0 && std::max(longest, length) * (count + 1) > static_cast<size_t>(options_.max_batch_tokens)) {
          full = true;
          break;
        }
        ++n;
        ++count;
        longest = std::max(longest, length);
        took_any = true;
      }
    }
    const auto deadline = oldest->arrival + options_.max_wait;
    if (!full && !stopping_ && std::chrono::steady_clock::now() < deadline) {
      // Room left: wait for more sentences (or the deadline), then look again.
      arrived_.wait_until(lock, deadline);
      continue;
    }
    for (auto& [request, n] : taken) {
      for (size_t k = request->next_pending; k < request->next_pending + n; ++k)
        batch.sentences.push_back({request, request->pending[k]});
      request->next_pending += n;
    }
    queued_sentences_ -= count;
    waiting_.remove_if([](const auto& request) { return request->next_pending == request->pending.size(); });
    return batch;
  }
}

void BatchQueue::run(Batch& batch) const {
  const auto start = std::chrono::steady_clock::now();
  const SearchOptions& search = batch.sentences.front().request->search;
  std::vector<std::vector<int>> sources;
  sources.reserve(batch.sentences.size());
  for (const auto& sentence : batch.sentences) sources.push_back(sentence.request->sources[sentence.index]);
  // A shared batch is already cut to the budget: one model batch. A request alone is cut as the
  // CLI cuts its input.
  const BatchingOptions batching = batch.alone ? BatchingOptions{} : BatchingOptions{0, INT_MAX};
  std::vector<TranslationResult> results;
  std::exception_ptr failure;
  try {
    results = translator_.translate_ids(std::move(sources), search, batching);
  } catch (...) {
    failure = std::current_exception();
  }
  BatchReport report;
  report.sentences = batch.sentences.size();
  for (const auto& result : results)
    for (const auto& hypothesis : result.hypotheses) report.generated_tokens += hypothesis.ids.size();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  {
    std::lock_guard lock(mutex_);
    for (size_t i = 0; i < batch.sentences.size(); ++i) {
      Request& request = *batch.sentences[i].request;
      if (request.unfinished == 0) continue;  // already failed
      if (failure) {
        request.unfinished = 0;
        request.done.set_exception(failure);
        continue;
      }
      request.results[batch.sentences[i].index] = std::move(results[i]);
      if (--request.unfinished == 0) request.done.set_value(std::move(request.results));
    }
  }
  if (observer_) observer_(report);
}

void BatchQueue::dispatch() {
  std::unique_lock lock(mutex_);
  for (;;) {
    arrived_.wait(lock, [&] { return stopping_ || !waiting_.empty(); });
    if (waiting_.empty()) return;  // stopping, and everything queued was taken
    Batch batch = collect(lock);
    if (batch.sentences.empty()) continue;
    lock.unlock();
    run(batch);
    lock.lock();
  }
}

}  // namespace crossmt::server
