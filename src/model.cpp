#include "crossmt/model.h"

#include <cmath>
#include <cstring>
#include <string>

#include "crossmt/attention.h"
#include "crossmt/error.h"
#include "crossmt/ops.h"

namespace crossmt {
namespace {

constexpr int64_t kInitialStepCapacity = 32;

struct EncoderLayer {
  ops::Linear self_qkv, self_out;
  ops::LayerNorm self_norm;
  ops::Linear fc1, fc2;
  ops::LayerNorm final_norm;
};

struct DecoderLayer {
  ops::Linear self_qkv, self_out;
  ops::LayerNorm self_norm;
  ops::Linear cross_q, cross_kv, cross_out;
  ops::LayerNorm cross_norm;
  ops::Linear fc1, fc2;
  ops::LayerNorm final_norm;
};

// HF MarianSinusoidalPositionalEmbedding: not interleaved, sin in [0, d/2), cos in [d/2, d),
// computed in double then rounded to f32 as numpy does there.
Tensor sinusoidal_positions(int64_t positions, int64_t dim) {
  Tensor table({positions, dim});
  const int64_t half = (dim + 1) / 2;
  for (int64_t pos = 0; pos < positions; ++pos) {
    for (int64_t j = 0; j < dim; ++j) {
      const int64_t pair = j < half ? j : j - half;
      const double angle = pos / std::pow(10000.0, 2.0 * pair / static_cast<double>(dim));
      table[pos * dim + j] = static_cast<float>(j < half ? std::sin(angle) : std::cos(angle));
    }
  }
  return table;
}

// Concatenates PyTorch [out, in] matrices (and biases) along `out`, scaling the first one.
Tensor stack_rows(const std::vector<const Tensor*>& parts, float first_scale) {
  int64_t rows = 0;
  for (const Tensor* part : parts) rows += part->shape()[0];
  Shape shape = parts[0]->shape();
  shape[0] = rows;
  Tensor stacked(shape);
  float* out = stacked.data();
  for (size_t p = 0; p < parts.size(); ++p) {
    const float scale = p == 0 ? first_scale : 1.f;
    for (int64_t i = 0; i < parts[p]->size(); ++i) *out++ = (*parts[p])[i] * scale;
  }
  return stacked;
}

class WeightReader {
 public:
  WeightReader(const Checkpoint& checkpoint) : checkpoint_(checkpoint) {}

  Tensor get(const std::string& name, const Shape& shape) const { return checkpoint_.load_f32(name, shape); }

  // The first of `names` the file has (tied weights are stored once under one of them).
  Tensor get_first(const std::vector<std::string>& names, const Shape& shape) const {
    for (const auto& name : names)
      if (checkpoint_.contains(name)) return get(name, shape);
    return get(names.front(), shape);  // reports the preferred name as missing
  }

  // Self-attention: fused [q; k; v] with q pre-scaled by head_dim^-0.5.
  ops::Linear fused_projection(const std::string& prefix, const std::vector<std::string>& parts, int64_t dim,
                               float query_scale) const {
    std::vector<Tensor> weights, biases;
    for (const auto& part : parts) {
      weights.push_back(get(prefix + part + ".weight", {dim, dim}));
      biases.push_back(get(prefix + part + ".bias", {dim}));
    }
    std::vector<const Tensor*> weight_parts, bias_parts;
    for (size_t i = 0; i < parts.size(); ++i) {
      weight_parts.push_back(&weights[i]);
      bias_parts.push_back(&biases[i]);
    }
    Tensor weight = stack_rows(weight_parts, query_scale);
    Tensor bias = stack_rows(bias_parts, query_scale);
    return ops::Linear(weight, &bias, {});
  }

  ops::Linear linear(const std::string& prefix, int64_t out, int64_t in, ops::Linear::Options options) const {
    Tensor weight = get(prefix + ".weight", {out, in});
    Tensor bias = get(prefix + ".bias", {out});
    return ops::Linear(weight, &bias, options);
  }

