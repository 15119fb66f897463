// HF bart-family checkpoints (marian, bart, mbart, m2m_100) written as CTranslate2 TransformerSpec
// folders, laid out as CTranslate2 4.x's own converters write them (binary version 6, revision 7):
// fused QKV and KV projections, positions as a stored table, transformers' decoder start kept.
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "crossmt/error.h"
#include "formats/ctranslate2.h"
#include "model_weights.h"

namespace crossmt {
namespace {

namespace fs = std::filesystem;

enum : uint8_t { kFloat32 = 0, kInt8 = 1, kInt16 = 2 };

struct OutVariable {
  uint8_t type = kFloat32;
  Shape shape;
  std::string bytes;
};

template <typename T>
std::string raw_bytes(const T* values, size_t count) {
  return std::string(reinterpret_cast<const char*>(values), count * sizeof(T));
}

class SpecWriter {
 public:
  explicit SpecWriter(const Checkpoint& checkpoint) : checkpoint_(checkpoint) {}

  void matrix(const std::string& name, const Tensor& value) {
    variables_[name] = {kFloat32, value.shape(), raw_bytes(value.data(), static_cast<size_t>(value.size()))};
  }
  void int8(const std::string& name, int value) {
    const int8_t byte = static_cast<int8_t>(value);
    variables_[name] = {kInt8, {}, raw_bytes(&byte, 1)};
  }
  void flag(const std::string& name, bool value) { int8(name, value ? 1 : 0); }
  void int16(const std::string& name, int value) {
    const int16_t v = static_cast<int16_t>(value);
    variables_[name] = {kInt16, {}, raw_bytes(&v, 1)};
  }
  void alias(const std::string& name, const std::string& target) { aliases_.emplace_back(name, target); }

  Tensor get(const std::string& name, const Shape& shape) const { return checkpoint_.load_f32(name, shape); }
  bool has(const std::string& name) const { return checkpoint_.contains(name); }
  // A weight as f32; an I8 one dequantized with its scales (the output is a float32 model).
  Tensor weight(const std::string& name, int64_t out, int64_t in) const {
    Tensor value = get(name, {out, in});
    if (checkpoint_.stored(name).dtype != DType::I8) return value;
    const Tensor scales = get(name + "_scale", {out});
    for (int64_t r = 0; r < out; ++r)
      for (int64_t c = 0; c < in; ++c) value[r * in + c] *= scales[r];
    return value;
  }

  // Rows of several [out, in] weights (or biases) stacked: CTranslate2's fused projections.
  void fused(const std::string& scope, const std::vector<std::string>& hf_prefixes, int64_t out_each, int64_t in) {
    const int64_t parts = static_cast<int64_t>(hf_prefixes.size());
    Tensor weights({out_each * parts, in}), biases({out_each * parts});
    for (int64_t p = 0; p < parts; ++p) {
      const Tensor w = weight(hf_prefixes[p] + ".weight", out_each, in);
      const Tensor b = get(hf_prefixes[p] + ".bias", {out_each});
      std::memcpy(weights.data() + p * out_each * in, w.data(), sizeof(float) * out_each * in);
      std::memcpy(biases.data() + p * out_each, b.data(), sizeof(float) * out_each);
    }
    matrix(scope + "/weight", weights);
    matrix(scope + "/bias", biases);
  }

  void norm(const std::string& scope, const std::string& hf_prefix, int64_t dim) {
    matrix(scope + "/gamma", get(hf_prefix + ".weight", {dim}));
    matrix(scope + "/beta", get(hf_prefix + ".bias", {dim}));
  }

