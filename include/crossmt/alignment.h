#pragma once
// Word alignments and attention maps from a model's cross-attention.
//
// The attention of a hypothesis is read by one forced-decoding pass of it (decoder input =
// [decoder start] + ids[:-1]): the causal mask makes that pass reproduce exactly the attention the
// hypothesis had while it was searched. Per target position this gives, per decoder layer and
// head, a distribution over source positions.
//
// Units. Subword: the SentencePiece pieces. Word (default): a piece starting with U+2581 (▁) starts
// a word; a piece without it (a suffix, or punctuation such as "." written without a space)
// joins the word before it, as SentencePiece's own detokenization would join them. The source
// language token (`>>deu<<`), `</s>` and `<pad>` are left out on both sides, so word i is the
// i-th whitespace-separated word of the text. Merging rule: a word's weight on a source word is
// the SUM over the source word's pieces (attention mass is additive over source positions) and
// the MEAN over the target word's pieces (each target piece is one distribution). Weights are not
// renormalised after the special tokens are dropped.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "crossmt/alignment_options.h"
#include "crossmt/model.h"
#include "crossmt/tokenizer.h"

namespace crossmt {

// Measured on the default model with tools/alignment_quality (see README, "Alignment"): the last
// decoder layer, heads averaged, aligns best. -1 counts from the end.
inline constexpr int kDefaultAlignmentLayer = -1;

// Cross-attention of one sentence pair, every decoder layer and head, without padding:
// weights[((l * heads + h) * target_length + t) * source_length + s].
struct AttentionMatrices {
  int layers = 0, heads = 0, target_length = 0, source_length = 0;
  std::vector<float> weights;
  const float* matrix(int layer, int head) const {
    return weights.data() + (static_cast<size_t>(layer) * heads + head) * target_length * source_length;
  }
};

struct PairAttention {
  std::vector<int> source_ids;  // encoder input: language token and EOS included
  std::vector<int> target_ids;  // the hypothesis, EOS included
  AttentionMatrices attention;  // target_ids.size() x source_ids.size() per layer and head
  std::vector<float> log_probs; // log-prob of each target id at its position (no logits processors)
};

// Forced decoding of target[i] given source[i], `batch_size` pairs per model call. An empty
// source or target gives an empty PairAttention.
std::vector<PairAttention> forced_attention(const Seq2SeqModel& model, const std::vector<std::vector<int>>& sources,
                                            const std::vector<std::vector<int>>& targets, int decoder_start_token_id,
                                            size_t batch_size = 16);

// A dense rows x cols matrix (rows = target tokens, cols = source tokens).
struct Matrix {
  int rows = 0, cols = 0;
  std::vector<float> values;
  float at(int row, int col) const { return values[static_cast<size_t>(row) * cols + col]; }
};

// --alignment-layer: 0-based, negative counts from the end (-1 = last). Throws crossmt::Error.
int resolve_layer(int layer, int layers);

// --alignment-heads: "avg" (mean over heads), "all" (every head is exported; links come from the
// mean), or a head index K (negative counts from the end). Throws crossmt::Error.
enum class HeadMode { Average, All, Single };
struct HeadSelection {
  HeadMode mode = HeadMode::Average;
  int head = 0;  // resolved, for Single
};
HeadSelection parse_heads(std::string_view text, int heads);
std::string describe(const HeadSelection& selection);  // "avg", "all", "2"

// The target x source matrix of one layer: one head, or the mean over heads.
Matrix select_matrix(const AttentionMatrices& attention, int layer, const HeadSelection& selection);

AlignmentUnit parse_unit(std::string_view text);  // "word" or "subword"

// True for the tokens left out of alignments: `>>xxx<<`, `</s>`, `<pad>`.
bool is_special_piece(std::string_view piece);

// A word (or a piece, in subword unit): its label and the token positions it covers.
struct TokenSpan {
  std::string label;
  std::vector<int> positions;
};
std::vector<TokenSpan> group_tokens(const std::vector<std::string>& pieces, AlignmentUnit unit);

// Merges a token-level target x source matrix into spans (sum over source, mean over target).
Matrix merge_matrix(const Matrix& tokens, const std::vector<TokenSpan>& target, const std::vector<TokenSpan>& source);

// --alignment: hard (argmax source per target), soft (the weights), or a threshold in [0, 1]
// (every pair with weight >= threshold).
struct AlignmentKind {
  enum Type { None, Hard, Soft, Threshold } type = None;
  float threshold = 0.f;
};
AlignmentKind parse_alignment_kind(std::string_view text);  // throws crossmt::Error

struct Link {
  int source = 0, target = 0;
  float weight = 0.f;
};
std::vector<Link> hard_links(const Matrix& matrix);  // none for a row of zeros
std::vector<Link> threshold_links(const Matrix& matrix, float threshold);
// Pharaoh "source-target" pairs, ordered by target then source: "0-0 1-2 2-1".
std::string pharaoh(const std::vector<Link>& links);
// Marian's soft format: per target word the source weights joined by ',', words joined by ' '.
std::string soft_alignment_text(const Matrix& matrix);
// The text (hard/threshold/soft) or JSON (string, or rows of weights for soft) of an alignment.
std::string alignment_text(const Matrix& matrix, const AlignmentKind& kind);
nlohmann::ordered_json alignment_json(const Matrix& matrix, const AlignmentKind& kind);

// One sentence pair ready for export: labels and matrices in the chosen unit.
struct SentenceAlignment {
  std::vector<std::string> source_tokens, target_tokens;
  int layers = 0, heads = 0;
  std::vector<Matrix> per_head;  // layers * heads merged matrices, [layer * heads + head]
  int layer = 0;                 // the selection
  HeadSelection head_selection;
  Matrix selected;               // the selected matrix (head mean for avg and all)
  std::vector<Link> hard;        // argmax of `selected`
  std::vector<float> log_probs;  // per target piece (EOS included), from the forced pass
  std::vector<std::string> target_pieces;
};

SentenceAlignment build_alignment(const PairAttention& pair, const std::vector<std::string>& source_pieces,
                                  const std::vector<std::string>& target_pieces, AlignmentUnit unit, int layer,
                                  const HeadSelection& heads);

// forced_attention + build_alignment for many pairs, pieces read from the tokenizer. A pair
// with an empty source or target gives a SentenceAlignment without tokens.
std::vector<SentenceAlignment> align_pairs(const Seq2SeqModel& model, const Tokenizer& tokenizer,
                                           const std::vector<std::vector<int>>& sources,
                                           const std::vector<std::vector<int>>& targets, int decoder_start_token_id,
                                           AlignmentUnit unit, int layer, const HeadSelection& heads);

// ---- Exports (alignment_render.cpp) ----

// {"source_tokens", "target_tokens", "layer", "heads", "matrix"} or, with `all`, "attention"
// [layer][head][target][source] instead of "matrix". Weights rounded to 6 decimals.
nlohmann::ordered_json attention_json(const SentenceAlignment& sentence, bool all);
// One self-contained page (inline CSS and JS, no network) with one heatmap per sentence and a
// layer/head selector.
std::string attention_html(const std::vector<SentenceAlignment>& sentences, const std::string& title);
// One SVG heatmap of the selected matrix, the hard alignment outlined.
std::string attention_svg(const SentenceAlignment& sentence);
// Rows = target tokens, columns = source tokens (numbered, with a legend); shades ░▒▓█, plus ANSI
// 256-colour backgrounds when `color`.
std::string terminal_heatmap(const SentenceAlignment& sentence, bool color);

// Writes --attention-json (JSONL, one record per sentence), --attention-html and --attention-svg
// outputs for a run; empty paths are skipped. Throws crossmt::Error when a file cannot be written.
struct AttentionExports {
  std::string json_file, html_file, svg_dir;
  bool all = false;
  bool any() const { return !json_file.empty() || !html_file.empty() || !svg_dir.empty(); }
};
void write_attention_exports(const AttentionExports& exports, const std::vector<SentenceAlignment>& sentences);

}  // namespace crossmt
