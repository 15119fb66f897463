#pragma once
// The models a server loaded, the languages each translates, and which model serves a pair.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "batch_queue.h"
#include "crossmt/translator.h"

namespace crossmt::server {

struct ServedModel {
  std::string name;
  std::unique_ptr<Translator> translator;
  std::unique_ptr<BatchQueue> queue;
  ModelInfo info;
  // Codes as LibreTranslate spells them: ISO 639-1 where one exists ("en"), else the model's own.
  std::vector<std::string> sources, targets;
  bool has_language_tokens = false;  // the target is chosen by a `>>xxx<<` source token
};

// Sources and targets of a model folder: its `>>xxx<<` tokens, tokenizer_config.json's
// source_lang / target_lang ("mul" = the model's language tokens), else a name `src-tgt`
// (as in opus-mt-en-de). Throws crossmt::Error when none of these tells.
void resolve_languages(ServedModel& model, const std::string& folder);

// "eng", "EN", ">>eng<<" -> "en"; codes without an ISO 639-1 twin stay as they are, lowercased.
std::string normalize_language_code(std::string_view code);
// "en" -> "English"; the code itself for a language the table lacks.
std::string language_name(const std::string& code);

class ModelRegistry {
 public:
  void add(std::unique_ptr<ServedModel> model) { models_.push_back(std::move(model)); }
  const std::vector<std::unique_ptr<ServedModel>>& models() const { return models_; }

  // The first model translating source -> target (normalized codes), or nullptr.
  ServedModel* find(const std::string& source, const std::string& target) const;
  ServedModel* find_by_name(std::string_view name) const;
  bool knows_source(const std::string& code) const;
  bool knows_target(const std::string& code) const;

 private:
  std::vector<std::unique_ptr<ServedModel>> models_;
};

}  // namespace crossmt::server
