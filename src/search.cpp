#include "crossmt/search.h"

#include <algorithm>
#include <cmath>
#include <random>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

#include "crossmt/error.h"
#include "crossmt/logits_processor.h"
#include "crossmt/ops.h"

namespace crossmt {

SearchOptions search_options_from(const GenerationConfig& generation) {
  SearchOptions options;
  static_cast<GenerationConfig&>(options) = generation;
  if (generation.max_new_tokens > 0) options.max_length = 1 + generation.max_new_tokens;
  options.max_new_tokens = -1;
  return options;
}

namespace {

void validate(const SearchOptions& options, int64_t vocab) {
  if (options.num_beams < 1) throw Error("num_beams must be at least 1");
  if (options.num_return_sequences < 1 || options.num_return_sequences > options.num_beams)
    throw Error("num_return_sequences must be between 1 and num_beams (" + std::to_string(options.num_beams) + ")");
  if (options.max_length < 2) throw Error("max_length must leave room for at least one generated token");
  if (options.decoder_start_token_id < 0 || options.decoder_start_token_id >= vocab)
    throw Error("decoder_start_token_id " + std::to_string(options.decoder_start_token_id) + " is outside the vocabulary");
  if (options.do_sample && options.num_beams > 1) throw Error("sampling with beams is not supported; use num_beams 1");
  if (options.temperature <= 0) throw Error("temperature must be positive");
  if (options.top_p <= 0 || options.top_p > 1) throw Error("top_p must be in (0, 1]");
}

double length_normalized(double sum_logprobs, int64_t generated_length, double length_penalty) {
  return sum_logprobs / std::pow(static_cast<double>(generated_length), length_penalty);
}

// log_softmax(scores)[token], for reporting the score of greedy/sampled tokens.
float token_log_prob(const float* scores, int64_t vocab, int token, Tensor& scratch) {
  scratch.resize({1, vocab});
  std::copy(scores, scores + vocab, scratch.data());
  ops::log_softmax_rows(scratch.data(), 1, vocab);
  return scratch[token];
}

int argmax(const float* scores, int64_t vocab) { return static_cast<int>(std::max_element(scores, scores + vocab) - scores); }

int sample(const float* scores, int64_t vocab, std::mt19937_64& generator) {
  const float max_score = *std::max_element(scores, scores + vocab);
  double total = 0.0;
  for (int64_t i = 0; i < vocab; ++i) total += std::exp(static_cast<double>(scores[i] - max_score));
  double target = std::uniform_real_distribution<double>(0.0, total)(generator);
  int last_possible = 0;
  for (int64_t i = 0; i < vocab; ++i) {
    const double weight = std::exp(static_cast<double>(scores[i] - max_score));
    if (weight <= 0) continue;
    last_possible = static_cast<int>(i);
    if (target < weight) return static_cast<int>(i);
    target -= weight;
  }
  return last_possible;
}

// Greedy search and sampling: one row per unfinished sentence; finished rows leave the batch.
std::vector<std::vector<Hypothesis>> generate_one_per_sentence(const Seq2SeqModel& model, const EncodedBatch& encoded,
                                                               const SearchOptions& options, SearchWorkspace& workspace) {
  const int64_t vocab = model.target_vocab_size();
  const int64_t batch = encoded.batch;
  std::vector<std::vector<int>> sequences(batch);
  std::vector<double> sum_logprobs(batch, 0.0);
  std::vector<int> row_sentence(batch), tokens(batch), parents;
  for (int64_t b = 0; b < batch; ++b) {
    row_sentence[b] = static_cast<int>(b);
    sequences[b].reserve(options.max_length);
    sequences[b].push_back(options.decoder_start_token_id);
    tokens[b] = options.decoder_start_token_id;
  }
  DecoderState& state = workspace.state;
  model.start_decoding(encoded, row_sentence, state);
  Tensor& scores = workspace.scores;
  std::mt19937_64 generator(options.seed);
  std::vector<int> sampling_scratch;
  Tensor normalized_scratch;
  parents.reserve(batch);
  while (!row_sentence.empty()) {
    model.step(state, tokens.data(), scores, nullptr, /*normalize=*/false);
    parents.clear();
    const int64_t rows = static_cast<int64_t>(row_sentence.size());
    for (int64_t r = 0; r < rows; ++r) {
      std::vector<int>& sequence = sequences[row_sentence[r]];
      float* row_scores = scores.data() + r * vocab;
      process_scores(options, sequence, row_scores, vocab);
      int token;
      if (options.do_sample) {
        warp_for_sampling(options, row_scores, vocab, sampling_scratch);
        token = sample(row_scores, vocab, generator);
      } else {
        token = argmax(row_scores, vocab);
      }
      sum_logprobs[row_sentence[r]] += token_log_prob(row_scores, vocab, token, normalized_scratch);
      sequence.push_back(token);
      const bool finished = token == options.eos_token_id || static_cast<int>(sequence.size()) >= options.max_length;
      if (!finished) {
        tokens[parents.size()] = token;
        row_sentence[parents.size()] = row_sentence[r];
        parents.push_back(static_cast<int>(r));
      }
    }
    row_sentence.resize(parents.size());
    if (static_cast<int64_t>(parents.size()) != rows) model.reorder(state, parents);
  }
  std::vector<std::vector<Hypothesis>> results(batch);
  for (int64_t b = 0; b < batch; ++b) {
    Hypothesis hypothesis;
    hypothesis.ids.assign(sequences[b].begin() + 1, sequences[b].end());
    hypothesis.score = static_cast<float>(
        length_normalized(sum_logprobs[b], static_cast<int64_t>(hypothesis.ids.size()), options.length_penalty));
    results[b].push_back(std::move(hypothesis));
  }
  return results;
}

// transformers' BeamHypotheses: the num_beams best finished hypotheses of one sentence.
struct FinishedHypotheses {
  struct Entry {
    double score;
    std::vector<int> tokens;  // decoder input, start token included, without the final EOS
    bool ended_with_eos;
  };
  std::vector<Entry> entries;
  double worst_score = 1e9;
  bool done = false;

