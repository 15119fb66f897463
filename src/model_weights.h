#pragma once
// The weights of a Seq2SeqModel, laid out the same way for every supported architecture; the
// architecture-specific names and variants are resolved once, in model_loading.cpp.
#include <memory>
#include <vector>

#include "crossmt/attention.h"
#include "crossmt/checkpoint.h"
#include "crossmt/config.h"
#include "crossmt/ops.h"
#include "crossmt/quantization.h"
#include "crossmt/tensor.h"

namespace crossmt {

// act(x W_in) [* (x W_gate)] W_out, the product added to the residual stream.
struct FeedForward {
  ops::Linear in, gate, out;
  bool gated = false;
};

struct EncoderLayer {
  ops::Linear self_qkv, self_out;  // fused [q; k; v], q pre-scaled where the architecture scales
  ops::LayerNorm self_norm;
  FeedForward feed_forward;
  ops::LayerNorm feed_forward_norm;
};

struct DecoderLayer {
  ops::Linear self_qkv, self_out;
  ops::LayerNorm self_norm;
  ops::Linear cross_q, cross_kv, cross_out;
  ops::LayerNorm cross_norm;
  FeedForward feed_forward;
  ops::LayerNorm feed_forward_norm;
};

// What an encoder or decoder stack adds around its layers.
struct StackWeights {
  std::shared_ptr<const Tensor> embedding;  // [vocab, d_model], one table when the stacks share it
  // int8 models: the table as int8 rows instead (a quarter of the memory), `embedding` then null.
  std::shared_ptr<const QuantizedMatrix> embedding_int8;
  Tensor positions;             // absolute position table (empty for relative positions)
  int64_t position_offset = 0;  // row of position 0 in `positions`
  bool has_embedding_norm = false, has_final_norm = false;
  ops::LayerNorm embedding_norm, final_norm;
  // T5: the bias table and bucket of every distance (see PositionBias).
  Tensor relative_bias;
  std::vector<int32_t> distance_buckets;
  PositionBias position_bias;
  bool has_position_bias = false;
};

struct ModelWeights {
  ModelConfig config;
  ComputeType compute_type = ComputeType::Float32;
  int64_t d_model = 0;
  int64_t max_positions = 0;  // longest source or target the model takes
  HeadLayout encoder_heads, decoder_heads;
  float embed_scale = 1.f;
  bool pre_norm = false;
  StackWeights encoder_stack, decoder_stack;
  std::vector<EncoderLayer> encoder;
  std::vector<DecoderLayer> decoder;
  ops::Linear output_projection;
  int64_t target_vocab = 0;
};

// What quantize_checkpoint needs to know about a checkpoint: the weights the model runs as
// int8 linear layers (all but the output projection).
struct LinearWeightInventory {
  std::vector<std::string> stored;  // "<prefix>.weight" names, [out, in]
};

// HF MarianSinusoidalPositionalEmbedding: not interleaved, sin in [0, d/2), cos in [d/2, d),
// computed in double then rounded to f32 as numpy does there.
Tensor marian_positions(int64_t positions, int64_t dim);
// HF M2M100SinusoidalPositionalEmbedding (fairseq): f32 sin | cos halves, the pad row zero.
Tensor m2m100_positions(int64_t positions, int64_t dim, int pad);

// Linear layers run in `compute_type` (Float32 or Int8; Auto follows the checkpoint). I8 weights
// are used as they are for int8 and dequantized for float32.
ModelWeights load_model_weights(const Checkpoint& checkpoint, ComputeType compute_type,
                                LinearWeightInventory* inventory = nullptr);

}  // namespace crossmt
