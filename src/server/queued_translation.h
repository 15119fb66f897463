#pragma once
// Text to translations through a model's batch queue: lines are encoded in the calling (HTTP)
// thread, queued, and waited for.
#include <string>
#include <vector>

#include "model_registry.h"

namespace crossmt::server {

// One result per line. The source language matters only to models that need it (mBART, M2M100,
// NLLB, T5). Throws HttpError: 400 for a line that cannot be encoded (invalid UTF-8) or a language
// the model lacks, 503 when the queue is full or stopping, 500 when the translation failed.
std::vector<TranslationResult> translate_queued(ServedModel& model, const std::vector<std::string>& lines,
                                                const std::string& target_language, const SearchOptions& search,
                                                const std::string& source_language = "");

// The search settings a model uses when a request sets none.
SearchOptions default_search(const ServedModel& model);

// Unicode code points in UTF-8 text (what LibreTranslate's character limit counts).
size_t count_characters(const std::string& text);

}  // namespace crossmt::server
