// tokenizer.json's Unigram model: the Viterbi segmentation of tokenizers' encode_optimized, with
// an unknown-token edge (score: lowest piece score - 10) wherever no one-character piece starts,
// consecutive unknown characters fused into one token, and optional byte fallback.
#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "crossmt/error.h"
#include "components.h"

namespace crossmt::tokenizer_json {
namespace {

constexpr double kUnknownPenalty = 10.0;

std::string byte_token(uint8_t byte) {
  static const char* digits = "0123456789ABCDEF";
  return std::string("<0x") + digits[byte >> 4] + digits[byte & 15] + ">";
}

class UnigramModel final : public Model {
 public:
  UnigramModel(std::vector<std::pair<std::string, double>> pieces, std::optional<int> unk_id, bool byte_fallback, std::string origin)
      : pieces_(std::move(pieces)), unk_id_(unk_id), byte_fallback_(byte_fallback), origin_(std::move(origin)) {
    double min_score = std::numeric_limits<double>::infinity();
    for (std::size_t id = 0; id < pieces_.size(); ++id) {
      piece_ids_[pieces_[id].first] = static_cast<int>(id);  // a repeated piece: the last id wins
      max_piece_bytes_ = std::max(max_piece_bytes_, pieces_[id].first.size());
      min_score = std::min(min_score, pieces_[id].second);
    }
    unknown_score_ = min_score - kUnknownPenalty;
  }

  void tokenize(std::string_view text, std::vector<Token>& out) const override {
    for (std::string& segment : best_segmentation(text)) {
      if (const auto id = token_to_id(segment)) {
        out.push_back({*id, std::move(segment)});
        continue;
      }
      if (byte_fallback_) {
        std::vector<Token> bytes;
        for (const char byte : segment) {
          std::string name = byte_token(static_cast<uint8_t>(byte));
          const auto id = token_to_id(name);
          if (!id) break;
          bytes.push_back({*id, std::move(name)});
        }
        if (bytes.size() == segment.size()) {
          for (Token& token : bytes) out.push_back(std::move(token));
          continue;
        }
      }
      if (!unk_id_) throw Error(origin_ + ": model.unk_id: the text has unknown characters and the model has no unk_id");
      out.push_back({*unk_id_, std::move(segment)});  // tokenizers keeps the text as the token
    }
  }

  std::optional<int> token_to_id(std::string_view token) const override {
    const auto found = piece_ids_.find(std::string(token));
    if (found == piece_ids_.end()) return std::nullopt;
    return found->second;
  }
  std::optional<std::string> id_to_token(int id) const override {
    if (id < 0 || static_cast<std::size_t>(id) >= pieces_.size()) return std::nullopt;
    return pieces_[id].first;
  }
  std::size_t vocab_size() const override { return pieces_.size(); }
  std::string type() const override { return "Unigram"; }

 private:
  struct Node {
    int id = -1;
    double score = 0;
    std::optional<std::size_t> starts_at;
  };

  std::vector<std::string> best_segmentation(std::string_view text) const {
    const std::size_t size = text.size();
    if (size == 0) return {};
    const int unknown_id = unk_id_.value_or(-1);
    std::vector<Node> best(size + 1);
    for (std::size_t start = 0; start < size;) {
      const double score_here = best[start].score;
      const std::size_t char_length = next_code_point(text, start).second;
      bool has_single_char_piece = false;
      // Pieces starting here, shortest first (the order of tokenizers' trie search).
      const std::size_t longest = std::min(max_piece_bytes_, size - start);
      for (std::size_t length = 1; length <= longest; ++length) {
        const auto found = piece_ids_.find(std::string(text.substr(start, length)));
        if (found == piece_ids_.end()) continue;
        Node& target = best[start + length];
        const double candidate = pieces_[found->second].second + score_here;
        if (!target.starts_at || candidate > target.score) target = {found->second, candidate, start};
        if (length == char_length) has_single_char_piece = true;
      }
      if (!has_single_char_piece) {
        Node& target = best[start + char_length];
        const double candidate = unknown_score_ + score_here;
        if (!target.starts_at || candidate > target.score) target = {unknown_id, candidate, start};
      }
      start += char_length;
    }
    // Back from the end; unknown characters in a row become one segment.
    std::vector<std::string> segments;
    std::string unknown_run;
    for (std::size_t end = size; end > 0;) {
      const Node& node = best[end];
      const std::size_t start = node.starts_at.value_or(0);
      if (node.id == unknown_id) {
        unknown_run.insert(0, text.substr(start, end - start));
      } else {
        if (!unknown_run.empty()) segments.push_back(std::move(unknown_run)), unknown_run.clear();
        segments.push_back(pieces_[node.id].first);
      }
      end = start;
    }
    if (!unknown_run.empty()) segments.push_back(std::move(unknown_run));
    std::reverse(segments.begin(), segments.end());
    return segments;
  }

  std::vector<std::pair<std::string, double>> pieces_;
  std::unordered_map<std::string, int> piece_ids_;
  std::size_t max_piece_bytes_ = 0;
  double unknown_score_ = 0;
  std::optional<int> unk_id_;
  bool byte_fallback_;
  std::string origin_;
};

}  // namespace

std::unique_ptr<Model> make_unigram_model(const Json& spec, const Field& field) {
  const Json& vocab = require_member(spec, field, "vocab");
  const Field vocab_field = field.at("vocab");
  if (!vocab.is_array()) vocab_field.fail("expected an array of [piece, score]");
  if (vocab.empty()) vocab_field.fail("empty vocabulary");
  std::vector<std::pair<std::string, double>> pieces;
  pieces.reserve(vocab.size());
  for (std::size_t i = 0; i < vocab.size(); ++i) {
    const Json& entry = vocab[i];
    if (!entry.is_array() || entry.size() != 2 || !entry[0].is_string() || !entry[1].is_number())
      vocab_field.index(i).fail("expected [piece, score]");
    const double score = entry[1].get<double>();
    if (!std::isfinite(score)) vocab_field.index(i).fail("score is not finite");
    pieces.emplace_back(entry[0].get<std::string>(), score);
  }
  std::optional<int> unk_id;
  if (find_member(spec, "unk_id")) {
    const int64_t id = int_member(spec, field, "unk_id");
    if (id < 0 || static_cast<uint64_t>(id) >= pieces.size())
      field.at("unk_id").fail(std::to_string(id) + " is not an id of the vocabulary (" + std::to_string(pieces.size()) + " pieces)");
    unk_id = static_cast<int>(id);
  }
  return std::make_unique<UnigramModel>(std::move(pieces), unk_id, bool_member(spec, field, "byte_fallback", false), *field.origin);
}

}  // namespace crossmt::tokenizer_json
