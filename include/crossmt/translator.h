#pragma once
// The public entry point: source lines (text or ids) in, translations out. Sorts the input by
// length, cuts batches by a token budget or a sentence count, and restores the input order.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crossmt/checkpoint.h"
#include "crossmt/model.h"
#include "crossmt/search.h"
#include "crossmt/tokenizer.h"

namespace crossmt {

// Measured on the default model (see README, "Batching"): larger budgets stop paying off.
inline constexpr int kDefaultBatchTokens = 2048;

struct BatchingOptions {
  int batch_size = 0;                      // sentences per batch; 0 = cut by tokens only
  int batch_tokens = kDefaultBatchTokens;  // padded source tokens per batch
};

struct TranslationResult {
  std::vector<int> source_ids;
  std::vector<Hypothesis> hypotheses;  // best first; empty for an empty or failed line
  std::vector<std::string> texts;      // decoded hypotheses (empty strings without a tokenizer)
  std::string error;                   // why this line could not be translated, if it could not
  bool truncated = false;              // the source was cut to the model's max positions
};

// Called after each batch with the number of lines and generated tokens done so far.
using ProgressCallback = std::function<void(size_t lines_done, size_t tokens_done)>;

class Translator {
 public:
  // Loads the checkpoint and, when the folder has one, the tokenizer.
  explicit Translator(const std::filesystem::path& model_dir, ComputeType compute_type = ComputeType::Auto);

  const ModelConfig& config() const { return model_.config(); }
  const Seq2SeqModel& model() const { return model_; }
  const MarianTokenizer& tokenizer() const;  // throws when the model folder has none
  bool has_tokenizer() const { return tokenizer_ != nullptr; }

  // Source ids of one text line, with `language_token` (e.g. ">>deu<<") prepended unless the line
  // already starts with one. Throws crossmt::Error on invalid UTF-8.
  std::vector<int> encode_line(const std::string& line, const std::string& language_token) const;

  // Translates id sequences (EOS-terminated); an empty sequence gives an empty result. Sources
  // longer than the model allows are truncated and flagged.
  std::vector<TranslationResult> translate_ids(std::vector<std::vector<int>> sources, const SearchOptions& search,
                                               const BatchingOptions& batching,
                                               const ProgressCallback& progress = nullptr) const;

 private:
  // The checkpoint (and its mapping) is released once the model holds its weights.
  Seq2SeqModel model_;
  mutable SearchWorkspace workspace_;  // reused by every batch (one translation at a time)
  std::unique_ptr<MarianTokenizer> tokenizer_;
};

// The order in which to translate sources of these lengths, and where each batch ends.
struct BatchPlan {
  std::vector<size_t> order;
  std::vector<size_t> batch_ends;  // exclusive indices into `order`
};
BatchPlan plan_batches(const std::vector<size_t>& lengths, const BatchingOptions& batching);

}  // namespace crossmt
