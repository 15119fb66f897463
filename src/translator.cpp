#include "crossmt/translator.h"

#include <algorithm>
#include <mutex>
#include <numeric>
#include <optional>

#include "crossmt/alignment.h"
#include "crossmt/checkpoint.h"
#include "crossmt/config.h"
#include "crossmt/error.h"
#include "crossmt/language.h"
#include "crossmt/model.h"
#include "crossmt/search.h"
#include "crossmt/tokenizer.h"
#include "formats/argos_package.h"
#include "formats/ctranslate2.h"
#include "worker_pool.h"

namespace crossmt {

namespace {

// The model is built on a worker, with that worker's OpenMP thread count, for two reasons: oneDNN
// fixes a primitive's thread count when it is made, and the caller's thread must not start an
// OpenMP team of its own. An idle team beside the workers' makes libgomp throttle the spin-waiting
// of all its threads (it spins only while it has no more threads than cores): each parallel region
// then sleeps and wakes, 2-2.5x slower decoding measured on 2 threads.
Seq2SeqModel build_on_worker(WorkerPool& pool, const Checkpoint& checkpoint, ComputeType compute_type) {
  std::optional<Seq2SeqModel> model;
  pool.run({[&](SearchWorkspace&) { model.emplace(checkpoint, compute_type); }});
  return std::move(*model);
}

}  // namespace

struct Translator::Impl {
  std::filesystem::path model_dir;
  std::filesystem::path tokenizer_dir;  // model_dir, or the folder of a Marian .npz file
  int64_t parameters = 0;
  mutable WorkerPool pool;  // made before the model, which is built on it
  // Immutable once loaded: every worker reads the same weights.
  Seq2SeqModel model;
  std::unique_ptr<Tokenizer> tokenizer;

  Impl(const std::filesystem::path& dir, const TranslatorOptions& options, const Checkpoint& checkpoint)
      : model_dir(dir),
        tokenizer_dir(dir),
        parameters(count_parameters(checkpoint)),
        pool(options.workers, options.threads_per_worker),
        model(build_on_worker(pool, checkpoint, options.compute_type)) {}

