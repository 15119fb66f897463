/* The C API, used from C: loading, translation against the `crossmt translate` command's output,
 * n-best, alignments, errors, and several threads on one translator.
 * Usage: test_c_api MODEL_DIR CROSSMT_BINARY SOURCE_FILE */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crossmt/crossmt.h"

enum { kLines = 8, kThreads = 4 };

static int failures = 0;

#define CHECK(condition)                                                   \
  do {                                                                     \
    if (!(condition)) {                                                    \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
      ++failures;                                                          \
    }                                                                      \
  } while (0)

static char lines[kLines][1024];
static const char* line_pointers[kLines];
static char expected[kLines][2048];

static void read_lines(const char* path) {
  FILE* file = fopen(path, "r");
  if (!file) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  for (int i = 0; i < kLines; ++i) {
    if (!fgets(lines[i], sizeof lines[i], file)) exit(2);
    lines[i][strcspn(lines[i], "\n")] = '\0';
    line_pointers[i] = lines[i];
  }
  fclose(file);
}

/* The oracle: the CLI's translations of the same lines (checked against transformers elsewhere). */
static void read_cli_translations(const char* binary, const char* model, const char* source) {
  char command[4096];
  snprintf(command, sizeof command, "head -n %d '%s' | '%s' translate -m '%s' --to de", kLines, source, binary, model);
  FILE* output = popen(command, "r");
  if (!output) exit(2);
  for (int i = 0; i < kLines; ++i) {
    if (!fgets(expected[i], sizeof expected[i], output)) exit(2);
    expected[i][strcspn(expected[i], "\n")] = '\0';
  }
  CHECK(pclose(output) == 0);
}

static void check_info(const crossmt_translator* translator) {
  crossmt_model_info info;
  CHECK(crossmt_translator_info(translator, &info) == CROSSMT_OK);
  CHECK(strcmp(info.model_type, "marian") == 0);
  CHECK(strcmp(info.compute_type, "float32") == 0);
  CHECK(info.parameters > 1000000);
  CHECK(info.has_tokenizer == 1);
  int has_german = 0;
  for (size_t i = 0; i < info.language_count; ++i) has_german |= strcmp(info.languages[i], "deu") == 0;
  CHECK(has_german);
}

static void check_translations(const crossmt_translator* translator, const crossmt_translation_options* options) {
  crossmt_results* results = NULL;
  CHECK(crossmt_translate(translator, line_pointers, kLines, "de", options, &results) == CROSSMT_OK);
  CHECK(crossmt_results_count(results) == kLines);
  for (size_t i = 0; i < kLines; ++i) {
    const char* text = crossmt_results_text(results, i, 0);
    CHECK(text != NULL && strcmp(text, expected[i]) == 0);
    CHECK(crossmt_results_error(results, i) == NULL);
  }
  crossmt_results_free(results);
}

static void check_n_best_and_alignment(const crossmt_translator* translator, crossmt_translation_options options) {
  options.num_hypotheses = 2;
  options.return_alignment = 1;
  crossmt_results* results = NULL;
  CHECK(crossmt_translate(translator, line_pointers, 2, "deu", &options, &results) == CROSSMT_OK);
  for (size_t i = 0; i < 2; ++i) {
    CHECK(crossmt_results_hypothesis_count(results, i) == 2);
    CHECK(strcmp(crossmt_results_text(results, i, 0), expected[i]) == 0);
    float best = 0, second = 0;
    CHECK(crossmt_results_score(results, i, 0, &best) == CROSSMT_OK);
    CHECK(crossmt_results_score(results, i, 1, &second) == CROSSMT_OK);
    CHECK(best < 0 && second <= best);
    for (size_t hypothesis = 0; hypothesis < 2; ++hypothesis) {
      crossmt_alignment alignment;
      CHECK(crossmt_results_alignment(results, i, hypothesis, &alignment) == CROSSMT_OK);
      CHECK(alignment.source_length > 3 && alignment.target_length > 3);
      CHECK(strlen(alignment.pharaoh) > 0);
      CHECK(strcmp(alignment.source_tokens[0], "A") == 0);
      /* Each target word's row is a distribution over the source words. */
      for (size_t t = 0; t < alignment.target_length; ++t) {
        float sum = 0;
        for (size_t s = 0; s < alignment.source_length; ++s) {
          const float weight = alignment.attention[t * alignment.source_length + s];
          CHECK(weight >= 0 && weight <= 1);
          sum += weight;
        }
        CHECK(sum > 0 && sum <= 1.0001f);
      }
    }
  }
  crossmt_alignment unused;
  CHECK(crossmt_results_alignment(results, 0, 2, &unused) == CROSSMT_INVALID_ARGUMENT);
  CHECK(crossmt_results_text(results, 5, 0) == NULL);
  crossmt_results_free(results);
}

