// The C API (crossmt/crossmt.h) over crossmt::Translator: every entry point catches what the C++
// side throws and turns it into a status plus this thread's last-error message.
#include "crossmt/crossmt.h"

#include <algorithm>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "crossmt/error.h"
#include "crossmt/translator.h"

struct crossmt_translator {
  std::unique_ptr<crossmt::Translator> translator;
  // crossmt_model_info points into these.
  crossmt::ModelInfo info;
  std::string compute_type;
  std::vector<const char*> languages;
};

struct crossmt_results {
  struct Alignment {
    std::string pharaoh;
    std::vector<std::string> source_tokens, target_tokens;
    std::vector<const char*> source_token_pointers, target_token_pointers;
    std::vector<float> attention;
  };
  struct Line {
    std::vector<std::string> texts;
    std::vector<float> scores;
    std::vector<Alignment> alignments;  // one per hypothesis when asked for, else none
    std::string error;
    bool failed = false;
  };
  std::vector<Line> lines;
};

namespace {

thread_local std::string last_error;

crossmt_status fail(crossmt_status status, std::string message) {
  last_error = std::move(message);
  return status;
}

// Runs `body`, mapping exceptions to statuses; nothing is thrown across the C boundary.
template <typename Body>
crossmt_status guarded(Body&& body) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(CROSSMT_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& error) {
    return fail(CROSSMT_ERROR, error.what());
  } catch (...) {
    return fail(CROSSMT_ERROR, "unknown error");
  }
}

crossmt_status null_argument(const char* name) {
  return fail(CROSSMT_INVALID_ARGUMENT, std::string(name) + " is NULL");
}

crossmt::SearchOptions search_options(const crossmt::Translator& translator,
                                      const crossmt_translation_options& options) {
  crossmt::SearchOptions search = translator.default_search_options();
  search.num_beams = options.beam_size;
  search.num_return_sequences = options.num_hypotheses;
  search.length_penalty = options.length_penalty;
  search.max_length = 1 + options.max_decoding_length;  // transformers' max_length counts the start token
  search.min_length = options.min_decoding_length > 0 ? 1 + options.min_decoding_length : 0;
  search.do_sample = options.sampling_topk != 1;
  if (search.do_sample) search.top_k = options.sampling_topk;
  search.top_p = options.sampling_topp;
  search.temperature = options.sampling_temperature;
  search.seed = options.seed;
  search.no_repeat_ngram_size = options.no_repeat_ngram_size;
  search.repetition_penalty = options.repetition_penalty;
  if (options.max_decoding_length < 1) throw crossmt::Error("max_decoding_length must be at least 1");
  if (options.sampling_topk < 0) throw crossmt::Error("sampling_topk must not be negative");
  if (options.max_batch_size < 0 || options.max_batch_tokens < 1)
    throw crossmt::Error("max_batch_size must not be negative and max_batch_tokens must be positive");
  return search;
}

const crossmt_results::Line* line_at(const crossmt_results* results, size_t line) {
  return results && line < results->lines.size() ? &results->lines[line] : nullptr;
}

void keep_alignment(crossmt::WordAlignment&& from, crossmt_results::Alignment& to) {
  to.pharaoh = std::move(from.pharaoh);
  to.source_tokens = std::move(from.source_tokens);
  to.target_tokens = std::move(from.target_tokens);
  to.attention = std::move(from.attention);
  for (const std::string& token : to.source_tokens) to.source_token_pointers.push_back(token.c_str());
  for (const std::string& token : to.target_tokens) to.target_token_pointers.push_back(token.c_str());
}

}  // namespace

