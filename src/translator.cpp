#include "crossmt/translator.h"

#include <algorithm>
#include <numeric>

#include "crossmt/error.h"
#include "crossmt/language.h"

namespace crossmt {

Translator::Translator(const std::filesystem::path& model_dir, ComputeType compute_type)
    : model_(Checkpoint::open(model_dir), compute_type) {
  if (std::filesystem::is_directory(model_dir) && std::filesystem::exists(model_dir / "source.spm"))
    tokenizer_ = std::make_unique<MarianTokenizer>(MarianTokenizer::load(model_dir));
}

const MarianTokenizer& Translator::tokenizer() const {
  if (!tokenizer_)
    throw Error("the model has no tokenizer (source.spm, target.spm, vocab.json); give token ids with --ids-in");
  return *tokenizer_;
}

std::vector<int> Translator::encode_line(const std::string& line, const std::string& language_token) const {
  const MarianTokenizer& marian = tokenizer();
  std::vector<int> ids = language_token.empty() || starts_with_language_token(line)
                             ? marian.encode(line)
                             : marian.encode(language_token + " " + line);
  // Text that SentencePiece normalizes away (no-break spaces, U+3000, form feeds...) would leave the
  // model only </s> and a language token, and it would translate thin air: nothing to translate.
  const bool has_text = std::any_of(ids.begin(), ids.end(), [&](int id) {
    if (id == marian.eos_id()) return false;
    const std::string piece = marian.source_piece(id);
    return leading_language_token_length(piece) != piece.size();
  });
  if (!has_text) ids.clear();
  return ids;
}

BatchPlan plan_batches(const std::vector<size_t>& lengths, const BatchingOptions& batching) {
  BatchPlan plan;
  plan.order.resize(lengths.size());
  std::iota(plan.order.begin(), plan.order.end(), 0);
  // Longest first: the first batch is the most expensive, so memory peaks early and predictably.
  std::stable_sort(plan.order.begin(), plan.order.end(), [&](size_t a, size_t b) { return lengths[a] > lengths[b]; });
  size_t in_batch = 0, batch_max_length = 0;
  for (size_t i = 0; i < plan.order.size(); ++i) {
    const size_t length = lengths[plan.order[i]];
    const size_t padded_if_added = std::max(batch_max_length, length) * (in_batch + 1);
    const bool over_count = batching.batch_size > 0 && in_batch >= static_cast<size_t>(batching.batch_size);
    const bool over_tokens = batching.batch_size <= 0 && in_batch > 0 && batching.batch_tokens > 0 &&
                             padded_if_added > static_cast<size_t>(batching.batch_tokens);
    if (over_count || over_tokens) {
      plan.batch_ends.push_back(i);
      in_batch = 0;
      batch_max_length = 0;
    }
    ++in_batch;
    batch_max_length = std::max(batch_max_length, length);
  }
  if (!plan.order.empty()) plan.batch_ends.push_back(plan.order.size());
  return plan;
}

std::vector<TranslationResult> Translator::translate_ids(std::vector<std::vector<int>> sources,
                                                         const SearchOptions& search, const BatchingOptions& batching,
                                                         const ProgressCallback& progress) const {
  std::vector<TranslationResult> results(sources.size());
  const size_t max_positions = static_cast<size_t>(model_.max_positions());
  std::vector<size_t> to_translate, lengths;
  for (size_t i = 0; i < sources.size(); ++i) {
    auto& ids = sources[i];
    if (ids.empty()) continue;
    if (ids.size() > max_positions) {
      // Keep the beginning and the final EOS, as a tokenizer with truncation=True would.
      const int last = ids.back();
      ids.resize(max_positions);
      ids.back() = last;
      results[i].truncated = true;
    }
    to_translate.push_back(i);
    lengths.push_back(ids.size());
  }
  const BatchPlan plan = plan_batches(lengths, batching);
  size_t begin = 0, lines_done = sources.size() - to_translate.size(), tokens_done = 0;
  for (size_t end : plan.batch_ends) {
    std::vector<std::vector<int>> batch;
    for (size_t k = begin; k < end; ++k) batch.push_back(sources[to_translate[plan.order[k]]]);
    const EncodedBatch encoded = model_.encode(batch);
    auto hypotheses = generate(model_, encoded, search, &workspace_);
    for (size_t k = begin; k < end; ++k) {
      TranslationResult& result = results[to_translate[plan.order[k]]];
      result.hypotheses = std::move(hypotheses[k - begin]);
      for (const auto& hypothesis : result.hypotheses) {
        tokens_done += hypothesis.ids.size();
        result.texts.push_back(tokenizer_ ? tokenizer_->decode(hypothesis.ids) : std::string());
      }
    }
    lines_done += end - begin;
    begin = end;
    if (progress) progress(lines_done, tokens_done);
  }
  for (size_t i = 0; i < sources.size(); ++i) results[i].source_ids = std::move(sources[i]);
  return results;
}

}  // namespace crossmt
