// crossmt's own API: POST /v1/translate and /v1/align take the options of `crossmt translate` /
// `crossmt align` as JSON fields (same names, '-' written '_') and answer with the records of
// their --format jsonl; GET /v1/models says what `crossmt inspect` says of each model.
#include <algorithm>
#include <cmath>

#include "crossmt/alignment.h"
#include "crossmt/error.h"
#include "queued_translation.h"
#include "request_fields.h"
#include "server_context.h"

namespace crossmt::server {
namespace {

double rounded(double value) { return std::round(value * 1e6) / 1e6; }

std::vector<std::string> string_list(const nlohmann::json& fields, const char* name) {
  if (!fields.contains(name)) throw HttpError(400, std::string("Invalid request: missing ") + name + " parameter");
  const auto& value = fields[name];
  std::vector<std::string> list;
  if (value.is_string()) list.push_back(value.get<std::string>());
  else if (value.is_array())
    for (const auto& item : value) {
      if (!item.is_string()) throw HttpError(400, std::string("Invalid request: '") + name + "' must hold strings");
      list.push_back(item.get<std::string>());
    }
  else throw HttpError(400, std::string("Invalid request: '") + name + "' must be a string or an array of strings");
  return list;
}

// The model a request names ("model"), or the one translating "from" -> "to", or the only one.
ServedModel& pick_model(const ServerContext& context, const nlohmann::json& fields, const std::string& target) {
  const std::string name = string_field(fields, "model");
  if (!name.empty()) {
    if (ServedModel* model = context.registry.find_by_name(name)) return *model;
    throw HttpError(400, "Invalid request: no model named '" + name + "'");
  }
  const std::string source = normalize_language_code(string_field(fields, "from"));
  for (const auto& model : context.registry.models()) {
    const bool source_ok = source.empty() || std::count(model->sources.begin(), model->sources.end(), source);
    const bool target_ok = target.empty() || std::count(model->targets.begin(), model->targets.end(), target);
    if (source_ok && target_ok) return *model;
  }
  throw HttpError(400, "Invalid request: no loaded model translates " + (source.empty() ? "" : source + " ") + "to '" +
                           target + "'");
}

// The options of `crossmt translate`, with the same defaults and checks.
SearchOptions search_options(const ServedModel& model, const nlohmann::json& fields) {
  SearchOptions search = default_search(model);
  search.num_beams = static_cast<int>(integer_field(fields, "beam_size", search.num_beams, 1, 64));
  search.num_return_sequences = static_cast<int>(integer_field(fields, "n_best", 1, 1, 64));
  if (fields.contains("max_length")) search.max_length = static_cast<int>(integer_field(fields, "max_length", 0, 2, 4096));
  if (fields.contains("max_new_tokens"))
    search.max_length = 1 + static_cast<int>(integer_field(fields, "max_new_tokens", 0, 1, 4096));
  search.min_length = static_cast<int>(integer_field(fields, "min_length", search.min_length, 0, 4096));
  search.length_penalty = number_field(fields, "length_penalty", search.length_penalty);
  search.no_repeat_ngram_size =
      static_cast<int>(integer_field(fields, "no_repeat_ngram_size", search.no_repeat_ngram_size, 0, 64));
  search.repetition_penalty = number_field(fields, "repetition_penalty", search.repetition_penalty);
  if (search.repetition_penalty <= 0) throw HttpError(400, "Invalid request: 'repetition_penalty' must be positive");
  search.forced_bos_token_id = static_cast<int>(
      integer_field(fields, "forced_bos_token_id", search.forced_bos_token_id, -1, model.info.target_vocab_size - 1));
  const std::string early_stopping = string_field(fields, "early_stopping");
  if (early_stopping == "true") search.early_stopping = EarlyStopping::True;
  else if (early_stopping == "false") search.early_stopping = EarlyStopping::False;
  else if (early_stopping == "never") search.early_stopping = EarlyStopping::Never;
  else if (!early_stopping.empty())
    throw HttpError(400, "Invalid request: 'early_stopping' must be true, false or never");
  if (fields.contains("sampling_topk") || fields.contains("sampling_topp") || fields.contains("temperature")) {
    search.do_sample = true;
    search.top_k = static_cast<int>(integer_field(fields, "sampling_topk", 0, 0, 1 << 20));
    search.top_p = number_field(fields, "sampling_topp", 1.0);
    search.temperature = number_field(fields, "temperature", 1.0);
    if (search.top_p < 0 || search.top_p > 1) throw HttpError(400, "Invalid request: 'sampling_topp' must be in [0, 1]");
    if (search.temperature <= 0) throw HttpError(400, "Invalid request: 'temperature' must be positive");
    if (!fields.contains("beam_size")) search.num_beams = 1;
  }
  search.seed = static_cast<uint64_t>(integer_field(fields, "seed", 0, 0, INT64_MAX));
  if (search.num_return_sequences > search.num_beams)
    throw HttpError(400, "Invalid request: 'n_best' " + std::to_string(search.num_return_sequences) +
                             " needs at least as many beams ('beam_size')");
  return search;
}

AlignmentOptions alignment_options(const nlohmann::json& fields) {
  AlignmentOptions options;
  options.unit = parse_unit(string_field(fields, "alignment_unit", "word"));
  options.layer = static_cast<int>(integer_field(fields, "alignment_layer", kDefaultAlignmentLayer, -64, 63));
  options.heads = string_field(fields, "alignment_heads", "avg");
  return options;
}

Matrix matrix_of(const WordAlignment& alignment) {
  Matrix matrix;
  matrix.rows = static_cast<int>(alignment.target_tokens.size());
  matrix.cols = static_cast<int>(alignment.source_tokens.size());
  matrix.values = alignment.attention;
  return matrix;
}

nlohmann::ordered_json attention_record(const WordAlignment& alignment, const AlignmentOptions& options) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  const Matrix matrix = matrix_of(alignment);
  for (int t = 0; t < matrix.rows; ++t) {
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    for (int s = 0; s < matrix.cols; ++s) row.push_back(rounded(matrix.at(t, s)));
    rows.push_back(std::move(row));
  }
  return {{"source_tokens", alignment.source_tokens},
          {"target_tokens", alignment.target_tokens},
          {"layer", options.layer},
          {"heads", options.heads},
          {"matrix", std::move(rows)}};
}

nlohmann::ordered_json translate(ServerContext& context, const httplib::Request& request) {
  const nlohmann::json fields = request_fields(request);
  context.admit_request(fields, request);
  const std::vector<std::string> texts = string_list(fields, "text");
  size_t characters = 0;
  for (const auto& text : texts) characters += count_characters(text);
  if (context.options.char_limit > 0 && characters > context.options.char_limit)
    throw HttpError(400, "Invalid request: request (" + std::to_string(characters) + ") exceeds text limit (" +
                             std::to_string(context.options.char_limit) + ")");
  const std::string target = normalize_language_code(string_field(fields, "to"));
  ServedModel& model = pick_model(context, fields, target);
  if (model.has_language_tokens && target.empty())
    throw HttpError(400, "Invalid request: missing to parameter (this model translates into several languages)");
  const SearchOptions search = search_options(model, fields);
  const std::string alignment_text = string_field(fields, "alignment");
  const bool want_attention = boolean_field(fields, "attention", false);
  const AlignmentKind kind = alignment_text.empty() ? AlignmentKind{} : parse_alignment_kind(alignment_text);
  const AlignmentOptions align_options = alignment_options(fields);

  const auto results = translate_queued(model, texts, target, search);
  const Translator& translator = *model.translator;

  // Alignments of every returned hypothesis, read from one forced pass each.
  std::vector<WordAlignment> alignments;
  std::vector<size_t> first_alignment(results.size(), 0);
  if (kind.type != AlignmentKind::None || want_attention) {
    std::vector<std::vector<int>> sources, targets;
    for (size_t i = 0; i < results.size(); ++i) {
      first_alignment[i] = sources.size();
      for (const auto& hypothesis : results[i].hypotheses) {
        sources.push_back(results[i].source_ids);
        targets.push_back(hypothesis.ids);
      }
    }
    alignments = translator.align_ids(sources, targets, align_options);
  }

  nlohmann::ordered_json records = nlohmann::ordered_json::array();
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& result = results[i];
    const auto hypothesis_record = [&](size_t n) {
      const Hypothesis& hypothesis = result.hypotheses[n];
      nlohmann::ordered_json record = {{"translation", result.texts[n]},
                                       {"tokens", translator.target_pieces(hypothesis.ids)},
                                       {"ids", hypothesis.ids},
                                       {"score", rounded(hypothesis.score)}};
      if (!alignments.empty()) {
        const WordAlignment& alignment = alignments[first_alignment[i] + n];
        if (kind.type != AlignmentKind::None) record["alignment"] = alignment_json(matrix_of(alignment), kind);
        if (want_attention) record["attention"] = attention_record(alignment, align_options);
      }
      return record;
    };
    nlohmann::ordered_json record = {{"source", texts[i]}};
    if (result.truncated) record["truncated"] = true;
    if (result.hypotheses.empty()) {
      record.update({{"translation", ""}, {"tokens", nlohmann::json::array()}, {"ids", nlohmann::json::array()}});
    } else if (search.num_return_sequences == 1) {
      record.update(hypothesis_record(0));
    } else {
      nlohmann::ordered_json n_best = nlohmann::ordered_json::array();
      for (size_t n = 0; n < result.hypotheses.size(); ++n) n_best.push_back(hypothesis_record(n));
      record["n_best"] = std::move(n_best);
    }
    records.push_back(std::move(record));
  }
  return {{"model", model.name}, {"results", std::move(records)}};
}

