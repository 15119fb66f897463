// How plausible are the hard word alignments of each decoder layer (heads averaged) and each
// head? Translates source lines, reads the attention of each best hypothesis by forced decoding,
// and prints per layer/head, over all sentences:
//   identical  share of hard word links whose two words are identical (case-folded, outer
//              punctuation stripped), e.g. names, numbers, "T-shirt" -> "T-Shirt"
//   anchors    of the target words that have exactly one identical source word, the share linked
//              to it (a recall on the pairs we know the answer to; numbers are among them)
//   punct      of the target pieces "." and "," that occur exactly once on the source side too,
//              the share whose subword hard link points at that source piece
//   monotone   share of adjacent target word pairs whose linked source positions do not go back
// Usage: alignment_quality [-m MODEL_DIR] [--to LANG] [--limit N] < sources.txt
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "crossmt/alignment.h"
#include "crossmt/error.h"
#include "crossmt/language.h"
#include "crossmt/search.h"
#include "crossmt/config.h"
#include "crossmt/model.h"
#include "crossmt/tokenizer.h"
#include "crossmt/translator.h"

using namespace crossmt;

namespace {

std::string normalized(const std::string& word) {
  size_t begin = 0, end = word.size();
  const auto punct = [](unsigned char c) { return c < 0x80 && std::ispunct(c); };
  while (begin < end && punct(word[begin])) ++begin;
  while (end > begin && punct(word[end - 1])) --end;
  std::string out = word.substr(begin, end - begin);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x80) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct Counts {
  long links = 0, identical = 0, anchors = 0, anchors_hit = 0, punct = 0, punct_hit = 0, pairs = 0, monotone = 0;
  void print(const std::string& name) const {
    const auto pct = [](long a, long b) { return b ? 100.0 * a / b : 0.0; };
    std::printf("| %-10s | %8.1f%% | %6.1f%% (%4ld) | %6.1f%% (%4ld) | %7.1f%% |\n", name.c_str(), pct(identical, links),
                pct(anchors_hit, anchors), anchors, pct(punct_hit, punct), punct, pct(monotone, pairs));
  }
};

void score(const Matrix& words, const std::vector<std::string>& source_words, const std::vector<std::string>& target_words,
           const Matrix& pieces, const std::vector<std::string>& source_pieces,
           const std::vector<std::string>& target_pieces, Counts& counts) {
  const auto links = hard_links(words);
  std::vector<int> linked(words.rows, -1);
  for (const auto& link : links) linked[link.target] = link.source;
  for (const auto& link : links) {
    ++counts.links;
    const std::string a = normalized(source_words[link.source]), b = normalized(target_words[link.target]);
    if (!a.empty() && a == b) ++counts.identical;
  }
  for (int t = 0; t < words.rows; ++t) {
    const std::string b = normalized(target_words[t]);
    if (b.empty()) continue;
    int match = -1, matches = 0;
    for (int s = 0; s < words.cols; ++s)
      if (normalized(source_words[s]) == b) match = s, ++matches;
    if (matches != 1) continue;
    ++counts.anchors;
    if (linked[t] == match) ++counts.anchors_hit;
  }
  for (int t = 0; t + 1 < words.rows; ++t) {
    if (linked[t] < 0 || linked[t + 1] < 0) continue;
    ++counts.pairs;
    if (linked[t + 1] >= linked[t]) ++counts.monotone;
  }
  const auto piece_links = hard_links(pieces);
  std::vector<int> piece_linked(pieces.rows, -1);
  for (const auto& link : piece_links) piece_linked[link.target] = link.source;
  for (int t = 0; t < pieces.rows; ++t) {
    const std::string& b = target_pieces[t];
    if (b != "." && b != "," && b != "\xE2\x96\x81." && b != "\xE2\x96\x81,") continue;
    const std::string bare = b.substr(b.size() - 1);
    int match = -1, matches = 0;
    for (int s = 0; s < pieces.cols; ++s) {
      const std::string& p = source_pieces[s];
      if (p == bare || p == "\xE2\x96\x81" + bare) match = s, ++matches;
    }
    if (matches != 1) continue;
    ++counts.punct;
    if (piece_linked[t] == match) ++counts.punct_hit;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string model_dir = CROSSMT_DEFAULT_MODEL_DIR, language = "de";
  size_t limit = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "-m" || arg == "--model") && i + 1 < argc) model_dir = argv[++i];
    else if (arg == "--to" && i + 1 < argc) language = argv[++i];
    else if (arg == "--limit" && i + 1 < argc) limit = std::stoul(argv[++i]);
    else {
      std::fprintf(stderr, "usage: alignment_quality [-m MODEL_DIR] [--to LANG] [--limit N] < sources.txt\n");
      return 2;
    }
  }
  try {
    const Translator translator(model_dir);
    const auto& tokenizer = translator.tokenizer();
    const std::string token = language_token_for(language, tokenizer.language_tokens());
    std::vector<std::vector<int>> sources;
    for (std::string line; std::getline(std::cin, line) && (!limit || sources.size() < limit);)
      sources.push_back(translator.encode_line(line, token));
    const SearchOptions search = search_options_from(translator.config().generation);
    const auto results = translator.translate_ids(sources, search, BatchingOptions{});
    std::vector<std::vector<int>> used_sources, targets;
    for (const auto& result : results) {
      if (result.hypotheses.empty()) continue;
      used_sources.push_back(result.source_ids);
      targets.push_back(result.hypotheses[0].ids);
    }
    const auto pairs = forced_attention(translator.model(), used_sources, targets, search.decoder_start_token_id);
    const int layers = translator.model().decoder_layers(), heads = translator.model().decoder_heads();
    // Selections: per layer the head average, then every single head.
    std::vector<std::pair<int, HeadSelection>> selections;
    for (int l = 0; l < layers; ++l) selections.push_back({l, {HeadMode::Average, 0}});
    for (int l = 0; l < layers; ++l)
      for (int h = 0; h < heads; ++h) selections.push_back({l, {HeadMode::Single, h}});
    std::vector<Counts> counts(selections.size());
    for (const auto& pair : pairs) {
      std::vector<std::string> source_pieces, target_pieces;
      for (int id : pair.source_ids) source_pieces.push_back(tokenizer.source_piece(id));
      for (int id : pair.target_ids) target_pieces.push_back(tokenizer.target_piece(id));
      const auto source_words = group_tokens(source_pieces, AlignmentUnit::Word);
      const auto target_words = group_tokens(target_pieces, AlignmentUnit::Word);
      const auto source_subwords = group_tokens(source_pieces, AlignmentUnit::Subword);
      const auto target_subwords = group_tokens(target_pieces, AlignmentUnit::Subword);
      std::vector<std::string> sw, tw, sp, tp;
      for (const auto& span : source_words) sw.push_back(span.label);
      for (const auto& span : target_words) tw.push_back(span.label);
      for (const auto& span : source_subwords) sp.push_back(span.label);
      for (const auto& span : target_subwords) tp.push_back(span.label);
      for (size_t k = 0; k < selections.size(); ++k) {
        const Matrix tokens = select_matrix(pair.attention, selections[k].first, selections[k].second);
        score(merge_matrix(tokens, target_words, source_words), sw, tw,
              merge_matrix(tokens, target_subwords, source_subwords), sp, tp, counts[k]);
      }
    }
    std::printf("%zu sentences, %s, beam %d\n\n", pairs.size(), token.c_str(), search.num_beams);
    std::printf("| layer/head | identical | anchors (n)    | punct (n)      | monotone |\n");
    std::printf("|------------|-----------|----------------|----------------|----------|\n");
    for (size_t k = 0; k < selections.size(); ++k) {
      const auto& [layer, selection] = selections[k];
      const std::string name = "L" + std::to_string(layer) +
                               (selection.mode == HeadMode::Average ? std::string(" avg") : " h" + std::to_string(selection.head));
      counts[k].print(name);
    }
  } catch (const std::exception& failure) {
    std::fprintf(stderr, "error: %s\n", failure.what());
    return 2;
  }
  return 0;
}
