// LibreTranslate's API: POST /translate and GET /languages, with its request fields, response
// shapes, messages and status codes (https://libretranslate.com/docs).
#include <algorithm>
#include <map>
#include <set>

#include "html_text.h"
#include "queued_translation.h"
#include "request_fields.h"
#include "server_context.h"

namespace crossmt::server {
namespace {

// n-best beyond this asks the beam for more than alternatives are worth.
constexpr long long kMaxAlternatives = 8;

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t begin = 0;
  for (;;) {
    const size_t end = text.find('\n', begin);
    std::string line = text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    if (end == std::string::npos) return lines;
    begin = end + 1;
  }
}

// One text of `q`: the pieces that are translated (its lines, or the lines of its HTML text
// nodes) and how to put the translations back.
struct TextJob {
  bool html = false;
  HtmlSegments segments;
  std::vector<size_t> lines_per_piece;  // lines of each piece (text node, or the whole text)
  size_t first_line = 0;                // index of its first line in the request's line list
};

std::string assemble(const TextJob& job, const std::vector<TranslationResult>& results, size_t hypothesis) {
  std::vector<std::string> pieces;
  size_t line = job.first_line;
  for (const size_t count : job.lines_per_piece) {
    std::string piece;
    for (size_t k = 0; k < count; ++k, ++line) {
      const auto& texts = results[line].texts;
      if (k) piece += '\n';
      if (!texts.empty()) piece += texts[std::min(hypothesis, texts.size() - 1)];
    }
    pieces.push_back(std::move(piece));
  }
  if (job.html) return join_html(job.segments, pieces);
  return pieces.empty() ? std::string() : pieces.front();
}

nlohmann::ordered_json translate(ServerContext& context, const httplib::Request& request) {
  const nlohmann::json fields = request_fields(request);
  context.admit_request(fields, request);
  if (!fields.contains("q") || fields["q"].is_null() || fields["q"] == "" || fields["q"] == nlohmann::json::array())
    throw HttpError(400, "Invalid request: missing q parameter");
  const std::string source_code = string_field(fields, "source");
  const std::string target_code = string_field(fields, "target");
  if (source_code.empty()) throw HttpError(400, "Invalid request: missing source parameter");
  if (target_code.empty()) throw HttpError(400, "Invalid request: missing target parameter");
  const std::string format = string_field(fields, "format", "text");
  if (format != "text" && format != "html") throw HttpError(400, format + " format is not supported");
  const long long alternatives = integer_field(fields, "alternatives", 0, 0, kMaxAlternatives);

  const nlohmann::json& q = fields["q"];
  const bool batch = q.is_array();
  std::vector<std::string> texts;
  if (batch) {
    for (const auto& item : q) {
      if (!item.is_string()) throw HttpError(400, "Invalid request: 'q' must be a string or an array of strings");
      texts.push_back(item.get<std::string>());
    }
  } else if (q.is_string()) {
    texts.push_back(q.get<std::string>());
  } else {
    throw HttpError(400, "Invalid request: 'q' must be a string or an array of strings");
  }
  size_t characters = 0;
  for (const auto& text : texts) characters += count_characters(text);
  if (context.options.char_limit > 0 && characters > context.options.char_limit)
    throw HttpError(400, "Invalid request: request (" + std::to_string(characters) + ") exceeds text limit (" +
                             std::to_string(context.options.char_limit) + ")");

  if (source_code == "auto")
    throw HttpError(400, "source=auto (language detection) is not supported by this server; give the source language");
  const std::string source = normalize_language_code(source_code), target = normalize_language_code(target_code);
  if (!context.registry.knows_source(source)) throw HttpError(400, source_code + " is not supported");
  if (!context.registry.knows_target(target)) throw HttpError(400, target_code + " is not supported");
  ServedModel* model = context.registry.find(source, target);
  if (!model)
    throw HttpError(400, language_name(target) + " (" + target + ") is not available as a target language from " +
                             language_name(source) + " (" + source + ")");

  std::vector<TextJob> jobs(texts.size());
  std::vector<std::string> lines;
  for (size_t i = 0; i < texts.size(); ++i) {
    TextJob& job = jobs[i];
    job.first_line = lines.size();
    job.html = format == "html";
    std::vector<std::string> pieces;
    if (job.html) {
      job.segments = split_html(texts[i]);
      pieces = job.segments.texts;
    } else {
      pieces.push_back(texts[i]);
    }
    for (const auto& piece : pieces) {
      auto piece_lines = split_lines(piece);
      job.lines_per_piece.push_back(piece_lines.size());
      for (auto& line : piece_lines) lines.push_back(std::move(line));
    }
  }
  SearchOptions search = default_search(*model);
  if (alternatives > 0) {
    search.num_return_sequences = static_cast<int>(alternatives) + 1;
    search.num_beams = std::max(search.num_beams, search.num_return_sequences);
  }
  const auto results = translate_queued(*model, lines, target, search, source);

  nlohmann::ordered_json translated = nlohmann::ordered_json::array();
  nlohmann::ordered_json alternative_texts = nlohmann::ordered_json::array();
  for (const TextJob& job : jobs) {
    translated.push_back(assemble(job, results, 0));
    nlohmann::ordered_json others = nlohmann::ordered_json::array();
    for (long long n = 1; n <= alternatives; ++n) others.push_back(assemble(job, results, static_cast<size_t>(n)));
    alternative_texts.push_back(std::move(others));
  }
  nlohmann::ordered_json response;
  response["translatedText"] = batch ? translated : translated[0];
  if (alternatives > 0) response["alternatives"] = batch ? alternative_texts : alternative_texts[0];
  return response;
}

nlohmann::ordered_json languages(const ServerContext& context) {
  std::map<std::string, std::set<std::string>> targets_of;
  for (const auto& model : context.registry.models())
    for (const auto& source : model->sources)
      for (const auto& target : model->targets)
        if (source != target) targets_of[source].insert(target);
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& [code, targets] : targets_of)
    list.push_back({{"code", code}, {"name", language_name(code)}, {"targets", targets}});
  return list;
}

}  // namespace

void add_libretranslate_routes(httplib::Server& http, ServerContext& context) {
  http.Post("/translate", [&context](const httplib::Request& request, httplib::Response& response) {
    answer_json(context, response, [&] { return translate(context, request); });
  });
  http.Get("/languages", [&context](const httplib::Request&, httplib::Response& response) {
    answer_json(context, response, [&] { return languages(context); });
  });
}

}  // namespace crossmt::server
