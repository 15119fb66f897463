// crossmt._crossmt: the Python binding of crossmt::Translator, shaped like CTranslate2's
// ctranslate2.Translator. Python objects are read and built with the GIL held; every model call
// runs with the GIL released, so Python threads sharing one Translator compute concurrently.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "crossmt/alignment_options.h"
#include "crossmt/compute_type.h"
#include "crossmt/error.h"
#include "crossmt/language.h"
#include "crossmt/tokenizer.h"  // find_invalid_utf8
#include "crossmt/translator.h"

namespace py = pybind11;

namespace crossmt::python {
namespace {

// One input batch: either text lines or CTranslate2-style token lists (SentencePiece pieces).
struct SourceBatch {
  bool tokens = false;
  std::vector<std::string> lines;
  std::vector<std::vector<std::string>> token_lists;
  size_t size() const { return tokens ? token_lists.size() : lines.size(); }
};

std::string utf8_of(const py::handle& item, const char* argument, size_t index) {
  if (!PyUnicode_Check(item.ptr()))
    throw py::type_error(std::string(argument) + "[" + std::to_string(index) + "]: expected str, got " +
                         std::string(py::str(py::type::handle_of(item).attr("__name__"))));
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(item.ptr(), &size);
  if (!data) {
    PyErr_Clear();
    throw Error(std::string(argument) + "[" + std::to_string(index) + "]: not encodable as UTF-8 (lone surrogate?)");
  }
  return std::string(data, static_cast<size_t>(size));
}

// A list of str (text) or a list of lists of str (tokens), not a mix.
SourceBatch read_batch(const py::handle& object, const char* argument) {
  if (PyUnicode_Check(object.ptr()) || !py::isinstance<py::sequence>(object))
    throw py::type_error(std::string(argument) + ": expected a list of str or a list of token lists");
  const py::sequence items = py::reinterpret_borrow<py::sequence>(object);
  SourceBatch batch;
  const size_t count = items.size();
  for (size_t i = 0; i < count; ++i) {
    const py::object item = items[i];
    const bool is_text = PyUnicode_Check(item.ptr());
    if (i == 0) batch.tokens = !is_text;
    if (is_text == batch.tokens)
      throw py::type_error(std::string(argument) + "[" + std::to_string(i) + "]: every item must be " +
                           (batch.tokens ? "a token list" : "a str") + ", like the first one");
    if (is_text) {
      batch.lines.push_back(utf8_of(item, argument, i));
      continue;
    }
    if (!py::isinstance<py::sequence>(item))
      throw py::type_error(std::string(argument) + "[" + std::to_string(i) + "]: expected str or a list of str");
    std::vector<std::string> tokens;
    for (const py::handle token : py::reinterpret_borrow<py::sequence>(item))
      tokens.push_back(utf8_of(token, argument, i));
    batch.token_lists.push_back(std::move(tokens));
  }
  return batch;
}

struct TranslationResult {
  py::list hypotheses;  // str per hypothesis (text input) or list of target pieces (token input)
  py::list scores;
  py::list attention;   // per hypothesis: target pieces x source pieces, as lists
  py::list alignment;   // per hypothesis: (source word, target word) pairs
};

struct ScoringResult {
  std::vector<std::string> tokens;  // target pieces, `</s>` included
  std::vector<float> log_probs;
};

struct AlignmentResult {
  std::vector<std::string> source_tokens, target_tokens;
  py::array_t<float> attention;
  std::vector<std::pair<int, int>> links;
  std::string pharaoh;
  std::vector<std::string> target_pieces;
  std::vector<float> log_probs;
};

struct ExecutionStats {
  size_t num_examples = 0, num_tokens = 0;
  double total_time_in_ms = 0;
};

// Keyword arguments of translate_batch / translate_file; std::nullopt = the model's default.
struct TranslateArguments {
  std::optional<std::string> target_language;
  std::optional<int> beam_size, num_hypotheses, max_decoding_length, min_decoding_length, sampling_topk,
      no_repeat_ngram_size;
  std::optional<double> length_penalty, sampling_topp, sampling_temperature, repetition_penalty;
  uint64_t random_seed = 0;
  int max_batch_size = 0;
  std::string batch_type = "examples";
};

SearchOptions search_options(const Translator& translator, const TranslateArguments& arguments) {
  SearchOptions search = translator.default_search_options();
  if (arguments.beam_size) {
    if (*arguments.beam_size < 1) throw Error("beam_size must be at least 1, got " + std::to_string(*arguments.beam_size));
    search.num_beams = *arguments.beam_size;
  }
  // CTranslate2: sampling_topk=1 is greedy choice (no sampling), 0 samples from the whole
  // vocabulary, K > 1 from the K best. Left as None, the model's own do_sample/top_k hold.
  if (arguments.sampling_topk) {
    const int top_k = *arguments.sampling_topk;
    if (top_k < 0) throw Error("sampling_topk must not be negative, got " + std::to_string(top_k));
    search.do_sample = top_k != 1;
    if (search.do_sample) search.top_k = top_k;
  }
  if (arguments.sampling_topp) search.top_p = *arguments.sampling_topp;
  if (arguments.sampling_temperature) search.temperature = *arguments.sampling_temperature;
  if (search.do_sample && !arguments.beam_size) search.num_beams = 1;
  if (search.do_sample && search.num_beams > 1)
    throw Error("sampling (sampling_topk != 1) needs beam_size=1, got beam_size=" + std::to_string(search.num_beams));
  if (!(search.top_p > 0 && search.top_p <= 1)) throw Error("sampling_topp must be in (0, 1]");
  if (!(search.temperature > 0)) throw Error("sampling_temperature must be positive");
  search.num_return_sequences = arguments.num_hypotheses.value_or(1);
  if (search.num_return_sequences < 1) throw Error("num_hypotheses must be at least 1");
  if (search.num_return_sequences > search.num_beams)
    throw Error("num_hypotheses (" + std::to_string(search.num_return_sequences) + ") must not exceed beam_size (" +
                std::to_string(search.num_beams) + ")");
  if (arguments.length_penalty) search.length_penalty = *arguments.length_penalty;
  // CTranslate2's lengths count generated tokens; transformers' (ours) count the decoder start.
  if (arguments.max_decoding_length) {
    if (*arguments.max_decoding_length < 1) throw Error("max_decoding_length must be at least 1");
    search.max_length = 1 + *arguments.max_decoding_length;
  }
  if (arguments.min_decoding_length) {
    if (*arguments.min_decoding_length < 0) throw Error("min_decoding_length must not be negative");
    search.min_length = 1 + *arguments.min_decoding_length;
  }
  if (arguments.no_repeat_ngram_size) {
    if (*arguments.no_repeat_ngram_size < 0) throw Error("no_repeat_ngram_size must not be negative");
    search.no_repeat_ngram_size = *arguments.no_repeat_ngram_size;
  }
  if (arguments.repetition_penalty) {
    if (!(*arguments.repetition_penalty > 0)) throw Error("repetition_penalty must be positive");
    search.repetition_penalty = *arguments.repetition_penalty;
  }
  search.seed = arguments.random_seed;
  return search;
}

BatchingOptions batching_options(const TranslateArguments& arguments) {
  if (arguments.max_batch_size < 0) throw Error("max_batch_size must not be negative");
  BatchingOptions batching;
  if (arguments.batch_type == "examples") {
    batching.batch_size = arguments.max_batch_size;
  } else if (arguments.batch_type == "tokens") {
    if (arguments.max_batch_size > 0) batching.batch_tokens = arguments.max_batch_size;
  } else {
    throw Error("batch_type must be 'examples' or 'tokens', not '" + arguments.batch_type + "'");
  }
  return batching;
}

// A Translator plus what the binding derives from it once.
class PyTranslator {
 public:
  PyTranslator(const std::filesystem::path& model_path, const std::string& compute_type, int threads, int workers)
      : translator_(model_path, TranslatorOptions{parse_compute_type(compute_type), workers, threads}) {}