extern "C" {

const char* crossmt_last_error(void) { return last_error.c_str(); }

const char* crossmt_version(void) { return CROSSMT_VERSION; }

void crossmt_translator_options_init(crossmt_translator_options* options) {
  if (options) *options = crossmt_translator_options{"auto", 1, 0};
}

crossmt_status crossmt_translator_new(const char* model_path, const crossmt_translator_options* options,
                                      crossmt_translator** translator) {
  if (!translator) return null_argument("translator");
  *translator = nullptr;
  if (!model_path) return null_argument("model_path");
  return guarded([&] {
    crossmt::TranslatorOptions translator_options;
    if (options) {
      translator_options.compute_type = crossmt::parse_compute_type(options->compute_type ? options->compute_type : "auto");
      translator_options.workers = options->workers;
      translator_options.threads_per_worker = options->threads_per_worker;
    }
    auto handle = std::make_unique<crossmt_translator>();
    handle->translator = std::make_unique<crossmt::Translator>(model_path, translator_options);
    handle->info = handle->translator->info();
    handle->compute_type = crossmt::compute_type_name(handle->info.compute_type);
    for (const std::string& language : handle->info.languages) handle->languages.push_back(language.c_str());
    *translator = handle.release();
    return CROSSMT_OK;
  });
}

void crossmt_translator_free(crossmt_translator* translator) { delete translator; }

crossmt_status crossmt_translator_info(const crossmt_translator* translator, crossmt_model_info* info) {
  if (!translator) return null_argument("translator");
  if (!info) return null_argument("info");
  const crossmt::ModelInfo& model = translator->info;
  *info = crossmt_model_info{model.model_type.c_str(),
                             model.architecture.c_str(),
                             translator->compute_type.c_str(),
                             model.parameters,
                             model.d_model,
                             model.encoder_layers,
                             model.decoder_layers,
                             model.attention_heads,
                             model.source_vocab_size,
                             model.target_vocab_size,
                             model.max_positions,
                             translator->languages.size(),
                             translator->languages.data(),
                             model.has_tokenizer ? 1 : 0};
  return CROSSMT_OK;
}

crossmt_status crossmt_translation_options_default(const crossmt_translator* translator,
                                                   crossmt_translation_options* options) {
  if (!translator) return null_argument("translator");
  if (!options) return null_argument("options");
  return guarded([&] {
    const crossmt::SearchOptions search = translator->translator->default_search_options();
    const crossmt::BatchingOptions batching;
    *options = crossmt_translation_options{search.num_beams,
                                           search.num_return_sequences,
                                           static_cast<float>(search.length_penalty),
                                           search.max_length - 1,
                                           std::max(0, search.min_length - 1),
                                           search.do_sample ? search.top_k : 1,
                                           static_cast<float>(search.top_p),
                                           static_cast<float>(search.temperature),
                                           search.seed,
                                           search.no_repeat_ngram_size,
                                           static_cast<float>(search.repetition_penalty),
                                           batching.batch_size,
                                           batching.batch_tokens,
                                           0};
    return CROSSMT_OK;
  });
}

crossmt_status crossmt_translate(const crossmt_translator* translator, const char* const* lines, size_t count,
                                 const char* target_language, const crossmt_translation_options* options,
                                 crossmt_results** results) {
  if (!results) return null_argument("results");
  *results = nullptr;
  if (!translator) return null_argument("translator");
  if (!lines && count > 0) return null_argument("lines");
  if (!options) return null_argument("options");
  for (size_t i = 0; i < count; ++i)
    if (!lines[i]) return fail(CROSSMT_INVALID_ARGUMENT, "lines[" + std::to_string(i) + "] is NULL");
  return guarded([&] {
    const crossmt::Translator& engine = *translator->translator;
    const crossmt::SearchOptions search = search_options(engine, *options);
    const crossmt::BatchingOptions batching{options->max_batch_size, options->max_batch_tokens};
    auto translations = engine.translate_lines(std::vector<std::string>(lines, lines + count),
                                               target_language ? target_language : "", search, batching);
    auto output = std::make_unique<crossmt_results>();
    output->lines.resize(count);
    std::vector<std::vector<int>> alignment_sources, alignment_targets;
    for (size_t i = 0; i < count; ++i) {
      crossmt_results::Line& line = output->lines[i];
      crossmt::TranslationResult& translation = translations[i];
      line.failed = !translation.error.empty();
      line.error = std::move(translation.error);
      line.texts = std::move(translation.texts);
      for (const crossmt::Hypothesis& hypothesis : translation.hypotheses) {
        line.scores.push_back(hypothesis.score);
        if (options->return_alignment) {
          alignment_sources.push_back(translation.source_ids);
          alignment_targets.push_back(hypothesis.ids);
        }
      }
    }
    if (options->return_alignment && !alignment_sources.empty()) {
      auto alignments = engine.align_ids(alignment_sources, alignment_targets);
      size_t next = 0;
      for (crossmt_results::Line& line : output->lines) {
        line.alignments.resize(line.scores.size());
        for (crossmt_results::Alignment& alignment : line.alignments) keep_alignment(std::move(alignments[next++]), alignment);
      }
    }
    *results = output.release();
    return CROSSMT_OK;
  });
}

void crossmt_results_free(crossmt_results* results) { delete results; }

size_t crossmt_results_count(const crossmt_results* results) { return results ? results->lines.size() : 0; }

size_t crossmt_results_hypothesis_count(const crossmt_results* results, size_t line) {
  const crossmt_results::Line* found = line_at(results, line);
  return found ? found->texts.size() : 0;
}

const char* crossmt_results_text(const crossmt_results* results, size_t line, size_t hypothesis) {
  const crossmt_results::Line* found = line_at(results, line);
  return found && hypothesis < found->texts.size() ? found->texts[hypothesis].c_str() : nullptr;
}

crossmt_status crossmt_results_score(const crossmt_results* results, size_t line, size_t hypothesis, float* score) {
  const crossmt_results::Line* found = line_at(results, line);
  if (!found || hypothesis >= found->scores.size())
    return fail(CROSSMT_INVALID_ARGUMENT, "no hypothesis " + std::to_string(hypothesis) + " of line " + std::to_string(line));
  if (!score) return null_argument("score");
  *score = found->scores[hypothesis];
  return CROSSMT_OK;
}

const char* crossmt_results_error(const crossmt_results* results, size_t line) {
  const crossmt_results::Line* found = line_at(results, line);
  return found && found->failed ? found->error.c_str() : nullptr;
}

crossmt_status crossmt_results_alignment(const crossmt_results* results, size_t line, size_t hypothesis,
                                         crossmt_alignment* alignment) {
  const crossmt_results::Line* found = line_at(results, line);
  if (!found || hypothesis >= found->scores.size())
    return fail(CROSSMT_INVALID_ARGUMENT, "no hypothesis " + std::to_string(hypothesis) + " of line " + std::to_string(line));
  if (hypothesis >= found->alignments.size())
    return fail(CROSSMT_INVALID_ARGUMENT, "no alignment: translate with return_alignment set");
  if (!alignment) return null_argument("alignment");
  const crossmt_results::Alignment& kept = found->alignments[hypothesis];
  *alignment = crossmt_alignment{kept.pharaoh.c_str(),
                                 kept.source_tokens.size(),
                                 kept.target_tokens.size(),
                                 kept.source_token_pointers.data(),
                                 kept.target_token_pointers.data(),
                                 kept.attention.data()};
  return CROSSMT_OK;
}

}  // extern "C"
