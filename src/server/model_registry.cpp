#include "model_registry.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "crossmt/error.h"
#include "crossmt/language.h"
#include "crossmt/tokenizer.h"

namespace crossmt::server {
namespace {

bool contains(const std::vector<std::string>& codes, const std::string& code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

std::string tokenizer_config_value(const std::string& folder, const char* key) {
  const auto path = std::filesystem::path(folder) / "tokenizer_config.json";
  std::ifstream in(path);
  if (!in) return "";
  const auto config = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!config.is_object() || !config.contains(key) || !config[key].is_string()) return "";
  return config[key].get<std::string>();
}

}  // namespace

std::string normalize_language_code(std::string_view code) {
  std::string text(code);
  if (text.size() > 4 && text.starts_with(">>") && text.ends_with("<<")) text = text.substr(2, text.size() - 4);
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (text.size() == 3)
    if (auto two_letter = iso639_1_from_iso639_3(text)) return *two_letter;
  return text;
}

std::string language_name(const std::string& code) { return english_language_name(code).value_or(code); }

void resolve_languages(ServedModel& model, const std::string& folder) {
  // Marian tokens keep their variants (">>pt_br<<" -> "pt_br"); the codes of other families lose
  // their script or region ("eng_Latn", "en_XX" -> "en").
  const bool marian = !model.translator || !model.translator->has_tokenizer() ||
                      model.translator->tokenizer().family() == "marian";
  for (const std::string& code : model.info.languages) {
    const std::string normalized = normalize_language_code(marian ? code : language_of_code(code));
    if (!contains(model.targets, normalized)) model.targets.push_back(normalized);  // zho_Hans, zho_Hant: zh once
  }
  model.has_language_tokens = !model.targets.empty();
  // mBART, M2M100, NLLB, T5: any of the codes on either side, whatever the folder is called.
  if (model.has_language_tokens && !marian && model.translator->tokenizer().needs_source_language()) {
    model.sources = model.targets;
    return;
  }
  // An Argos package says its pair; an HF folder may say it in tokenizer_config.json.
  std::string source = model.info.source_language, target = model.info.target_language;
  if (source.empty()) source = tokenizer_config_value(folder, "source_lang");
  if (target.empty()) target = tokenizer_config_value(folder, "target_lang");
  // OPUS-MT names: opus-mt-en-de, or a server name given as en-de.
  for (const std::string& name : {model.name, std::filesystem::path(folder).filename().string()}) {
    const size_t dash = name.rfind('-');
    if (dash == std::string::npos || dash == 0) continue;
    const size_t before = name.rfind('-', dash - 1);
    if (source.empty()) source = name.substr(before == std::string::npos ? 0 : before + 1, dash - (before + 1));
    if (target.empty()) target = name.substr(dash + 1);
    break;
  }
  if (!model.has_language_tokens && !target.empty() && target != "mul")
    model.targets.push_back(normalize_language_code(target));
  if (!source.empty() && source != "mul") model.sources.push_back(normalize_language_code(source));
  else if (model.has_language_tokens) model.sources = model.targets;
  if (model.sources.empty() || model.targets.empty())
    throw Error(folder + ": cannot tell which languages the model translates; name it SOURCE-TARGET=" + folder +
                " (e.g. --model en-de=" + folder + ")");
}

ServedModel* ModelRegistry::find(const std::string& source, const std::string& target) const {
  for (const auto& model : models_)
    if (source != target && contains(model->sources, source) && contains(model->targets, target)) return model.get();
  return nullptr;
}

ServedModel* ModelRegistry::find_by_name(std::string_view name) const {
  for (const auto& model : models_)
    if (model->name == name) return model.get();
  return nullptr;
}

bool ModelRegistry::knows_source(const std::string& code) const {
  return std::any_of(models_.begin(), models_.end(), [&](const auto& model) { return contains(model->sources, code); });
}

bool ModelRegistry::knows_target(const std::string& code) const {
  return std::any_of(models_.begin(), models_.end(), [&](const auto& model) { return contains(model->targets, code); });
}

}  // namespace crossmt::server
