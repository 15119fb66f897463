#include "worker_pool.h"

#include <algorithm>
#include <exception>

#include <omp.h>

namespace crossmt {

// What one run() waits for: the indices of finished tasks, and the first failure.
struct WorkerPool::Call {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<size_t> finished;  // not yet reported to on_done
  size_t remaining = 0;
  std::exception_ptr failure;
};

WorkerPool::WorkerPool(int workers, int threads_per_worker) {
  workers = std::max(1, workers);
  const int threads = threads_per_worker > 0 ? threads_per_worker : std::max(1, omp_get_max_threads() / workers);
  threads_.reserve(static_cast<size_t>(workers));
  for (int i = 0; i < workers; ++i) threads_.emplace_back([this, threads] { work(threads); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  has_jobs_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void WorkerPool::work(int threads) {
  omp_set_num_threads(threads);  // this thread's OpenMP teams (and oneDNN's) use `threads`
  SearchWorkspace workspace;     // decoder caches kept from batch to batch
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      has_jobs_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      job = jobs_.front();
      jobs_.pop_front();
    }
    std::exception_ptr failure;
    try {
      (*job.task)(workspace);
    } catch (...) {
      failure = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(job.call->mutex);
    if (failure && !job.call->failure) job.call->failure = failure;
    job.call->finished.push_back(job.index);
    --job.call->remaining;
    job.call->changed.notify_one();
  }
}

void WorkerPool::run(std::vector<Task> tasks, const std::function<void(size_t)>& on_done) {
  if (tasks.empty()) return;
  Call call;
  call.remaining = tasks.size();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t i = 0; i < tasks.size(); ++i) jobs_.push_back({&tasks[i], i, &call});
  }
  has_jobs_.notify_all();
  // Waits for every task even after a failure: the queued jobs point at `tasks` and `call`.
  std::exception_ptr callback_failure;
  std::vector<size_t> finished;
  for (;;) {
    bool failed = false;
    {
      std::unique_lock<std::mutex> lock(call.mutex);
      call.changed.wait(lock, [&] { return !call.finished.empty() || call.remaining == 0; });
      finished.swap(call.finished);
      if (call.remaining == 0 && finished.empty()) break;
      failed = call.failure != nullptr;
    }
    if (on_done && !failed && !callback_failure) {
      try {
        for (size_t index : finished) on_done(index);
      } catch (...) {
        callback_failure = std::current_exception();
      }
    }
    finished.clear();
  }
  if (callback_failure) std::rethrow_exception(callback_failure);
  if (call.failure) std::rethrow_exception(call.failure);
}

}  // namespace crossmt
