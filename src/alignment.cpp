// Alignment extraction: forced-decoding attention, layer/head selection, word merging, links.
#include "crossmt/alignment.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "crossmt/error.h"

namespace crossmt {
namespace {

constexpr std::string_view kWordStart = "\xE2\x96\x81";  // U+2581, SentencePiece's space marker

bool parse_int(std::string_view text, int& value) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::vector<PairAttention> forced_attention(const Seq2SeqModel& model, const std::vector<std::vector<int>>& sources,
                                            const std::vector<std::vector<int>>& targets, int decoder_start_token_id,
                                            size_t batch_size) {
  if (sources.size() != targets.size()) throw Error("forced_attention needs one target per source");
  std::vector<PairAttention> results(sources.size());
  std::vector<size_t> pairs_to_align;
  for (size_t i = 0; i < sources.size(); ++i)
    if (!sources[i].empty() && !targets[i].empty()) pairs_to_align.push_back(i);
  const int layers = model.decoder_layers(), heads = model.decoder_heads();
  const int64_t vocab = model.target_vocab_size();
  batch_size = std::max<size_t>(batch_size, 1);
  for (size_t begin = 0; begin < pairs_to_align.size(); begin += batch_size) {
    const size_t end = std::min(pairs_to_align.size(), begin + batch_size);
    std::vector<std::vector<int>> batch_sources, decoder_inputs;
    for (size_t k = begin; k < end; ++k) {
      batch_sources.push_back(sources[pairs_to_align[k]]);
      const auto& target = targets[pairs_to_align[k]];
      std::vector<int> input{decoder_start_token_id};
      input.insert(input.end(), target.begin(), target.end() - 1);
      decoder_inputs.push_back(std::move(input));
    }
    const EncodedBatch encoded = model.encode(batch_sources);
    const ForcedOutput output = model.forced_decode(encoded, decoder_inputs, true);
    const int64_t T = output.target_length, S = encoded.max_length;
    for (size_t k = begin; k < end; ++k) {
      const int64_t b = static_cast<int64_t>(k - begin);
      PairAttention& pair = results[pairs_to_align[k]];
      pair.source_ids = sources[pairs_to_align[k]];
      pair.target_ids = targets[pairs_to_align[k]];
      AttentionMatrices& attention = pair.attention;
      attention.layers = layers;
      attention.heads = heads;
      attention.target_length = static_cast<int>(pair.target_ids.size());
      attention.source_length = encoded.lengths[b];
      attention.weights.resize(static_cast<size_t>(layers) * heads * attention.target_length * attention.source_length);
      float* out = attention.weights.data();
      for (int l = 0; l < layers; ++l)
        for (int h = 0; h < heads; ++h)
          for (int t = 0; t < attention.target_length; ++t) {
            const float* row = output.cross_attention.data() + (((b * layers + l) * heads + h) * T + t) * S;
            out = std::copy(row, row + attention.source_length, out);
          }
      for (int t = 0; t < attention.target_length; ++t)
        pair.log_probs.push_back(output.log_probs[(b * T + t) * vocab + pair.target_ids[t]]);
    }
  }
  return results;
}

int resolve_layer(int layer, int layers) {
  const int resolved = layer < 0 ? layers + layer : layer;
  if (resolved < 0 || resolved >= layers)
    throw Error("--alignment-layer " + std::to_string(layer) + " is out of range: the model has " +
                std::to_string(layers) + " decoder layers (0.." + std::to_string(layers - 1) + ", or -1..-" +
                std::to_string(layers) + ")");
  return resolved;
}

HeadSelection parse_heads(std::string_view text, int heads) {
  if (text == "avg") return {HeadMode::Average, 0};
  if (text == "all") return {HeadMode::All, 0};
  int head = 0;
  if (!parse_int(text, head))
    throw Error("--alignment-heads must be avg, all or a head index, not '" + std::string(text) + "'");
  const int resolved = head < 0 ? heads + head : head;
  if (resolved < 0 || resolved >= heads)
    throw Error("--alignment-heads " + std::to_string(head) + " is out of range: the model has " +
                std::to_string(heads) + " heads per layer (0.." + std::to_string(heads - 1) + ")");
  return {HeadMode::Single, resolved};
}

std::string describe(const HeadSelection& selection) {
  switch (selection.mode) {
    case HeadMode::Average: return "avg";
    case HeadMode::All: return "all";
    case HeadMode::Single: break;
  }
  return std::to_string(selection.head);
}

Matrix select_matrix(const AttentionMatrices& attention, int layer, const HeadSelection& selection) {
  Matrix matrix{attention.target_length, attention.source_length, {}};
  const size_t size = static_cast<size_t>(matrix.rows) * matrix.cols;
  if (selection.mode == HeadMode::Single) {
    const float* source = attention.matrix(layer, selection.head);
    matrix.values.assign(source, source + size);
    return matrix;
  }
  matrix.values.assign(size, 0.f);
  for (int h = 0; h < attention.heads; ++h) {
    const float* source = attention.matrix(layer, h);
    for (size_t i = 0; i < size; ++i) matrix.values[i] += source[i];
  }
  for (float& value : matrix.values) value /= static_cast<float>(attention.heads);
  return matrix;
}

AlignmentUnit parse_unit(std::string_view text) {
  if (text == "word") return AlignmentUnit::Word;
  if (text == "subword") return AlignmentUnit::Subword;
  throw Error("--alignment-unit must be word or subword, not '" + std::string(text) + "'");
}

bool is_special_piece(std::string_view piece) {
  if (piece == "</s>" || piece == "<pad>") return true;
  return piece.size() > 4 && piece.starts_with(">>") && piece.ends_with("<<");
}

std::vector<TokenSpan> group_tokens(const std::vector<std::string>& pieces, AlignmentUnit unit) {
  std::vector<TokenSpan> spans;
  for (int i = 0; i < static_cast<int>(pieces.size()); ++i) {
    const std::string& piece = pieces[i];
    if (is_special_piece(piece)) continue;
    const bool starts_word = piece.starts_with(kWordStart) || piece == "<unk>";
    if (unit == AlignmentUnit::Subword || starts_word || spans.empty()) {
      spans.push_back({{}, {}});
    }
    TokenSpan& span = spans.back();
    span.positions.push_back(i);
    if (unit == AlignmentUnit::Subword) span.label = piece;
    else span.label += starts_word && piece != "<unk>" ? piece.substr(kWordStart.size()) : piece;
  }
  return spans;
}

Matrix merge_matrix(const Matrix& tokens, const std::vector<TokenSpan>& target, const std::vector<TokenSpan>& source) {
  Matrix merged{static_cast<int>(target.size()), static_cast<int>(source.size()), {}};
  merged.values.assign(static_cast<size_t>(merged.rows) * merged.cols, 0.f);
  for (int i = 0; i < merged.rows; ++i) {
    const auto& rows = target[i].positions;
    for (int j = 0; j < merged.cols; ++j) {
      double sum = 0;
      for (int row : rows)
        for (int col : source[j].positions) sum += tokens.at(row, col);
      merged.values[static_cast<size_t>(i) * merged.cols + j] = static_cast<float>(sum / static_cast<double>(rows.size()));
    }
  }
  return merged;
}

AlignmentKind parse_alignment_kind(std::string_view text) {
  if (text == "hard") return {AlignmentKind::Hard, 0.f};
  if (text == "soft") return {AlignmentKind::Soft, 0.f};
  const std::string copy(text);
  char* end = nullptr;
  const double threshold = copy.empty() ? -1 : std::strtod(copy.c_str(), &end);
  if (copy.empty() || *end != '\0' || !(threshold >= 0.0 && threshold <= 1.0))
    throw Error("--alignment must be hard, soft or a threshold between 0.0 and 1.0, not '" + copy + "'");
  return {AlignmentKind::Threshold, static_cast<float>(threshold)};
}

std::vector<Link> hard_links(const Matrix& matrix) {
  std::vector<Link> links;
  for (int t = 0; t < matrix.rows; ++t) {
    int best = -1;
    float best_weight = 0.f;
    for (int s = 0; s < matrix.cols; ++s)
      if (matrix.at(t, s) > best_weight) {
        best = s;
        best_weight = matrix.at(t, s);
      }
    if (best >= 0) links.push_back({best, t, best_weight});
  }
  return links;
}

std::vector<Link> threshold_links(const Matrix& matrix, float threshold) {
  std::vector<Link> links;
  for (int t = 0; t < matrix.rows; ++t)
    for (int s = 0; s < matrix.cols; ++s)
      if (matrix.at(t, s) >= threshold && matrix.at(t, s) > 0.f) links.push_back({s, t, matrix.at(t, s)});
  return links;
}

std::string pharaoh(const std::vector<Link>& links) {
  std::vector<Link> sorted = links;
  std::sort(sorted.begin(), sorted.end(),
            [](const Link& a, const Link& b) { return a.target != b.target ? a.target < b.target : a.source < b.source; });
  std::string text;
  for (const Link& link : sorted) {
    if (!text.empty()) text += ' ';
    text += std::to_string(link.source);
    text += '-';
    text += std::to_string(link.target);
  }
  return text;
}

std::string soft_alignment_text(const Matrix& matrix) {
  std::string text;
  char buffer[32];
  for (int t = 0; t < matrix.rows; ++t) {
    if (t) text += ' ';
    for (int s = 0; s < matrix.cols; ++s) {
      if (s) text += ',';
      std::snprintf(buffer, sizeof buffer, "%.6g", static_cast<double>(matrix.at(t, s)));
      text += buffer;
    }
  }
  return text;
}

std::string alignment_text(const Matrix& matrix, const AlignmentKind& kind) {
  switch (kind.type) {
    case AlignmentKind::Hard: return pharaoh(hard_links(matrix));
    case AlignmentKind::Threshold: return pharaoh(threshold_links(matrix, kind.threshold));
    case AlignmentKind::Soft: return soft_alignment_text(matrix);
    case AlignmentKind::None: break;
  }
  return {};
}

nlohmann::ordered_json alignment_json(const Matrix& matrix, const AlignmentKind& kind) {
  if (kind.type != AlignmentKind::Soft) return alignment_text(matrix, kind);
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (int t = 0; t < matrix.rows; ++t) {
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    for (int s = 0; s < matrix.cols; ++s) row.push_back(std::round(static_cast<double>(matrix.at(t, s)) * 1e6) / 1e6);
    rows.push_back(std::move(row));
  }
  return rows;
}

SentenceAlignment build_alignment(const PairAttention& pair, const std::vector<std::string>& source_pieces,
                                  const std::vector<std::string>& target_pieces, AlignmentUnit unit, int layer,
                                  const HeadSelection& heads) {
  const AttentionMatrices& attention = pair.attention;
  if (static_cast<int>(source_pieces.size()) != attention.source_length ||
      static_cast<int>(target_pieces.size()) != attention.target_length)
    throw Error("build_alignment: the token lists do not match the attention's shape");
  const auto source_spans = group_tokens(source_pieces, unit);
  const auto target_spans = group_tokens(target_pieces, unit);
  SentenceAlignment sentence;
  for (const auto& span : source_spans) sentence.source_tokens.push_back(span.label);
  for (const auto& span : target_spans) sentence.target_tokens.push_back(span.label);
  sentence.layers = attention.layers;
  sentence.heads = attention.heads;
  for (int l = 0; l < attention.layers; ++l)
    for (int h = 0; h < attention.heads; ++h)
      sentence.per_head.push_back(
          merge_matrix(select_matrix(attention, l, {HeadMode::Single, h}), target_spans, source_spans));
  sentence.layer = layer;
  sentence.head_selection = heads;
  sentence.selected = merge_matrix(select_matrix(attention, layer, heads), target_spans, source_spans);
  sentence.hard = hard_links(sentence.selected);
  sentence.log_probs = pair.log_probs;
  sentence.target_pieces = target_pieces;
  return sentence;
}

std::vector<SentenceAlignment> align_pairs(const Seq2SeqModel& model, const Tokenizer& tokenizer,
                                           const std::vector<std::vector<int>>& sources,
                                           const std::vector<std::vector<int>>& targets, int decoder_start_token_id,
                                           AlignmentUnit unit, int layer, const HeadSelection& heads) {
  const auto pairs = forced_attention(model, sources, targets, decoder_start_token_id);
  std::vector<SentenceAlignment> sentences;
  sentences.reserve(pairs.size());
  for (const auto& pair : pairs) {
    if (pair.target_ids.empty()) {
      SentenceAlignment empty;
      empty.layers = model.decoder_layers();
      empty.heads = model.decoder_heads();
      empty.layer = layer;
      empty.head_selection = heads;
      sentences.push_back(std::move(empty));
      continue;
    }
    std::vector<std::string> source_pieces, target_pieces;
    // Word starts read as SentencePiece marks them, whatever the family's own mark (BPE's "Ġ").
    const std::string marker = tokenizer.word_start_marker();
    const auto as_sentencepiece = [&](std::string piece) {
      if (marker != kWordStart && !marker.empty() && piece.starts_with(marker))
        piece = std::string(kWordStart) + piece.substr(marker.size());
      return piece;
    };
    for (int id : pair.source_ids) source_pieces.push_back(as_sentencepiece(tokenizer.source_piece(id)));
    for (int id : pair.target_ids) target_pieces.push_back(as_sentencepiece(tokenizer.target_piece(id)));
    // Pre-tokenized text (no SentencePiece model) has no word-start marks: every token is a word.
    const AlignmentUnit pair_unit = tokenizer.has_sentencepiece() ? unit : AlignmentUnit::Subword;
    sentences.push_back(build_alignment(pair, source_pieces, target_pieces, pair_unit, layer, heads));
  }
  return sentences;
}

}  // namespace crossmt