  void add(const std::vector<int>& tokens, double sum_logprobs, int64_t generated_length, int num_beams,
           double length_penalty, bool ended_with_eos) {
    const double score = length_normalized(sum_logprobs, generated_length, length_penalty);
    if (static_cast<int>(entries.size()) < num_beams || score > worst_score) {
      entries.push_back({score, tokens, ended_with_eos});
      if (static_cast<int>(entries.size()) > num_beams) {
        // Drop the worst (the first of equal worst ones, as Python's stable sort does).
        size_t worst = 0;
        for (size_t i = 1; i < entries.size(); ++i)
          if (entries[i].score < entries[worst].score) worst = i;
        entries.erase(entries.begin() + worst);
        worst_score = entries[0].score;
        for (const auto& entry : entries) worst_score = std::min(worst_score, entry.score);
      } else {
        worst_score = std::min(score, worst_score);
      }
    }
  }

  bool is_done(double best_sum_logprobs, int64_t current_length, const SearchOptions& options) const {
    if (static_cast<int>(entries.size()) < options.num_beams) return false;
    switch (options.early_stopping) {
      case EarlyStopping::True: return true;
      case EarlyStopping::False:
        return worst_score >= length_normalized(best_sum_logprobs, current_length - 1, options.length_penalty);
      case EarlyStopping::Never: {
        const int64_t length = options.length_penalty > 0 ? options.max_length - 1 : current_length - 1;
        return worst_score >= length_normalized(best_sum_logprobs, length, options.length_penalty);
      }
    }
    return false;
  }
};

struct Candidate {
  float score;
  int flat_index;  // beam * vocab + token
};

// The `wanted` best of scores[0, count), best first; equal scores keep the lower index first, as
// torch.topk over transformers' flattened beams x vocab does.
void select_best(const float* scores, int64_t count, int wanted, std::vector<Candidate>& best) {
  best.clear();
  const auto better = [](const Candidate& a, const Candidate& b) {
    return a.score > b.score || (a.score == b.score && a.flat_index < b.flat_index);
  };
  const auto consider = [&](int64_t i) {
    const Candidate candidate{scores[i], static_cast<int>(i)};
    if (static_cast<int>(best.size()) == wanted && !better(candidate, best.back())) return;
    best.insert(std::upper_bound(best.begin(), best.end(), candidate, better), candidate);
    if (static_cast<int>(best.size()) > wanted) best.pop_back();
  };
  int64_t i = 0;
  for (; i < count && static_cast<int>(best.size()) < wanted; ++i) consider(i);
#if defined(__AVX2__)
  // Once the list is full, a later index enters only with a strictly higher score than the
  // worst kept: eight scores at a time are compared with it, and most blocks are skipped whole.
  for (; i + 8 <= count; i += 8) {
    const __m256 threshold = _mm256_set1_ps(best.back().score);
    if (_mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(scores + i), threshold, _CMP_GT_OQ)) == 0) continue;
    for (int64_t j = i; j < i + 8; ++j) consider(j);
  }
#endif
  for (; i < count; ++i) consider(i);
}