  void write(const fs::path& file) const {
    write_file_atomically(file, [&](std::ostream& out) {
      const auto u32 = [&](uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
      const auto text = [&](const std::string& s) {
        const uint16_t length = static_cast<uint16_t>(s.size() + 1);
        out.write(reinterpret_cast<const char*>(&length), 2);
        out.write(s.data(), static_cast<std::streamsize>(s.size()));
        out.put('\0');
      };
      u32(6);
      text("TransformerSpec");
      u32(7);
      u32(static_cast<uint32_t>(variables_.size()));
      for (const auto& [name, variable] : variables_) {
        text(name);
        out.put(static_cast<char>(variable.shape.size()));
        for (const int64_t dim : variable.shape) u32(static_cast<uint32_t>(dim));
        out.put(static_cast<char>(variable.type));
        u32(static_cast<uint32_t>(variable.bytes.size()));
        out.write(variable.bytes.data(), static_cast<std::streamsize>(variable.bytes.size()));
      }
      u32(static_cast<uint32_t>(aliases_.size()));
      for (const auto& [alias, target] : aliases_) {
        text(alias);
        text(target);
      }
    });
  }

 private:
  const Checkpoint& checkpoint_;
  std::map<std::string, OutVariable> variables_;
  std::vector<std::pair<std::string, std::string>> aliases_;
};

// CTranslate2's activation enum (python/ctranslate2/specs/common_spec.py).
int activation_id(const std::string& name) {
  if (name == "relu") return 0;
  if (name == "gelu_new" || name == "gelu_fast" || name == "gelu_pytorch_tanh") return 1;
  if (name == "swish" || name == "silu") return 2;
  if (name == "gelu") return 3;
  throw Error("activation '" + name + "' has no CTranslate2 equivalent");
}

// Rows [offset, offset + rows) of the position table the model adds for positions 0, 1, ...
Tensor position_table(const SpecWriter& writer, const ModelConfig& c, const std::string& hf_stack) {
  const int64_t rows = c.max_position_embeddings, d = c.d_model;
  switch (c.position_encoding) {
    case PositionEncoding::MarianSinusoidal:
      return marian_positions(rows, d);
    case PositionEncoding::M2M100Sinusoidal: {
      const int64_t offset = c.pad_token_id + 1;
      const Tensor full = m2m100_positions(offset + rows, d, c.pad_token_id);
      Tensor table({rows, d});
      std::memcpy(table.data(), full.data() + offset * d, sizeof(float) * rows * d);
      return table;
    }
    case PositionEncoding::Learned: {
      const Tensor full = writer.get("model." + hf_stack + ".embed_positions.weight", {rows + 2, d});
      Tensor table({rows, d});
      std::memcpy(table.data(), full.data() + 2 * d, sizeof(float) * rows * d);
      return table;
    }
    case PositionEncoding::RelativeBuckets: break;
  }
  throw Error("relative positions have no CTranslate2 TransformerSpec equivalent");
}

void write_json(const fs::path& file, const nlohmann::json& value) {
  write_file_atomically(file, [&](std::ostream& out) { out << value.dump(2) << "\n"; });
}

}  // namespace

void save_ctranslate2_folder(const Checkpoint& checkpoint, const MarianTokenizer& tokenizer, const fs::path& folder) {
  const ModelConfig& c = checkpoint.config();
  const std::string origin = checkpoint.weights_origin();
  if (c.is_t5()) throw Error(origin + ": T5 models are written by CTranslate2's T5 converter, not as a TransformerSpec");
  std::error_code error;
  fs::create_directories(folder, error);
  if (error) throw Error(folder.string() + ": cannot create folder: " + error.message());

  SpecWriter writer(checkpoint);
  const int64_t d = c.d_model;
  const auto first_present = [&](std::initializer_list<const char*> names) -> std::string {
    for (const char* name : names)
      if (writer.has(name)) return name;
    return *names.begin();
  };
  const std::string encoder_embeddings = first_present({"model.encoder.embed_tokens.weight", "model.shared.weight"});
  const std::string decoder_embeddings = first_present({"model.decoder.embed_tokens.weight", "model.shared.weight"});
  const bool shared_embeddings = encoder_embeddings == decoder_embeddings && c.vocab_size == c.decoder_vocab_size;

  for (const std::string stack : {"encoder", "decoder"}) {
    const std::string hf = "model." + stack;
    const bool is_encoder = stack == "encoder";
    writer.int16(stack + "/num_heads", is_encoder ? c.encoder_attention_heads : c.decoder_attention_heads);
    if (!is_encoder) {  // as CTranslate2's converters set them: last layer, first head
      writer.int16("decoder/alignment_layer", -1);
      writer.int16("decoder/alignment_heads", 1);
    }
    writer.flag(stack + "/pre_norm", c.normalize_before);
    writer.flag(stack + "/scale_embeddings", c.scale_embedding);
    writer.int8(stack + "/activation", activation_id(c.activation_function));
    writer.matrix(stack + "/position_encodings/encodings", position_table(writer, c, stack));
    if (writer.has(hf + ".layernorm_embedding.weight")) writer.norm(stack + "/layernorm_embedding", hf + ".layernorm_embedding", d);
    if (c.normalize_before) writer.norm(stack + "/layer_norm", hf + ".layer_norm", d);
    const int layers = is_encoder ? c.encoder_layers : c.decoder_layers;
    const int64_t ffn = is_encoder ? c.encoder_ffn_dim : c.decoder_ffn_dim;
    for (int l = 0; l < layers; ++l) {
      const std::string scope = stack + "/layer_" + std::to_string(l), p = hf + ".layers." + std::to_string(l);
      writer.fused(scope + "/self_attention/linear_0", {p + ".self_attn.q_proj", p + ".self_attn.k_proj", p + ".self_attn.v_proj"}, d, d);
      writer.fused(scope + "/self_attention/linear_1", {p + ".self_attn.out_proj"}, d, d);
      writer.norm(scope + "/self_attention/layer_norm", p + ".self_attn_layer_norm", d);
      if (!is_encoder) {
        writer.fused(scope + "/attention/linear_0", {p + ".encoder_attn.q_proj"}, d, d);
        writer.fused(scope + "/attention/linear_1", {p + ".encoder_attn.k_proj", p + ".encoder_attn.v_proj"}, d, d);
        writer.fused(scope + "/attention/linear_2", {p + ".encoder_attn.out_proj"}, d, d);
        writer.norm(scope + "/attention/layer_norm", p + ".encoder_attn_layer_norm", d);
      }
      writer.fused(scope + "/ffn/linear_0", {p + ".fc1"}, ffn, d);
      writer.fused(scope + "/ffn/linear_1", {p + ".fc2"}, d, ffn);
      writer.norm(scope + "/ffn/layer_norm", p + ".final_layer_norm", d);
    }
  }
  writer.matrix("encoder/embeddings/weight", writer.weight(encoder_embeddings, c.vocab_size, d));
  if (shared_embeddings)
    writer.alias("decoder/embeddings/weight", "encoder/embeddings/weight");
  else
    writer.matrix("decoder/embeddings/weight", writer.weight(decoder_embeddings, c.decoder_vocab_size, d));
  if (writer.has("lm_head.weight"))
    writer.matrix("decoder/projection/weight", writer.weight("lm_head.weight", c.decoder_vocab_size, d));
  else
    writer.alias("decoder/projection/weight", shared_embeddings ? "encoder/embeddings/weight" : "decoder/embeddings/weight");
  Tensor bias({c.decoder_vocab_size});
  std::fill(bias.data(), bias.data() + bias.size(), 0.f);
  if (writer.has("final_logits_bias")) {
    const Tensor stored = writer.get("final_logits_bias", {1, c.decoder_vocab_size});
    std::memcpy(bias.data(), stored.data(), sizeof(float) * c.decoder_vocab_size);
  }
  writer.matrix("decoder/projection/bias", bias);
  writer.write(folder / "model.bin");

  // Vocabularies in id order, as the tokenizer maps them.
  nlohmann::json source = nlohmann::json::array(), target = nlohmann::json::array();
  for (int id = 0; id < c.vocab_size; ++id) source.push_back(tokenizer.source_piece(id));
  for (int id = 0; id < c.decoder_vocab_size; ++id) target.push_back(tokenizer.target_piece(id));
  if (source == target) {
    write_json(folder / "shared_vocabulary.json", source);
  } else {
    write_json(folder / "source_vocabulary.json", source);
    write_json(folder / "target_vocabulary.json", target);
  }
  const GenerationConfig& g = c.generation;
  const auto piece = [&](int id) { return id < 0 ? nlohmann::json(nullptr) : nlohmann::json(tokenizer.target_piece(id)); };
  write_json(folder / "config.json", {{"add_source_bos", false},
                                      {"add_source_eos", true},
                                      {"bos_token", g.bos_token_id >= 0 ? tokenizer.target_piece(g.bos_token_id) : "<s>"},
                                      {"eos_token", tokenizer.target_piece(g.eos_token_id)},
                                      {"unk_token", tokenizer.target_piece(tokenizer.unk_id())},
                                      {"decoder_start_token", piece(g.decoder_start_token_id)},
                                      {"layer_norm_epsilon", c.layer_norm_epsilon}});
}

}  // namespace crossmt