  ops::LayerNorm layer_norm(const std::string& prefix, int64_t dim, float epsilon) const {
    return ops::LayerNorm(get(prefix + ".weight", {dim}), get(prefix + ".bias", {dim}), epsilon);
  }

 private:
  const Checkpoint& checkpoint_;
};

}  // namespace

struct Seq2SeqModel::Weights {
  ModelConfig config;
  int64_t d_model = 0;
  HeadLayout encoder_heads, decoder_heads;
  float embed_scale = 1.f;
  Tensor encoder_embedding, decoder_embedding, positions;
  std::vector<EncoderLayer> encoder;
  std::vector<DecoderLayer> decoder;
  ops::Linear output_projection;
  int64_t target_vocab = 0;
};

Seq2SeqModel::Seq2SeqModel(const Checkpoint& checkpoint) : weights_(std::make_unique<Weights>()) {
  Weights& w = *weights_;
  w.config = checkpoint.config();
  const ModelConfig& c = w.config;
  if (c.model_type != "marian")
    throw Error(checkpoint.weights_origin() + ": model_type '" + c.model_type +
                "' is not supported yet (supported: marian)");
  const int64_t d = c.d_model;
  w.d_model = d;
  w.encoder_heads = {c.encoder_attention_heads, static_cast<int>(d / c.encoder_attention_heads)};
  w.decoder_heads = {c.decoder_attention_heads, static_cast<int>(d / c.decoder_attention_heads)};
  w.embed_scale = c.scale_embedding ? static_cast<float>(std::sqrt(static_cast<double>(d))) : 1.f;
  w.target_vocab = c.decoder_vocab_size;
  const ops::Activation activation = ops::parse_activation(c.activation_function);
  constexpr float epsilon = 1e-5f;

  WeightReader reader(checkpoint);
  w.encoder_embedding = reader.get_first({"model.encoder.embed_tokens.weight", "model.shared.weight"}, {c.vocab_size, d});
  w.decoder_embedding =
      reader.get_first({"model.decoder.embed_tokens.weight", "model.shared.weight"}, {w.target_vocab, d});
  w.positions = sinusoidal_positions(c.max_position_embeddings, d);

  const float encoder_query_scale = static_cast<float>(std::pow(w.encoder_heads.head_dim, -0.5));
  const float decoder_query_scale = static_cast<float>(std::pow(w.decoder_heads.head_dim, -0.5));
  for (int l = 0; l < c.encoder_layers; ++l) {
    const std::string p = "model.encoder.layers." + std::to_string(l) + ".";
    EncoderLayer layer;
    layer.self_qkv = reader.fused_projection(p + "self_attn.", {"q_proj", "k_proj", "v_proj"}, d, encoder_query_scale);
    layer.self_out = reader.linear(p + "self_attn.out_proj", d, d, {ops::Activation::None, true});
    layer.self_norm = reader.layer_norm(p + "self_attn_layer_norm", d, epsilon);
    layer.fc1 = reader.linear(p + "fc1", c.encoder_ffn_dim, d, {activation, false});
    layer.fc2 = reader.linear(p + "fc2", d, c.encoder_ffn_dim, {ops::Activation::None, true});
    layer.final_norm = reader.layer_norm(p + "final_layer_norm", d, epsilon);
    w.encoder.push_back(std::move(layer));
  }
  for (int l = 0; l < c.decoder_layers; ++l) {
    const std::string p = "model.decoder.layers." + std::to_string(l) + ".";
    DecoderLayer layer;
    layer.self_qkv = reader.fused_projection(p + "self_attn.", {"q_proj", "k_proj", "v_proj"}, d, decoder_query_scale);
    layer.self_out = reader.linear(p + "self_attn.out_proj", d, d, {ops::Activation::None, true});
    layer.self_norm = reader.layer_norm(p + "self_attn_layer_norm", d, epsilon);
    layer.cross_q = reader.fused_projection(p + "encoder_attn.", {"q_proj"}, d, decoder_query_scale);
    layer.cross_kv = reader.fused_projection(p + "encoder_attn.", {"k_proj", "v_proj"}, d, 1.f);
    layer.cross_out = reader.linear(p + "encoder_attn.out_proj", d, d, {ops::Activation::None, true});
    layer.cross_norm = reader.layer_norm(p + "encoder_attn_layer_norm", d, epsilon);
    layer.fc1 = reader.linear(p + "fc1", c.decoder_ffn_dim, d, {activation, false});
    layer.fc2 = reader.linear(p + "fc2", d, c.decoder_ffn_dim, {ops::Activation::None, true});
    layer.final_norm = reader.layer_norm(p + "final_layer_norm", d, epsilon);
    w.decoder.push_back(std::move(layer));
  }

  const bool untied = checkpoint.contains("lm_head.weight");
  Tensor untied_output;
  if (untied) untied_output = reader.get("lm_head.weight", {w.target_vocab, d});
  const Tensor& output_weight = untied ? untied_output : w.decoder_embedding;
  Tensor output_bias({w.target_vocab});
  if (checkpoint.contains("final_logits_bias")) {
    Tensor bias = reader.get("final_logits_bias", {1, w.target_vocab});
    std::memcpy(output_bias.data(), bias.data(), sizeof(float) * w.target_vocab);
  } else {
    std::fill(output_bias.data(), output_bias.data() + w.target_vocab, 0.f);
  }
  w.output_projection = ops::Linear(output_weight, &output_bias, {});
}

Seq2SeqModel::~Seq2SeqModel() = default;
Seq2SeqModel::Seq2SeqModel(Seq2SeqModel&&) noexcept = default;

const ModelConfig& Seq2SeqModel::config() const { return weights_->config; }
int64_t Seq2SeqModel::target_vocab_size() const { return weights_->target_vocab; }
int Seq2SeqModel::decoder_layers() const { return static_cast<int>(weights_->decoder.size()); }
int Seq2SeqModel::decoder_heads() const { return weights_->decoder_heads.heads; }

namespace {

// hidden[row] = embedding[id] * scale + positions[position]
void embed_row(const Tensor& embedding, const Tensor& positions, float scale, int id, int64_t position, int64_t d,
               float* out) {
  const float* token = embedding.data() + static_cast<int64_t>(id) * d;
  const float* pos = positions.data() + position * d;
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

}  // namespace

EncodedBatch Seq2SeqModel::encode(const std::vector<std::vector<int>>& sources) const {
  const Weights& w = *weights_;
  const ModelConfig& c = w.config;
  const int64_t d = w.d_model;
  EncodedBatch encoded;
  encoded.batch = static_cast<int64_t>(sources.size());
  for (const auto& source : sources) {
    if (source.empty()) throw Error("cannot encode an empty source sequence");
    check_length(static_cast<int64_t>(source.size()), c.max_position_embeddings, "source");
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
      embed_row(w.encoder_embedding, w.positions, w.embed_scale, id, s, d, hidden.data() + (b * encoded.max_length + s) * d);
    }
  }