  const Translator& translator() const { return translator_; }

  std::string language_token(const std::optional<std::string>& language) const {
    return language ? translator_.language_token(*language) : std::string();
  }

  // Source ids of a batch: text lines as the CLI encodes them, token lists by their pieces, the
  // language token put first unless the input already starts with one.
  std::vector<std::vector<int>> source_ids(const SourceBatch& batch, const std::string& language_token) const {
    std::vector<std::vector<int>> sources(batch.size());
    for (size_t i = 0; i < batch.size(); ++i) {
      try {
        if (!batch.tokens) {
          const std::string& line = batch.lines[i];
          if (const auto bad_byte = find_invalid_utf8(line))
            throw Error("invalid UTF-8 at byte " + std::to_string(*bad_byte + 1));
          if (line.find_first_not_of(" \t") != std::string::npos) sources[i] = translator_.encode_line(line, language_token);
          continue;
        }
        const auto& pieces = batch.token_lists[i];
        if (pieces.empty()) continue;
        if (language_token.empty() || leading_language_token_length(pieces.front()) == pieces.front().size()) {
          sources[i] = translator_.encode_source_pieces(pieces);
        } else {
          std::vector<std::string> with_language{language_token};
          with_language.insert(with_language.end(), pieces.begin(), pieces.end());
          sources[i] = translator_.encode_source_pieces(with_language);
        }
      } catch (const Error& failure) {
        throw Error("source[" + std::to_string(i) + "]: " + failure.what());
      }
    }
    return sources;
  }

