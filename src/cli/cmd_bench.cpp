// `crossmt bench`: translates a file K times after one warm-up run (model loading excluded) and
// reports the median wall time, throughput, peak memory, threads, the machine's load and where the
// time goes (tokenization, encoder, decoder steps, search).
//
// The split is measured, not guessed, but in separate passes over the same batches, because the
// library's search loop has no timers in it:
//   tokenization     timed inside every run (text -> source ids)
//   encoder          Seq2SeqModel::encode() alone on the batches the translator plans
//   decoder steps    the decoder replayed with the row schedule of the warm-up run: every
//                    sentence keeps its rows (beams of them) for as many steps as its longest
//                    returned hypothesis took, then leaves the batch as in the search. For greedy
//                    search this is exactly the search's model work; for beam search a sentence
//                    can stay a few steps longer than its longest kept hypothesis, so it is a
//                    lower bound there.
//   detokenization   Tokenizer::decode() of the hypotheses alone
//   search           the rest of a run: candidate selection, logits processors, bookkeeping
#include <omp.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <numeric>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "crossmt/error.h"
#include "crossmt/language.h"
#include "crossmt/ops.h"
#include "crossmt/quantization.h"
#include "crossmt/search.h"
#include "crossmt/tokenizer.h"
#include "crossmt/translator.h"

