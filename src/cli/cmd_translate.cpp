// `crossmt translate`: lines in (stdin or -i), translations out (stdout or -o), one output line
// per input line (n-best: N lines, or one JSONL record with an `n_best` array).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "streams.h"
#include "crossmt/alignment.h"
#include "crossmt/config.h"
#include "crossmt/error.h"
#include "crossmt/model.h"
#include "crossmt/ops.h"
#include "crossmt/quantization.h"
#include "crossmt/strings.h"
#include "crossmt/tokenizer.h"
#include "crossmt/translator.h"

namespace crossmt::cli {
namespace {

struct TranslateOptions {
  std::string model_dir, input_file, output_file, source_language, target_language, format = "text", compute_type = "auto";
  int beam_size = -1, n_best = 1, threads = 0, workers = 1;
  BatchingOptions batching;
  std::optional<int> max_length, max_new_tokens, min_length, no_repeat_ngram_size, forced_bos_token_id, sampling_topk;
  std::optional<double> length_penalty, repetition_penalty, sampling_topp, temperature;
  std::optional<std::string> early_stopping;
  uint64_t seed = 0;
  bool ids_in = false, quiet = false, strict = false;
  // Alignment and attention maps (see crossmt/alignment.h).
  std::string alignment, alignment_heads = "avg", alignment_unit = "word";
  int alignment_layer = kDefaultAlignmentLayer;
  AttentionExports exports;
  bool show_attention = false;
};

SearchOptions search_options(const TranslateOptions& options, const GenerationConfig& defaults) {
  SearchOptions search = search_options_from(defaults);
  if (options.beam_size >= 0) search.num_beams = options.beam_size;
  search.num_return_sequences = options.n_best;
  if (options.max_length) search.max_length = *options.max_length;
  if (options.max_new_tokens) search.max_length = 1 + *options.max_new_tokens;
  if (options.min_length) search.min_length = *options.min_length;
  if (options.length_penalty) search.length_penalty = *options.length_penalty;
  if (options.no_repeat_ngram_size) search.no_repeat_ngram_size = *options.no_repeat_ngram_size;
  if (options.repetition_penalty) search.repetition_penalty = *options.repetition_penalty;
  if (options.forced_bos_token_id) search.forced_bos_token_id = *options.forced_bos_token_id;
  if (options.early_stopping) {
    const std::string& mode = *options.early_stopping;
    if (mode == "true") search.early_stopping = EarlyStopping::True;
    else if (mode == "false") search.early_stopping = EarlyStopping::False;
    else if (mode == "never") search.early_stopping = EarlyStopping::Never;
    else throw Error("--early-stopping must be true, false or never, not '" + mode + "'");
  }
  if (options.sampling_topk || options.sampling_topp || options.temperature) {
    search.do_sample = true;
    search.top_k = options.sampling_topk.value_or(0);
    search.top_p = options.sampling_topp.value_or(1.0);
    search.temperature = options.temperature.value_or(1.0);
    if (options.beam_size < 0) search.num_beams = 1;
  }
  search.seed = options.seed;
  if (options.n_best > search.num_beams)
    throw Error("--n-best " + std::to_string(options.n_best) + " needs at least as many beams (--beam-size)");
  if (search.max_length < 2 || (options.max_new_tokens && *options.max_new_tokens < 1))
    throw Error("the maximum length must allow at least one generated token");
  if (search.min_length < 0) throw Error("--min-length must not be negative");
  return search;
}

std::vector<int> parse_ids_line(const std::string& line, size_t line_number) {
  std::vector<int> ids;
  std::istringstream in(line);
  std::string word;
  while (in >> word) {
    size_t used = 0;
    int id = -1;
    try {
      id = std::stoi(word, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != word.size() || id < 0)
      throw Error("line " + std::to_string(line_number) + ": '" + word + "' is not a token id");
    ids.push_back(id);
  }
  return ids;
}

// "12/1000 sentences, 850 tok/s, ETA 30 s" redrawn in place on a terminal.
class ProgressBar {
 public:
  ProgressBar(size_t total, bool enabled) : total_(total), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}
  void update(size_t lines_done, size_t tokens_done) {
    if (!enabled_) return;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double fraction = total_ ? static_cast<double>(lines_done) / total_ : 1.0;
    const double eta = fraction > 0 ? seconds * (1 - fraction) / fraction : 0;
    const int width = 30, filled = static_cast<int>(fraction * width);
    std::fprintf(stderr, "\r[%s%s] %zu/%zu sentences, %.0f tok/s, ETA %.0f s ", std::string(filled, '#').c_str(),
                 std::string(width - filled, '.').c_str(), lines_done, total_, seconds > 0 ? tokens_done / seconds : 0.0,
                 eta);
    if (lines_done == total_) std::fprintf(stderr, "\n");
  }

 private:
  size_t total_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
};

nlohmann::ordered_json hypothesis_json(const Translator& translator, const Hypothesis& hypothesis, const std::string& text,
                                       const SentenceAlignment* alignment, const AlignmentKind& kind) {
  std::vector<std::string> tokens;
  if (translator.has_tokenizer())
    for (int id : hypothesis.ids) tokens.push_back(translator.tokenizer().target_piece(id));
  // Six decimals, as transformers' references round them; more digits would only be float noise.
  const double score = std::round(static_cast<double>(hypothesis.score) * 1e6) / 1e6;
  nlohmann::ordered_json record = {{"translation", text}, {"tokens", tokens}, {"ids", hypothesis.ids}, {"score", score}};
  if (alignment) record["alignment"] = alignment_json(alignment->selected, kind);
  return record;
}

void run_translate(const TranslateOptions& options) {
  if (options.format != "text" && options.format != "jsonl") throw Error("--format must be text or jsonl");
  if (options.n_best < 1) throw Error("--n-best must be at least 1");
  ops::set_num_threads(options.threads);
  const Translator translator(resolve_model_dir(options.model_dir),
                              TranslatorOptions{parse_compute_type(options.compute_type), options.workers, options.threads});
  if (options.ids_in && !(options.source_language.empty() && options.target_language.empty()))
    throw Error("--from/--to do not apply to --ids-in input; put the language token ids in the line");
  const LanguageDirection direction = translator.direction(options.source_language, options.target_language);
  const SearchOptions search =
      Translator::search_for(direction, search_options(options, translator.config().generation));
  // Alignment settings are checked before any input is read: a bad one is a usage error (exit 2).
  const AlignmentKind alignment_kind =
      options.alignment.empty() ? AlignmentKind{} : parse_alignment_kind(options.alignment);
  const AlignmentUnit alignment_unit = parse_unit(options.alignment_unit);
  const int alignment_layer = resolve_layer(options.alignment_layer, translator.model().decoder_layers());
  const HeadSelection alignment_heads = parse_heads(options.alignment_heads, translator.model().decoder_heads());
  const bool want_attention = alignment_kind.type != AlignmentKind::None || options.exports.any() || options.show_attention;
  if (want_attention && !translator.has_tokenizer()) throw Error("alignments need the model's tokenizer");

  CommandStreams streams(options.input_file, options.output_file);
  std::istream& input = streams.input();
  std::ostream& output = streams.output();

  // Every line is read first; a bad line is reported and yields an empty output line.
  std::vector<std::string> lines;
  for (std::string line; std::getline(input, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
  }

  const bool show_progress = !options.quiet && !options.input_file.empty() && isatty(STDERR_FILENO);
  ProgressBar progress_bar(lines.size(), show_progress);
  const auto progress = [&](size_t lines_done, size_t tokens) { progress_bar.update(lines_done, tokens); };
  std::vector<TranslationResult> results;
  if (options.ids_in) {
    std::vector<std::vector<int>> sources(lines.size());
    std::vector<std::string> errors(lines.size());
    for (size_t i = 0; i < lines.size(); ++i) {
      try {
        sources[i] = parse_ids_line(lines[i], i + 1);
      } catch (const Error& failure) {
        errors[i] = failure.what();
      }
    }
    results = translator.translate_ids(std::move(sources), search, options.batching, progress);
    for (size_t i = 0; i < lines.size(); ++i) results[i].error = std::move(errors[i]);
  } else {
    results = translator.translate_lines(lines, direction, search, options.batching, progress);
  }
  std::vector<std::string> line_errors;
  for (const auto& result : results) line_errors.push_back(result.error);

  // Alignments: one forced-decoding pass per returned hypothesis reproduces its search attention.
  std::vector<std::vector<const SentenceAlignment*>> alignments(results.size());
  std::vector<SentenceAlignment> aligned;
  if (want_attention) {
    std::vector<std::vector<int>> pair_sources, pair_targets;
    std::vector<std::pair<size_t, size_t>> owners;
    for (size_t i = 0; i < results.size(); ++i) {
      const size_t count = std::max<size_t>(results[i].hypotheses.size(), 1);  // failed lines keep an empty map
      for (size_t n = 0; n < count; ++n) {
        const bool has = n < results[i].hypotheses.size();
        pair_sources.push_back(has ? results[i].source_ids : std::vector<int>{});
        pair_targets.push_back(has ? results[i].hypotheses[n].ids : std::vector<int>{});
        owners.emplace_back(i, n);
      }
    }
    aligned = align_pairs(translator.model(), translator.tokenizer(), pair_sources, pair_targets,
                          search.decoder_start_token_id, alignment_unit, alignment_layer, alignment_heads);
    for (size_t k = 0; k < owners.size(); ++k) alignments[owners[k].first].push_back(&aligned[k]);
    std::vector<SentenceAlignment> best;
    for (const auto& per_line : alignments) best.push_back(*per_line.front());
    write_attention_exports(options.exports, best);
  }
  const bool color = options.output_file.empty() && isatty(STDOUT_FILENO);
  const auto alignment_of = [&](size_t i, size_t n) -> const SentenceAlignment* {
    if (alignment_kind.type == AlignmentKind::None || n >= alignments[i].size()) return nullptr;
    return alignments[i][n];
  };

  bool any_bad_line = false;
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& result = results[i];
    if (!line_errors[i].empty()) {
      std::cerr << "error: " << line_errors[i] << "\n";
      any_bad_line = true;
    } else if (result.truncated) {
      const std::string message = "line " + std::to_string(i + 1) + ": " + std::to_string(lines[i].size()) +
                                  " bytes exceed the model's " + std::to_string(translator.config().max_position_embeddings) +
                                  " positions";
      if (options.strict) {
        std::cerr << "error: " << message << "\n";
        any_bad_line = true;
        if (options.format == "jsonl") output << nlohmann::ordered_json{{"source", lines[i]}, {"error", message}}.dump() << "\n";
        else output << "\n";
        continue;
      }
      std::cerr << "warning: " << message << "; the source was truncated\n";
    }
    if (options.format == "jsonl") {
      nlohmann::ordered_json record = {{"source", lines[i]}};
      if (!line_errors[i].empty()) record["error"] = line_errors[i];
      if (result.hypotheses.empty()) {
        record.update({{"translation", ""}, {"tokens", nlohmann::json::array()}, {"ids", nlohmann::json::array()}});
      } else if (options.n_best == 1) {
        record.update(hypothesis_json(translator, result.hypotheses[0], result.texts[0], alignment_of(i, 0), alignment_kind));
      } else {
        nlohmann::ordered_json n_best = nlohmann::ordered_json::array();
        for (size_t n = 0; n < result.hypotheses.size(); ++n)
          n_best.push_back(
              hypothesis_json(translator, result.hypotheses[n], result.texts[n], alignment_of(i, n), alignment_kind));
        record["n_best"] = n_best;
      }
      output << record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
      for (int n = 0; n < options.n_best; ++n) {
        if (options.ids_in && n < static_cast<int>(result.hypotheses.size())) {
          output << join_ids(result.hypotheses[n].ids);
        } else {
          output << (n < static_cast<int>(result.texts.size()) ? result.texts[n] : "");
        }
        if (alignment_kind.type != AlignmentKind::None) {
          const SentenceAlignment* alignment = alignment_of(i, n);
          output << " ||| " << (alignment ? alignment_text(alignment->selected, alignment_kind) : "");
        }
        output << "\n";
      }
    }
  }
  output.flush();
  if (!output) throw Error("writing the output failed");
  if (options.show_attention) {  // after the translations, so that piped output stays line-aligned
    for (size_t i = 0; i < results.size(); ++i) {
      if (results[i].hypotheses.empty()) continue;
      std::cout << "\n[" << i + 1 << "] " << results[i].texts[0] << "\n" << terminal_heatmap(*alignments[i][0], color);
    }
    std::cout.flush();
  }
  if (any_bad_line) throw ExitWithStatus{1};
}

}  // namespace

void add_translate_command(CLI::App& app) {
  auto options = std::make_shared<TranslateOptions>();
  CLI::App* command = app.add_subcommand("translate", "Translate lines of text (stdin -> stdout by default)");
  command->add_option("-m,--model", options->model_dir, "Model folder (default: the model shipped in models/)");
  add_language_options(command, options->source_language, options->target_language);
  command->add_option("-i,--input", options->input_file, "Input file (default: stdin)");
  command->add_option("-o,--output", options->output_file, "Output file (default: stdout)");
  command->add_option("--beam-size", options->beam_size, "Beams (default: the model's num_beams)")
      ->check(at_least(1));
  command->add_option("--n-best", options->n_best, "Hypotheses per input line")
      ->check(at_least(1));
  command->add_option("--batch-size", options->batching.batch_size, "Sentences per batch (overrides --batch-tokens)")
      ->check(at_least(0));
  command->add_option("--batch-tokens", options->batching.batch_tokens, "Padded source tokens per batch")
      ->check(positive());
  command->add_option("--max-length", options->max_length, "Maximum length, decoder start included")
      ->check(at_least(2));
  command->add_option("--max-new-tokens", options->max_new_tokens, "Maximum generated tokens")
      ->check(at_least(1));
  command->add_option("--min-length", options->min_length, "Minimum length, decoder start included")
      ->check(at_least(0));
  command->add_option("--length-penalty", options->length_penalty, "Exponent of the length normalisation");
  command->add_option("--early-stopping", options->early_stopping, "Beam stopping rule: true, false or never");
  command->add_option("--no-repeat-ngram-size", options->no_repeat_ngram_size, "Forbid repeating n-grams of this size")
      ->check(at_least(0));
  command->add_option("--repetition-penalty", options->repetition_penalty, "Penalty for tokens already generated")
      ->check(positive());
  command->add_option("--forced-bos-token-id", options->forced_bos_token_id, "Token forced as the first generated one");
  command->add_option("--sampling-topk", options->sampling_topk, "Sample from the K most likely tokens (0: all)")
      ->check(at_least(0));
  command->add_option("--sampling-topp", options->sampling_topp, "Sample from the smallest set reaching this mass")
      ->check(CLI::Range(0.0, 1.0));
  command->add_option("--temperature", options->temperature, "Sampling temperature")
      ->check(positive());
  command->add_option("--seed", options->seed, "Random seed for sampling");
  command->add_option("--format", options->format, "Output format: text or jsonl");
  add_compute_type_option(command, options->compute_type);
  add_worker_options(command, options->workers, options->threads);
  command->add_flag("--ids-in", options->ids_in, "Input lines are space-separated source token ids");
  command->add_flag("--quiet", options->quiet, "No progress bar");
  command->add_flag("--strict", options->strict, "A line longer than the model allows is an error, not truncated");
  command->add_option("--alignment", options->alignment,
                      "Word alignment after ' ||| ' (jsonl: 'alignment'): hard, soft or a threshold 0.0-1.0");
  command->add_option("--alignment-layer", options->alignment_layer,
                      "Decoder layer read for alignments (negative: from the end; default: the last)");
  command->add_option("--alignment-heads", options->alignment_heads, "avg (default), all, or one head index K");
  command->add_option("--alignment-unit", options->alignment_unit, "word (default) or subword");
  command->add_option("--attention-json", options->exports.json_file, "Write per-sentence attention matrices (JSONL)");
  command->add_flag("--attention-all", options->exports.all, "--attention-json exports every layer and head");
  command->add_option("--attention-html", options->exports.html_file, "Write a self-contained HTML page of heatmaps");
  command->add_option("--attention-svg", options->exports.svg_dir, "Write sentence-0001.svg ... into this folder");
  command->add_flag("--show-attention", options->show_attention, "Print a character heatmap per sentence");
  command->callback([options] { run_translate(*options); });
}

}  // namespace crossmt::cli