  // Target ids of target pieces (token lists), `</s>` appended unless present.
  std::vector<int> target_ids_of_pieces(const std::vector<std::string>& pieces) const {
    std::call_once(target_ids_once_, [&] {
      const int vocab = translator_.info().target_vocab_size;
      std::vector<int> all(static_cast<size_t>(vocab));
      for (int id = 0; id < vocab; ++id) all[static_cast<size_t>(id)] = id;
      const std::vector<std::string> all_pieces = translator_.target_pieces(all);
      // The first id of a piece wins: `<unk>`'s spelling also names ids missing from the vocabulary.
      for (int id = vocab - 1; id >= 0; --id) target_ids_[all_pieces[static_cast<size_t>(id)]] = id;
    });
    const int unk = target_ids_.at("<unk>");
    const int eos = target_ids_.at("</s>");
    std::vector<int> ids;
    ids.reserve(pieces.size() + 1);
    for (const std::string& piece : pieces) {
      const auto found = target_ids_.find(piece);
      ids.push_back(found == target_ids_.end() ? unk : found->second);
    }
    if (ids.empty() || ids.back() != eos) ids.push_back(eos);
    return ids;
  }

  std::vector<std::vector<int>> target_ids(const SourceBatch& batch) const {
    std::vector<std::vector<int>> targets;
    for (size_t i = 0; i < batch.size(); ++i)
      targets.push_back(batch.tokens ? target_ids_of_pieces(batch.token_lists[i]) : translator_.encode_target(batch.lines[i]));
    return targets;
  }

  std::vector<std::string> pieces_without_eos(const std::vector<int>& ids) const {
    std::vector<std::string> pieces = translator_.target_pieces(ids);
    if (!pieces.empty() && pieces.back() == "</s>") pieces.pop_back();
    return pieces;
  }