  Tensor projections({rows, 3 * d}), context({rows, d}), feed_forward({rows, std::max<int64_t>(c.encoder_ffn_dim, 1)});
  for (const EncoderLayer& layer : w.encoder) {
    layer.self_qkv(hidden.data(), rows, projections.data());
    attend_sequences(w.encoder_heads, projections.data(), 3 * d, projections.data() + d, projections.data() + 2 * d,
                     3 * d, encoded.batch, encoded.max_length, encoded.max_length, encoded.lengths.data(), false,
                     context.data(), nullptr, 0);
    layer.self_out(context.data(), rows, hidden.data());
    layer.self_norm(hidden.data(), rows);
    layer.fc1(hidden.data(), rows, feed_forward.data());
    layer.fc2(feed_forward.data(), rows, hidden.data());
    layer.final_norm(hidden.data(), rows);
  }
  for (const DecoderLayer& layer : w.decoder) {
    Tensor kv({encoded.batch, encoded.max_length, 2 * d});
    layer.cross_kv(hidden.data(), rows, kv.data());
    encoded.cross_kv.push_back(std::move(kv));
  }
  return encoded;
}

DecoderState Seq2SeqModel::start_decoding(const EncodedBatch& encoded, std::vector<int> row_source) const {
  const Weights& w = *weights_;
  const int64_t d = w.d_model;
  DecoderState state;
  state.source_ = &encoded;
  state.rows_ = static_cast<int64_t>(row_source.size());
  for (int source : row_source)
    if (source < 0 || source >= encoded.batch) throw Error("decoder row refers to a source outside the batch");
  state.row_source_ = std::move(row_source);
  state.row_capacity_ = state.rows_;
  state.step_capacity_ = std::min<int64_t>(kInitialStepCapacity, w.config.max_position_embeddings);
  for (size_t l = 0; l < w.decoder.size(); ++l)
    state.self_cache_.emplace_back(Shape{state.step_capacity_, state.row_capacity_, 2 * d});
  state.history_.assign(state.step_capacity_ * state.row_capacity_, 0);
  state.history_scratch_.assign(state.step_capacity_ * state.row_capacity_, 0);
  state.row_source_scratch_.resize(state.row_capacity_);
  state.hidden_.resize({state.rows_, d});
  state.projections_.resize({state.rows_, 3 * d});
  state.context_.resize({state.rows_, d});
  state.feed_forward_.resize({state.rows_, std::max<int64_t>(w.config.decoder_ffn_dim, 1)});
  return state;
}

void Seq2SeqModel::step(DecoderState& state, const int* tokens, Tensor& log_probs, Tensor* cross_attention,
                        bool normalize) const {
  const Weights& w = *weights_;
  const int64_t d = w.d_model, rows = state.rows_, t = state.steps_done_;
  const int64_t row_capacity = state.row_capacity_;
  const EncodedBatch& encoded = *state.source_;
  check_length(t + 1, w.config.max_position_embeddings, "target");

  // Grow the caches geometrically; the steady state never reallocates.
  if (t == state.step_capacity_) {
    const int64_t capacity = std::min<int64_t>(2 * state.step_capacity_, w.config.max_position_embeddings);
    for (Tensor& cache : state.self_cache_) {
      Tensor grown({capacity, row_capacity, 2 * d});
      std::memcpy(grown.data(), cache.data(), sizeof(float) * cache.size());
      cache = std::move(grown);
    }
    state.history_.resize(capacity * row_capacity);
    state.history_scratch_.resize(capacity * row_capacity);
    state.step_capacity_ = capacity;
  }

  float* hidden = state.hidden_.data();
  for (int64_t r = 0; r < rows; ++r) {
    check_token(tokens[r], w.target_vocab, "target");
    embed_row(w.decoder_embedding, w.positions, w.embed_scale, tokens[r], t, d, hidden + r * d);
    state.history_[t * row_capacity + r] = static_cast<int32_t>(r);
  }
  if (cross_attention) cross_attention->resize({static_cast<int64_t>(w.decoder.size()), rows, w.decoder_heads.heads, encoded.max_length});

  float* projections = state.projections_.data();
  float* context = state.context_.data();
  for (size_t l = 0; l < w.decoder.size(); ++l) {
    const DecoderLayer& layer = w.decoder[l];
    float* cache = state.self_cache_[l].data();
    layer.self_qkv(hidden, rows, projections);
    for (int64_t r = 0; r < rows; ++r)
      std::memcpy(cache + (t * row_capacity + r) * 2 * d, projections + r * 3 * d + d, sizeof(float) * 2 * d);
    attend_cached_step(w.decoder_heads, projections, 3 * d, rows, row_capacity, cache, state.history_.data(), t + 1,
                       context);
    layer.self_out(context, rows, hidden);
    layer.self_norm(hidden, rows);

    layer.cross_q(hidden, rows, projections);
    float* probs = cross_attention ? cross_attention->data() + l * rows * w.decoder_heads.heads * encoded.max_length : nullptr;
    attend_cross_step(w.decoder_heads, projections, d, rows, encoded.cross_kv[l].data(), encoded.max_length,
                      state.row_source_.data(), encoded.lengths.data(), context, probs);
    layer.cross_out(context, rows, hidden);
    layer.cross_norm(hidden, rows);

    layer.fc1(hidden, rows, state.feed_forward_.data());
    layer.fc2(state.feed_forward_.data(), rows, hidden);
    layer.final_norm(hidden, rows);
  }
  log_probs.resize({rows, w.target_vocab});
  w.output_projection(hidden, rows, log_probs.data());
  if (normalize) ops::log_softmax_rows(log_probs.data(), rows, w.target_vocab);
  ++state.steps_done_;
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
  const Weights& w = *weights_;
  const int64_t d = w.d_model, batch = encoded.batch;
  if (static_cast<int64_t>(decoder_inputs.size()) != batch)
    throw Error("forced decoding needs one decoder input per encoded source");
  ForcedOutput output;
  std::vector<int> target_lengths;
  for (const auto& input : decoder_inputs) {
    if (input.empty()) throw Error("forced decoding needs at least the decoder start token");
    check_length(static_cast<int64_t>(input.size()), w.config.max_position_embeddings, "target");
    target_lengths.push_back(static_cast<int>(input.size()));
    output.target_length = std::max<int64_t>(output.target_length, static_cast<int64_t>(input.size()));
  }
  const int64_t T = output.target_length, S = encoded.max_length, rows = batch * T;
  const int heads = w.decoder_heads.heads;
  const int64_t layers = static_cast<int64_t>(w.decoder.size());
  const int64_t attention_batch_stride = layers * heads * T * S;

  Tensor hidden({rows, d}), projections({rows, 3 * d}), context({rows, d});
  Tensor feed_forward({rows, std::max<int64_t>(w.config.decoder_ffn_dim, 1)});
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t i = 0; i < T; ++i) {
      const bool real = i < target_lengths[b];
      const int id = real ? decoder_inputs[b][i] : decoder_inputs[b].back();
      check_token(id, w.target_vocab, "target");
      embed_row(w.decoder_embedding, w.positions, w.embed_scale, id, i, d, hidden.data() + (b * T + i) * d);
    }
  }
  if (with_attention) output.cross_attention.resize({batch, layers, heads, T, S});

  for (int64_t l = 0; l < layers; ++l) {
    const DecoderLayer& layer = w.decoder[l];
    layer.self_qkv(hidden.data(), rows, projections.data());
    attend_sequences(w.decoder_heads, projections.data(), 3 * d, projections.data() + d, projections.data() + 2 * d,
                     3 * d, batch, T, T, target_lengths.data(), true, context.data(), nullptr, 0);
    layer.self_out(context.data(), rows, hidden.data());
    layer.self_norm(hidden.data(), rows);
    layer.cross_q(hidden.data(), rows, projections.data());
    const float* kv = encoded.cross_kv[l].data();
    attend_sequences(w.decoder_heads, projections.data(), d, kv, kv + d, 2 * d, batch, T, S, encoded.lengths.data(),
                     false, context.data(),
                     with_attention ? output.cross_attention.data() + l * heads * T * S : nullptr,
                     attention_batch_stride);
    layer.cross_out(context.data(), rows, hidden.data());
    layer.cross_norm(hidden.data(), rows);
    layer.fc1(hidden.data(), rows, feed_forward.data());
    layer.fc2(feed_forward.data(), rows, hidden.data());
    layer.final_norm(hidden.data(), rows);
  }
  output.log_probs.resize({batch, T, w.target_vocab});
  w.output_projection(hidden.data(), rows, output.log_probs.data());
  ops::log_softmax_rows(output.log_probs.data(), rows, w.target_vocab);
  return output;
}

}  // namespace crossmt
