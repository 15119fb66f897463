#include "queued_translation.h"

#include "crossmt/error.h"
#include "crossmt/tokenizer.h"
#include "request_fields.h"

namespace crossmt::server {

std::vector<TranslationResult> translate_queued(ServedModel& model, const std::vector<std::string>& lines,
                                                const std::string& target_language, const SearchOptions& search,
                                                const std::string& source_language) {
  const Translator& translator = *model.translator;
  LanguageDirection direction;
  try {
    if (translator.has_tokenizer() && translator.tokenizer().needs_source_language())
      direction = translator.direction(source_language, target_language);
    else if (model.has_language_tokens)
      direction.target_code = translator.language_token(target_language);
  } catch (const Error& unknown) {
    throw HttpError(400, std::string("Invalid request: ") + unknown.what());
  }
  std::vector<std::vector<int>> sources(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    if (const auto bad_byte = find_invalid_utf8(lines[i]))
      throw HttpError(400, "Invalid request: text " + std::to_string(i + 1) + ": invalid UTF-8 at byte " +
                               std::to_string(*bad_byte + 1));
    if (lines[i].find_first_not_of(" \t\r\n") != std::string::npos) sources[i] = translator.encode_line(lines[i], direction);
  }
  std::future<std::vector<TranslationResult>> pending;
  try {
    pending = model.queue->submit(std::move(sources), Translator::search_for(direction, search));
  } catch (const QueueFull& full) {
    throw HttpError(503, full.what());
  } catch (const Error& too_large) {
    throw HttpError(400, std::string("Invalid request: ") + too_large.what());
  }
  try {
    return pending.get();
  } catch (const std::exception& failure) {
    throw HttpError(500, std::string("translation failed: ") + failure.what());
  }
}

SearchOptions default_search(const ServedModel& model) { return model.translator->default_search_options(); }

size_t count_characters(const std::string& text) {
  size_t count = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++count;
  return count;
}

}  // namespace crossmt::server
