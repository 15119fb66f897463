// `crossmt align`: lines `source ||| target` in, the alignment of the given target out, read from
// the cross-attention of a forced-decoding pass of the target (see crossmt/alignment.h).
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "streams.h"
#include "crossmt/alignment.h"
#include "crossmt/error.h"
#include "crossmt/ops.h"
#include "crossmt/quantization.h"
#include "crossmt/search.h"
#include "crossmt/translator.h"

namespace crossmt::cli {
namespace {

constexpr std::string_view kSeparator = " ||| ";

struct AlignOptions {
  std::string model_dir, input_file, output_file, source_language, target_language, format = "text", compute_type = "auto";
  std::string alignment = "hard", alignment_heads = "avg", alignment_unit = "word";
  int alignment_layer = kDefaultAlignmentLayer, threads = 0;
  AttentionExports exports;
  bool scores = false, show = false;
};

std::string format_log_prob(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6f", value);
  return buffer;
}

void run_align(const AlignOptions& options) {
  if (options.format != "text" && options.format != "jsonl") throw Error("--format must be text or jsonl");
  const AlignmentKind kind = parse_alignment_kind(options.alignment);
  const AlignmentUnit unit = parse_unit(options.alignment_unit);
  ops::set_num_threads(options.threads);
  const std::filesystem::path model_dir = resolve_model_dir(options.model_dir);
  const Translator translator(model_dir, parse_compute_type(options.compute_type));
  const int layer = resolve_layer(options.alignment_layer, translator.model().decoder_layers());
  const HeadSelection heads = parse_heads(options.alignment_heads, translator.model().decoder_heads());
  const Tokenizer& tokenizer = translator.tokenizer();
  const LanguageDirection direction = translator.direction(options.source_language, options.target_language);
  const int64_t max_positions = translator.model().max_positions();

  CommandStreams streams(options.input_file, options.output_file);
  std::istream& input = streams.input();
  std::ostream& output = streams.output();

  std::vector<std::string> sources_text, targets_text, errors;
  std::vector<std::vector<int>> sources, targets;
  for (std::string line; std::getline(input, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t line_number = sources_text.size() + 1;
    std::string error, source_text, target_text;
    std::vector<int> source_ids, target_ids;
    const size_t separator = line.find(kSeparator);
    try {
      if (separator == std::string::npos) throw Error("expected 'source ||| target'");
      source_text = line.substr(0, separator);
      target_text = line.substr(separator + kSeparator.size());
      if (const auto bad = find_invalid_utf8(source_text)) throw Error("invalid UTF-8 at byte " + std::to_string(*bad + 1));
      source_ids = translator.encode_line(source_text, direction);
      target_ids = tokenizer.encode_target(target_text, direction);
      if (static_cast<int64_t>(source_ids.size()) > max_positions || static_cast<int64_t>(target_ids.size()) > max_positions)
        throw Error("longer than the model's " + std::to_string(max_positions) + " positions");
    } catch (const Error& failure) {
      error = "line " + std::to_string(line_number) + ": " + failure.what();
      source_ids.clear();
      target_ids.clear();
    }
    sources_text.push_back(std::move(source_text));
    targets_text.push_back(std::move(target_text));
    sources.push_back(std::move(source_ids));
    targets.push_back(std::move(target_ids));
    errors.push_back(std::move(error));
  }

  const int decoder_start =
      Translator::search_for(direction, search_options_from(translator.config().generation)).decoder_start_token_id;
  const auto aligned = align_pairs(translator.model(), tokenizer, sources, targets, decoder_start, unit, layer, heads);
  write_attention_exports(options.exports, aligned);

  const bool color = options.output_file.empty() && isatty(STDOUT_FILENO);
  bool any_bad_line = false;
  for (size_t i = 0; i < aligned.size(); ++i) {
    const SentenceAlignment& sentence = aligned[i];
    if (!errors[i].empty()) {
      std::cerr << "error: " << errors[i] << "\n";
      any_bad_line = true;
    }
    double total = 0;
    for (float value : sentence.log_probs) total += value;
    if (options.format == "jsonl") {
      nlohmann::ordered_json record = {{"source", sources_text[i]}, {"target", targets_text[i]}};
      if (!errors[i].empty()) record["error"] = errors[i];
      record["source_tokens"] = sentence.source_tokens;
      record["target_tokens"] = sentence.target_tokens;
      record["alignment"] = errors[i].empty() ? alignment_json(sentence.selected, kind) : nlohmann::ordered_json("");
      if (options.scores) {
        nlohmann::ordered_json log_probs = nlohmann::ordered_json::array();
        for (float value : sentence.log_probs) log_probs.push_back(std::round(static_cast<double>(value) * 1e6) / 1e6);
        record["pieces"] = sentence.target_pieces;
        record["log_probs"] = log_probs;
        record["total_log_prob"] = std::round(total * 1e6) / 1e6;
      }
      output << record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
      output << alignment_text(sentence.selected, kind);
      if (options.scores && errors[i].empty()) {
        output << kSeparator << format_log_prob(total) << kSeparator;
        for (size_t t = 0; t < sentence.log_probs.size(); ++t)
          output << (t ? " " : "") << format_log_prob(sentence.log_probs[t]);
      }
      output << "\n";
    }
    if (options.show && errors[i].empty()) output << terminal_heatmap(sentence, color) << "\n";
  }
  output.flush();
  if (!output) throw Error("writing the output failed");
  if (any_bad_line) throw ExitWithStatus{1};
}

}  // namespace

void add_align_command(CLI::App& app) {
  auto options = std::make_shared<AlignOptions>();
  CLI::App* command = app.add_subcommand(
      "align", "Align given translations: lines 'source ||| target' in, Pharaoh 'source-target' word pairs out");
  command->add_option("-m,--model", options->model_dir, "Model folder (default: the model shipped in models/)");
  add_language_options(command, options->source_language, options->target_language);
  command->add_option("-i,--input", options->input_file, "Input file (default: stdin)");
  command->add_option("-o,--output", options->output_file, "Output file (default: stdout)");
  command->add_option("--format", options->format, "Output format: text or jsonl");
  command->add_option("--alignment", options->alignment, "hard (default), soft or a threshold 0.0-1.0");
  command->add_option("--alignment-layer", options->alignment_layer,
                      "Decoder layer read for alignments (negative: from the end; default: the last)");
  command->add_option("--alignment-heads", options->alignment_heads, "avg (default), all, or one head index K");
  command->add_option("--alignment-unit", options->alignment_unit, "word (default) or subword");
  command->add_flag("--scores", options->scores,
                    "Also print the total and per-piece log-probs of the target (text: after ' ||| ')");
  command->add_option("--attention-json", options->exports.json_file, "Write per-sentence attention matrices (JSONL)");
  command->add_flag("--attention-all", options->exports.all, "--attention-json exports every layer and head");
  command->add_option("--attention-html", options->exports.html_file, "Write a self-contained HTML page of heatmaps");
  command->add_option("--attention-svg", options->exports.svg_dir, "Write sentence-0001.svg ... into this folder");
  command->add_flag("--show", options->show, "Print a character heatmap after each alignment");
  add_compute_type_option(command, options->compute_type);
  command->add_option("--threads", options->threads, "Compute threads (default: all cores)")
      ->check(at_least(0));
  command->callback([options] { run_align(*options); });
}

}  // namespace crossmt::cli
