#pragma once
// The public entry point: source lines (text or ids) in, translations out. Sorts the input by
// length, cuts batches by a token budget or a sentence count, and restores the input order.
//
// Thread safety: every member function is const and may be called from several threads at once.
// The weights are loaded once and never written; each batch runs on one of `workers` worker
// threads, each with its own decoder buffers and its own compute threads, so that N callers
// translating at once get exactly the outputs each would get alone.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crossmt/alignment_options.h"
#include "crossmt/compute_type.h"
#include "crossmt/error.h"
#include "crossmt/export.h"
#include "crossmt/search_options.h"

namespace crossmt {

// In-tree types for the CLI and tests (crossmt/config.h, model.h, tokenizer.h; not installed).
struct ModelConfig;
class Seq2SeqModel;
class Tokenizer;
struct LanguageDirection;

// Measured on the default model (see README, "Batching"): larger budgets stop paying off.
inline constexpr int kDefaultBatchTokens = 2048;

struct BatchingOptions {
  int batch_size = 0;                      // sentences per batch; 0 = cut by tokens only
  int batch_tokens = kDefaultBatchTokens;  // padded source tokens per batch
};

struct TranslatorOptions {
  ComputeType compute_type = ComputeType::Auto;
  // Batches translated at once (CTranslate2's inter_threads), each by its own worker thread.
  int workers = 1;
  // Compute (OpenMP) threads of each worker; 0 = the cores divided among the workers.
  int threads_per_worker = 0;
};

struct TranslationResult {
  std::vector<int> source_ids;
  std::vector<Hypothesis> hypotheses;  // best first; empty for an empty or failed line
  std::vector<std::string> texts;      // decoded hypotheses (empty strings without a tokenizer)
  std::string error;                   // why this line could not be translated, if it could not
  bool truncated = false;              // the source was cut to the model's max positions
};

// What a model is, for users and for `crossmt inspect`-like summaries.
struct ModelInfo {
  std::string path;
  std::string model_type;    // "marian", "bart", "mbart", "m2m_100", "t5"
  std::string architecture;  // e.g. "MarianMTModel"
  ComputeType compute_type = ComputeType::Float32;  // as resolved at load
  int64_t parameters = 0;
  int d_model = 0, encoder_layers = 0, decoder_layers = 0, attention_heads = 0;
  int source_vocab_size = 0, target_vocab_size = 0, max_positions = 0;
  std::vector<std::string> languages;  // target language codes ("deu", ...), empty if none
  // The pair a bilingual package declares (Argos Translate: "en", "de"), "" when unknown.
  std::string source_language, target_language;
  bool has_tokenizer = false;
};

// Called after each batch with the number of lines and generated tokens done so far, in the
// thread that called translate_*.
using ProgressCallback = std::function<void(size_t lines_done, size_t tokens_done)>;

class CROSSMT_API Translator {
 public:
  // Loads the checkpoint and, when the folder has one, the tokenizer. Throws crossmt::Error.
  explicit Translator(const std::filesystem::path& model_dir, const TranslatorOptions& options = {});
  Translator(const std::filesystem::path& model_dir, ComputeType compute_type);
  ~Translator();
  Translator(const Translator&) = delete;
  Translator& operator=(const Translator&) = delete;

  ModelInfo info() const;
  int workers() const;
  bool has_tokenizer() const;

  // The model's generation defaults (generation_config.json), to adjust before a search.
  SearchOptions default_search_options() const;

  // The direction for a language pair as users name them ("en", "eng", the model's own code; ""
  // when not needed): Marian's `>>deu<<` token, T5's task prefix, the multilingual families'
  // codes and forced first tokens. Throws crossmt::Error listing the model's codes for an unknown
  // or ambiguous one, or when the model needs a source language and none is given.
  LanguageDirection direction(std::string_view source_language, std::string_view target_language) const;
  // The source token of a target language given as "de", "deu" or ">>deu<<" (e.g. ">>deu<<");
  // "" when the model has no language tokens and `language` is empty.
  std::string language_token(std::string_view language) const;
  // `search` with the direction's decoder start and forced first token (mBART, M2M100, NLLB).
  static SearchOptions search_for(const LanguageDirection& direction, SearchOptions search);

  // Source ids of one text line for `direction` (Marian: `>>deu<<` prepended unless the line
  // already starts with a language token); empty when the line holds nothing to translate.
  // Throws crossmt::Error on invalid UTF-8.
  std::vector<int> encode_line(const std::string& line, const LanguageDirection& direction) const;
  std::vector<int> encode_line(const std::string& line, const std::string& language_token) const;
  // SentencePiece pieces of a source line (no `</s>`).
  std::vector<std::string> source_pieces(std::string_view text) const;
  // Ids of given source pieces (CTranslate2-style token input) with the model's source BOS/EOS
  // (`</s>` for HF Marian); unknown pieces become `<unk>`.
  std::vector<int> encode_source_pieces(const std::vector<std::string>& pieces) const;
  // Target ids of a target text, as the tokenizer(text_target=...) encodes it.
  std::vector<int> encode_target(std::string_view text) const;
  std::vector<std::string> target_pieces(const std::vector<int>& ids) const;
  std::string decode(const std::vector<int>& ids) const;

  // Translates id sequences (EOS-terminated); an empty sequence gives an empty result. Sources
  // longer than the model allows are truncated and flagged.
  std::vector<TranslationResult> translate_ids(std::vector<std::vector<int>> sources, const SearchOptions& search,
                                               const BatchingOptions& batching = {},
                                               const ProgressCallback& progress = nullptr) const;
  // Text lines to `target_language` ("" keeps the lines' own `>>xxx<<`); a line that cannot be
  // encoded (invalid UTF-8) gets `error` set and no hypotheses, the others are translated.
  std::vector<TranslationResult> translate_lines(const std::vector<std::string>& lines,
                                                 std::string_view target_language, const SearchOptions& search,
                                                 const BatchingOptions& batching = {},
                                                 const ProgressCallback& progress = nullptr) const;
  // Text lines in `direction`, its decoder start and forced first token applied to `search`.
  std::vector<TranslationResult> translate_lines(const std::vector<std::string>& lines,
                                                 const LanguageDirection& direction, const SearchOptions& search,
                                                 const BatchingOptions& batching = {},
                                                 const ProgressCallback& progress = nullptr) const;

  // Log-prob of each target id given its source (forced decoding, no logits processors).
  std::vector<std::vector<float>> score_ids(const std::vector<std::vector<int>>& sources,
                                            const std::vector<std::vector<int>>& targets) const;
  // Alignment of each target (ids, e.g. a hypothesis) with its source; needs the tokenizer.
  std::vector<WordAlignment> align_ids(const std::vector<std::vector<int>>& sources,
                                       const std::vector<std::vector<int>>& targets,
                                       const AlignmentOptions& options = {}) const;

  // In-tree access for the CLI and tests.
  const ModelConfig& config() const;
  const Seq2SeqModel& model() const;
  const Tokenizer& tokenizer() const;  // throws when the model folder has none

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The order in which to translate sources of these lengths, and where each batch ends.
struct BatchPlan {
  std::vector<size_t> order;
  std::vector<size_t> batch_ends;  // exclusive indices into `order`
};
CROSSMT_API BatchPlan plan_batches(const std::vector<size_t>& lengths, const BatchingOptions& batching);

}  // namespace crossmt