 private:
  Translator translator_;
  mutable std::once_flag target_ids_once_;
  mutable std::unordered_map<std::string, int> target_ids_;
};

py::list matrix_rows(const std::vector<float>& values, size_t columns) {
  py::list rows;
  if (columns == 0) return rows;
  for (size_t begin = 0; begin < values.size(); begin += columns)
    rows.append(py::cast(std::vector<float>(values.begin() + begin, values.begin() + begin + columns)));
  return rows;
}

py::list translate_batch(const PyTranslator& self, const py::object& source, const TranslateArguments& arguments,
                         bool return_scores, bool return_attention, bool return_alignment) {
  const SourceBatch batch = read_batch(source, "source");
  const Translator& translator = self.translator();
  const SearchOptions search = search_options(translator, arguments);
  const BatchingOptions batching = batching_options(arguments);

  std::vector<crossmt::TranslationResult> results;
  std::vector<WordAlignment> attention, alignment;
  std::vector<std::pair<size_t, size_t>> aligned_hypotheses;  // (result, hypothesis) per pair
  {
    py::gil_scoped_release release;
    const std::string language_token = self.language_token(arguments.target_language);
    if (batch.tokens) {
      results = translator.translate_ids(self.source_ids(batch, language_token), search, batching);
    } else {
      results = translator.translate_lines(batch.lines, language_token, search, batching);
      for (const auto& result : results)
        if (!result.error.empty()) throw Error("source: " + result.error);
    }
    if (return_attention || return_alignment) {
      std::vector<std::vector<int>> sources, targets;
      for (size_t i = 0; i < results.size(); ++i)
        for (size_t n = 0; n < results[i].hypotheses.size(); ++n) {
          sources.push_back(results[i].source_ids);
          targets.push_back(results[i].hypotheses[n].ids);
          aligned_hypotheses.emplace_back(i, n);
        }
      if (return_attention)
        attention = translator.align_ids(sources, targets, AlignmentOptions{AlignmentUnit::Subword});
      if (return_alignment) alignment = translator.align_ids(sources, targets, AlignmentOptions{AlignmentUnit::Word});
    }
  }

  std::vector<TranslationResult> converted(results.size());
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& result = results[i];
    TranslationResult& out = converted[i];
    if (result.hypotheses.empty()) {
      // Nothing to translate (an empty line): num_hypotheses empty hypotheses, so that
      // results[i].hypotheses[0] stays valid.
      for (int n = 0; n < search.num_return_sequences; ++n) {
        out.hypotheses.append(batch.tokens ? py::object(py::list()) : py::object(py::str("")));
        if (return_scores) out.scores.append(0.0f);
        if (return_attention) out.attention.append(py::list());
        if (return_alignment) out.alignment.append(py::list());
      }
      continue;
    }
    for (size_t n = 0; n < result.hypotheses.size(); ++n) {
      if (batch.tokens) out.hypotheses.append(py::cast(self.pieces_without_eos(result.hypotheses[n].ids)));
      else out.hypotheses.append(py::str(result.texts[n]));
      if (return_scores) out.scores.append(result.hypotheses[n].score);
    }
  }
  for (size_t k = 0; k < aligned_hypotheses.size(); ++k) {
    TranslationResult& out = converted[aligned_hypotheses[k].first];
    if (return_attention) out.attention.append(matrix_rows(attention[k].attention, attention[k].source_tokens.size()));
    if (return_alignment) out.alignment.append(py::cast(alignment[k].links));
  }
  py::list list;
  for (auto& result : converted) list.append(py::cast(std::move(result)));
  return list;
}

ExecutionStats translate_file(const PyTranslator& self, const std::string& input_path, const std::string& output_path,
                              const TranslateArguments& arguments) {
  const Translator& translator = self.translator();
  const SearchOptions search = search_options(translator, arguments);
  const BatchingOptions batching = batching_options(arguments);
  const std::string language_token = self.language_token(arguments.target_language);
  py::gil_scoped_release release;
  const auto start = std::chrono::steady_clock::now();
  std::ifstream input(input_path);
  if (!input) throw Error("cannot read input file '" + input_path + "'");
  std::vector<std::string> lines;
  for (std::string line; std::getline(input, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
  }
  const auto results = translator.translate_lines(lines, language_token, search, batching);
  ExecutionStats stats;
  for (const auto& result : results) {
    if (!result.error.empty()) throw Error(input_path + ": " + result.error);
    for (const auto& hypothesis : result.hypotheses) stats.num_tokens += hypothesis.ids.size();
  }
  std::ofstream output(output_path);
  if (!output) throw Error("cannot write output file '" + output_path + "'");
  for (const auto& result : results)
    for (int n = 0; n < search.num_return_sequences; ++n)
      output << (n < static_cast<int>(result.texts.size()) ? result.texts[n] : "") << "\n";
  output.flush();
  if (!output) throw Error("writing '" + output_path + "' failed");
  stats.num_examples = lines.size();
  stats.total_time_in_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

py::list score_batch(const PyTranslator& self, const py::object& source, const py::object& target,
                     const std::optional<std::string>& target_language) {
  const SourceBatch sources = read_batch(source, "source");
  const SourceBatch targets = read_batch(target, "target");
  if (sources.size() != targets.size())
    throw Error("score_batch: " + std::to_string(sources.size()) + " sources but " + std::to_string(targets.size()) +
                " targets");
  std::vector<std::vector<int>> source_ids, target_ids;
  std::vector<std::vector<float>> log_probs;
  {
    py::gil_scoped_release release;
    source_ids = self.source_ids(sources, self.language_token(target_language));
    target_ids = self.target_ids(targets);
    for (size_t i = 0; i < source_ids.size(); ++i)
      if (source_ids[i].empty()) throw Error("source[" + std::to_string(i) + "]: nothing to score against (empty)");
    log_probs = self.translator().score_ids(source_ids, target_ids);
  }
  py::list list;
  for (size_t i = 0; i < log_probs.size(); ++i)
    list.append(ScoringResult{self.translator().target_pieces(target_ids[i]), std::move(log_probs[i])});
  return list;
}

py::list align(const PyTranslator& self, const py::object& source, const py::object& target,
               const std::optional<std::string>& target_language, const std::string& unit, int layer,
               const std::string& heads) {
  const SourceBatch sources = read_batch(source, "source");
  const SourceBatch targets = read_batch(target, "target");
  if (sources.size() != targets.size())
    throw Error("align: " + std::to_string(sources.size()) + " sources but " + std::to_string(targets.size()) +
                " targets");
  AlignmentOptions options;
  if (unit == "word") options.unit = AlignmentUnit::Word;
  else if (unit == "subword") options.unit = AlignmentUnit::Subword;
  else throw Error("unit must be 'word' or 'subword', not '" + unit + "'");
  options.layer = layer;
  options.heads = heads;
  std::vector<WordAlignment> alignments;
  {
    py::gil_scoped_release release;
    const auto source_ids = self.source_ids(sources, self.language_token(target_language));
    for (size_t i = 0; i < source_ids.size(); ++i)
      if (source_ids[i].empty()) throw Error("source[" + std::to_string(i) + "]: nothing to align (empty)");
    alignments = self.translator().align_ids(source_ids, self.target_ids(targets), options);
  }
  py::list list;
  for (auto& alignment : alignments) {
    AlignmentResult result;
    const size_t rows = alignment.target_tokens.size(), columns = alignment.source_tokens.size();
    result.attention = py::array_t<float>({rows, columns});
    std::copy(alignment.attention.begin(), alignment.attention.end(), result.attention.mutable_data());
    result.source_tokens = std::move(alignment.source_tokens);
    result.target_tokens = std::move(alignment.target_tokens);
    result.links = std::move(alignment.links);
    result.pharaoh = std::move(alignment.pharaoh);
    result.target_pieces = std::move(alignment.target_pieces);
    result.log_probs = std::move(alignment.log_probs);
    list.append(std::move(result));
  }
  return list;
}

py::dict info(const PyTranslator& self) {
  const ModelInfo model = self.translator().info();
  py::dict dict;
  dict["path"] = model.path;
  dict["model_type"] = model.model_type;
  dict["architecture"] = model.architecture;
  dict["compute_type"] = compute_type_name(model.compute_type);
  dict["parameters"] = model.parameters;
  dict["d_model"] = model.d_model;
  dict["encoder_layers"] = model.encoder_layers;
  dict["decoder_layers"] = model.decoder_layers;
  dict["attention_heads"] = model.attention_heads;
  dict["source_vocab_size"] = model.source_vocab_size;
  dict["target_vocab_size"] = model.target_vocab_size;
  dict["max_positions"] = model.max_positions;
  dict["languages"] = model.languages;
  dict["has_tokenizer"] = model.has_tokenizer;
  dict["workers"] = self.translator().workers();
  return dict;
}

std::string repr_list(const py::list& list) { return std::string(py::repr(list)); }

}  // namespace
}  // namespace crossmt::python

PYBIND11_MODULE(_crossmt, m) {
  using namespace crossmt::python;
  using crossmt::python::TranslationResult;
  m.doc() = "crossmt's C++ translator (see the crossmt package for the documented API).";

  static py::exception<crossmt::Error> error(m, "Error", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr pointer) {
    try {
      if (pointer) std::rethrow_exception(pointer);
    } catch (const crossmt::Error& failure) {
      PyErr_SetString(error.ptr(), failure.what());
    }
  });

