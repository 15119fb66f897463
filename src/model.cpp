#include "crossmt/model.h"

#include <cmath>
#include <cstring>
#include <string>

#include "crossmt/attention.h"
#include "crossmt/error.h"
#include "crossmt/ops.h"
#include "model_weights.h"

namespace crossmt {
namespace {

constexpr int64_t kInitialStepCapacity = 32;

int64_t inner_dim(const HeadLayout& layout) { return static_cast<int64_t>(layout.heads) * layout.head_dim; }

// hidden[row] = embedding[id] * scale + positions[position_offset + position]
void embed_row(const StackWeights& stack, float scale, int id, int64_t position, int64_t d, float* out) {
  if (stack.embedding_int8) {
    const int8_t* token = stack.embedding_int8->values.data() + static_cast<int64_t>(id) * d;
    const float token_scale = stack.embedding_int8->scales[id] * scale;
    const float* pos =
        stack.positions.size() > 1 ? stack.positions.data() + (stack.position_offset + position) * d : nullptr;
    for (int64_t j = 0; j < d; ++j) out[j] = static_cast<float>(token[j]) * token_scale + (pos ? pos[j] : 0.f);
    return;
  }
  const float* token = stack.embedding->data() + static_cast<int64_t>(id) * d;
  if (stack.positions.size() <= 1) {
    for (int64_t j = 0; j < d; ++j) out[j] = token[j] * scale;
    return;
  }
  const float* pos = stack.positions.data() + (stack.position_offset + position) * d;
  for (int64_t j = 0; j < d; ++j) out[j] = token[j] * scale + pos[j];
}

void check_token(int id, int64_t vocab, const char* side) {
  if (id < 0 || id >= vocab)
    throw Error(std::string(side) + " token id " + std::to_string(id) + " is outside the vocabulary (size " +
                std::to_string(vocab) + ")");
}

void check_length(int64_t length, int64_t max_positions, const char* side) {
  if (length > max_positions)
    throw Error(std::string(side) + " sequence of " + std::to_string(length) +
                " tokens is longer than the model's max_position_embeddings (" + std::to_string(max_positions) + ")");
}

const PositionBias* position_bias_of(const StackWeights& stack) {
  return stack.has_position_bias ? &stack.position_bias : nullptr;
}

// Scratch buffers of one forward pass over `rows` rows.
struct Buffers {
  float* hidden;
  float* normalized;
  float* projections;
  float* context;
  float* feed_forward;
  float* gate;
};

// Pre-norm layers normalize a copy of the residual stream; post-norm layers normalize the stream
// itself after the residual add. Returns the input of the sublayer.
const float* sublayer_input(bool pre_norm, const ops::LayerNorm& norm, const Buffers& buffers, int64_t rows) {
  if (!pre_norm) return buffers.hidden;
  norm(buffers.hidden, buffers.normalized, rows);
  return buffers.normalized;
}

void finish_sublayer(bool pre_norm, const ops::LayerNorm& norm, const Buffers& buffers, int64_t rows) {
  if (!pre_norm) norm(buffers.hidden, rows);
}

void feed_forward_sublayer(const FeedForward& ffn, const ops::LayerNorm& norm, bool pre_norm, const Buffers& buffers,
                           int64_t rows) {
  const float* input = sublayer_input(pre_norm, norm, buffers, rows);
  ffn.in(input, rows, buffers.feed_forward);
  if (ffn.gated) {
    ffn.gate(input, rows, buffers.gate);
    ops::multiply_in_place(buffers.feed_forward, buffers.gate, rows * ffn.in.out_features());
  }
  ffn.out(buffers.feed_forward, rows, buffers.hidden);
  finish_sublayer(pre_norm, norm, buffers, rows);
}

}  // namespace

Seq2SeqModel::Seq2SeqModel(const Checkpoint& checkpoint, ComputeType compute_type)
    : weights_(std::make_unique<ModelWeights>(load_model_weights(checkpoint, compute_type))) {}

Seq2SeqModel::~Seq2SeqModel() = default;
Seq2SeqModel::Seq2SeqModel(Seq2SeqModel&&) noexcept = default;

const ModelConfig& Seq2SeqModel::config() const { return weights_->config; }
ComputeType Seq2SeqModel::compute_type() const { return weights_->compute_type; }
int64_t Seq2SeqModel::target_vocab_size() const { return weights_->target_vocab; }
int64_t Seq2SeqModel::max_positions() const { return weights_->max_positions; }
int Seq2SeqModel::decoder_layers() const { return static_cast<int>(weights_->decoder.size()); }
int Seq2SeqModel::decoder_heads() const { return weights_->decoder_heads.heads; }

EncodedBatch Seq2SeqModel::encode(const std::vector<std::vector<int>>& sources) const {
  const ModelWeights& w = *weights_;
  const ModelConfig& c = w.config;
  const int64_t d = w.d_model, inner = inner_dim(w.encoder_heads), decoder_inner = inner_dim(w.decoder_heads);
  EncodedBatch encoded;
  encoded.batch = static_cast<int64_t>(sources.size());
  for (const auto& source : sources) {
    if (source.empty()) throw Error("cannot encode an empty source sequence");
    check_length(static_cast<int64_t>(source.size()), w.max_positions, "source");
    encoded.lengths.push_back(static_cast<int>(source.size()));
    encoded.max_length = std::max<int64_t>(encoded.max_length, static_cast<int64_t>(source.size()));
  }
  const int64_t rows = encoded.batch * encoded.max_length;
  Tensor& hidden = encoded.hidden;
  hidden.resize({encoded.batch, encoded.max_length, d});
  const int pad = c.pad_token_id >= 0 && c.pad_token_id < c.vocab_size ? c.pad_token_id : 0;
  for (int64_t b = 0; b < encoded.batch; ++b) {
    for (int64_t s = 0; s < encoded.max_length; ++s) {
      const bool real = s < encoded.lengths[b];
      const int id = real ? sources[b][s] : pad;
      if (real) check_token(id, c.vocab_size, "source");
      embed_row(w.encoder_stack, w.embed_scale, id, s, d, hidden.data() + (b * encoded.max_length + s) * d);
    }
  }
  if (w.encoder_stack.has_embedding_norm) w.encoder_stack.embedding_norm(hidden.data(), rows);

  const int64_t ffn_dim = std::max<int64_t>(c.encoder_ffn_dim, 1);
  Tensor normalized({rows, d}), projections({rows, 3 * inner}), context({rows, inner}), feed_forward({rows, ffn_dim});
  Tensor gate({rows, ffn_dim});
  const Buffers buffers{hidden.data(), normalized.data(), projections.data(), context.data(), feed_forward.data(), gate.data()};
  for (const EncoderLayer& layer : w.encoder) {
    layer.self_qkv(sublayer_input(w.pre_norm, layer.self_norm, buffers, rows), rows, projections.data());
    attend_sequences(w.encoder_heads, projections.data(), 3 * inner, projections.data() + inner,
                     projections.data() + 2 * inner, 3 * inner, encoded.batch, encoded.max_length, encoded.max_length,
                     encoded.lengths.data(), false, context.data(), nullptr, 0, position_bias_of(w.encoder_stack));
    layer.self_out(context.data(), rows, hidden.data());
    finish_sublayer(w.pre_norm, layer.self_norm, buffers, rows);
    feed_forward_sublayer(layer.feed_forward, layer.feed_forward_norm, w.pre_norm, buffers, rows);
  }
  if (w.encoder_stack.has_final_norm) w.encoder_stack.final_norm(hidden.data(), rows);
  for (const DecoderLayer& layer : w.decoder) {
    Tensor kv({encoded.batch, encoded.max_length, 2 * decoder_inner});
    layer.cross_kv(hidden.data(), rows, kv.data());
    encoded.cross_kv.push_back(std::move(kv));
  }
  return encoded;
}

DecoderState Seq2SeqModel::start_decoding(const EncodedBatch& encoded, std::vector<int> row_source) const {
  DecoderState state;
  start_decoding(encoded, std::move(row_source), state);
  return state;
}

void Seq2SeqModel::start_decoding(const EncodedBatch& encoded, std::vector<int> row_source, DecoderState& state) const {
  const ModelWeights& w = *weights_;
  const int64_t d = w.d_model, inner = inner_dim(w.decoder_heads);
  state.source_ = &encoded;
  state.steps_done_ = 0;
  state.rows_ = static_cast<int64_t>(row_source.size());
  for (int source : row_source)
    if (source < 0 || source >= encoded.batch) throw Error("decoder row refers to a source outside the batch");
  state.row_source_ = std::move(row_source);
  state.row_capacity_ = state.rows_;
  state.step_capacity_ = std::min<int64_t>(kInitialStepCapacity, w.max_positions);
  state.self_cache_.resize(w.decoder.size());
  for (Tensor& cache : state.self_cache_) cache.resize({state.step_capacity_, state.row_capacity_, 2 * inner});
  state.history_.assign(state.step_capacity_ * state.row_capacity_, 0);
  state.history_scratch_.assign(state.step_capacity_ * state.row_capacity_, 0);
  state.row_source_scratch_.resize(state.row_capacity_);
  const int64_t ffn_dim = std::max<int64_t>(w.config.decoder_ffn_dim, 1);
  state.hidden_.resize({state.rows_, d});
  state.normalized_.resize({state.rows_, d});
  state.projections_.resize({state.rows_, 3 * inner});
  state.context_.resize({state.rows_, inner});
  state.feed_forward_.resize({state.rows_, ffn_dim});
  state.gate_.resize({state.rows_, ffn_dim});
}

void Seq2SeqModel::step(DecoderState& state, const int* tokens, Tensor& log_probs, Tensor* cross_attention,
                        bool normalize) const {
  const ModelWeights& w = *weights_;
  const int64_t d = w.d_model, inner = inner_dim(w.decoder_heads), rows = state.rows_, t = state.steps_done_;
  const EncodedBatch& encoded = *state.source_;
  check_length(t + 1, w.max_positions, "target");

  if (t == state.step_capacity_) grow_self_cache(state, std::min<int64_t>(2 * state.step_capacity_, w.max_positions));
  const int64_t row_capacity = state.row_capacity_;

  const Buffers buffers{state.hidden_.data(), state.normalized_.data(), state.projections_.data(),
                        state.context_.data(), state.feed_forward_.data(), state.gate_.data()};
  for (int64_t r = 0; r < rows; ++r) {
    check_token(tokens[r], w.target_vocab, "target");
    embed_row(w.decoder_stack, w.embed_scale, tokens[r], t, d, buffers.hidden + r * d);
    state.history_[t * row_capacity + r] = static_cast<int32_t>(r);
  }
  if (w.decoder_stack.has_embedding_norm) w.decoder_stack.embedding_norm(buffers.hidden, rows);
  const int heads = w.decoder_heads.heads;
  if (cross_attention) cross_attention->resize({static_cast<int64_t>(w.decoder.size()), rows, heads, encoded.max_length});

  for (size_t l = 0; l < w.decoder.size(); ++l) {
    const DecoderLayer& layer = w.decoder[l];
    float* cache = state.self_cache_[l].data();
    layer.self_qkv(sublayer_input(w.pre_norm, layer.self_norm, buffers, rows), rows, buffers.projections);
    for (int64_t r = 0; r < rows; ++r)
      std::memcpy(cache + (t * row_capacity + r) * 2 * inner, buffers.projections + r * 3 * inner + inner,
                  sizeof(float) * 2 * inner);
    attend_cached_step(w.decoder_heads, buffers.projections, 3 * inner, rows, row_capacity, cache,
                       state.history_.data(), t + 1, buffers.context, position_bias_of(w.decoder_stack));
    layer.self_out(buffers.context, rows, buffers.hidden);
    finish_sublayer(w.pre_norm, layer.self_norm, buffers, rows);

    layer.cross_q(sublayer_input(w.pre_norm, layer.cross_norm, buffers, rows), rows, buffers.projections);
    float* probs = cross_attention ? cross_attention->data() + l * rows * heads * encoded.max_length : nullptr;
    attend_cross_step(w.decoder_heads, buffers.projections, inner, rows, encoded.cross_kv[l].data(), encoded.max_length,
                      state.row_source_.data(), encoded.lengths.data(), buffers.context, probs);
    layer.cross_out(buffers.context, rows, buffers.hidden);
    finish_sublayer(w.pre_norm, layer.cross_norm, buffers, rows);

    feed_forward_sublayer(layer.feed_forward, layer.feed_forward_norm, w.pre_norm, buffers, rows);
  }
  if (w.decoder_stack.has_final_norm) w.decoder_stack.final_norm(buffers.hidden, rows);
  log_probs.resize({rows, w.target_vocab});
  w.output_projection(buffers.hidden, rows, log_probs.data());
  if (normalize) ops::log_softmax_rows(log_probs.data(), rows, w.target_vocab);
  ++state.steps_done_;
}

// Geometric growth: at most three new buffers per batch (32 -> 64 -> 128 -> 256 steps) and none
// once a previous batch grew them as far. The grown cache keeps only the rows still decoding,
// each row's past gathered into its own slots: sentences that finished early would otherwise hold
// their slots (most of the memory of a long beam search) to the end. The old buffer is freed, not
// kept for the next growth, which would double the memory held.
void Seq2SeqModel::grow_self_cache(DecoderState& state, int64_t capacity) const {
  const int64_t steps = state.steps_done_, rows = state.rows_, old_stride = state.row_capacity_;
  const int64_t width = 2 * inner_dim(weights_->decoder_heads);
  for (Tensor& cache : state.self_cache_) {
    Tensor grown({capacity, rows, width});
    for (int64_t s = 0; s < steps; ++s)
      for (int64_t r = 0; r < rows; ++r)
        std::memcpy(grown.data() + (s * rows + r) * width,
                    cache.data() + (s * old_stride + state.history_[s * old_stride + r]) * width, sizeof(float) * width);
    cache = std::move(grown);
  }
  state.history_.assign(capacity * rows, 0);
  for (int64_t s = 0; s < steps; ++s)
    for (int64_t r = 0; r < rows; ++r) state.history_[s * rows + r] = static_cast<int32_t>(r);
  state.history_scratch_.assign(capacity * rows, 0);
  state.row_capacity_ = rows;
  state.step_capacity_ = capacity;
}

void Seq2SeqModel::reorder(DecoderState& state, const std::vector<int>& parents) const {
  const int64_t rows = state.rows_, steps = state.steps_done_, stride = state.row_capacity_;
  const int64_t new_rows = static_cast<int64_t>(parents.size());
  if (new_rows > stride) throw Error("reorder cannot grow the number of decoder rows");
  for (int parent : parents)
    if (parent < 0 || parent >= rows) throw Error("reorder refers to a decoder row that does not exist");
  for (int64_t s = 0; s < steps; ++s)
    for (int64_t r = 0; r < new_rows; ++r) state.history_scratch_[s * stride + r] = state.history_[s * stride + parents[r]];
  std::swap(state.history_, state.history_scratch_);
  for (int64_t r = 0; r < new_rows; ++r) state.row_source_scratch_[r] = state.row_source_[parents[r]];
  state.row_source_.resize(new_rows);
  std::copy(state.row_source_scratch_.begin(), state.row_source_scratch_.begin() + new_rows, state.row_source_.begin());
  state.rows_ = new_rows;
}

ForcedOutput Seq2SeqModel::forced_decode(const EncodedBatch& encoded, const std::vector<std::vector<int>>& decoder_inputs,
                                         bool with_attention) const {
  const ModelWeights& w = *weights_;
  const int64_t d = w.d_model, inner = inner_dim(w.decoder_heads), batch = encoded.batch;
  if (static_cast<int64_t>(decoder_inputs.size()) != batch)
    throw Error("forced decoding needs one decoder input per encoded source");
  ForcedOutput output;
  std::vector<int> target_lengths;
  for (const auto& input : decoder_inputs) {
    if (input.empty()) throw Error("forced decoding needs at least the decoder start token");
    check_length(static_cast<int64_t>(input.size()), w.max_positions, "target");
    target_lengths.push_back(static_cast<int>(input.size()));
    output.target_length = std::max<int64_t>(output.target_length, static_cast<int64_t>(input.size()));
  }
  const int64_t T = output.target_length, S = encoded.max_length, rows = batch * T;
  const int heads = w.decoder_heads.heads;
  const int64_t layers = static_cast<int64_t>(w.decoder.size());
  const int64_t attention_batch_stride = layers * heads * T * S;

  const int64_t ffn_dim = std::max<int64_t>(w.config.decoder_ffn_dim, 1);
  Tensor hidden({rows, d}), normalized({rows, d}), projections({rows, 3 * inner}), context({rows, inner});
  Tensor feed_forward({rows, ffn_dim}), gate({rows, ffn_dim});
  const Buffers buffers{hidden.data(), normalized.data(), projections.data(), context.data(), feed_forward.data(), gate.data()};
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t i = 0; i < T; ++i) {
      const bool real = i < target_lengths[b];
      const int id = real ? decoder_inputs[b][i] : decoder_inputs[b].back();
      check_token(id, w.target_vocab, "target");
      embed_row(w.decoder_stack, w.embed_scale, id, i, d, hidden.data() + (b * T + i) * d);
    }
  }
  if (w.decoder_stack.has_embedding_norm) w.decoder_stack.embedding_norm(hidden.data(), rows);
  if (with_attention) output.cross_attention.resize({batch, layers, heads, T, S});

  for (int64_t l = 0; l < layers; ++l) {
    const DecoderLayer& layer = w.decoder[l];
    layer.self_qkv(sublayer_input(w.pre_norm, layer.self_norm, buffers, rows), rows, projections.data());
    attend_sequences(w.decoder_heads, projections.data(), 3 * inner, projections.data() + inner,
                     projections.data() + 2 * inner, 3 * inner, batch, T, T, target_lengths.data(), true,
                     context.data(), nullptr, 0, position_bias_of(w.decoder_stack));
    layer.self_out(context.data(), rows, hidden.data());
    finish_sublayer(w.pre_norm, layer.self_norm, buffers, rows);

    layer.cross_q(sublayer_input(w.pre_norm, layer.cross_norm, buffers, rows), rows, projections.data());
    const float* kv = encoded.cross_kv[l].data();
    attend_sequences(w.decoder_heads, projections.data(), inner, kv, kv + inner, 2 * inner, batch, T, S,
                     encoded.lengths.data(), false, context.data(),
                     with_attention ? output.cross_attention.data() + l * heads * T * S : nullptr,
                     attention_batch_stride);
    layer.cross_out(context.data(), rows, hidden.data());
    finish_sublayer(w.pre_norm, layer.cross_norm, buffers, rows);

    feed_forward_sublayer(layer.feed_forward, layer.feed_forward_norm, w.pre_norm, buffers, rows);
  }
  if (w.decoder_stack.has_final_norm) w.decoder_stack.final_norm(hidden.data(), rows);
  output.log_probs.resize({batch, T, w.target_vocab});
  w.output_projection(hidden.data(), rows, output.log_probs.data());
  ops::log_softmax_rows(output.log_probs.data(), rows, w.target_vocab);
  return output;
}

}  // namespace crossmt
