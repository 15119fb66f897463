#pragma once
// The BPE merge loop shared by tokenizer.json's BPE model and the slow GPT-2 tokenizer: adjacent
// symbols are merged lowest rank first (leftmost first among equal ranks) until no pair of
// neighbours has a merge, as tokenizers' Word::merge_all does.
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace crossmt::tokenizer_json {

class BpeMerges {
 public:
  // A later merge of the same pair replaces an earlier one (as tokenizers' and Python's dicts do).
  void add(int left, int right, int merged, int rank) { merges_[key(left, right)] = {rank, merged}; }
  std::size_t size() const { return merges_.size(); }
  // `symbols` (ids) merged in place.
  void apply(std::vector<int>& symbols) const;

 private:
  struct Merge {
    int rank;
    int merged;
  };
  static uint64_t key(int left, int right) { return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) | static_cast<uint32_t>(right); }
  const Merge* find(int left, int right) const {
    const auto found = merges_.find(key(left, right));
    return found == merges_.end() ? nullptr : &found->second;
  }
  std::unordered_map<uint64_t, Merge> merges_;
};

}  // namespace crossmt::tokenizer_json