  const Tokenizer& require_tokenizer() const {
    if (!tokenizer)
      throw Error("the model has no tokenizer (source.spm, spiece.model, sentencepiece.bpe.model, vocab.json + "
                  "merges.txt or tokenizer.json); give token ids with --ids-in");
    return *tokenizer;
  }
};

Translator::Translator(const std::filesystem::path& model_dir, const TranslatorOptions& options) {
  if (options.workers < 1) throw Error("workers must be at least 1");
  if (options.threads_per_worker < 0) throw Error("threads per worker must not be negative");
  // The checkpoint (and its mapping) is released once the model holds its weights.
  impl_ = std::make_unique<Impl>(model_dir, options, Checkpoint::open(model_dir));
  // A Marian .npz file keeps its tokenizer files beside it.
  const bool npz_file = !std::filesystem::is_directory(model_dir) && model_dir.extension() == ".npz";
  if (npz_file) impl_->tokenizer_dir = model_dir.has_parent_path() ? model_dir.parent_path() : ".";
  const std::string& format = impl_->model.config().format;
  if (format == "ctranslate2")
    impl_->tokenizer = std::make_unique<MarianTokenizer>(
        MarianTokenizer::from_parts(ctranslate2_tokenizer_parts(ctranslate2_folder_files(model_dir))));
  else if (format == "argos")
    impl_->tokenizer = std::make_unique<MarianTokenizer>(MarianTokenizer::from_parts(
        ctranslate2_tokenizer_parts(open_argos_package(model_dir, /*with_weights=*/false).model)));
  else if (has_tokenizer_files(impl_->tokenizer_dir))
    impl_->tokenizer = load_tokenizer(impl_->tokenizer_dir);
}

Translator::Translator(const std::filesystem::path& model_dir, ComputeType compute_type)
    : Translator(model_dir, TranslatorOptions{compute_type}) {}

Translator::~Translator() = default;

const ModelConfig& Translator::config() const { return impl_->model.config(); }
const Seq2SeqModel& Translator::model() const { return impl_->model; }
const Tokenizer& Translator::tokenizer() const { return impl_->require_tokenizer(); }
bool Translator::has_tokenizer() const { return impl_->tokenizer != nullptr; }
int Translator::workers() const { return impl_->pool.size(); }

SearchOptions Translator::default_search_options() const { return search_options_from(config().generation); }

ModelInfo Translator::info() const {
  const ModelConfig& model_config = config();
  ModelInfo info;
  info.path = impl_->model_dir.string();
  info.model_type = model_config.model_type;
  info.architecture = model_config.architecture;
  info.compute_type = impl_->model.compute_type();
  info.parameters = impl_->parameters;
  info.d_model = model_config.d_model;
  info.encoder_layers = model_config.encoder_layers;
  info.decoder_layers = model_config.decoder_layers;
  info.attention_heads = model_config.decoder_attention_heads;
  info.source_vocab_size = model_config.vocab_size;
  info.target_vocab_size = static_cast<int>(impl_->model.target_vocab_size());
  info.max_positions = static_cast<int>(impl_->model.max_positions());
  info.has_tokenizer = has_tokenizer();
  info.source_language = model_config.source_language;
  info.target_language = model_config.target_language;
  if (impl_->tokenizer) info.languages = impl_->tokenizer->languages();
  return info;
}

LanguageDirection Translator::direction(std::string_view source_language, std::string_view target_language) const {
  if (source_language.empty() && target_language.empty()) return {};
  const Tokenizer& model_tokenizer = tokenizer();
  return model_tokenizer.direction(source_language, target_language);
}

std::string Translator::language_token(std::string_view language) const {
  if (language.empty()) return "";
  return direction("", language).target_code;
}

SearchOptions Translator::search_for(const LanguageDirection& direction, SearchOptions search) {
  if (direction.decoder_start_token_id >= 0) search.decoder_start_token_id = direction.decoder_start_token_id;
  if (direction.forced_bos_token_id >= 0) search.forced_bos_token_id = direction.forced_bos_token_id;
  return search;
}

std::vector<int> Translator::encode_line(const std::string& line, const std::string& language_token) const {
  LanguageDirection marian_direction;
  marian_direction.target_code = language_token;
  return encode_line(line, marian_direction);
}

std::vector<int> Translator::encode_line(const std::string& line, const LanguageDirection& direction) const {
  const Tokenizer& model_tokenizer = tokenizer();
  std::vector<int> ids = model_tokenizer.encode(line, direction);
  // Text that normalization removes (no-break spaces, U+3000, form feeds...) would leave the model
  // only special tokens and language codes, and it would translate thin air: nothing to translate.
  const bool has_text = std::any_of(ids.begin(), ids.end(), [&](int id) {
    if (id == model_tokenizer.eos_id() || id == model_tokenizer.source_bos_id() || model_tokenizer.is_special_id(id))
      return false;
    const std::string piece = model_tokenizer.source_piece(id);
    return leading_language_token_length(piece) != piece.size();
  });
  if (!has_text) ids.clear();
  return ids;
}

std::vector<std::string> Translator::source_pieces(std::string_view text) const {
  return tokenizer().encode_pieces(text);
}

std::vector<int> Translator::encode_source_pieces(const std::vector<std::string>& pieces) const {
  return tokenizer().encode_source_pieces(pieces);
}

std::vector<int> Translator::encode_target(std::string_view text) const { return tokenizer().encode_target(text); }

std::vector<std::string> Translator::target_pieces(const std::vector<int>& ids) const {
  const Tokenizer& marian = tokenizer();
  std::vector<std::string> pieces;
  pieces.reserve(ids.size());
  for (int id : ids) pieces.push_back(marian.target_piece(id));
  return pieces;
}

std::string Translator::decode(const std::vector<int>& ids) const { return tokenizer().decode(ids); }

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
  const size_t max_positions = static_cast<size_t>(impl_->model.max_positions());
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
  const Seq2SeqModel& model = impl_->model;
  const Tokenizer* marian = impl_->tokenizer.get();
  std::vector<WorkerPool::Task> tasks;
  std::vector<size_t> batch_tokens(plan.batch_ends.size(), 0);
  for (size_t batch_index = 0, begin = 0; batch_index < plan.batch_ends.size(); ++batch_index) {
    const size_t end = plan.batch_ends[batch_index];
    tasks.push_back([&, begin, end, batch_index](SearchWorkspace& workspace) {
      std::vector<std::vector<int>> batch;
      for (size_t k = begin; k < end; ++k) batch.push_back(sources[to_translate[plan.order[k]]]);
      const EncodedBatch encoded = model.encode(batch);
      auto hypotheses = generate(model, encoded, search, &workspace);
      for (size_t k = begin; k < end; ++k) {
        TranslationResult& result = results[to_translate[plan.order[k]]];
        result.hypotheses = std::move(hypotheses[k - begin]);
        for (const auto& hypothesis : result.hypotheses) {
          batch_tokens[batch_index] += hypothesis.ids.size();
          result.texts.push_back(marian ? marian->decode(hypothesis.ids) : std::string());
        }
      }
    });
    begin = end;
  }
  size_t lines_done = sources.size() - to_translate.size(), tokens_done = 0;
  impl_->pool.run(std::move(tasks), [&](size_t batch_index) {
    const size_t begin = batch_index == 0 ? 0 : plan.batch_ends[batch_index - 1];
    lines_done += plan.batch_ends[batch_index] - begin;
    tokens_done += batch_tokens[batch_index];
    if (progress) progress(lines_done, tokens_done);
  });
  for (size_t i = 0; i < sources.size(); ++i) results[i].source_ids = std::move(sources[i]);
  return results;
}

