#pragma once
// What a user asks of an alignment and what it gets (public; the computation is in alignment.h).
#include <string>
#include <utility>
#include <vector>

namespace crossmt {

enum class AlignmentUnit { Word, Subword };

// Which cross-attention an alignment reads (see crossmt/alignment.h for the exact rules).
struct AlignmentOptions {
  AlignmentUnit unit = AlignmentUnit::Word;
  int layer = -1;           // decoder layer; negative counts from the end
  std::string heads = "avg";  // "avg", or a head index
};

// One sentence pair's alignment in the chosen unit.
struct WordAlignment {
  std::vector<std::string> source_tokens, target_tokens;
  // attention[t * source_tokens.size() + s]: weight of target token t on source token s.
  std::vector<float> attention;
  std::vector<std::pair<int, int>> links;  // (source, target), the argmax source per target
  std::string pharaoh;                     // links as "0-0 1-2 2-1"
  std::vector<std::string> target_pieces;  // the target's SentencePiece pieces, EOS included
  std::vector<float> log_probs;            // log-prob of each target piece
};

}  // namespace crossmt
