#pragma once
// Corpus BLEU exactly as sacreBLEU 2.x computes it by default: 13a tokenization, n-grams up to 4,
// "exp" smoothing, one reference per segment.
#include <string>
#include <vector>

namespace crossmt {

// sacreBLEU's `13a` tokenizer (mteval-v13a): splits off punctuation and symbols.
std::string tokenize_13a(const std::string& line);

struct BleuScore {
  double score = 0;  // 0-100
  double precisions[4] = {0, 0, 0, 0};
  double brevity_penalty = 1;
  long hypothesis_length = 0;
  long reference_length = 0;
};

BleuScore corpus_bleu(const std::vector<std::string>& hypotheses, const std::vector<std::string>& references);

}  // namespace crossmt
