// transformers' num_parameters() from what a checkpoint stores: parameters the file leaves out
// (marian's sinusoidal tables) are added, buffers the file keeps (final_logits_bias) and tied
// aliases stored twice by older exporters are not counted.
#include <string>
#include <utility>
#include <vector>

#include "crossmt/checkpoint.h"

namespace crossmt {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Buffers registered on the module, not parameters.
bool is_buffer(const std::string& name) {
  return name == "final_logits_bias" || ends_with(name, "embed_positions.weights") ||  // m2m_100 sinusoids
         ends_with(name, "._float_tensor") ||
         ends_with(name, ".weight_scale");  // the scales of an I8 weight (crossmt int8 checkpoints)
}

// (alias, original) pairs that transformers ties to one parameter under this config.
std::vector<std::pair<std::string, std::string>> tied_aliases(const ModelConfig& config) {
  if (config.is_t5()) {
    std::vector<std::pair<std::string, std::string>> aliases = {{"encoder.embed_tokens.weight", "shared.weight"},
                                                                {"decoder.embed_tokens.weight", "shared.weight"}};
    if (config.tie_word_embeddings) aliases.emplace_back("lm_head.weight", "shared.weight");
    return aliases;
  }
  const bool shared_decoder = config.share_encoder_decoder_embeddings || config.model_type != "marian";
  const std::string decoder_embeddings = shared_decoder ? "model.shared.weight" : "model.decoder.embed_tokens.weight";
  std::vector<std::pair<std::string, std::string>> aliases = {{"model.encoder.embed_tokens.weight", "model.shared.weight"}};
  if (shared_decoder) aliases.emplace_back("model.decoder.embed_tokens.weight", "model.shared.weight");
  if (config.tie_word_embeddings) aliases.emplace_back("lm_head.weight", decoder_embeddings);
  return aliases;
}

}  // namespace

int64_t count_parameters(const Checkpoint& checkpoint) {
  const ModelConfig& config = checkpoint.config();
  int64_t total = 0;
  for (const auto& [name, tensor] : checkpoint.tensors())
    if (!is_buffer(name)) total += element_count(tensor.shape);
  for (const auto& [alias, original] : tied_aliases(config))
    if (checkpoint.contains(alias) && checkpoint.contains(original)) total -= element_count(checkpoint.stored(alias).shape);
  // MarianSinusoidalPositionalEmbedding is an nn.Embedding (frozen, but a parameter).
  if (config.position_encoding == PositionEncoding::MarianSinusoidal && config.model_type == "marian") {
    const int64_t table = int64_t{config.max_position_embeddings} * config.d_model;
    for (const char* stack : {"model.encoder.embed_positions.weight", "model.decoder.embed_positions.weight"})
      if (!checkpoint.contains(stack)) total += table;
  }
  return total;
}

}  // namespace crossmt