namespace crossmt::cli {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const size_t middle = values.size() / 2;
  return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

struct BenchOptions {
  std::string model_dir, input_file, source_language, target_language, compute_type = "auto", json_file;
  int beam_size = -1, threads = 0, workers = 1, repeat = 3, limit = 0;
  BatchingOptions batching;
};

// The 1, 5 and 15 minute load averages of /proc/loadavg (empty when it cannot be read).
std::vector<double> load_average() {
  std::ifstream file("/proc/loadavg");
  std::vector<double> loads(3);
  if (!(file >> loads[0] >> loads[1] >> loads[2])) return {};
  return loads;
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// User + system CPU seconds of this process so far: with one thread, a figure that a busy machine
// disturbs far less than wall time (it still counts cache and memory-bandwidth contention).
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

std::string format_loads(const std::vector<double>& loads) {
  if (loads.empty()) return "unknown";
  char text[64];
  std::snprintf(text, sizeof text, "%.2f %.2f %.2f", loads[0], loads[1], loads[2]);
  return text;
}

// Source ids of every line, as `crossmt translate` makes them; throws on a bad line, since a
// benchmark of a partly translated file would mislead.
std::vector<std::vector<int>> tokenize_lines(const Translator& translator, const std::vector<std::string>& lines,
                                             const LanguageDirection& direction) {
  std::vector<std::vector<int>> sources;
  sources.reserve(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.find_first_not_of(" \t") == std::string::npos) {
      sources.emplace_back();
      continue;
    }
    if (find_invalid_utf8(line)) throw Error("line " + std::to_string(i + 1) + ": invalid UTF-8");
    sources.push_back(translator.encode_line(line, direction));
  }
  return sources;
}

// The batches translate_ids() makes of these sources: the same truncation and the same plan.
std::vector<std::vector<std::vector<int>>> planned_batches(const Translator& translator,
                                                           std::vector<std::vector<int>> sources,
                                                           const BatchingOptions& batching,
                                                           std::vector<std::vector<size_t>>* line_indices) {
  const size_t max_positions = static_cast<size_t>(translator.config().max_position_embeddings);
  std::vector<size_t> kept, lengths;
  for (size_t i = 0; i < sources.size(); ++i) {
    auto& ids = sources[i];
    if (ids.empty()) continue;
    if (max_positions > 0 && ids.size() > max_positions) {
      const int last = ids.back();
      ids.resize(max_positions);
      ids.back() = last;
    }
    kept.push_back(i);
    lengths.push_back(ids.size());
  }
  const BatchPlan plan = plan_batches(lengths, batching);
  std::vector<std::vector<std::vector<int>>> batches;
  size_t begin = 0;
  for (size_t end : plan.batch_ends) {
    auto& batch = batches.emplace_back();
    auto* indices = line_indices ? &line_indices->emplace_back() : nullptr;
    for (size_t k = begin; k < end; ++k) {
      batch.push_back(sources[kept[plan.order[k]]]);
      if (indices) indices->push_back(kept[plan.order[k]]);
    }
    begin = end;
  }
  return batches;
}

// Runs the decoder over one encoded batch with a fixed schedule: sentence s has `rows_per_sentence`
// rows fed tokens[s] (decoder start first) for steps[s] steps, then leaves the batch.
void replay_decoder(const Seq2SeqModel& model, const EncodedBatch& encoded, int rows_per_sentence,
                    const std::vector<std::vector<int>>& tokens, const std::vector<int>& steps, bool normalize) {
  std::vector<int> row_source;
  for (int64_t s = 0; s < encoded.batch; ++s)
    for (int b = 0; b < rows_per_sentence; ++b) row_source.push_back(static_cast<int>(s));
  DecoderState state = model.start_decoding(encoded, row_source);
  Tensor scores;
  std::vector<int> row_tokens(row_source.size()), parents;
  for (int step = 0; !row_source.empty(); ++step) {
    for (size_t r = 0; r < row_source.size(); ++r) {
      const auto& sentence_tokens = tokens[row_source[r]];
      row_tokens[r] = sentence_tokens[std::min<size_t>(step, sentence_tokens.size() - 1)];
    }
    model.step(state, row_tokens.data(), scores, nullptr, normalize);
    parents.clear();
    std::vector<int> next_source;
    for (size_t r = 0; r < row_source.size(); ++r) {
      if (steps[row_source[r]] > step + 1) {
        parents.push_back(static_cast<int>(r));
        next_source.push_back(row_source[r]);
      }
    }
    if (parents.size() != row_source.size() && !parents.empty()) model.reorder(state, parents);
    row_source.swap(next_source);
  }
}

void run_bench(const BenchOptions& options) {
  const ComputeType compute_type = parse_compute_type(options.compute_type);
  if (options.repeat < 1) throw Error("--repeat must be at least 1");
  if (options.limit < 0) throw Error("--limit must not be negative");
  if (options.threads < 0) throw Error("--threads must not be negative");
  if (options.beam_size == 0) throw Error("--beam-size must be at least 1");
  std::ifstream input(options.input_file);
  if (!input) throw Error("cannot read input file '" + options.input_file + "'");
  std::vector<std::string> lines;
  for (std::string line; std::getline(input, line);) {
    if (options.limit > 0 && static_cast<int>(lines.size()) >= options.limit) break;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
  }
  if (lines.empty()) throw Error("input file '" + options.input_file + "' has no lines");

  ops::set_num_threads(options.threads);
  const int threads = options.threads > 0 ? options.threads : std::max(1, omp_get_max_threads() / options.workers);
  const std::vector<double> load_before = load_average();

  const Translator translator(resolve_model_dir(options.model_dir),
                              TranslatorOptions{compute_type, options.workers, options.threads});
  const std::string compute_type_used = compute_type_name(translator.model().compute_type());
  SearchOptions search = search_options_from(translator.config().generation);
  if (options.beam_size > 0) search.num_beams = options.beam_size;
  search.num_return_sequences = 1;

  const LanguageDirection direction = translator.direction(options.source_language, options.target_language);
  search = Translator::search_for(direction, search);
  const bool marian = translator.tokenizer().family() == "marian";
  if (marian && options.target_language.empty() && !translator.tokenizer().language_tokens().empty()) {
    for (size_t i = 0; i < lines.size(); ++i)
      if (lines[i].find_first_not_of(" \t") != std::string::npos && !starts_with_language_token(lines[i]))
        throw Error("line " + std::to_string(i + 1) +
                    " has no >>xxx<< target language token and --to was not given; this model needs one");
  }

  // Warm-up: creates every primitive and records the decoding schedule for the replay below; it
  // returns `num_beams` hypotheses per line, which costs the search nothing extra.
  std::vector<std::vector<int>> sources = tokenize_lines(translator, lines, direction);
  SearchOptions warm_up_search = search;
  warm_up_search.num_return_sequences = search.num_beams;
  const auto warm_up = translator.translate_ids(sources, warm_up_search, options.batching);

  std::vector<double> totals, tokenization, translation, cpu;
  size_t source_tokens = 0, target_tokens = 0, sentences = 0;
  std::vector<std::vector<Hypothesis>> last_hypotheses;
  for (int run = 0; run < options.repeat; ++run) {
    const double cpu_start = cpu_seconds();
    const auto start = Clock::now();
    auto run_sources = tokenize_lines(translator, lines, direction);
    const double tokenize_seconds = seconds_since(start);
    const auto translate_start = Clock::now();
    auto results = translator.translate_ids(std::move(run_sources), search, options.batching);
    translation.push_back(seconds_since(translate_start));
    tokenization.push_back(tokenize_seconds);
    totals.push_back(seconds_since(start));
    cpu.push_back(cpu_seconds() - cpu_start);
    if (run + 1 == options.repeat) {
      for (const auto& result : results) {
        if (result.hypotheses.empty()) continue;
        ++sentences;
        source_tokens += result.source_ids.size();
        target_tokens += result.hypotheses[0].ids.size();
      }
    }
  }
  if (sentences == 0) throw Error("input file '" + options.input_file + "' has no line to translate");

  // Encoder alone, then the decoder replay, on the batches the translator plans.
  std::vector<std::vector<size_t>> line_indices;
  const auto batches = planned_batches(translator, sources, options.batching, &line_indices);
  const Seq2SeqModel& model = translator.model();
  // Padding: source positions the encoder computes beyond each sentence's end (sorting by length
  // keeps it low; a token budget would otherwise trade it for batch size).
  size_t padded_positions = 0, real_positions = 0;
  for (const auto& batch : batches) {
    size_t longest = 0;
    for (const auto& ids : batch) {
      longest = std::max(longest, ids.size());
      real_positions += ids.size();
    }
    padded_positions += longest * batch.size();
  }
  const double padding_ratio =
      padded_positions ? 1.0 - static_cast<double>(real_positions) / static_cast<double>(padded_positions) : 0.0;
  auto start = Clock::now();
  for (const auto& batch : batches) (void)model.encode(batch);
  const double encoder_seconds = seconds_since(start);

  const bool beam = search.num_beams > 1;
  double decoder_seconds = 0.0;
  for (size_t b = 0; b < batches.size(); ++b) {
    const EncodedBatch encoded = model.encode(batches[b]);
    std::vector<std::vector<int>> tokens;
    std::vector<int> steps;
    for (size_t line : line_indices[b]) {
      const auto& hypotheses = warm_up[line].hypotheses;
      std::vector<int> fed{search.decoder_start_token_id};
      fed.insert(fed.end(), hypotheses[0].ids.begin(), hypotheses[0].ids.end());
      size_t longest = 1;
      for (const auto& hypothesis : hypotheses) longest = std::max(longest, hypothesis.ids.size());
      tokens.push_back(std::move(fed));
      steps.push_back(static_cast<int>(longest));
    }
    start = Clock::now();
    replay_decoder(model, encoded, search.num_beams, tokens, steps, /*normalize=*/beam);
    decoder_seconds += seconds_since(start);
  }

  double detokenize_seconds = 0.0;
  if (translator.has_tokenizer()) {
    start = Clock::now();
    size_t characters = 0;
    for (const auto& result : warm_up)
      if (!result.hypotheses.empty()) characters += translator.tokenizer().decode(result.hypotheses[0].ids).size();
    detokenize_seconds = seconds_since(start);
    (void)characters;
  }

  const double median_total = median(totals), median_translation = median(translation);
  const double median_tokenization = median(tokenization);
  const double search_seconds =
      std::max(0.0, median_total - median_tokenization - encoder_seconds - decoder_seconds - detokenize_seconds);
  const std::vector<double> load_after = load_average();
  const double rss = peak_rss_mib();

  nlohmann::ordered_json report;
  report["model"] = resolve_model_dir(options.model_dir).string();
  report["input"] = options.input_file;
  report["lines"] = lines.size();
  report["sentences"] = sentences;
  report["target_language"] = direction.target_code;
  report["beam_size"] = search.num_beams;
  report["batch_size"] = options.batching.batch_size;
  report["batch_tokens"] = options.batching.batch_tokens;
  report["batches"] = batches.size();
  report["padding_ratio"] = padding_ratio;
  report["max_length"] = search.max_length;
  report["compute_type"] = compute_type_used;
  report["threads"] = threads;  // per worker
  report["workers"] = options.workers;
  report["repeat"] = options.repeat;
  report["runs_s"] = totals;
  report["median_s"] = median_total;
  report["median_translate_s"] = median_translation;
  report["runs_cpu_s"] = cpu;
  report["median_cpu_s"] = median(cpu);
  report["source_tokens"] = source_tokens;
  report["target_tokens"] = target_tokens;
  report["target_tokens_per_s"] = target_tokens / median_total;
  report["source_tokens_per_s"] = source_tokens / median_total;
  report["sentences_per_s"] = sentences / median_total;
  report["translate_target_tokens_per_s"] = target_tokens / median_translation;
  report["target_tokens_per_cpu_s"] = median(cpu) > 0 ? target_tokens / median(cpu) : 0.0;
  report["peak_rss_mib"] = rss;
  report["load_average_before"] = load_before;
  report["load_average_after"] = load_after;
  report["split_s"] = {{"tokenization", median_tokenization},
                       {"encoder", encoder_seconds},
                       {"decoder_steps", decoder_seconds},
                       {"detokenization", detokenize_seconds},
                       {"search", search_seconds}};
  report["split_method"] =
      "tokenization: timed in each run (median); encoder: encode() alone on the planned batches (measured "
      "separately); decoder steps: the decoder replayed with the warm-up run's row schedule (measured separately; "
      "a lower bound for beam search); detokenization: decode() alone (measured separately); search: the median "
      "run minus the others";

  std::printf("crossmt bench: %zu sentences, beam %d, batch size %d, batch tokens %d, %d worker%s x %d thread%s, %s\n",
              sentences, search.num_beams, options.batching.batch_size, options.batching.batch_tokens, options.workers,
              options.workers == 1 ? "" : "s", threads, threads == 1 ? "" : "s", compute_type_used.c_str());
  std::printf("  runs        %d after 1 warm-up; median %.3f s (translation alone %.3f s)\n", options.repeat,
              median_total, median_translation);
  std::printf("  throughput  %.1f target tok/s (EOS included, %zu tokens), %.1f source tok/s, %.2f sentences/s\n",
              target_tokens / median_total, target_tokens, source_tokens / median_total, sentences / median_total);
  std::printf("  padding     %.1f%% of the padded source positions (%zu batches)\n", 100.0 * padding_ratio,
              batches.size());
  std::printf("  CPU time    median %.3f s per run (%.1f target tok per CPU second)\n", median(cpu),
              median(cpu) > 0 ? target_tokens / median(cpu) : 0.0);
  std::printf("  peak RSS    %.1f MiB\n", rss);
  std::printf("  load avg    %s before, %s after\n", format_loads(load_before).c_str(),
              format_loads(load_after).c_str());
  std::printf("  time split (of the median run, %.3f s):\n", median_total);
  const auto share = [&](const char* name, double seconds, const char* how) {
    std::printf("    %-15s %8.3f s %5.1f%%  %s\n", name, seconds, median_total > 0 ? 100.0 * seconds / median_total : 0.0,
                how);
  };
  share("tokenization", median_tokenization, "(timed in each run)");
  share("encoder", encoder_seconds, "(measured separately)");
  share("decoder steps", decoder_seconds,
        beam ? "(replayed separately; lower bound for beam search)" : "(replayed separately)");
  share("detokenization", detokenize_seconds, "(measured separately)");
  share("search", search_seconds, "(the rest of the run)");

  if (!options.json_file.empty()) {
    std::ofstream json(options.json_file);
    if (!json) throw Error("cannot write JSON file '" + options.json_file + "'");
    json << report.dump(2) << "\n";
    if (!json) throw Error("writing '" + options.json_file + "' failed");
  }
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto options = std::make_shared<BenchOptions>();
  CLI::App* command = app.add_subcommand("bench", "Measure translation speed on a file (model loading excluded)");
  command->add_option("-m,--model", options->model_dir, "Model folder (default: the model shipped in models/)");
  command->add_option("-i,--input", options->input_file, "Input file, one sentence per line")->required();
  add_language_options(command, options->source_language, options->target_language);
  command->add_option("--beam-size", options->beam_size, "Beams (default: the model's num_beams)")
      ->check(positive());
  command->add_option("--batch-size", options->batching.batch_size, "Sentences per batch (overrides --batch-tokens)")
      ->check(at_least(0));
  command->add_option("--batch-tokens", options->batching.batch_tokens, "Padded source tokens per batch")
      ->check(positive());
  add_worker_options(command, options->workers, options->threads);
  add_compute_type_option(command, options->compute_type);
  command->add_option("--repeat", options->repeat, "Timed runs after the warm-up; the median is reported");
  command->add_option("--limit", options->limit, "Use only the first N lines (0: all)");
  command->add_option("--json", options->json_file, "Also write the results as JSON to this file");
  command->callback([options] { run_bench(*options); });
}

}  // namespace crossmt::cli