  py::class_<TranslationResult>(m, "TranslationResult", "One source's translation (CTranslate2's TranslationResult).")
      .def_readonly("hypotheses", &TranslationResult::hypotheses,
                    "Best first: str for text input, lists of target pieces (no </s>) for token input.")
      .def_readonly("scores", &TranslationResult::scores,
                    "Per hypothesis, transformers' sequences_scores (empty unless return_scores).")
      .def_readonly("attention", &TranslationResult::attention,
                    "Per hypothesis, target pieces x source pieces (empty unless return_attention).")
      .def_readonly("alignment", &TranslationResult::alignment,
                    "Per hypothesis, (source word, target word) pairs (empty unless return_alignment).")
      .def("__repr__", [](const TranslationResult& result) {
        return "TranslationResult(hypotheses=" + repr_list(result.hypotheses) + ", scores=" + repr_list(result.scores) +
               ", attention=" + (result.attention.empty() ? "[]" : "[...]") +
               ", alignment=" + repr_list(result.alignment) + ")";
      });

  py::class_<ScoringResult>(m, "ScoringResult", "Per-token log-probs of a target (CTranslate2's ScoringResult).")
      .def_readonly("tokens", &ScoringResult::tokens, "Target pieces, </s> included.")
      .def_readonly("log_probs", &ScoringResult::log_probs, "Log-prob of each target piece.")
      .def("__repr__", [](const ScoringResult& result) {
        return "ScoringResult(tokens=" + std::string(py::repr(py::cast(result.tokens))) +
               ", log_probs=" + std::string(py::repr(py::cast(result.log_probs))) + ")";
      });

