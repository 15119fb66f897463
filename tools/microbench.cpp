// Micro-benchmark of the model's building blocks (not a test): one decoder step at batch 1 and 32
// with a warm cache, and encoding a 20-token sentence, at 1 and 2 threads. Prints medians.
// Usage: microbench [MODEL_DIR] [REPEATS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "crossmt/checkpoint.h"
#include "crossmt/model.h"
#include "crossmt/ops.h"

namespace {

template <class Work>
double median_microseconds(int repeats, Work&& work) {
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    work();
    times.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string model_dir = argc > 1 ? argv[1] : CROSSMT_DEFAULT_MODEL_DIR;
  const int repeats = argc > 2 ? std::stoi(argv[2]) : 200;
  const crossmt::Seq2SeqModel model(crossmt::Checkpoint::open(model_dir));
  // A 20-token source: language token, 18 pieces, EOS.
  std::vector<int> source = {3};
  for (int i = 0; i < 18; ++i) source.push_back(16 + 7 * i);
  source.push_back(0);
  const int start_token = model.config().decoder_start_token_id;
  constexpr int kWarmSteps = 10;  // the cache holds this many positions when a step is timed

  std::printf("load average: %s\n", load_average().c_str());
  std::printf("%-8s %-28s %12s\n", "threads", "operation", "median (us)");
  for (const int threads : {1, 2}) {
    crossmt::ops::set_num_threads(threads);
    const double encode_us = median_microseconds(repeats, [&] { model.encode({source}); });
    std::printf("%-8d %-28s %12.1f\n", threads, "encode 20 tokens", encode_us);
    for (const int batch : {1, 32}) {
      const auto encoded = model.encode(std::vector<std::vector<int>>(batch, source));
      std::vector<int> row_source(batch), tokens(batch, start_token);
      for (int b = 0; b < batch; ++b) row_source[b] = b;
      crossmt::Tensor log_probs;
      const double step_us = median_microseconds(repeats, [&] {
        crossmt::DecoderState state = model.start_decoding(encoded, row_source);
        for (int t = 0; t < kWarmSteps; ++t) model.step(state, tokens.data(), log_probs);
      }) / kWarmSteps;
      std::printf("%-8d %-28s %12.1f\n", threads, ("decoder step, batch " + std::to_string(batch)).c_str(), step_us);
    }
  }
  return 0;
}
