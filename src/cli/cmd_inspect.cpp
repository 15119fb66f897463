// `crossmt inspect [DIR]`: what a checkpoint holds (architecture, sizes, dtypes, parameter count,
// special ids, generation defaults, tokenizer files), as aligned text or --json.
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "commands.h"
#include "crossmt/tokenizer.h"
#include "crossmt/checkpoint.h"
#include "crossmt/error.h"
#include "formats/marian_npz.h"

namespace crossmt::cli {
namespace {

using nlohmann::json;

struct InspectOptions {
  std::string path;
  std::string model_dir;
  bool json_output = false;
};

// Files the tokenizers of the supported families read; shown when present.
constexpr const char* kTokenizerFiles[] = {"source.spm",         "target.spm",     "vocab.json",
                                           "target_vocab.json",  "merges.txt",     "spiece.model",
                                           "sentencepiece.bpe.model", "tokenizer.json", "tokenizer_config.json",
                                           "special_tokens_map.json", "sentencepiece.model",
                                           // CTranslate2 folders
                                           "shared_vocabulary.json", "shared_vocabulary.txt",
                                           "source_vocabulary.json", "source_vocabulary.txt",
                                           "target_vocabulary.json", "target_vocabulary.txt"};

std::string with_thousands_separators(int64_t value) {
  const std::string digits = std::to_string(value < 0 ? -value : value);
  std::string text = value < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return text;
}

// As generation_config.json spells it: true, false or "never".
json early_stopping_json(EarlyStopping mode) {
  return mode == EarlyStopping::Never ? json("never") : json(mode == EarlyStopping::True);
}

std::string id_text(int id) { return id < 0 ? "none" : std::to_string(id); }

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string text;
  for (const auto& part : parts) text += (text.empty() ? "" : separator) + part;
  return text;
}

struct Report {
  std::vector<std::pair<std::string, std::string>> lines;  // human-readable, in order
  json machine = json::object();                           // --json
  void line(std::string key, std::string value) { lines.emplace_back(std::move(key), std::move(value)); }
};

void describe_architecture(const Checkpoint& checkpoint, Report& report) {
  const ModelConfig& config = checkpoint.config();
  report.line("architecture", config.model_type + (config.architecture.empty() ? "" : " (" + config.architecture + ")"));
  const int64_t parameters = count_parameters(checkpoint);
  report.line("parameters", with_thousands_separators(parameters));

  std::map<std::string, int> tensors_per_dtype;
  int64_t stored_values = 0;
  for (const auto& [name, tensor] : checkpoint.tensors()) {
    ++tensors_per_dtype[dtype_name(tensor.dtype)];
    stored_values += element_count(tensor.shape);
  }
  std::vector<std::string> dtype_parts;
  for (const auto& [dtype, count] : tensors_per_dtype) dtype_parts.push_back(dtype + " x " + std::to_string(count));
  report.line("stored tensors", std::to_string(checkpoint.tensors().size()) + " (" +
                                    with_thousands_separators(stored_values) + " values)");
  report.line("dtypes", join(dtype_parts, ", "));

  report.machine["model_type"] = config.model_type;
  report.machine["architecture"] = config.architecture;
  report.machine["parameters"] = parameters;
  report.machine["stored_tensors"] = checkpoint.tensors().size();
  report.machine["stored_values"] = stored_values;
  report.machine["dtypes"] = tensors_per_dtype;
}

void describe_layers(const ModelConfig& config, Report& report) {
  report.line("d_model", std::to_string(config.d_model));
  report.line("layers", "encoder " + std::to_string(config.encoder_layers) + ", decoder " +
                            std::to_string(config.decoder_layers));
  report.line("attention heads", "encoder " + std::to_string(config.encoder_attention_heads) + ", decoder " +
                                     std::to_string(config.decoder_attention_heads) + " (head dim " +
                                     std::to_string(config.d_kv) + ")");
  report.line("ffn dim", "encoder " + std::to_string(config.encoder_ffn_dim) + ", decoder " +
                             std::to_string(config.decoder_ffn_dim));
  report.line("activation", config.activation_function +
                                (config.is_t5() ? " (feed_forward_proj " + config.feed_forward_proj + ")" : ""));
  std::string positions = position_encoding_name(config.position_encoding);
  if (config.is_t5())
    positions += ", " + std::to_string(config.relative_attention_num_buckets) + " buckets, max distance " +
                 std::to_string(config.relative_attention_max_distance);
  else
    positions += ", max " + std::to_string(config.max_position_embeddings);
  report.line("positions", positions);
  report.line("layer norm", std::string(config.normalize_before ? "pre-norm" : "post-norm") + ", eps " +
                                json(config.layer_norm_epsilon).dump());

  std::vector<std::string> embedding_facts;
  if (config.scale_embedding) embedding_facts.push_back("scaled by sqrt(d_model)");
  embedding_facts.push_back(config.share_encoder_decoder_embeddings ? "shared by encoder and decoder"
                                                                    : "separate encoder and decoder");
  embedding_facts.push_back(config.tie_word_embeddings ? "tied to the output projection" : "untied output projection");
  if (config.scale_decoder_outputs) embedding_facts.push_back("decoder output scaled by d_model^-0.5");
  report.line("embeddings", join(embedding_facts, ", "));
  report.line("vocab size", std::to_string(config.vocab_size) +
                                (config.decoder_vocab_size != config.vocab_size
                                     ? " (decoder " + std::to_string(config.decoder_vocab_size) + ")"
                                     : ""));

  json& layers = report.machine;
  layers["d_model"] = config.d_model;
  layers["encoder_layers"] = config.encoder_layers;
  layers["decoder_layers"] = config.decoder_layers;
  layers["encoder_attention_heads"] = config.encoder_attention_heads;
  layers["decoder_attention_heads"] = config.decoder_attention_heads;
  layers["d_kv"] = config.d_kv;
  layers["encoder_ffn_dim"] = config.encoder_ffn_dim;
  layers["decoder_ffn_dim"] = config.decoder_ffn_dim;
  layers["activation_function"] = config.activation_function;
  layers["max_position_embeddings"] = config.max_position_embeddings;
  layers["position_encoding"] = position_encoding_name(config.position_encoding);
  layers["normalize_before"] = config.normalize_before;
  layers["layer_norm_epsilon"] = config.layer_norm_epsilon;
  layers["scale_embedding"] = config.scale_embedding;
  layers["share_encoder_decoder_embeddings"] = config.share_encoder_decoder_embeddings;
  layers["tie_word_embeddings"] = config.tie_word_embeddings;
  layers["vocab_size"] = config.vocab_size;
  layers["decoder_vocab_size"] = config.decoder_vocab_size;
  if (config.is_t5()) {
    layers["feed_forward_proj"] = config.feed_forward_proj;
    layers["relative_attention_num_buckets"] = config.relative_attention_num_buckets;
    layers["relative_attention_max_distance"] = config.relative_attention_max_distance;
    layers["scale_decoder_outputs"] = config.scale_decoder_outputs;
  }
}

void describe_special_ids(const ModelConfig& config, Report& report) {
  const GenerationConfig& generation = config.generation;
  report.line("special ids", "pad " + id_text(config.pad_token_id) + ", eos " + id_text(config.eos_token_id) +
                                 ", bos " + id_text(config.bos_token_id) + ", decoder start " +
                                 id_text(config.decoder_start_token_id) + ", forced eos " +
                                 id_text(config.forced_eos_token_id));
  // Decoding uses the generation config's ids; show them only where they differ.
  const bool generation_differs = generation.pad_token_id != config.pad_token_id ||
                                  generation.eos_token_id != config.eos_token_id ||
                                  generation.bos_token_id != config.bos_token_id ||
                                  generation.decoder_start_token_id != config.decoder_start_token_id ||
                                  generation.forced_eos_token_id != config.forced_eos_token_id;
  if (generation_differs)
    report.line("generation ids", "pad " + id_text(generation.pad_token_id) + ", eos " +
                                      id_text(generation.eos_token_id) + ", bos " + id_text(generation.bos_token_id) +
                                      ", decoder start " + id_text(generation.decoder_start_token_id) +
                                      ", forced eos " + id_text(generation.forced_eos_token_id));
  report.machine["special_ids"] = {{"pad", config.pad_token_id},
                                   {"eos", config.eos_token_id},
                                   {"bos", config.bos_token_id},
                                   {"decoder_start", config.decoder_start_token_id},
                                   {"forced_eos", config.forced_eos_token_id}};
}

void describe_generation(const ModelConfig& config, Report& report) {
  const GenerationConfig& generation = config.generation;
  json defaults = {{"num_beams", generation.num_beams},
                   {"max_length", generation.max_length},
                   {"max_new_tokens", generation.max_new_tokens},
                   {"min_length", generation.min_length},
                   {"length_penalty", generation.length_penalty},
                   {"early_stopping", early_stopping_json(generation.early_stopping)},
                   {"bad_words_ids", generation.bad_words_ids},
                   {"forced_bos_token_id", generation.forced_bos_token_id},
                   {"forced_eos_token_id", generation.forced_eos_token_id},
                   {"no_repeat_ngram_size", generation.no_repeat_ngram_size},
                   {"repetition_penalty", generation.repetition_penalty},
                   {"num_return_sequences", generation.num_return_sequences},
                   {"do_sample", generation.do_sample},
                   {"top_k", generation.top_k},
                   {"top_p", generation.top_p},
                   {"temperature", generation.temperature},
                   {"decoder_start_token_id", generation.decoder_start_token_id},
                   {"bos_token_id", generation.bos_token_id},
                   {"eos_token_id", generation.eos_token_id},
                   {"pad_token_id", generation.pad_token_id}};
  report.machine["generation"] = defaults;

  std::vector<std::string> beam = {"num_beams " + std::to_string(generation.num_beams),
                                   "max_length " + std::to_string(generation.max_length),
                                   "length_penalty " + json(generation.length_penalty).dump(),
                                   std::string("early_stopping ") + early_stopping_name(generation.early_stopping)};
  if (generation.max_new_tokens >= 0) beam.push_back("max_new_tokens " + std::to_string(generation.max_new_tokens));
  if (generation.min_length > 0) beam.push_back("min_length " + std::to_string(generation.min_length));
  report.line("generation", join(beam, ", "));

  std::vector<std::string> constraints;
  if (!generation.bad_words_ids.empty()) constraints.push_back("bad_words_ids " + json(generation.bad_words_ids).dump());
  if (generation.forced_bos_token_id >= 0)
    constraints.push_back("forced_bos_token_id " + std::to_string(generation.forced_bos_token_id));
  if (generation.no_repeat_ngram_size > 0)
    constraints.push_back("no_repeat_ngram_size " + std::to_string(generation.no_repeat_ngram_size));
  if (generation.repetition_penalty != 1.0)
    constraints.push_back("repetition_penalty " + json(generation.repetition_penalty).dump());
  if (generation.num_return_sequences != 1)
    constraints.push_back("num_return_sequences " + std::to_string(generation.num_return_sequences));
  report.line("constraints", constraints.empty() ? "none" : join(constraints, ", "));
  if (generation.do_sample)
    report.line("sampling", "top_k " + std::to_string(generation.top_k) + ", top_p " + json(generation.top_p).dump() +
                                ", temperature " + json(generation.temperature).dump());
}

void describe_tokenizer_files(const std::filesystem::path& model_path, bool marian, Report& report) {
  // A Marian .npz file keeps its tokenizer files beside it.
  const std::filesystem::path path = marian && !std::filesystem::is_directory(model_path) ? model_path.parent_path() : model_path;
  std::vector<std::string> present;
  if (std::filesystem::is_directory(path))
    for (const char* file : kTokenizerFiles)
      if (std::filesystem::exists(path / file)) present.push_back(file);
  if (marian) {
    for (const auto& vocabulary : find_marian_vocabularies(path)) present.push_back(vocabulary.filename().string());
    if (std::filesystem::exists(path / "decoder.yml")) present.push_back("decoder.yml");
  }
  report.line("tokenizer files", present.empty() ? "none" : join(present, ", "));
  report.machine["tokenizer_files"] = present;
  // The family and languages, read the way translate reads them (CTranslate2 and Argos folders
  // carry their own vocabularies and are described by their format line).
  if (!has_tokenizer_files(path)) return;
  std::unique_ptr<Tokenizer> tokenizer;
  try {
    tokenizer = load_tokenizer(path);
  } catch (const Error& failure) {
    report.line("tokenizer", std::string("unreadable: ") + failure.what());
    report.machine["tokenizer_error"] = failure.what();
    return;
  }
  const std::vector<std::string> languages = tokenizer->languages();
  report.line("tokenizer", tokenizer->family() + " (" + tokenizer->files() + ")");
  report.line("languages", languages.empty() ? "none named (one fixed direction)"
                                             : join(languages, ", ") + (tokenizer->needs_source_language()
                                                                            ? " (--from and --to)"
                                                                            : " (--to)"));
  report.machine["tokenizer"] = tokenizer->family();
  report.machine["languages"] = languages;
  report.machine["needs_source_language"] = tokenizer->needs_source_language();
}

void run_inspect(const InspectOptions& options) {
  if (!options.path.empty() && !options.model_dir.empty())
    throw Error("inspect: give the model either as DIR or with -m, not both");
  const std::filesystem::path path = resolve_model_dir(options.path.empty() ? options.model_dir : options.path);
  const Checkpoint checkpoint = Checkpoint::open(path);

  Report report;
  report.line("path", path.string());
  report.line("format", checkpoint.config().format_description);
  report.machine["path"] = path.string();
  report.machine["format"] = checkpoint.config().format;
  report.machine["format_description"] = checkpoint.config().format_description;
  describe_architecture(checkpoint, report);
  describe_layers(checkpoint.config(), report);
  describe_special_ids(checkpoint.config(), report);
  describe_generation(checkpoint.config(), report);
  describe_tokenizer_files(path, checkpoint.config().format == "marian", report);

  if (options.json_output) {
    std::cout << report.machine.dump(2) << "\n";
    return;
  }
  size_t key_width = 0;
  for (const auto& [key, value] : report.lines) key_width = std::max(key_width, key.size());
  for (const auto& [key, value] : report.lines)
    std::cout << key << ":" << std::string(key_width - key.size() + 1, ' ') << value << "\n";
}

}  // namespace

void add_inspect_command(CLI::App& app) {
  auto options = std::make_shared<InspectOptions>();
  CLI::App* command = app.add_subcommand(
      "inspect", "Describe a model folder or JSON checkpoint: architecture, sizes, dtypes, parameters, "
                 "special ids, generation defaults, tokenizer files");
  command->add_option("DIR", options->path,
                      "Model folder or .json checkpoint (default: $CROSSMT_MODEL_DIR, else the model shipped in "
                      "models/)");
  command->add_option("-m,--model", options->model_dir, "Model folder or .json checkpoint (same as DIR)");
  command->add_flag("--json", options->json_output, "Print one JSON object instead of aligned text");
  command->callback([options] { run_inspect(*options); });
}

}  // namespace crossmt::cli
