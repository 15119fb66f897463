// One Translator shared by several threads: every thread gets exactly the single-thread outputs,
// whatever the number of workers, in float32 and int8.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <omp.h>
#include <nlohmann/json.hpp>

#include "crossmt/translator.h"
#include "reference_data.h"

using crossmt::testing::test_data;

namespace {

std::vector<std::vector<int>> reference_sources(size_t count) {
  std::vector<std::vector<int>> sources;
  std::ifstream in(test_data("search/test_2016_flickr.en-de.100.jsonl"));
  for (std::string line; sources.size() < count && std::getline(in, line);)
    sources.push_back(nlohmann::json::parse(line)["src_ids"].get<std::vector<int>>());
  return sources;
}

std::vector<std::vector<int>> best_ids(const std::vector<crossmt::TranslationResult>& results) {
  std::vector<std::vector<int>> ids;
  for (const auto& result : results) ids.push_back(result.hypotheses.at(0).ids);
  return ids;
}

}  // namespace

TEST_CASE("8 threads translating at once on one Translator give the single-thread outputs", "[concurrency]") {
  const auto compute_type = GENERATE(crossmt::ComputeType::Float32, crossmt::ComputeType::Int8);
  const int workers = GENERATE(1, 3);
  INFO("compute type " << crossmt::compute_type_name(compute_type) << ", " << workers << " workers");
  crossmt::TranslatorOptions options;
  options.compute_type = compute_type;
  options.workers = workers;
  options.threads_per_worker = 1;
  const crossmt::Translator translator(crossmt::testing::default_model_dir(), options);
  REQUIRE(translator.workers() == workers);
  const auto sources = reference_sources(24);
  auto search = translator.default_search_options();
  search.num_beams = 2;
  crossmt::BatchingOptions batching;
  batching.batch_size = 4;  // several batches per call, so that a call spreads over the workers
  const auto expected = best_ids(translator.translate_ids(sources, search, batching));

  constexpr int kThreads = 8;
  std::vector<std::vector<std::vector<int>>> outputs(kThreads);
  std::vector<std::string> failures(kThreads);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();  // start together
      try {
        // Each thread its own batch cut, so batches of different shapes run side by side.
        crossmt::BatchingOptions own = batching;
        own.batch_size = 1 + t % 5;
        outputs[t] = best_ids(translator.translate_ids(sources, search, own));
      } catch (const std::exception& failure) {
        failures[t] = failure.what();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    INFO("thread " << t);
    CHECK(failures[t].empty());
    int differ = 0;
    for (size_t i = 0; i < expected.size(); ++i) differ += outputs[t].at(i) != expected[i];
    CHECK(differ == 0);
  }
}

TEST_CASE("progress is reported in the calling thread after every batch, and a failing batch fails the call", "[concurrency]") {
  crossmt::TranslatorOptions options;
  options.workers = 2;
  options.threads_per_worker = 1;
  const crossmt::Translator translator(crossmt::testing::default_model_dir(), options);
  const auto sources = reference_sources(10);
  auto search = translator.default_search_options();
  search.num_beams = 1;
  crossmt::BatchingOptions batching;
  batching.batch_size = 3;
  const auto caller = std::this_thread::get_id();
  std::vector<size_t> lines_seen;
  bool other_thread = false;
  translator.translate_ids(sources, search, batching, [&](size_t lines, size_t) {
    lines_seen.push_back(lines);
    other_thread |= std::this_thread::get_id() != caller;
  });
  CHECK_FALSE(other_thread);
  REQUIRE(lines_seen.size() == 4);  // batches of 3, 3, 3, 1
  CHECK(lines_seen.back() == 10);

  auto bad = sources;
  bad[5] = {999999, 0};  // an id outside the vocabulary
  CHECK_THROWS_AS(translator.translate_ids(bad, search, batching), crossmt::Error);
  // The workers survive a failed call.
  CHECK(best_ids(translator.translate_ids(sources, search, batching)).size() == 10);
}

TEST_CASE("worker options are checked") {
  crossmt::TranslatorOptions options;
  options.workers = 0;
  CHECK_THROWS_WITH(crossmt::Translator(crossmt::testing::default_model_dir(), options),
                    Catch::Contains("workers must be at least 1"));
}

size_t threads_of_this_process() {
  size_t threads = 0;
  for ([[maybe_unused]] const auto& task : std::filesystem::directory_iterator("/proc/self/task")) ++threads;
  return threads;
}

TEST_CASE("a Translator computes only on its workers: the caller's thread starts no OpenMP team") {
  // An OpenMP team of the caller's, idle beside the worker's, makes libgomp sleep and wake its
  // threads at every parallel region (see build_on_worker in src/translator.cpp). Run from a fresh
  // thread, which has no team yet: loading and translating must add exactly the worker and the
  // one other thread of its 2-thread team.
  const size_t threads_before = threads_of_this_process();
  size_t threads_added = 0;
  std::thread caller([&] {
    omp_set_num_threads(2);
    crossmt::TranslatorOptions options;
    options.workers = 1;
    options.threads_per_worker = 2;
    const crossmt::Translator translator(crossmt::testing::default_model_dir(), options);
    std::vector<std::vector<int>> sources(8, translator.encode_line("Two dogs play in the snow.", ">>deu<<"));
    auto search = translator.default_search_options();
    search.num_beams = 1;
    translator.translate_ids(sources, search, {.batch_size = 4});
    threads_added = threads_of_this_process() - threads_before - 1;  // less the caller itself
  });
  caller.join();
  CHECK(threads_added == 2);
}
