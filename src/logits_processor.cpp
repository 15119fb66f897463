#include "crossmt/logits_processor.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace crossmt {
namespace {

constexpr float kMinusInfinity = -INFINITY;

bool in_vocab(int id, int64_t vocab) { return id >= 0 && id < vocab; }

// RepetitionPenaltyLogitsProcessor: every token already in the sequence is made less likely.
// transformers gathers then scatters, so a token that occurs several times is penalised once.
void penalize_repetitions(double penalty, const std::vector<int>& sequence, float* scores, int64_t vocab) {
  const float p = static_cast<float>(penalty);
  for (size_t i = 0; i < sequence.size(); ++i) {
    const int id = sequence[i];
    if (!in_vocab(id, vocab)) continue;
    if (std::find(sequence.begin(), sequence.begin() + i, id) != sequence.begin() + i) continue;
    float& score = scores[id];
    score = score < 0 ? score * p : score / p;
  }
}

// NoRepeatNGramLogitsProcessor: ban the token that would complete an n-gram already generated.
void ban_repeated_ngrams(int n, const std::vector<int>& sequence, float* scores, int64_t vocab) {
  const int64_t length = static_cast<int64_t>(sequence.size());
  if (length + 1 < n) return;
  const int* prefix = sequence.data() + length - (n - 1);
  for (int64_t start = 0; start + n <= length; ++start) {
    if (std::equal(prefix, prefix + n - 1, sequence.data() + start)) {
      const int banned = sequence[start + n - 1];
      if (in_vocab(banned, vocab)) scores[banned] = kMinusInfinity;
    }
  }
}

// NoBadWordsLogitsProcessor: a bad word's last token is banned when its prefix was just generated.
void ban_bad_words(const std::vector<std::vector<int>>& bad_words, const std::vector<int>& sequence, float* scores,
                   int64_t vocab) {
  for (const auto& word : bad_words) {
    if (word.empty() || !in_vocab(word.back(), vocab)) continue;
    const size_t prefix = word.size() - 1;
    if (prefix > sequence.size()) continue;
    if (std::equal(word.begin(), word.end() - 1, sequence.end() - prefix)) scores[word.back()] = kMinusInfinity;
  }
}

void force_token(int token, float* scores, int64_t vocab) {
  std::fill(scores, scores + vocab, kMinusInfinity);
  scores[token] = 0.f;
}

}  // namespace

void process_scores(const SearchOptions& options, const std::vector<int>& sequence, float* scores, int64_t vocab) {
  const int64_t length = static_cast<int64_t>(sequence.size());
  if (options.repetition_penalty != 1.0) penalize_repetitions(options.repetition_penalty, sequence, scores, vocab);
  if (options.no_repeat_ngram_size > 0) ban_repeated_ngrams(options.no_repeat_ngram_size, sequence, scores, vocab);
  if (!options.bad_words_ids.empty()) ban_bad_words(options.bad_words_ids, sequence, scores, vocab);
  if (length < options.min_length && in_vocab(options.eos_token_id, vocab)) scores[options.eos_token_id] = kMinusInfinity;
  if (length == 1 && in_vocab(options.forced_bos_token_id, vocab)) force_token(options.forced_bos_token_id, scores, vocab);
  if (length == options.max_length - 1 && in_vocab(options.forced_eos_token_id, vocab))
    force_token(options.forced_eos_token_id, scores, vocab);
}

void warp_for_sampling(const SearchOptions& options, float* scores, int64_t vocab, std::vector<int>& order) {
  if (options.temperature != 1.0) {
    const float inverse = static_cast<float>(1.0 / options.temperature);
    for (int64_t i = 0; i < vocab; ++i) scores[i] *= inverse;
  }
  order.resize(vocab);
  std::iota(order.begin(), order.end(), 0);
  auto higher = [&](int a, int b) { return scores[a] > scores[b] || (scores[a] == scores[b] && a < b); };
  if (options.top_k > 0 && options.top_k < vocab) {
    std::nth_element(order.begin(), order.begin() + options.top_k - 1, order.end(), higher);
    const float threshold = scores[order[options.top_k - 1]];
    for (int64_t i = 0; i < vocab; ++i)
      if (scores[i] < threshold) scores[i] = kMinusInfinity;
  }
  if (options.top_p < 1.0) {
    // Keep the smallest set of most likely tokens whose probability reaches top_p.
    std::sort(order.begin(), order.end(), higher);
    const float max_score = scores[order[0]];
    double total = 0.0;
    for (int64_t i = 0; i < vocab; ++i) total += std::exp(static_cast<double>(scores[i] - max_score));
    double cumulative = 0.0;
    int64_t keep = 0;
    while (keep < vocab) {
      cumulative += std::exp(static_cast<double>(scores[order[keep]] - max_score)) / total;
      ++keep;
      if (cumulative >= options.top_p) break;
    }
    for (int64_t i = keep; i < vocab; ++i) scores[order[i]] = kMinusInfinity;
  }
}

}  // namespace crossmt
