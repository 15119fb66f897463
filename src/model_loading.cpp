// Checkpoint names -> ModelWeights for each supported architecture. Marian, BART, mBART and
// M2M100 (NLLB) share transformers' BART naming ("model.encoder.layers.N.self_attn.q_proj");
// T5 has its own ("encoder.block.N.layer.0.SelfAttention.q").
#include <cmath>
#include <cstring>
#include <string>

#include "crossmt/error.h"
#include "model_weights.h"

namespace crossmt {

Tensor marian_positions(int64_t positions, int64_t dim) {
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

Tensor m2m100_positions(int64_t positions, int64_t dim, int pad) {
  Tensor table({positions, dim});
  const int64_t half = dim / 2;
  const float step = static_cast<float>(std::log(10000.0) / static_cast<double>(half - 1));
  for (int64_t pos = 0; pos < positions; ++pos) {
    for (int64_t j = 0; j < dim; ++j) {
      if (j >= 2 * half) {
        table[pos * dim + j] = 0.f;  // odd dim: zero column
        continue;
      }
      const int64_t k = j < half ? j : j - half;
      const float angle = static_cast<float>(pos) * std::exp(static_cast<float>(k) * -step);
      table[pos * dim + j] = j < half ? std::sin(angle) : std::cos(angle);
    }
  }
  if (pad >= 0 && pad < positions) std::fill(table.data() + pad * dim, table.data() + (pad + 1) * dim, 0.f);
  return table;
}

namespace {

// transformers' T5Attention._relative_position_bucket, in f32 as torch computes it.
int32_t t5_bucket(int64_t relative, bool bidirectional, int num_buckets, int max_distance) {
  int32_t bucket = 0;
  int64_t buckets = num_buckets;
  if (bidirectional) {
    buckets /= 2;
    if (relative > 0) bucket += static_cast<int32_t>(buckets);
    relative = std::abs(relative);
  } else {
    relative = -std::min<int64_t>(relative, 0);
  }
  const int64_t max_exact = buckets / 2;
  if (relative < max_exact) return bucket + static_cast<int32_t>(relative);
  const float scaled = std::log(static_cast<float>(relative) / static_cast<float>(max_exact)) /
                       static_cast<float>(std::log(static_cast<double>(max_distance) / max_exact)) *
                       static_cast<float>(buckets - max_exact);
  const int64_t large = std::min<int64_t>(max_exact + static_cast<int64_t>(scaled), buckets - 1);
  return bucket + static_cast<int32_t>(large);
}

void set_relative_bias(StackWeights& stack, Tensor table, bool bidirectional, const ModelConfig& c,
                       int64_t max_positions, int heads) {
  stack.relative_bias = std::move(table);
  stack.distance_buckets.resize(2 * max_positions + 1);
  for (int64_t distance = -max_positions; distance <= max_positions; ++distance)
    stack.distance_buckets[distance + max_positions] =
        t5_bucket(distance, bidirectional, c.relative_attention_num_buckets, c.relative_attention_max_distance);
  stack.position_bias = {stack.relative_bias.data(), stack.distance_buckets.data(), max_positions, heads};
  stack.has_position_bias = true;
}

// Concatenates PyTorch [out, in] matrices (or biases) along `out`, scaling the first one.
Tensor stack_rows(const std::vector<Tensor>& parts, float first_scale) {
  Shape shape = parts[0].shape();
  shape[0] = 0;
  for (const Tensor& part : parts) shape[0] += part.dim(0);
  Tensor stacked(shape);
  float* out = stacked.data();
  for (size_t p = 0; p < parts.size(); ++p) {
    const float scale = p == 0 ? first_scale : 1.f;
    for (int64_t i = 0; i < parts[p].size(); ++i) *out++ = parts[p][i] * scale;
  }
  return stacked;
}

Tensor scaled_copy(const Tensor& tensor, float scale) {
  Tensor copy(tensor.shape());
  for (int64_t i = 0; i < tensor.size(); ++i) copy[i] = tensor[i] * scale;
  return copy;
}

class WeightReader {
 public:
  WeightReader(const Checkpoint& checkpoint, bool biases, bool int8, LinearWeightInventory* inventory)
      : checkpoint_(checkpoint), biases_(biases), int8_(int8), inventory_(inventory) {}

  bool has(const std::string& name) const { return checkpoint_.contains(name); }
  Tensor get(const std::string& name, const Shape& shape) const { return checkpoint_.load_f32(name, shape); }

  // The first of `names` the file has (tied weights are stored once under one of them); the
  // preferred name when it has none, so that reading it reports that name as missing.
  const std::string& first_present(const std::vector<std::string>& names) const {
    for (const auto& name : names)
      if (has(name)) return name;
    return names.front();
  }

  // Encoder and decoder token embeddings, loaded once when both resolve to the same tensor. An
  // int8 model keeps a table stored as int8 as it is (values and scales, not quantized again).
  void embeddings(ModelWeights& w, const std::vector<std::string>& encoder_names,
                  const std::vector<std::string>& decoder_names) const {
    const std::string& encoder = first_present(encoder_names);
    const std::string& decoder = first_present(decoder_names);
    const bool shared = decoder == encoder && w.target_vocab == w.config.vocab_size;
    load_embedding(w.encoder_stack, encoder, w.config.vocab_size, w.d_model);
    if (shared) {
      w.decoder_stack.embedding = w.encoder_stack.embedding;
      w.decoder_stack.embedding_int8 = w.encoder_stack.embedding_int8;
    } else {
      load_embedding(w.decoder_stack, decoder, w.target_vocab, w.d_model);
    }
  }

  // [q; k; v] (or any list of projections of `in` features) fused into one matmul, the first
  // part scaled by `first_scale` (the attention scaling, folded into the query projection).
  ops::Linear fused(const std::vector<std::string>& prefixes, int64_t out_each, int64_t in, float first_scale) const {
    std::vector<Tensor> weights, biases;
    std::vector<QuantizedMatrix> quantized;
    for (const auto& prefix : prefixes) {
      record_linear(prefix + ".weight");
      if (int8_ && stored_int8(prefix + ".weight")) {
        quantized.push_back(get_int8(prefix + ".weight", out_each, in));
      } else {
        weights.push_back(get_float(prefix + ".weight", out_each, in));
        if (int8_) quantized.push_back(quantize_rows(weights.back()));
      }
      if (biases_) biases.push_back(get(prefix + ".bias", {out_each}));
    }
    const Tensor bias = biases_ ? stack_rows(biases, first_scale) : Tensor();
    const Tensor* bias_or_null = biases_ ? &bias : nullptr;
    if (int8_) return ops::Linear(stack_quantized(quantized, first_scale), bias_or_null, {});
    return ops::Linear(stack_rows(weights, first_scale), bias_or_null, {});
  }

  ops::Linear linear(const std::string& prefix, int64_t out, int64_t in, ops::Linear::Options options) const {
    const Tensor bias = biases_ ? get(prefix + ".bias", {out}) : Tensor();
    return projection(prefix + ".weight", out, in, biases_ ? &bias : nullptr, options);
  }

  // A linear layer whose weight is stored under `name`.
  ops::Linear projection(const std::string& name, int64_t out, int64_t in, const Tensor* bias,
                         ops::Linear::Options options = {}) const {
    record_linear(name);
    if (int8_ && stored_int8(name)) return ops::Linear(get_int8(name, out, in), bias, options);
    const Tensor weight = get_float(name, out, in);
    if (int8_) return ops::Linear(quantize_rows(weight), bias, options);
    return ops::Linear(weight, bias, options);
  }

  // The output projection (lm_head.weight) stays f32 in every compute type: in int8 it moved
  // corpus BLEU by up to 0.7 on test_2016 (0.5 at most with it in f32) and was no faster (see
  // README, "Performance"). An I8 one is dequantized.
  ops::Linear output_projection(int64_t vocab, int64_t d, const Tensor* bias) const {
    return ops::Linear(get_float("lm_head.weight", vocab, d), bias, {});
  }

  ops::LayerNorm norm(const std::string& prefix, int64_t dim, float epsilon, bool root_mean_square) const {
    if (root_mean_square) return ops::LayerNorm(get(prefix + ".weight", {dim}), epsilon);
    return ops::LayerNorm(get(prefix + ".weight", {dim}), get(prefix + ".bias", {dim}), epsilon);
  }

 private:
  // The weights that run as int8 linear layers, for quantize_checkpoint.
  void record_linear(const std::string& name) const {
    if (inventory_) inventory_->stored.push_back(name);
  }

  bool stored_int8(const std::string& name) const { return has(name) && checkpoint_.stored(name).dtype == DType::I8; }

  // An I8 weight [out, in] and its F32 scales [out], as stored.
  QuantizedMatrix get_int8(const std::string& name, int64_t out, int64_t in) const {
    const std::string scale_name = weight_scale_name(name);
    if (!has(scale_name))
      throw Error(checkpoint_.weights_origin() + ": tensor '" + name + "' is I8 but its scales '" + scale_name +
                  "' are missing");
    const Tensor values = get(name, {out, in});  // I8 values converted exactly
    const Tensor scales = get(scale_name, {out});
    QuantizedMatrix matrix;
    matrix.rows = out;
    matrix.cols = in;
    matrix.values.resize(static_cast<size_t>(out * in));
    for (int64_t i = 0; i < out * in; ++i) matrix.values[i] = static_cast<int8_t>(values[i]);
    matrix.scales.assign(scales.data(), scales.data() + out);
    return matrix;
  }

  void load_embedding(StackWeights& stack, const std::string& name, int64_t vocab, int64_t d) const {
    if (int8_ && stored_int8(name))
      stack.embedding_int8 = std::make_shared<const QuantizedMatrix>(get_int8(name, vocab, d));
    else
      stack.embedding = std::make_shared<const Tensor>(get_float(name, vocab, d));
  }

  // A weight as f32, dequantized when the file stores it as I8.
  Tensor get_float(const std::string& name, int64_t out, int64_t in) const {
    if (stored_int8(name)) return dequantize(get_int8(name, out, in));
    return get(name, {out, in});
  }

  const Checkpoint& checkpoint_;
  bool biases_;
  bool int8_;
  LinearWeightInventory* inventory_;
};

constexpr ops::Linear::Options kResidual{ops::Activation::None, true};

void load_bart_family(const WeightReader& reader, const Checkpoint& checkpoint, ModelWeights& w) {
  const ModelConfig& c = w.config;
  const int64_t d = w.d_model;
  const float epsilon = static_cast<float>(c.layer_norm_epsilon);
  const ops::Activation activation = ops::parse_activation(c.activation_function);
  const ops::Linear::Options activated{activation, false};

  reader.embeddings(w, {"model.encoder.embed_tokens.weight", "model.shared.weight"},
                    {"model.decoder.embed_tokens.weight", "model.shared.weight"});
  for (auto [stack, name] : {std::pair{&w.encoder_stack, "encoder"}, std::pair{&w.decoder_stack, "decoder"}}) {
    const std::string prefix = std::string("model.") + name + ".";
    switch (c.position_encoding) {
      case PositionEncoding::MarianSinusoidal:
        stack->positions = marian_positions(w.max_positions, d);
        break;
      case PositionEncoding::Learned:
        stack->positions = reader.get(prefix + "embed_positions.weight", {w.max_positions + 2, d});
        stack->position_offset = 2;  // BartLearnedPositionalEmbedding's offset
        break;
      case PositionEncoding::M2M100Sinusoidal:
        stack->position_offset = c.pad_token_id + 1;  // positions count from pad + 1
        stack->positions = m2m100_positions(stack->position_offset + w.max_positions, d, c.pad_token_id);
        break;
      case PositionEncoding::RelativeBuckets:
        throw Error(checkpoint.weights_origin() + ": relative positions need the t5 layout");
    }
    if (reader.has(prefix + "layernorm_embedding.weight")) {
      stack->embedding_norm = reader.norm(prefix + "layernorm_embedding", d, epsilon, false);
      stack->has_embedding_norm = true;
    }
    if (w.pre_norm) {
      stack->final_norm = reader.norm(prefix + "layer_norm", d, epsilon, false);
      stack->has_final_norm = true;
    }
  }

  // The self-attention and feed-forward parts are named alike in encoder and decoder layers.
  auto load_shared_parts = [&](auto& layer, const std::string& p, float query_scale, int64_t ffn_dim) {
    layer.self_qkv = reader.fused({p + "self_attn.q_proj", p + "self_attn.k_proj", p + "self_attn.v_proj"}, d, d,
                                  query_scale);
    layer.self_out = reader.linear(p + "self_attn.out_proj", d, d, kResidual);
    layer.self_norm = reader.norm(p + "self_attn_layer_norm", d, epsilon, false);
    layer.feed_forward.in = reader.linear(p + "fc1", ffn_dim, d, activated);
    layer.feed_forward.out = reader.linear(p + "fc2", d, ffn_dim, kResidual);
    layer.feed_forward_norm = reader.norm(p + "final_layer_norm", d, epsilon, false);
  };
  const float encoder_scale = static_cast<float>(std::pow(w.encoder_heads.head_dim, -0.5));
  const float decoder_scale = static_cast<float>(std::pow(w.decoder_heads.head_dim, -0.5));
  for (int l = 0; l < c.encoder_layers; ++l) {
    EncoderLayer layer;
    load_shared_parts(layer, "model.encoder.layers." + std::to_string(l) + ".", encoder_scale, c.encoder_ffn_dim);
    w.encoder.push_back(std::move(layer));
  }
  for (int l = 0; l < c.decoder_layers; ++l) {
    const std::string p = "model.decoder.layers." + std::to_string(l) + ".";
    DecoderLayer layer;
    load_shared_parts(layer, p, decoder_scale, c.decoder_ffn_dim);
    layer.cross_q = reader.fused({p + "encoder_attn.q_proj"}, d, d, decoder_scale);
    layer.cross_kv = reader.fused({p + "encoder_attn.k_proj", p + "encoder_attn.v_proj"}, d, d, 1.f);
    layer.cross_out = reader.linear(p + "encoder_attn.out_proj", d, d, kResidual);
    layer.cross_norm = reader.norm(p + "encoder_attn_layer_norm", d, epsilon, false);
    w.decoder.push_back(std::move(layer));
  }

  Tensor output_bias({w.target_vocab});
  std::fill(output_bias.data(), output_bias.data() + w.target_vocab, 0.f);
  if (reader.has("final_logits_bias")) {
    const Tensor bias = reader.get("final_logits_bias", {1, w.target_vocab});
    std::memcpy(output_bias.data(), bias.data(), sizeof(float) * w.target_vocab);
  }
  if (reader.has("lm_head.weight"))
    w.output_projection = reader.output_projection(w.target_vocab, d, &output_bias);
  else if (w.decoder_stack.embedding_int8)  // tied to a table stored as int8: dequantized, as lm_head is
    w.output_projection = ops::Linear(dequantize(*w.decoder_stack.embedding_int8), &output_bias, {});
  else
    w.output_projection = ops::Linear(*w.decoder_stack.embedding, &output_bias, {});
}

void load_t5(const WeightReader& reader, ModelWeights& w) {
  const ModelConfig& c = w.config;
  const int64_t d = w.d_model, inner = static_cast<int64_t>(c.encoder_attention_heads) * c.d_kv;
  const float epsilon = static_cast<float>(c.layer_norm_epsilon);
  const ops::Activation activation = ops::parse_activation(c.activation_function);

  reader.embeddings(w, {"encoder.embed_tokens.weight", "shared.weight"}, {"decoder.embed_tokens.weight", "shared.weight"});
  const Shape bias_shape = {c.relative_attention_num_buckets, c.encoder_attention_heads};
  set_relative_bias(w.encoder_stack, reader.get("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", bias_shape),
                    true, c, w.max_positions, c.encoder_attention_heads);
  set_relative_bias(w.decoder_stack, reader.get("decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", bias_shape),
                    false, c, w.max_positions, c.decoder_attention_heads);
  w.encoder_stack.final_norm = reader.norm("encoder.final_layer_norm", d, epsilon, true);
  w.decoder_stack.final_norm = reader.norm("decoder.final_layer_norm", d, epsilon, true);
  w.encoder_stack.has_final_norm = w.decoder_stack.has_final_norm = true;

  auto feed_forward = [&](const std::string& p, int64_t ffn_dim) {
    FeedForward ffn;
    ffn.gated = c.gated_ffn;
    if (ffn.gated) {
      ffn.in = reader.linear(p + "DenseReluDense.wi_0", ffn_dim, d, {activation, false});
      ffn.gate = reader.linear(p + "DenseReluDense.wi_1", ffn_dim, d, {});
    } else {
      ffn.in = reader.linear(p + "DenseReluDense.wi", ffn_dim, d, {activation, false});
    }
    ffn.out = reader.linear(p + "DenseReluDense.wo", d, ffn_dim, kResidual);
    return ffn;
  };
  // T5 does not scale the attention scores (the scale is folded into its initialization).
  // Sublayer 0 is self-attention in both stacks; the feed-forward is sublayer 1 (encoder) or 2.
  auto load_shared_parts = [&](auto& layer, const std::string& p, const std::string& ffn_sublayer, int64_t ffn_dim) {
    layer.self_qkv = reader.fused({p + "0.SelfAttention.q", p + "0.SelfAttention.k", p + "0.SelfAttention.v"}, inner, d, 1.f);
    layer.self_out = reader.linear(p + "0.SelfAttention.o", d, inner, kResidual);
    layer.self_norm = reader.norm(p + "0.layer_norm", d, epsilon, true);
    layer.feed_forward = feed_forward(p + ffn_sublayer + ".", ffn_dim);
    layer.feed_forward_norm = reader.norm(p + ffn_sublayer + ".layer_norm", d, epsilon, true);
  };
  for (int l = 0; l < c.encoder_layers; ++l) {
    EncoderLayer layer;
    load_shared_parts(layer, "encoder.block." + std::to_string(l) + ".layer.", "1", c.encoder_ffn_dim);
    w.encoder.push_back(std::move(layer));
  }
  for (int l = 0; l < c.decoder_layers; ++l) {
    const std::string p = "decoder.block." + std::to_string(l) + ".layer.";
    DecoderLayer layer;
    load_shared_parts(layer, p, "2", c.decoder_ffn_dim);
    layer.cross_q = reader.fused({p + "1.EncDecAttention.q"}, inner, d, 1.f);
    layer.cross_kv = reader.fused({p + "1.EncDecAttention.k", p + "1.EncDecAttention.v"}, inner, d, 1.f);
    layer.cross_out = reader.linear(p + "1.EncDecAttention.o", d, inner, kResidual);
    layer.cross_norm = reader.norm(p + "1.layer_norm", d, epsilon, true);
    w.decoder.push_back(std::move(layer));
  }

  if (reader.has("lm_head.weight")) {
    w.output_projection = reader.output_projection(w.target_vocab, d, nullptr);
  } else {
    // Tied: transformers multiplies the decoder output by d_model^-0.5 first (unless the config
    // says scale_decoder_outputs false); folded into the projection here.
    const float scale = c.scale_decoder_outputs ? static_cast<float>(std::pow(static_cast<double>(d), -0.5)) : 1.f;
    const Tensor table = w.decoder_stack.embedding ? scaled_copy(*w.decoder_stack.embedding, scale)
                                                   : scaled_copy(dequantize(*w.decoder_stack.embedding_int8), scale);
    w.output_projection = ops::Linear(table, nullptr, {});
  }
}

// int8 models look their token embeddings up in int8 rows, as they keep no other copy of the
// table: an f32 output projection took its own when it was built.
void quantize_embeddings(ModelWeights& w) {
  const bool shared = w.decoder_stack.embedding == w.encoder_stack.embedding;
  for (StackWeights* stack : {&w.encoder_stack, &w.decoder_stack}) {
    if (stack->embedding_int8) continue;  // stored as int8
    stack->embedding_int8 = shared && stack == &w.decoder_stack
                                ? w.encoder_stack.embedding_int8
                                : std::make_shared<const QuantizedMatrix>(quantize_rows(*stack->embedding));
  }
  w.encoder_stack.embedding.reset();
  w.decoder_stack.embedding.reset();
}

}  // namespace

ModelWeights load_model_weights(const Checkpoint& checkpoint, ComputeType compute_type,
                                LinearWeightInventory* inventory) {
  ModelWeights w;
  w.config = checkpoint.config();
  const ModelConfig& c = w.config;
  w.d_model = c.d_model;
  w.target_vocab = c.decoder_vocab_size;
  w.pre_norm = c.normalize_before;
  w.encoder_heads = {c.encoder_attention_heads, c.d_kv};
  w.decoder_heads = {c.decoder_attention_heads, c.d_kv};
  w.embed_scale = c.scale_embedding ? static_cast<float>(std::sqrt(static_cast<double>(c.d_model))) : 1.f;
  if (c.is_t5()) {
    // Relative positions have no table; 512 is T5's n_positions.
    w.max_positions = c.raw_config.value("n_positions", 512);
  } else {
    w.max_positions = c.max_position_embeddings;
  }
  w.compute_type = resolve_compute_type(compute_type, checkpoint);
  const bool int8 = w.compute_type == ComputeType::Int8;
  const WeightReader reader(checkpoint, !c.is_t5(), int8, inventory);
  if (c.is_t5()) {
    load_t5(reader, w);
  } else {
    load_bart_family(reader, checkpoint, w);
  }
  if (int8) quantize_embeddings(w);
  return w;
}

}  // namespace crossmt
