#ifndef CROSSMT_CROSSMT_H
#define CROSSMT_CROSSMT_H
/* crossmt's C API, for C and for any language with a C foreign-function interface.
 *
 * Opaque handles, status codes and a per-thread last-error message: no C++ type or exception
 * crosses it. Strings are UTF-8 and NUL-terminated. A translator may be used by several threads
 * at once (see crossmt/translator.h); results belong to the thread that asked for them.
 *
 *   crossmt_translator* translator;
 *   if (crossmt_translator_new("models/m30k-mul-marian", NULL, &translator) != CROSSMT_OK)
 *     fprintf(stderr, "%s\n", crossmt_last_error());
 *   crossmt_translation_options options;
 *   crossmt_translation_options_default(translator, &options);
 *   const char* lines[] = {"A man is riding a bike."};
 *   crossmt_results* results;
 *   crossmt_translate(translator, lines, 1, "de", &options, &results);
 *   puts(crossmt_results_text(results, 0, 0));
 *   crossmt_results_free(results);
 *   crossmt_translator_free(translator);
 */
#include <stddef.h>
#include <stdint.h>

#include "crossmt/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum crossmt_status {
  CROSSMT_OK = 0,
  CROSSMT_INVALID_ARGUMENT = 1, /* a NULL handle or pointer, an index out of range */
  CROSSMT_ERROR = 2,            /* the model, an option or the input was refused: see crossmt_last_error() */
  CROSSMT_OUT_OF_MEMORY = 3
} crossmt_status;

typedef struct crossmt_translator crossmt_translator;
typedef struct crossmt_results crossmt_results;

/* The message of the last failed call of this thread: one line naming the file, tensor, option or
 * input line at fault; "" when none failed. Valid until this thread's next failing call. */
CROSSMT_API const char* crossmt_last_error(void);
CROSSMT_API const char* crossmt_version(void); /* e.g. "0.1.0" */

typedef struct crossmt_translator_options {
  const char* compute_type; /* "auto" (also NULL), "float32", "int8" */
  int workers;              /* batches translated at once, each by its own worker thread (>= 1) */
  int threads_per_worker;   /* compute threads of each worker; 0: the cores divided among workers */
} crossmt_translator_options;

CROSSMT_API void crossmt_translator_options_init(crossmt_translator_options* options); /* auto, 1, 0 */

/* Loads a model folder (NULL options: the defaults). On failure *translator is NULL. */
CROSSMT_API crossmt_status crossmt_translator_new(const char* model_path, const crossmt_translator_options* options,
                                                  crossmt_translator** translator);
CROSSMT_API void crossmt_translator_free(crossmt_translator* translator); /* NULL is ignored */

typedef struct crossmt_model_info {
  const char* model_type;   /* "marian", "bart", "mbart", "m2m_100", "t5" */
  const char* architecture; /* e.g. "MarianMTModel" */
  const char* compute_type; /* as resolved at load: "float32" or "int8" */
  int64_t parameters;
  int d_model, encoder_layers, decoder_layers, attention_heads;
  int source_vocab_size, target_vocab_size, max_positions;
  size_t language_count;
  const char* const* languages; /* target language codes ("deu", ...) */
  int has_tokenizer;
} crossmt_model_info;

/* Fills *info; its strings belong to the translator. */
CROSSMT_API crossmt_status crossmt_translator_info(const crossmt_translator* translator, crossmt_model_info* info);

/* Search settings, named as CTranslate2 names them. */
typedef struct crossmt_translation_options {
  int beam_size;              /* 1: greedy */
  int num_hypotheses;         /* n-best, at most beam_size */
  float length_penalty;       /* scores are sum of log-probs / length ** length_penalty */
  int max_decoding_length;    /* generated tokens, EOS included */
  int min_decoding_length;    /* generated tokens before EOS is allowed */
  int sampling_topk;          /* 1: no sampling; 0: sample from the whole vocabulary; K: from the K best */
  float sampling_topp;        /* nucleus mass, (0, 1] */
  float sampling_temperature; /* > 0 */
  uint64_t seed;              /* of the sampler */
  int no_repeat_ngram_size;   /* 0: off */
  float repetition_penalty;   /* 1: off */
  int max_batch_size;         /* sentences per batch; 0: cut batches by max_batch_tokens only */
  int max_batch_tokens;       /* padded source tokens per batch */
  int return_alignment;       /* non-zero: word alignment and attention of every hypothesis */
} crossmt_translation_options;

/* The model's own defaults (its generation_config.json), to adjust before translating. */
CROSSMT_API crossmt_status crossmt_translation_options_default(const crossmt_translator* translator,
                                                               crossmt_translation_options* options);

/* Translates `count` lines to `target_language` ("de", "deu" or ">>deu<<"; NULL or "" keeps each
 * line's own >>xxx<< token). A line that cannot be translated (invalid UTF-8) gets an error of its
 * own (crossmt_results_error) and the others are translated; options the model cannot honour fail
 * the whole call. On failure *results is NULL. */
CROSSMT_API crossmt_status crossmt_translate(const crossmt_translator* translator, const char* const* lines,
                                             size_t count, const char* target_language,
                                             const crossmt_translation_options* options, crossmt_results** results);
CROSSMT_API void crossmt_results_free(crossmt_results* results); /* NULL is ignored */

/* Reading results: `line` indexes the input lines, `hypothesis` the n-best list (best first).
 * Strings and arrays belong to the results. Out-of-range indices give NULL / 0 / CROSSMT_INVALID_ARGUMENT. */
CROSSMT_API size_t crossmt_results_count(const crossmt_results* results);
CROSSMT_API size_t crossmt_results_hypothesis_count(const crossmt_results* results, size_t line);
CROSSMT_API const char* crossmt_results_text(const crossmt_results* results, size_t line, size_t hypothesis);
CROSSMT_API crossmt_status crossmt_results_score(const crossmt_results* results, size_t line, size_t hypothesis,
                                                 float* score);
/* Why this line was not translated; NULL when it was. */
CROSSMT_API const char* crossmt_results_error(const crossmt_results* results, size_t line);

typedef struct crossmt_alignment {
  const char* pharaoh;               /* links "source-target ...", e.g. "0-0 1-2 2-1" */
  size_t source_length, target_length;
  const char* const* source_tokens; /* words of the source */
  const char* const* target_tokens; /* words of the hypothesis */
  const float* attention;           /* target_length x source_length, row-major */
} crossmt_alignment;

/* The alignment of one hypothesis; needs return_alignment in the translation options. */
CROSSMT_API crossmt_status crossmt_results_alignment(const crossmt_results* results, size_t line, size_t hypothesis,
                                                     crossmt_alignment* alignment);

#ifdef __cplusplus
}
#endif

#endif /* CROSSMT_CROSSMT_H */