nlohmann::ordered_json align(ServerContext& context, const httplib::Request& request) {
  const nlohmann::json fields = request_fields(request);
  context.admit_request(fields, request);
  std::vector<std::string> sources_text, targets_text;
  if (fields.contains("pairs")) {
    if (!fields["pairs"].is_array()) throw HttpError(400, "Invalid request: 'pairs' must be an array");
    for (const auto& pair : fields["pairs"]) {
      if (!pair.is_object()) throw HttpError(400, "Invalid request: each pair must be {\"source\", \"target\"}");
      sources_text.push_back(string_field(pair, "source"));
      targets_text.push_back(string_field(pair, "target"));
    }
  } else {
    sources_text = string_list(fields, "source");
    targets_text = string_list(fields, "target");
    if (sources_text.size() != targets_text.size())
      throw HttpError(400, "Invalid request: " + std::to_string(sources_text.size()) + " sources but " +
                               std::to_string(targets_text.size()) + " targets");
  }
  size_t characters = 0;
  for (size_t i = 0; i < sources_text.size(); ++i)
    characters += count_characters(sources_text[i]) + count_characters(targets_text[i]);
  if (context.options.char_limit > 0 && characters > context.options.char_limit)
    throw HttpError(400, "Invalid request: request (" + std::to_string(characters) + ") exceeds text limit (" +
                             std::to_string(context.options.char_limit) + ")");
  const std::string target_language = normalize_language_code(string_field(fields, "to"));
  ServedModel& model = pick_model(context, fields, target_language);
  const Translator& translator = *model.translator;
  const AlignmentKind kind = parse_alignment_kind(string_field(fields, "alignment", "hard"));
  const AlignmentOptions options = alignment_options(fields);
  const bool scores = boolean_field(fields, "scores", false);
  const std::string token = model.has_language_tokens ? translator.language_token(target_language) : "";
  std::vector<std::vector<int>> sources, targets;
  for (size_t i = 0; i < sources_text.size(); ++i) {
    if (find_invalid_utf8(sources_text[i]) || find_invalid_utf8(targets_text[i]))
      throw HttpError(400, "Invalid request: pair " + std::to_string(i + 1) + ": invalid UTF-8");
    sources.push_back(translator.encode_line(sources_text[i], token));
    targets.push_back(translator.encode_target(targets_text[i]));
    const size_t limit = static_cast<size_t>(model.info.max_positions);
    if (sources.back().size() > limit || targets.back().size() > limit)
      throw HttpError(400, "Invalid request: pair " + std::to_string(i + 1) + " is longer than the model's " +
                               std::to_string(limit) + " positions");
  }
  const auto alignments = translator.align_ids(sources, targets, options);
  nlohmann::ordered_json records = nlohmann::ordered_json::array();
  for (size_t i = 0; i < alignments.size(); ++i) {
    const WordAlignment& alignment = alignments[i];
    nlohmann::ordered_json record = {{"source", sources_text[i]},
                                     {"target", targets_text[i]},
                                     {"source_tokens", alignment.source_tokens},
                                     {"target_tokens", alignment.target_tokens},
                                     {"alignment", alignment_json(matrix_of(alignment), kind)}};
    if (scores) {
      nlohmann::ordered_json log_probs = nlohmann::ordered_json::array();
      double total = 0;
      for (float value : alignment.log_probs) {
        log_probs.push_back(rounded(value));
        total += value;
      }
      record["pieces"] = alignment.target_pieces;
      record["log_probs"] = std::move(log_probs);
      record["total_log_prob"] = rounded(total);
    }
    records.push_back(std::move(record));
  }
  return {{"model", model.name}, {"results", std::move(records)}};
}

