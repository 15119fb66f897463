// Priority-queue BPE: O(n log n) per word, so long unbroken input stays fast.
#include "bpe_merges.h"

#include <queue>
#include <tuple>

namespace crossmt::tokenizer_json {

void BpeMerges::apply(std::vector<int>& symbols) const {
  const int count = static_cast<int>(symbols.size());
  if (count < 2 || merges_.empty()) return;
  std::vector<int> previous(count), next(count);
  std::vector<bool> alive(count, true);
  for (int i = 0; i < count; ++i) {
    previous[i] = i - 1;
    next[i] = i + 1 < count ? i + 1 : -1;
  }
  // (rank, position of the left symbol, merged id): smallest rank, then leftmost, first.
  using Candidate = std::tuple<int, int, int>;
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> queue;
  for (int i = 0; i + 1 < count; ++i)
    if (const Merge* merge = find(symbols[i], symbols[i + 1])) queue.emplace(merge->rank, i, merge->merged);
  while (!queue.empty()) {
    const auto [rank, left, merged] = queue.top();
    queue.pop();
    if (!alive[left] || next[left] < 0) continue;
    const int right = next[left];
    // Stale entry: one of the two symbols changed since it was queued.
    const Merge* current = find(symbols[left], symbols[right]);
    if (current == nullptr || current->merged != merged || current->rank != rank) continue;
    symbols[left] = merged;
    alive[right] = false;
    next[left] = next[right];
    if (next[right] >= 0) previous[next[right]] = left;
    if (previous[left] >= 0)
      if (const Merge* merge = find(symbols[previous[left]], symbols[left])) queue.emplace(merge->rank, previous[left], merge->merged);
    if (next[left] >= 0)
      if (const Merge* merge = find(symbols[left], symbols[next[left]])) queue.emplace(merge->rank, left, merge->merged);
  }
  std::vector<int> merged_symbols;
  for (int i = 0; i >= 0; i = next[i]) merged_symbols.push_back(symbols[i]);
  symbols = std::move(merged_symbols);
}

}  // namespace crossmt::tokenizer_json