  py::class_<AlignmentResult>(m, "Alignment", "A sentence pair's alignment in the chosen unit.")
      .def_readonly("source_tokens", &AlignmentResult::source_tokens)
      .def_readonly("target_tokens", &AlignmentResult::target_tokens)
      .def_readonly("attention", &AlignmentResult::attention,
                    "numpy float32 array [len(target_tokens), len(source_tokens)].")
      .def_readonly("links", &AlignmentResult::links, "(source, target) index pairs, the argmax source per target.")
      .def_readonly("pharaoh", &AlignmentResult::pharaoh, "The links as 'source-target' pairs: '0-0 1-2 2-1'.")
      .def_readonly("target_pieces", &AlignmentResult::target_pieces, "The target's pieces, </s> included.")
      .def_readonly("log_probs", &AlignmentResult::log_probs, "Log-prob of each target piece.")
      .def("__repr__", [](const AlignmentResult& result) { return "Alignment(pharaoh='" + result.pharaoh + "')"; });

  py::class_<ExecutionStats>(m, "ExecutionStats", "What translate_file did (CTranslate2's ExecutionStats).")
      .def_readonly("num_examples", &ExecutionStats::num_examples)
      .def_readonly("num_tokens", &ExecutionStats::num_tokens, "Generated target tokens, </s> included.")
      .def_readonly("total_time_in_ms", &ExecutionStats::total_time_in_ms)
      .def("__repr__", [](const ExecutionStats& stats) {
        return "ExecutionStats(num_examples=" + std::to_string(stats.num_examples) +
               ", num_tokens=" + std::to_string(stats.num_tokens) +
               ", total_time_in_ms=" + std::to_string(stats.total_time_in_ms) + ")";
      });

  // The keyword arguments shared by translate_batch and translate_file, in CTranslate2's names.
  const auto arguments = [](std::optional<std::string> target_language, std::optional<int> beam_size,
                            std::optional<int> num_hypotheses, std::optional<double> length_penalty,
                            std::optional<int> max_decoding_length, std::optional<int> min_decoding_length,
                            std::optional<int> sampling_topk, std::optional<double> sampling_topp,
                            std::optional<double> sampling_temperature, std::optional<int> no_repeat_ngram_size,
                            std::optional<double> repetition_penalty, uint64_t random_seed, int max_batch_size,
                            std::string batch_type) {
    return TranslateArguments{.target_language = std::move(target_language),
                              .beam_size = beam_size,
                              .num_hypotheses = num_hypotheses,
                              .max_decoding_length = max_decoding_length,
                              .min_decoding_length = min_decoding_length,
                              .sampling_topk = sampling_topk,
                              .no_repeat_ngram_size = no_repeat_ngram_size,
                              .length_penalty = length_penalty,
                              .sampling_topp = sampling_topp,
                              .sampling_temperature = sampling_temperature,
                              .repetition_penalty = repetition_penalty,
                              .random_seed = random_seed,
                              .max_batch_size = max_batch_size,
                              .batch_type = std::move(batch_type)};
  };