std::vector<TranslationResult> Translator::translate_lines(const std::vector<std::string>& lines,
                                                           std::string_view target_language, const SearchOptions& search,
                                                           const BatchingOptions& batching,
                                                           const ProgressCallback& progress) const {
  return translate_lines(lines, direction("", target_language), search, batching, progress);
}

std::vector<TranslationResult> Translator::translate_lines(const std::vector<std::string>& lines,
                                                           const LanguageDirection& direction,
                                                           const SearchOptions& search, const BatchingOptions& batching,
                                                           const ProgressCallback& progress) const {
  std::vector<std::vector<int>> sources(lines.size());
  std::vector<std::string> errors(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    try {
      if (const auto bad_byte = find_invalid_utf8(lines[i]))
        throw Error("invalid UTF-8 at byte " + std::to_string(*bad_byte + 1));
      if (lines[i].find_first_not_of(" \t") != std::string::npos) sources[i] = encode_line(lines[i], direction);
    } catch (const Error& failure) {
      errors[i] = "line " + std::to_string(i + 1) + ": " + failure.what();
    }
  }
  auto results = translate_ids(std::move(sources), search_for(direction, search), batching, progress);
  for (size_t i = 0; i < lines.size(); ++i) results[i].error = std::move(errors[i]);
  return results;
}

namespace {

void check_pairs(const std::vector<std::vector<int>>& sources, const std::vector<std::vector<int>>& targets) {
  if (sources.size() != targets.size())
    throw Error(std::to_string(sources.size()) + " sources but " + std::to_string(targets.size()) + " targets");
}

}  // namespace

std::vector<std::vector<float>> Translator::score_ids(const std::vector<std::vector<int>>& sources,
                                                      const std::vector<std::vector<int>>& targets) const {
  check_pairs(sources, targets);
  std::vector<std::vector<float>> log_probs;
  const int decoder_start = default_search_options().decoder_start_token_id;
  impl_->pool.run({[&](SearchWorkspace&) {
    for (auto& pair : forced_attention(impl_->model, sources, targets, decoder_start))
      log_probs.push_back(std::move(pair.log_probs));
  }});
  return log_probs;
}

std::vector<WordAlignment> Translator::align_ids(const std::vector<std::vector<int>>& sources,
                                                 const std::vector<std::vector<int>>& targets,
                                                 const AlignmentOptions& options) const {
  check_pairs(sources, targets);
  const Tokenizer& marian = tokenizer();
  const int layer = resolve_layer(options.layer, impl_->model.decoder_layers());
  const HeadSelection heads = parse_heads(options.heads, impl_->model.decoder_heads());
  if (heads.mode == HeadMode::All) throw Error("alignment heads must be 'avg' or one head index");
  const int decoder_start = default_search_options().decoder_start_token_id;
  std::vector<SentenceAlignment> sentences;
  impl_->pool.run({[&](SearchWorkspace&) {
    sentences = align_pairs(impl_->model, marian, sources, targets, decoder_start, options.unit, layer, heads);
  }});
  std::vector<WordAlignment> alignments;
  alignments.reserve(sentences.size());
  for (auto& sentence : sentences) {
    WordAlignment alignment;
    alignment.source_tokens = std::move(sentence.source_tokens);
    alignment.target_tokens = std::move(sentence.target_tokens);
    alignment.attention = std::move(sentence.selected.values);
    for (const Link& link : sentence.hard) alignment.links.emplace_back(link.source, link.target);
    alignment.pharaoh = pharaoh(sentence.hard);
    alignment.target_pieces = std::move(sentence.target_pieces);
    alignment.log_probs = std::move(sentence.log_probs);
    alignments.push_back(std::move(alignment));
  }
  return alignments;
}

}  // namespace crossmt