nlohmann::ordered_json models(const ServerContext& context) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& model : context.registry.models()) {
    const ModelInfo& info = model->info;
    const SearchOptions defaults = default_search(*model);
    list.push_back({{"name", model->name},
                    {"path", info.path},
                    {"model_type", info.model_type},
                    {"architecture", info.architecture},
                    {"compute_type", compute_type_name(info.compute_type)},
                    {"parameters", info.parameters},
                    {"d_model", info.d_model},
                    {"encoder_layers", info.encoder_layers},
                    {"decoder_layers", info.decoder_layers},
                    {"attention_heads", info.attention_heads},
                    {"source_vocab_size", info.source_vocab_size},
                    {"target_vocab_size", info.target_vocab_size},
                    {"max_positions", info.max_positions},
                    {"has_tokenizer", info.has_tokenizer},
                    {"language_tokens", info.languages},
                    {"sources", model->sources},
                    {"targets", model->targets},
                    {"num_beams", defaults.num_beams},
                    {"max_length", defaults.max_length},
                    {"workers", model->translator->workers()}});
  }
  return list;
}

}  // namespace

void add_native_routes(httplib::Server& http, ServerContext& context) {
  http.Post("/v1/translate", [&context](const httplib::Request& request, httplib::Response& response) {
    answer_json(context, response, [&] { return translate(context, request); });
  });
  http.Post("/v1/align", [&context](const httplib::Request& request, httplib::Response& response) {
    answer_json(context, response, [&] { return align(context, request); });
  });
  http.Get("/v1/models", [&context](const httplib::Request&, httplib::Response& response) {
    answer_json(context, response, [&] { return models(context); });
  });
}

}  // namespace crossmt::server