  py::class_<PyTranslator>(m, "Translator")
      .def(py::init<const std::filesystem::path&, const std::string&, int, int>(), py::arg("model_path"),
           py::arg("compute_type") = "auto", py::arg("threads") = 0, py::arg("workers") = 1)
      .def(
          "translate_batch",
          [arguments](const PyTranslator& self, const py::object& source, std::optional<std::string> target_language,
                      std::optional<int> beam_size, std::optional<int> num_hypotheses,
                      std::optional<double> length_penalty, std::optional<int> max_decoding_length,
                      std::optional<int> min_decoding_length, std::optional<int> sampling_topk,
                      std::optional<double> sampling_topp, std::optional<double> sampling_temperature,
                      std::optional<int> no_repeat_ngram_size, std::optional<double> repetition_penalty,
                      int max_batch_size, std::string batch_type, bool return_scores, bool return_attention,
                      bool return_alignment, uint64_t random_seed) {
            return translate_batch(self, source,
                                   arguments(std::move(target_language), beam_size, num_hypotheses, length_penalty,
                                             max_decoding_length, min_decoding_length, sampling_topk, sampling_topp,
                                             sampling_temperature, no_repeat_ngram_size, repetition_penalty,
                                             random_seed, max_batch_size, std::move(batch_type)),
                                   return_scores, return_attention, return_alignment);
          },
          py::arg("source"), py::kw_only(), py::arg("target_language") = py::none(), py::arg("beam_size") = py::none(),
          py::arg("num_hypotheses") = py::none(), py::arg("length_penalty") = py::none(),
          py::arg("max_decoding_length") = py::none(), py::arg("min_decoding_length") = py::none(),
          py::arg("sampling_topk") = py::none(), py::arg("sampling_topp") = py::none(),
          py::arg("sampling_temperature") = py::none(), py::arg("no_repeat_ngram_size") = py::none(),
          py::arg("repetition_penalty") = py::none(), py::arg("max_batch_size") = 0,
          py::arg("batch_type") = "examples", py::arg("return_scores") = false, py::arg("return_attention") = false,
          py::arg("return_alignment") = false, py::arg("random_seed") = 0)
      .def(
          "translate_file",
          [arguments](const PyTranslator& self, const std::string& input_path, const std::string& output_path,
                      std::optional<std::string> target_language, std::optional<int> beam_size,
                      std::optional<int> num_hypotheses, std::optional<double> length_penalty,
                      std::optional<int> max_decoding_length, std::optional<int> min_decoding_length,
                      std::optional<int> sampling_topk, std::optional<double> sampling_topp,
                      std::optional<double> sampling_temperature, std::optional<int> no_repeat_ngram_size,
                      std::optional<double> repetition_penalty, int max_batch_size, std::string batch_type,
                      uint64_t random_seed) {
            return translate_file(self, input_path, output_path,
                                  arguments(std::move(target_language), beam_size, num_hypotheses, length_penalty,
                                            max_decoding_length, min_decoding_length, sampling_topk, sampling_topp,
                                            sampling_temperature, no_repeat_ngram_size, repetition_penalty,
                                            random_seed, max_batch_size, std::move(batch_type)));
          },
          py::arg("input_path"), py::arg("output_path"), py::kw_only(), py::arg("target_language") = py::none(),
          py::arg("beam_size") = py::none(), py::arg("num_hypotheses") = py::none(),
          py::arg("length_penalty") = py::none(), py::arg("max_decoding_length") = py::none(),
          py::arg("min_decoding_length") = py::none(), py::arg("sampling_topk") = py::none(),
          py::arg("sampling_topp") = py::none(), py::arg("sampling_temperature") = py::none(),
          py::arg("no_repeat_ngram_size") = py::none(), py::arg("repetition_penalty") = py::none(),
          py::arg("max_batch_size") = 0, py::arg("batch_type") = "examples", py::arg("random_seed") = 0)
      .def("score_batch", &score_batch, py::arg("source"), py::arg("target"), py::kw_only(),
           py::arg("target_language") = py::none())
      .def("align", &align, py::arg("source"), py::arg("target"), py::kw_only(),
           py::arg("target_language") = py::none(), py::arg("unit") = "word", py::arg("layer") = -1,
           py::arg("heads") = "avg")
      .def(
          "tokenize",
          [](const PyTranslator& self, const std::string& text, std::optional<std::string> target_language) {
            const std::string token = self.language_token(target_language);
            if (const auto bad_byte = crossmt::find_invalid_utf8(text))
              throw crossmt::Error("invalid UTF-8 at byte " + std::to_string(*bad_byte + 1));
            return self.translator().source_pieces(
                token.empty() || crossmt::starts_with_language_token(text) ? text : token + " " + text);
          },
          py::arg("text"), py::kw_only(), py::arg("target_language") = py::none())
      .def(
          "detokenize",
          [](const PyTranslator& self, const std::vector<std::string>& tokens) {
            return self.translator().decode(self.target_ids_of_pieces(tokens));
          },
          py::arg("tokens"))
      .def("language_token", [](const PyTranslator& self, const std::string& language) {
        return self.translator().language_token(language);
      }, py::arg("language"))
      .def_property_readonly("info", &info)
      .def_property_readonly("workers", [](const PyTranslator& self) { return self.translator().workers(); });
}