static void check_errors(const char* model, const crossmt_translator* translator, crossmt_translation_options options) {
  crossmt_translator* missing = (crossmt_translator*)1;
  CHECK(crossmt_translator_new("/nonexistent/model", NULL, &missing) == CROSSMT_ERROR);
  CHECK(missing == NULL);
  CHECK(strstr(crossmt_last_error(), "/nonexistent/model") != NULL);

  crossmt_translator_options bad_type;
  crossmt_translator_options_init(&bad_type);
  bad_type.compute_type = "float16";
  crossmt_translator* unused = NULL;
  CHECK(crossmt_translator_new(model, &bad_type, &unused) == CROSSMT_ERROR);
  CHECK(strstr(crossmt_last_error(), "float16") != NULL);

  crossmt_results* results = (crossmt_results*)1;
  CHECK(crossmt_translate(translator, line_pointers, 1, "xx", &options, &results) == CROSSMT_ERROR);
  CHECK(results == NULL);
  CHECK(strstr(crossmt_last_error(), "deu") != NULL); /* the message lists the model's languages */

  crossmt_translation_options too_many = options;
  too_many.num_hypotheses = too_many.beam_size + 1;
  CHECK(crossmt_translate(translator, line_pointers, 1, "de", &too_many, &results) == CROSSMT_ERROR);
  CHECK(strstr(crossmt_last_error(), "num_return_sequences") != NULL);

  CHECK(crossmt_translate(NULL, line_pointers, 1, "de", &options, &results) == CROSSMT_INVALID_ARGUMENT);
  CHECK(strcmp(crossmt_last_error(), "translator is NULL") == 0);

  /* A bad line fails alone. */
  const char* mixed[] = {lines[0], "caf\xc3 au lait", ""};
  CHECK(crossmt_translate(translator, mixed, 3, "de", &options, &results) == CROSSMT_OK);
  CHECK(crossmt_results_error(results, 0) == NULL);
  CHECK(strcmp(crossmt_results_text(results, 0, 0), expected[0]) == 0);
  CHECK(crossmt_results_error(results, 1) != NULL && strstr(crossmt_results_error(results, 1), "line 2: invalid UTF-8") != NULL);
  CHECK(crossmt_results_hypothesis_count(results, 1) == 0);
  CHECK(crossmt_results_error(results, 2) == NULL && crossmt_results_hypothesis_count(results, 2) == 0);
  crossmt_results_free(results);
}

struct ThreadWork {
  const crossmt_translator* translator;
  const crossmt_translation_options* options;
  int matches;
};

static void* translate_in_thread(void* argument) {
  struct ThreadWork* work = argument;
  crossmt_results* results = NULL;
  if (crossmt_translate(work->translator, line_pointers, kLines, "de", work->options, &results) != CROSSMT_OK) return NULL;
  for (size_t i = 0; i < kLines; ++i) work->matches += strcmp(crossmt_results_text(results, i, 0), expected[i]) == 0;
  crossmt_results_free(results);
  return NULL;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s MODEL_DIR CROSSMT_BINARY SOURCE_FILE\n", argv[0]);
    return 2;
  }
  read_lines(argv[3]);
  read_cli_translations(argv[2], argv[1], argv[3]);

  crossmt_translator_options translator_options;
  crossmt_translator_options_init(&translator_options);
  translator_options.workers = 2;
  crossmt_translator* translator = NULL;
  if (crossmt_translator_new(argv[1], &translator_options, &translator) != CROSSMT_OK) {
    fprintf(stderr, "cannot load the model: %s\n", crossmt_last_error());
    return 1;
  }
  check_info(translator);
  crossmt_translation_options options;
  CHECK(crossmt_translation_options_default(translator, &options) == CROSSMT_OK);
  CHECK(options.beam_size == 4 && options.sampling_topk == 1 && options.max_decoding_length > 100);

  check_translations(translator, &options);
  check_n_best_and_alignment(translator, options);
  check_errors(argv[1], translator, options);

  pthread_t threads[kThreads];
  struct ThreadWork work[kThreads];
  for (int i = 0; i < kThreads; ++i) {
    work[i] = (struct ThreadWork){translator, &options, 0};
    CHECK(pthread_create(&threads[i], NULL, translate_in_thread, &work[i]) == 0);
  }
  for (int i = 0; i < kThreads; ++i) {
    pthread_join(threads[i], NULL);
    CHECK(work[i].matches == kLines);
  }

  crossmt_translator_free(translator);
  crossmt_translator_free(NULL);
  crossmt_results_free(NULL);
  if (failures) fprintf(stderr, "%d checks failed\n", failures);
  else printf("C API: all checks passed (crossmt %s)\n", crossmt_version());
  return failures ? 1 : 0;
}
