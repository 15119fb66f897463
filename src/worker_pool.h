#pragma once
// A fixed set of worker threads, each with its own search buffers and its own OpenMP team size,
// shared by every caller of one Translator: callers queue tasks and wait for their own.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "crossmt/search.h"

namespace crossmt {

class WorkerPool {
 public:
  using Task = std::function<void(SearchWorkspace&)>;

  // threads_per_worker = 0: the cores (omp_get_max_threads of the creating thread) divided
  // among the workers, at least 1 each.
  WorkerPool(int workers, int threads_per_worker);
  ~WorkerPool();  // finishes queued tasks, then joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  int size() const { return static_cast<int>(threads_.size()); }

  // Runs every task on some worker and returns when all have finished. `on_done(i)` is called in
  // the calling thread after task i finished, in completion order. The first exception a task
  // threw is rethrown here once the others are done.
  void run(std::vector<Task> tasks, const std::function<void(size_t)>& on_done = nullptr);

 private:
  struct Call;
  struct Job {
    Task* task;
    size_t index;
    Call* call;
  };
  void work(int threads);

  std::mutex mutex_;
  std::condition_variable has_jobs_;
  std::deque<Job> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace crossmt