std::vector<std::vector<Hypothesis>> beam_search(const Seq2SeqModel& model, const EncodedBatch& encoded,
                                                 const SearchOptions& options, SearchWorkspace& workspace) {
  const int64_t vocab = model.target_vocab_size();
  const int64_t batch = encoded.batch;
  const int beams = options.num_beams;
  const int candidates_per_sentence = 2 * beams;

  // Rows are grouped by sentence, `beams` rows each; finished sentences leave the batch.
  std::vector<int> active_sentences(batch);
  std::vector<int> row_source;
  for (int64_t b = 0; b < batch; ++b) {
    active_sentences[b] = static_cast<int>(b);
    for (int k = 0; k < beams; ++k) row_source.push_back(static_cast<int>(b));
  }
  std::vector<std::vector<int>> sequences(batch * beams, std::vector<int>{options.decoder_start_token_id});
  std::vector<std::vector<int>> next_sequences(batch * beams);
  for (auto& sequence : sequences) sequence.reserve(options.max_length);
  for (auto& sequence : next_sequences) sequence.reserve(options.max_length);
  // Only the first beam is live at the start, as transformers' -1e9 initial scores make it.
  std::vector<float> beam_scores(batch * beams, 0.f), next_beam_scores(batch * beams);
  for (int64_t i = 0; i < batch * beams; ++i) beam_scores[i] = i % beams == 0 ? 0.f : -1e9f;
  std::vector<FinishedHypotheses> finished(batch);
  std::vector<int> tokens(batch * beams, options.decoder_start_token_id), parents;
  std::vector<Candidate> candidates;
  candidates.reserve(candidates_per_sentence + 1);
  std::vector<int> still_active;  // sentences that go on after this step
  still_active.reserve(batch);
  parents.reserve(batch * beams);

  DecoderState& state = workspace.state;
  model.start_decoding(encoded, row_source, state);
  Tensor& scores = workspace.scores;
  int64_t current_length = 1;  // decoder input length, start token included
  while (!active_sentences.empty()) {
    model.step(state, tokens.data(), scores, nullptr, /*normalize=*/true);
    const int64_t rows = static_cast<int64_t>(active_sentences.size()) * beams;
    for (int64_t r = 0; r < rows; ++r) {
      float* row_scores = scores.data() + r * vocab;
      process_scores(options, sequences[r], row_scores, vocab);
      for (int64_t v = 0; v < vocab; ++v) row_scores[v] += beam_scores[r];
    }
    ++current_length;  // the length the scores were computed for
    parents.clear();
    still_active.clear();
    for (size_t a = 0; a < active_sentences.size(); ++a) {
      const int sentence = active_sentences[a];
      const int64_t first_row = static_cast<int64_t>(a) * beams;
      select_best(scores.data() + first_row * vocab, beams * vocab, candidates_per_sentence, candidates);
      FinishedHypotheses& done_list = finished[sentence];
      int kept = 0;
      const size_t parents_before = parents.size();
      for (int rank = 0; rank < static_cast<int>(candidates.size()) && kept < beams; ++rank) {
        const int beam = candidates[rank].flat_index / static_cast<int>(vocab);
        const int token = candidates[rank].flat_index % static_cast<int>(vocab);
        const int64_t row = first_row + beam;
        if (token == options.eos_token_id) {
          if (rank >= beams) continue;
          done_list.add(sequences[row], candidates[rank].score, current_length - 1, beams, options.length_penalty, true);
        } else {
          const size_t slot = parents.size();
          next_sequences[slot] = sequences[row];
          next_sequences[slot].push_back(token);
          next_beam_scores[slot] = candidates[rank].score;
          tokens[slot] = token;
          parents.push_back(static_cast<int>(row));
          ++kept;
        }
      }
      if (kept < beams) throw Error("beam search found fewer live candidates than beams");
      done_list.done = done_list.is_done(candidates[0].score, current_length, options);
      if (done_list.done || current_length >= options.max_length) {
        if (!done_list.done) {
          // Out of length: the running beams join the finished ones (transformers' finalize).
          for (size_t slot = parents_before; slot < parents.size(); ++slot)
            done_list.add(next_sequences[slot], next_beam_scores[slot], current_length - 1, beams,
                          options.length_penalty, false);
        }
        parents.resize(parents_before);
      } else {
        still_active.push_back(sentence);
      }
    }
    active_sentences.swap(still_active);
    for (size_t slot = 0; slot < parents.size(); ++slot) {
      sequences[slot].swap(next_sequences[slot]);
      beam_scores[slot] = next_beam_scores[slot];
    }
    if (!parents.empty()) model.reorder(state, parents);
  }

  std::vector<std::vector<Hypothesis>> results(batch);
  for (int64_t b = 0; b < batch; ++b) {
    auto& entries = finished[b].entries;
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto& x, const auto& y) { return x.score < y.score; });
    for (int n = 0; n < options.num_return_sequences && !entries.empty(); ++n) {
      const auto& best = entries.back();
      Hypothesis hypothesis;
      hypothesis.ids.assign(best.tokens.begin() + 1, best.tokens.end());
      if (best.ended_with_eos) hypothesis.ids.push_back(options.eos_token_id);
      hypothesis.score = static_cast<float>(best.score);
      results[b].push_back(std::move(hypothesis));
      entries.pop_back();
    }
  }
  return results;
}

}  // namespace

std::vector<std::vector<Hypothesis>> generate(const Seq2SeqModel& model, const EncodedBatch& encoded,
                                              const SearchOptions& options, SearchWorkspace* workspace) {
  validate(options, model.target_vocab_size());
  if (encoded.batch == 0) return {};
  SearchWorkspace local;
  SearchWorkspace& buffers = workspace ? *workspace : local;
  if (options.num_beams == 1) return generate_one_per_sentence(model, encoded, options, buffers);
  return beam_search(model, encoded, options, buffers);
}

}  // namespace crossmt
