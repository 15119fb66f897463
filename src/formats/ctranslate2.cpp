// CTranslate2's model.bin (python/ctranslate2/specs/model_spec.py writes it, src/models/model.cc
// reads it) for encoder-decoder Transformers (TransformerSpec and the older TransformerBase/Big),
// mapped onto transformers' BART names: post-norm models become "bart", pre-norm ones "mbart",
// with CTranslate2's position table (stored or its sinusoid) as the learned position table. The
// structure CTranslate2 runs and the one crossmt's loader builds from those names are the same
// computation; anything else in the file (relative positions, rotary, gated FFN, RMSNorm,
// source features, ...) is refused by name rather than ignored.
#include "formats/ctranslate2.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "crossmt/error.h"
#include "formats/mapped_file.h"
#include "model_weights.h"

namespace crossmt {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// CTranslate2's DataType enum (include/ctranslate2/types.h), as stored from binary version 4.
enum class StoredType : uint8_t { Float32 = 0, Int8 = 1, Int16 = 2, Int32 = 3, Float16 = 4, BFloat16 = 5 };

size_t stored_type_size(StoredType type) {
  switch (type) {
    case StoredType::Int8: return 1;
    case StoredType::Int16:
    case StoredType::Float16:
    case StoredType::BFloat16: return 2;
    default: return 4;
  }
}

const char* stored_type_name(StoredType type) {
  static const char* const kNames[] = {"float32", "int8", "int16", "int32", "float16", "bfloat16"};
  return kNames[static_cast<int>(type)];
}

struct Variable {
  StoredType type = StoredType::Float32;
  Shape shape;
  const std::byte* data = nullptr;
  size_t byte_size = 0;
  int64_t elements() const { return byte_size / stored_type_size(type); }
};

struct ModelBin {
  uint32_t binary_version = 0;
  std::string spec;  // "" before binary version 2
  uint32_t revision = 1;
  std::map<std::string, Variable> variables;  // aliases resolved to their variable
};

constexpr uint32_t kNewestBinaryVersion = 6;   // CTranslate2 4.x writes 6
constexpr uint32_t kNewestTransformerRevision = 7;
constexpr size_t kMaxRank = 8;

// Bounds-checked little-endian reads; every failure names the file and what was being read.
class ByteReader {
 public:
  ByteReader(std::span<const std::byte> bytes, std::string origin) : bytes_(bytes), origin_(std::move(origin)) {}

  template <typename T>
  T scalar(const std::string& what) {
    T value;
    std::memcpy(&value, take(sizeof(T), what), sizeof(T));
    return value;
  }

  // uint16 length (NUL included), then the bytes.
  std::string string(const std::string& what) {
    const auto length = scalar<uint16_t>(what + " length");
    if (length == 0) fail(what + " has length 0 (it should at least hold its NUL terminator)");
    const auto* data = reinterpret_cast<const char*>(take(length, what));
    if (data[length - 1] != '\0') fail(what + " is not NUL-terminated");
    if (std::memchr(data, '\0', length - 1)) fail(what + " contains a NUL byte");
    return std::string(data, length - 1);
  }

  const std::byte* take(size_t count, const std::string& what) {
    if (count > bytes_.size() - offset_)
      fail("truncated: " + what + " needs " + std::to_string(count) + " bytes at offset " + std::to_string(offset_) +
           " but the file has " + std::to_string(bytes_.size() - offset_) + " left");
    const std::byte* data = bytes_.data() + offset_;
    offset_ += count;
    return data;
  }

  size_t remaining() const { return bytes_.size() - offset_; }
  [[noreturn]] void fail(const std::string& problem) const { throw Error(origin_ + ": " + problem); }

 private:
  std::span<const std::byte> bytes_;
  std::string origin_;
  size_t offset_ = 0;
};

void replace_first(std::string& text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  if (at != std::string::npos) text.replace(at, from.size(), to);
}

// Revision-1 files use OpenNMT-tf's names (CTranslate2's map_v1_variable_name).
std::string v1_variable_name(std::string name) {
  for (const auto& [from, to] : {std::pair{"transformer/", ""}, {":0", ""}, {"w_embs", "embeddings/weight"},
                                 {"kernel", "weight"}, {"LayerNorm", "layer_norm"}, {"dense", "projection"},
                                 {"conv1d_", "linear_"}, {"conv1d", "linear_0"}})
    replace_first(name, from, to);
  if (name.find("encoder") != std::string::npos) {
    replace_first(name, "multi_head", "self_attention");
  } else {
    replace_first(name, "masked_multi_head", "self_attention");
    replace_first(name, "multi_head", "attention");
  }
  return name;
}

ModelBin parse_model_bin(std::span<const std::byte> bytes, const std::string& origin) {
  ByteReader in(bytes, origin);
  ModelBin model;
  model.binary_version = in.scalar<uint32_t>("the binary version");
  if (model.binary_version < 1 || model.binary_version > kNewestBinaryVersion)
    in.fail("binary version " + std::to_string(model.binary_version) + " is not one crossmt reads (1 to " +
            std::to_string(kNewestBinaryVersion) + ")");
  if (model.binary_version >= 2) {
    model.spec = in.string("the spec name");
    model.revision = in.scalar<uint32_t>("the spec revision");
  }
  if (model.spec != "" && model.spec != "TransformerBase" && model.spec != "TransformerBig" &&
      model.spec != "TransformerSpec")
    in.fail("spec '" + model.spec +
            "' is not an encoder-decoder Transformer (crossmt reads TransformerSpec, TransformerBase, TransformerBig)");
  if (model.revision < 1 || model.revision > kNewestTransformerRevision)
    in.fail("spec revision " + std::to_string(model.revision) + " is not one crossmt reads (1 to " +
            std::to_string(kNewestTransformerRevision) + ")");

  const auto count = in.scalar<uint32_t>("the variable count");
  for (uint32_t index = 0; index < count; ++index) {
    const std::string where = "variable " + std::to_string(index);
    std::string name = in.string(where + " name");
    const std::string named = "variable '" + name + "'";
    const auto rank = in.scalar<uint8_t>(named + " rank");
    if (rank > kMaxRank) in.fail(named + " has rank " + std::to_string(rank));
    Variable variable;
    uint64_t elements = 1;
    for (int axis = 0; axis < rank; ++axis) {
      const auto dimension = in.scalar<uint32_t>(named + " shape");
      variable.shape.push_back(dimension);
      elements *= dimension;  // at most 8 factors < 2^32 each: checked against the byte count below
      if (elements > (uint64_t{1} << 40)) in.fail(named + " has an impossible shape");
    }
    uint64_t byte_size = 0;
    if (model.binary_version >= 4) {
      const auto type = in.scalar<uint8_t>(named + " type");
      if (type > static_cast<uint8_t>(StoredType::BFloat16))
        in.fail(named + " has unknown data type " + std::to_string(type));
      variable.type = static_cast<StoredType>(type);
      byte_size = in.scalar<uint32_t>(named + " byte count");
    } else {  // item size, then element count
      const auto item_size = in.scalar<uint8_t>(named + " item size");
      if (item_size != 1 && item_size != 2 && item_size != 4)
        in.fail(named + " has item size " + std::to_string(item_size) + " (1, 2 or 4 expected)");
      variable.type = item_size == 4 ? StoredType::Float32 : item_size == 2 ? StoredType::Int16 : StoredType::Int8;
      byte_size = uint64_t{in.scalar<uint32_t>(named + " element count")} * item_size;
    }
    if (byte_size != elements * stored_type_size(variable.type))
      in.fail(named + " holds " + std::to_string(byte_size) + " bytes but its shape and type need " +
              std::to_string(elements * stored_type_size(variable.type)));
    variable.byte_size = static_cast<size_t>(byte_size);
    variable.data = in.take(variable.byte_size, named + " data");
    if (model.revision == 1) name = v1_variable_name(std::move(name));
    if (!model.variables.emplace(name, variable).second) in.fail(named + " appears twice");
  }
  if (model.binary_version >= 3) {
    const auto aliases = in.scalar<uint32_t>("the alias count");
    for (uint32_t index = 0; index < aliases; ++index) {
      const std::string alias = in.string("alias " + std::to_string(index));
      const std::string target = in.string("the target of alias '" + alias + "'");
      const auto found = model.variables.find(target);
      if (found == model.variables.end()) in.fail("alias '" + alias + "' names a missing variable '" + target + "'");
      const Variable variable = found->second;
      model.variables.emplace(alias, variable);
      for (const char* suffix : {"_scale", "_zero"})  // an alias covers the quantization scales too
        if (const auto scale = model.variables.find(target + suffix); scale != model.variables.end()) {
          const Variable scale_variable = scale->second;
          model.variables.emplace(alias + suffix, scale_variable);
        }
    }
  }
  if (in.remaining() != 0) in.fail(std::to_string(in.remaining()) + " unexpected bytes after the last variable");
  return model;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(std::move(line));
  // CTranslate2 drops a trailing carriage return only when every line has one.
  const bool all_crlf = !lines.empty() && std::all_of(lines.begin(), lines.end(), [](const std::string& line) {
    return !line.empty() && line.back() == '\r';
  });
  if (all_crlf)
    for (std::string& line : lines) line.pop_back();
  return lines;
}

json parse_json_text(const std::string& text, const std::string& origin) {
  try {
    return json::parse(text);
  } catch (const json::exception& failure) {
    std::string reason = failure.what();
    std::replace(reason.begin(), reason.end(), '\n', ' ');
    throw Error(origin + ": not valid JSON (" + reason + ")");
  }
}

// config.json with CTranslate2's defaults for the keys an older model lacks.
struct Ct2Config {
  std::string unk = "<unk>", bos = "<s>", eos = "</s>";
  std::optional<std::string> decoder_start = "<s>";
  bool add_source_bos = false, add_source_eos = false;
  std::optional<double> layer_norm_epsilon;
};

Ct2Config read_config(const CTranslate2Files& files) {
  Ct2Config config;
  const auto text = files.read("config.json");
  if (!text) return config;
  const std::string origin = files.origin + "/config.json";
  const json value = parse_json_text(*text, origin);
  if (!value.is_object()) throw Error(origin + ": expected a JSON object");
  const auto string_field = [&](const char* key, std::string& out) {
    if (!value.contains(key)) return;
    if (!value[key].is_string()) throw Error(origin + ": field '" + key + "' must be a string");
    out = value[key].get<std::string>();
  };
  const auto bool_field = [&](const char* key, bool& out) {
    if (!value.contains(key) || value[key].is_null()) return;
    if (!value[key].is_boolean()) throw Error(origin + ": field '" + key + "' must be true or false");
    out = value[key].get<bool>();
  };
  string_field("unk_token", config.unk);
  string_field("bos_token", config.bos);
  string_field("eos_token", config.eos);
  if (value.contains("decoder_start_token")) {
    const json& start = value["decoder_start_token"];
    if (start.is_null()) config.decoder_start.reset();
    else if (start.is_string()) config.decoder_start = start.get<std::string>();
    else throw Error(origin + ": field 'decoder_start_token' must be a string or null");
  } else {
    config.decoder_start = config.bos;
  }
  bool_field("add_source_bos", config.add_source_bos);
  bool_field("add_source_eos", config.add_source_eos);
  if (value.contains("layer_norm_epsilon") && !value["layer_norm_epsilon"].is_null()) {
    if (!value["layer_norm_epsilon"].is_number() || !(value["layer_norm_epsilon"].get<double>() > 0))
      throw Error(origin + ": field 'layer_norm_epsilon' must be a positive number");
    config.layer_norm_epsilon = value["layer_norm_epsilon"].get<double>();
  }
  return config;
}

// One vocabulary (shared, source or target) from its .json (a list of tokens) or .txt (a token
// per line), with <unk> appended when the file lacks it, as CTranslate2 does.
std::optional<std::vector<std::string>> read_vocabulary(const CTranslate2Files& files, const std::string& stem,
                                                        const std::string& unk) {
  std::vector<std::string> tokens;
  if (const auto text = files.read(stem + ".json")) {
    const std::string origin = files.origin + "/" + stem + ".json";
    const json value = parse_json_text(*text, origin);
    if (!value.is_array()) throw Error(origin + ": expected a JSON list of tokens");
    for (const json& token : value) {
      if (!token.is_string()) throw Error(origin + ": holds a " + std::string(token.type_name()) + ", not a token");
      tokens.push_back(token.get<std::string>());
    }
  } else if (const auto lines = files.read(stem + ".txt")) {
    tokens = split_lines(*lines);
  } else {
    return std::nullopt;
  }
  if (std::find(tokens.begin(), tokens.end(), unk) == tokens.end()) tokens.push_back(unk);
  return tokens;
}

struct Vocabularies {
  std::vector<std::string> source, target;
  bool shared = false;
};

Vocabularies read_vocabularies(const CTranslate2Files& files, const Ct2Config& config) {
  Vocabularies vocabularies;
  if (auto shared = read_vocabulary(files, "shared_vocabulary", config.unk)) {
    vocabularies.source = vocabularies.target = std::move(*shared);
    vocabularies.shared = true;
    return vocabularies;
  }
  auto target = read_vocabulary(files, "target_vocabulary", config.unk);
  if (!target) throw Error(files.origin + ": no vocabulary (shared_vocabulary or target_vocabulary .json/.txt)");
  auto source = read_vocabulary(files, "source_vocabulary", config.unk);
  if (!source) {
    if (files.read("source_1_vocabulary.json") || files.read("source_1_vocabulary.txt"))
      throw Error(files.origin + ": has several source vocabularies (source features), which crossmt does not support");
    throw Error(files.origin + ": no source vocabulary (source_vocabulary .json/.txt)");
  }
  vocabularies.source = std::move(*source);
  vocabularies.target = std::move(*target);
  return vocabularies;
}

int token_id(const std::vector<std::string>& vocabulary, const std::string& token) {
  const auto found = std::find(vocabulary.begin(), vocabulary.end(), token);
  return found == vocabulary.end() ? -1 : static_cast<int>(found - vocabulary.begin());
}

// The pad token for messages and masks: transformers' "<pad>", else OpenNMT's "<blank>", else EOS.
std::string pad_token(const std::vector<std::string>& vocabulary, const Ct2Config& config) {
  for (const char* candidate : {"<pad>", "<blank>"})
    if (token_id(vocabulary, candidate) >= 0) return candidate;
  return config.eos;
}

// Builds the HF-named tensor map from model.bin's variables, converting where crossmt's loader
// needs another layout (split fused projections, reciprocal int8 scales, dequantized int16).
class Mapper {
 public:
  Mapper(const ModelBin& model, std::string origin) : model_(model), origin_(std::move(origin)) {}

  bool has(const std::string& name) const { return model_.variables.count(name) != 0; }

  const Variable& variable(const std::string& name) {
    const auto found = model_.variables.find(name);
    if (found == model_.variables.end()) fail("variable '" + name + "' is missing");
    used_.insert(name);
    return found->second;
  }

  // A scalar attribute, looked up under the first present name.
  std::optional<double> attribute(std::initializer_list<std::string> names) {
    for (const std::string& name : names) {
      if (!has(name)) continue;
      const Variable& value = variable(name);
      if (value.elements() != 1) fail("variable '" + name + "' should be a scalar");
      return element(value, 0, name);
    }
    return std::nullopt;
  }

  double element(const Variable& value, int64_t index, const std::string& name) const {
    const std::byte* at = value.data + index * stored_type_size(value.type);
    switch (value.type) {
      case StoredType::Float32: { float v; std::memcpy(&v, at, 4); return v; }
      case StoredType::Int8: return static_cast<double>(static_cast<int8_t>(*at));
      case StoredType::Int16: { int16_t v; std::memcpy(&v, at, 2); return v; }
      case StoredType::Int32: { int32_t v; std::memcpy(&v, at, 4); return v; }
      case StoredType::Float16: { uint16_t v; std::memcpy(&v, at, 2); return f16_to_f32(v); }
      case StoredType::BFloat16: { uint16_t v; std::memcpy(&v, at, 2); return bf16_to_f32(v); }
    }
    fail("variable '" + name + "' has an unknown type");
  }

  // The checkpoint dtype of a float variable; any other type is an error naming it.
  DType float_dtype(const Variable& value, const std::string& name) const {
    switch (value.type) {
      case StoredType::Float32: return DType::F32;
      case StoredType::Float16: return DType::F16;
      case StoredType::BFloat16: return DType::BF16;
      default: fail("variable '" + name + "' is " + stored_type_name(value.type) + ", a float type was expected");
    }
  }

  // A float tensor as it is stored (F32/F16/BF16).
  void put_float(const std::string& hf_name, const std::string& name, const Shape& shape) {
    const Variable& value = variable(name);
    check_shape(name, value, shape);
    put_view(hf_name, float_dtype(value, name), shape, value.data, value.byte_size);
  }

  // Rows [first, first + rows) of a weight [out, in] (int8 with its scales, int16 dequantized, or
  // float), stored as `hf_name`.
  void put_weight_rows(const std::string& hf_name, const std::string& name, int64_t first, int64_t rows,
                       const Shape& full_shape) {
    const Variable& value = variable(name);
    check_shape(name, value, full_shape);
    const int64_t columns = full_shape[1];
    const size_t item = stored_type_size(value.type);
    const std::byte* start = value.data + static_cast<size_t>(first * columns) * item;
    const size_t bytes = static_cast<size_t>(rows * columns) * item;
    const Shape shape{rows, columns};
    if (value.type == StoredType::Int8) {
      const Variable& scales = variable(name + "_scale");
      if (scales.elements() != full_shape[0]) fail("variable '" + name + "_scale' does not hold one scale per row");
      put_view(hf_name, DType::I8, shape, start, bytes);
      put_reciprocal_scales(hf_name + "_scale", name + "_scale", scales, first, rows);
    } else if (value.type == StoredType::Int16) {
      const double scale = int16_scale(name);
      std::vector<float>& weights = buffer(static_cast<size_t>(rows * columns));
      for (int64_t i = 0; i < rows * columns; ++i)
        weights[i] = static_cast<float>(element(value, first * columns + i, name) / scale);
      put_buffer(hf_name, shape, weights);
    } else {
      put_view(hf_name, float_dtype(value, name), shape, start, bytes);
    }
  }

  // Rows of a bias [out]; zeros when the layer has none (transformers' BART layers all have one).
  void put_bias_rows(const std::string& hf_name, const std::string& name, int64_t first, int64_t rows,
                     int64_t full_rows) {
    if (!has(name)) {
      put_buffer(hf_name, {rows}, buffer(static_cast<size_t>(rows)));
      return;
    }
    const Variable& value = variable(name);
    check_shape(name, value, {full_rows});
    const size_t item = stored_type_size(value.type);
    put_view(hf_name, float_dtype(value, name), {rows}, value.data + static_cast<size_t>(first) * item, static_cast<size_t>(rows) * item);
  }

  // An embedding table: int8 tables stay int8 (crossmt's int8 path looks their rows up as they are
  // stored), int16 ones are dequantized.
  void put_embedding(const std::string& hf_name, const std::string& name, const Shape& shape) {
    put_weight_rows(hf_name, name, 0, shape[0], shape);
  }

  // CTranslate2 stores value = round(weight * scale); crossmt's scales multiply. 1.f / scale in
  // float, as CTranslate2 dequantizes, so that both see the same weights.
  void put_reciprocal_scales(const std::string& hf_name, const std::string& name, const Variable& scales,
                             int64_t first, int64_t rows) {
    std::vector<float>& reciprocal = buffer(static_cast<size_t>(rows));
    for (int64_t r = 0; r < rows; ++r) {
      const float scale = static_cast<float>(element(scales, first + r, name));
      if (!(scale > 0) || !std::isfinite(scale)) fail("variable '" + name + "' holds a non-positive scale");
      reciprocal[r] = 1.f / scale;
    }
    put_buffer(hf_name, {rows}, reciprocal);
  }

  // int16 weights have one scale per matrix; models older than the saved scales used 1000
  // (CTranslate2's Quantize::global_int16_scale).
  double int16_scale(const std::string& name) {
    if (!has(name + "_scale")) return 1000;
    const Variable& scales = variable(name + "_scale");
    if (scales.elements() != 1) fail("variable '" + name + "_scale' should be a scalar");
    const double scale = element(scales, 0, name + "_scale");
    if (!(scale > 0) || !std::isfinite(scale)) fail("variable '" + name + "_scale' holds a non-positive scale");
    return scale;
  }

  void put_buffer(const std::string& hf_name, const Shape& shape, const std::vector<float>& values) {
    put_view(hf_name, DType::F32, shape, reinterpret_cast<const std::byte*>(values.data()), values.size() * sizeof(float));
  }

  std::vector<float>& buffer(size_t size) { return buffers_->emplace_back(size, 0.f); }

  // Variables not mapped: a zero/false attribute is a feature left off and fine; anything else
  // is a part of the model crossmt would silently drop, so it is an error.
  void check_all_used() {
    for (const auto& [name, value] : model_.variables) {
      if (used_.count(name)) continue;
      if (value.elements() == 1 && element(value, 0, name) == 0) continue;
      fail("variable '" + name + "' is part of a model feature crossmt does not implement");
    }
  }

  [[noreturn]] void fail(const std::string& problem) const { throw Error(origin_ + ": " + problem); }

  std::map<std::string, StoredTensor> take_tensors() { return std::move(tensors_); }
  std::shared_ptr<std::deque<std::vector<float>>> buffers() const { return buffers_; }

 private:
  void check_shape(const std::string& name, const Variable& value, const Shape& shape) const {
    if (value.shape != shape)
      fail("variable '" + name + "' has shape " + shape_to_string(value.shape) + " but the model implies " +
           shape_to_string(shape));
  }

  void put_view(const std::string& hf_name, DType dtype, const Shape& shape, const std::byte* data, size_t bytes) {
    tensors_[hf_name] = StoredTensor{dtype, shape, data, bytes};
  }

  const ModelBin& model_;
  std::string origin_;
  std::set<std::string> used_;
  std::map<std::string, StoredTensor> tensors_;
  // std::deque never moves its elements, so tensors can point into them as they are added.
  std::shared_ptr<std::deque<std::vector<float>>> buffers_ = std::make_shared<std::deque<std::vector<float>>>();
};

// CTranslate2's SinusoidalPositionEncoder: position t uses (t + 1) * 10000^(-i / (d/2 - 1)),
// sin in the first half, cos in the second, in f32.
void sinusoidal_rows(float* out, int64_t rows, int64_t depth) {
  const int64_t half = depth / 2;
  const float increment = std::log(10000.f) / static_cast<float>(half - 1);
  for (int64_t t = 0; t < rows; ++t)
    for (int64_t i = 0; i < half; ++i) {
      const float angle = static_cast<float>(t + 1) * std::exp(-increment * static_cast<float>(i));
      out[t * depth + i] = std::sin(angle);
      out[t * depth + half + i] = std::cos(angle);
    }
}

// Positions a generated sinusoid gives (CTranslate2's own default input limit).
constexpr int64_t kSinusoidalPositions = 1024;

struct StackShape {
  int layers = 0, heads = 0, ffn = 0;
  bool pre_norm = true;
  int activation = 0;
  std::optional<double> embed_scale;  // nullopt: not scaled
  bool layernorm_embedding = false;
};

const char* activation_name(int activation, Mapper& mapper, const std::string& scope) {
  switch (activation) {
    case 0: return "relu";
    case 1: return "gelu_new";  // GELUTanh
    case 2: return "swish";
    case 3: return "gelu";
  }
  mapper.fail(scope + "/activation " + std::to_string(activation) +
              " (GELUSigmoid, Tanh or Sigmoid) is an activation crossmt does not implement");
}

int count_layers(const Mapper& mapper, const std::string& scope) {
  int layers = 0;
  while (mapper.has(scope + "/layer_" + std::to_string(layers) + "/ffn/linear_0/weight")) ++layers;
  return layers;
}

// CTranslate2's build_embeddings_scale: absent means sqrt(depth) (old models), an int8 flag
// means sqrt(depth) or nothing, a float is the scale itself.
std::optional<double> embedding_scale(Mapper& mapper, const std::string& scope, int64_t depth) {
  for (const std::string& name : {scope + "/scale_embeddings", scope + "/embeddings/multiply_by_sqrt_depth"}) {
    if (!mapper.has(name)) continue;
    const Variable& value = mapper.variable(name);
    const double scale = mapper.element(value, 0, name);
    if (value.type == StoredType::Int8) return scale != 0 ? std::optional(std::sqrt(double(depth))) : std::nullopt;
    if (scale == 1) return std::nullopt;
    return scale;
  }
  return std::sqrt(static_cast<double>(depth));
}

StackShape read_stack_shape(Mapper& mapper, const std::string& scope, int default_heads, int64_t depth) {
  StackShape shape;
  shape.layers = count_layers(mapper, scope);
  if (shape.layers == 0) mapper.fail("no " + scope + " layers (variable '" + scope + "/layer_0/ffn/linear_0/weight')");
  // Before revision 5 the attributes were shared by both stacks; before 3 the spec fixed the heads.
  shape.heads = static_cast<int>(mapper.attribute({scope + "/num_heads", "num_heads"}).value_or(default_heads));
  shape.pre_norm = mapper.attribute({scope + "/pre_norm", "pre_norm"}).value_or(1) != 0;
  shape.activation = static_cast<int>(mapper.attribute({scope + "/activation", "activation"}).value_or(0));
  if (scope == "encoder") mapper.attribute({"encoder/embeddings_merge", "embeddings_merge"});
  if (scope == "decoder") mapper.attribute({"decoder/alignment_layer", "alignment_layer"});
  if (scope == "decoder") mapper.attribute({"decoder/alignment_heads", "alignment_heads"});
  if (shape.heads <= 0 || depth % shape.heads != 0)
    mapper.fail(scope + " has " + std::to_string(shape.heads) + " heads, which do not divide d_model " +
                std::to_string(depth));
  shape.embed_scale = embedding_scale(mapper, scope, depth);
  shape.layernorm_embedding = mapper.has(scope + "/layernorm_embedding/gamma");
  const Variable& ffn = mapper.variable(scope + "/layer_0/ffn/linear_0/weight");
  if (ffn.shape.size() != 2) mapper.fail("variable '" + scope + "/layer_0/ffn/linear_0/weight' is not a matrix");
  shape.ffn = static_cast<int>(ffn.shape[0]);
  return shape;
}

void put_norm(Mapper& mapper, const std::string& hf_prefix, const std::string& scope, int64_t depth) {
  if (!mapper.has(scope + "/beta"))
    mapper.fail("variable '" + scope + "/gamma' has no '" + scope + "/beta': RMSNorm is not supported");
  mapper.put_float(hf_prefix + ".weight", scope + "/gamma", {depth});
  mapper.put_float(hf_prefix + ".bias", scope + "/beta", {depth});
}

// A linear layer (weight [out, in], optional bias), possibly split into parts along `out`.
void put_linear_parts(Mapper& mapper, const std::vector<std::string>& hf_prefixes, const std::string& scope,
                      int64_t out_each, int64_t in) {
  const int64_t parts = static_cast<int64_t>(hf_prefixes.size());
  const Shape full{out_each * parts, in};
  for (int64_t p = 0; p < parts; ++p) {
    mapper.put_weight_rows(hf_prefixes[p] + ".weight", scope + "/weight", p * out_each, out_each, full);
    mapper.put_bias_rows(hf_prefixes[p] + ".bias", scope + "/bias", p * out_each, out_each, out_each * parts);
  }
}

void check_queries_scale(Mapper& mapper, const std::string& scope, int64_t head_dim) {
  if (const auto scale = mapper.attribute({scope + "/queries_scale"})) {
    const double expected = 1.0 / std::sqrt(static_cast<double>(head_dim));
    if (std::abs(*scale - expected) > 1e-6 * expected)
      mapper.fail("variable '" + scope + "/queries_scale' is " + std::to_string(*scale) +
                  "; crossmt scales queries by 1/sqrt(head size) = " + std::to_string(expected));
  }
}

void refuse_if_present(Mapper& mapper, const std::string& name, const std::string& feature) {
  if (mapper.has(name)) mapper.fail("variable '" + name + "': " + feature + " is not supported");
}

// Position rows (stored, or CTranslate2's sinusoid) behind two unused rows: transformers' learned
// BART positions start at offset 2.
int64_t put_positions(Mapper& mapper, const std::string& hf_name, const std::string& scope, int64_t depth,
                      int64_t rows) {
  std::vector<float>& table = mapper.buffer(static_cast<size_t>((rows + 2) * depth));
  const std::string name = scope + "/position_encodings/encodings";
  if (mapper.has(name)) {
    const Variable& stored = mapper.variable(name);
    if (stored.shape.size() != 2 || stored.shape[1] != depth || stored.shape[0] < rows)
      mapper.fail("variable '" + name + "' has shape " + shape_to_string(stored.shape));
    if (stored.type != StoredType::Float32 && stored.type != StoredType::Float16 && stored.type != StoredType::BFloat16)
      mapper.fail("variable '" + name + "' is " + stored_type_name(stored.type) + ", a float type was expected");
    for (int64_t i = 0; i < rows * depth; ++i)
      table[2 * depth + i] = static_cast<float>(mapper.element(stored, i, name));
  } else {
    sinusoidal_rows(table.data() + 2 * depth, rows, depth);
  }
  mapper.put_buffer(hf_name, {rows + 2, depth}, table);
  return rows;
}

bool stores_marian_sinusoid(Mapper& mapper, const std::string& scope, int64_t depth) {
  const std::string name = scope + "/position_encodings/encodings";
  if (!mapper.has(name)) return false;
  const Variable& stored = mapper.variable(name);
  if (stored.shape.size() != 2 || stored.shape[1] != depth || stored.type != StoredType::Float32) return false;
  const Tensor expected = marian_positions(stored.shape[0], depth);
  for (int64_t i = 0; i < expected.size(); ++i)
    if (std::abs(mapper.element(stored, i, name) - expected[i]) > 1e-6) return false;
  return true;
}

int64_t position_rows(Mapper& mapper, const std::string& scope) {
  const std::string name = scope + "/position_encodings/encodings";
  if (!mapper.has(name)) return kSinusoidalPositions;
  const Variable& stored = mapper.variable(name);
  if (stored.shape.size() != 2) mapper.fail("variable '" + name + "' is not a matrix");
  return stored.shape[0];
}

std::string ctranslate2_format_name(const ModelBin& model) {
  return "CTranslate2 model.bin (binary version " + std::to_string(model.binary_version) + ", " +
         (model.spec.empty() ? std::string("TransformerBase") : model.spec) + " revision " +
         std::to_string(model.revision) + ")";
}

}  // namespace

std::optional<std::string> read_file_if_present(const fs::path& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) return std::nullopt;
  std::ifstream stream(path, std::ios::binary);
  if (!stream) throw Error(path.string() + ": cannot read");
  return std::string((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
}

bool is_ctranslate2_folder(const fs::path& path) {
  std::error_code error;
  return fs::is_directory(path, error) && fs::is_regular_file(path / "model.bin", error);
}

CTranslate2Files ctranslate2_folder_files(const fs::path& folder) {
  CTranslate2Files files;
  files.origin = folder.string();
  auto mapping = std::make_shared<const MappedFile>(folder / "model.bin");
  files.model_bin = mapping->bytes();
  files.owner = mapping;
  files.read = [folder](const std::string& name) { return read_file_if_present(folder / name); };
  return files;
}

TokenizerParts ctranslate2_tokenizer_parts(const CTranslate2Files& files) {
  const Ct2Config config = read_config(files);
  Vocabularies vocabularies = read_vocabularies(files, config);
  TokenizerParts parts;
  parts.origin = files.origin;
  parts.eos = config.eos;
  parts.unk = config.unk;
  parts.bos = config.bos;
  parts.pad = pad_token(vocabularies.target, config);
  if (token_id(vocabularies.source, parts.pad) < 0) parts.pad = config.eos;
  parts.add_source_bos = config.add_source_bos;
  parts.add_source_eos = config.add_source_eos;
  parts.source_vocabulary = std::move(vocabularies.source);
  if (!vocabularies.shared) parts.target_vocabulary = std::move(vocabularies.target);
  if (auto source = files.read("source.spm")) {
    parts.source_sentencepiece = std::move(source);
    parts.target_sentencepiece = files.read("target.spm");
    parts.sentencepiece_origin = files.origin + "/source.spm";
    if (!parts.target_sentencepiece) throw Error(files.origin + "/target.spm: missing (the folder has source.spm)");
  } else if (auto shared = files.read("sentencepiece.model")) {
    parts.source_sentencepiece = parts.target_sentencepiece = std::move(shared);
    parts.sentencepiece_origin = files.origin + "/sentencepiece.model";
  }
  return parts;
}

Checkpoint ctranslate2_checkpoint(const CTranslate2Files& files) {
  const std::string origin = files.origin + "/model.bin";
  const ModelBin model = parse_model_bin(files.model_bin, origin);
  const Ct2Config ct2_config = read_config(files);
  const Vocabularies vocabularies = read_vocabularies(files, ct2_config);
  Mapper mapper(model, origin);

  // TransformerSpec stores the source embeddings as a list (embeddings_0, embeddings_1 for source
  // features); older specs as one "embeddings".
  if (mapper.has("encoder/embeddings_1/weight"))
    mapper.fail("variable 'encoder/embeddings_1/weight': source features (several source embeddings) are not supported");
  const std::string source_table = mapper.has("encoder/embeddings/weight") ? "encoder/embeddings/weight"
                                                                           : "encoder/embeddings_0/weight";
  const Variable& source_embeddings = mapper.variable(source_table);
  const Variable& target_embeddings = mapper.variable("decoder/embeddings/weight");
  if (source_embeddings.shape.size() != 2 || target_embeddings.shape.size() != 2)
    mapper.fail("the embeddings are not matrices");
  const int64_t depth = source_embeddings.shape[1];
  const int64_t source_vocab = source_embeddings.shape[0], target_vocab = target_embeddings.shape[0];
  if (static_cast<int64_t>(vocabularies.source.size()) != source_vocab)
    mapper.fail("the source vocabulary has " + std::to_string(vocabularies.source.size()) +
                " tokens but '" + source_table + "' has " + std::to_string(source_vocab) + " rows");
  if (static_cast<int64_t>(vocabularies.target.size()) != target_vocab)
    mapper.fail("the target vocabulary has " + std::to_string(vocabularies.target.size()) +
                " tokens but 'decoder/embeddings/weight' has " + std::to_string(target_vocab) + " rows");

  const int default_heads = model.spec == "TransformerBig" ? 16 : 8;
  const StackShape encoder = read_stack_shape(mapper, "encoder", default_heads, depth);
  const StackShape decoder = read_stack_shape(mapper, "decoder", default_heads, depth);
  if (encoder.pre_norm != decoder.pre_norm) mapper.fail("the encoder and decoder disagree on pre_norm");
  if (encoder.activation != decoder.activation) mapper.fail("the encoder and decoder use different activations");
  if (encoder.embed_scale != decoder.embed_scale) mapper.fail("the encoder and decoder scale their embeddings differently");
  if (encoder.layernorm_embedding != decoder.layernorm_embedding)
    mapper.fail("only one of the encoder and decoder has layernorm_embedding");
  if (encoder.embed_scale && std::abs(*encoder.embed_scale - std::sqrt(double(depth))) > 1e-4)
    mapper.fail("embeddings scaled by " + std::to_string(*encoder.embed_scale) +
                "; crossmt scales by sqrt(d_model) or not at all");
  if (mapper.attribute({"decoder/start_from_zero_embedding"}).value_or(0) != 0)
    mapper.fail("variable 'decoder/start_from_zero_embedding': a decoder starting from a zero vector is not supported");
  if (mapper.attribute({"decoder/scale_outputs"}).value_or(1) != 1)
    mapper.fail("variable 'decoder/scale_outputs': scaled decoder outputs are not supported");
  const char* activation = activation_name(encoder.activation, mapper, "encoder");

  // Embeddings: one table when the decoder's is an alias of the encoder's (shared vocabulary).
  const bool shared_embeddings = target_embeddings.data == source_embeddings.data;
  if (shared_embeddings) {
    mapper.put_embedding("model.shared.weight", source_table, {source_vocab, depth});
  } else {
    mapper.put_embedding("model.encoder.embed_tokens.weight", source_table, {source_vocab, depth});
    mapper.put_embedding("model.decoder.embed_tokens.weight", "decoder/embeddings/weight", {target_vocab, depth});
  }
  const int64_t positions = std::min(position_rows(mapper, "encoder"), position_rows(mapper, "decoder"));
  // A model converted from transformers' Marian (post-norm, scaled embeddings, Marian's sinusoid
  // stored as the table) is read back as "marian", so that it converts to an HF folder again.
  const bool marian_layout = !encoder.pre_norm && !encoder.layernorm_embedding && encoder.embed_scale &&
                             encoder.activation == 2 && stores_marian_sinusoid(mapper, "encoder", depth) &&
                             stores_marian_sinusoid(mapper, "decoder", depth);
  for (const std::string scope : {"encoder", "decoder"}) {
    const std::string hf = "model." + scope;
    if (!marian_layout) put_positions(mapper, hf + ".embed_positions.weight", scope, depth, positions);
    if (encoder.layernorm_embedding) put_norm(mapper, hf + ".layernorm_embedding", scope + "/layernorm_embedding", depth);
    const bool final_norm = mapper.has(scope + "/layer_norm/gamma");
    if (encoder.pre_norm && !final_norm)
      mapper.fail("pre-norm " + scope + " without a final layer norm ('" + scope + "/layer_norm') is not supported");
    if (!encoder.pre_norm && final_norm)
      mapper.fail("variable '" + scope + "/layer_norm/gamma': a post-norm stack with a final layer norm is not supported");
    if (final_norm) put_norm(mapper, hf + ".layer_norm", scope + "/layer_norm", depth);
  }

  const auto put_layer_common = [&](const std::string& scope, const std::string& hf, const StackShape& stack) {
    for (const char* feature : {"relative_position_keys", "relative_attention_bias", "rotary_dim", "q_norm"})
      refuse_if_present(mapper, scope + "/self_attention/" + feature, std::string(feature));
    refuse_if_present(mapper, scope + "/ffn/linear_0_noact/weight", "a gated feed-forward (GLU)");
    check_queries_scale(mapper, scope + "/self_attention", depth / stack.heads);
    put_linear_parts(mapper, {hf + ".self_attn.q_proj", hf + ".self_attn.k_proj", hf + ".self_attn.v_proj"},
                     scope + "/self_attention/linear_0", depth, depth);
    put_linear_parts(mapper, {hf + ".self_attn.out_proj"}, scope + "/self_attention/linear_1", depth, depth);
    put_norm(mapper, hf + ".self_attn_layer_norm", scope + "/self_attention/layer_norm", depth);
    put_linear_parts(mapper, {hf + ".fc1"}, scope + "/ffn/linear_0", stack.ffn, depth);
    put_linear_parts(mapper, {hf + ".fc2"}, scope + "/ffn/linear_1", depth, stack.ffn);
    put_norm(mapper, hf + ".final_layer_norm", scope + "/ffn/layer_norm", depth);
  };
  for (int l = 0; l < encoder.layers; ++l)
    put_layer_common("encoder/layer_" + std::to_string(l), "model.encoder.layers." + std::to_string(l), encoder);
  for (int l = 0; l < decoder.layers; ++l) {
    const std::string scope = "decoder/layer_" + std::to_string(l), hf = "model.decoder.layers." + std::to_string(l);
    put_layer_common(scope, hf, decoder);
    check_queries_scale(mapper, scope + "/attention", depth / decoder.heads);
    put_linear_parts(mapper, {hf + ".encoder_attn.q_proj"}, scope + "/attention/linear_0", depth, depth);
    put_linear_parts(mapper, {hf + ".encoder_attn.k_proj", hf + ".encoder_attn.v_proj"}, scope + "/attention/linear_1",
                     depth, depth);
    put_linear_parts(mapper, {hf + ".encoder_attn.out_proj"}, scope + "/attention/linear_2", depth, depth);
    put_norm(mapper, hf + ".encoder_attn_layer_norm", scope + "/attention/layer_norm", depth);
  }

  // Output projection: tied to the decoder embeddings when model.bin aliases them.
  const Variable& projection = mapper.variable("decoder/projection/weight");
  const bool tied_output = projection.data == target_embeddings.data;
  if (!tied_output)
    mapper.put_weight_rows("lm_head.weight", "decoder/projection/weight", 0, target_vocab, {target_vocab, depth});
  else if (mapper.has("decoder/projection/weight_scale"))
    mapper.variable("decoder/projection/weight_scale");
  {
    std::vector<float>& bias = mapper.buffer(static_cast<size_t>(target_vocab));
    if (mapper.has("decoder/projection/bias")) {
      const Variable& stored = mapper.variable("decoder/projection/bias");
      if (stored.elements() != target_vocab) mapper.fail("variable 'decoder/projection/bias' does not match the vocabulary");
      for (int64_t i = 0; i < target_vocab; ++i) bias[i] = static_cast<float>(mapper.element(stored, i, "decoder/projection/bias"));
    }
    mapper.put_buffer("final_logits_bias", {1, target_vocab}, bias);
  }
  for (const std::string& name : {source_table + "_scale", std::string("decoder/embeddings/weight_scale")})
    if (mapper.has(name)) mapper.variable(name);
  mapper.check_all_used();

  // Special tokens as ids of the target vocabulary (the source shares them when it has them).
  if (!ct2_config.decoder_start)
    mapper.fail("config.json sets no decoder_start_token (the start comes from a target prefix), which crossmt does not support");
  const auto target_id = [&](const std::string& token, const char* role) {
    const int id = token_id(vocabularies.target, token);
    if (id < 0) throw Error(files.origin + ": the " + std::string(role) + " token \"" + token + "\" is not in the target vocabulary");
    return id;
  };
  const int decoder_start = target_id(*ct2_config.decoder_start, "decoder start");
  const int eos = target_id(ct2_config.eos, "end");
  const int pad = target_id(pad_token(vocabularies.target, ct2_config), "padding");
  const int bos = token_id(vocabularies.target, ct2_config.bos);

  json config = {
      {"model_type", marian_layout ? "marian" : encoder.pre_norm ? "mbart" : "bart"},
      {"architectures", {marian_layout     ? "MarianMTModel"
                         : encoder.pre_norm ? "MBartForConditionalGeneration"
                                            : "BartForConditionalGeneration"}},
      {"d_model", depth},
      {"encoder_layers", encoder.layers},
      {"decoder_layers", decoder.layers},
      {"encoder_attention_heads", encoder.heads},
      {"decoder_attention_heads", decoder.heads},
      {"encoder_ffn_dim", encoder.ffn},
      {"decoder_ffn_dim", decoder.ffn},
      {"vocab_size", source_vocab},
      {"decoder_vocab_size", target_vocab},
      {"max_position_embeddings", positions},
      {"activation_function", activation},
      {"scale_embedding", encoder.embed_scale.has_value()},
      {"tie_word_embeddings", tied_output},
      {"share_encoder_decoder_embeddings", shared_embeddings},
      {"pad_token_id", pad},
      {"eos_token_id", eos},
      {"bos_token_id", bos < 0 ? json(nullptr) : json(bos)},
      {"decoder_start_token_id", decoder_start},
      {"forced_eos_token_id", nullptr},
      {"layer_norm_epsilon", ct2_config.layer_norm_epsilon.value_or(1e-5)},
  };
  // CTranslate2's TranslationOptions defaults: beam 2, 256 generated tokens (</s> included).
  json generation = {{"num_beams", 2}, {"max_length", 257}, {"decoder_start_token_id", decoder_start},
                     {"eos_token_id", eos}, {"pad_token_id", pad}, {"forced_eos_token_id", nullptr}};
  ModelConfig model_config = parse_model_config(config, generation, files.origin + " (config derived from model.bin)");
  model_config.layer_norm_epsilon = ct2_config.layer_norm_epsilon.value_or(1e-5);
  model_config.format = "ctranslate2";
  model_config.format_description = ctranslate2_format_name(model);

  struct Owner {
    std::shared_ptr<const void> file;
    std::shared_ptr<std::deque<std::vector<float>>> buffers;
  };
  auto owner = std::make_shared<const Owner>(Owner{files.owner, mapper.buffers()});
  return Checkpoint(std::move(model_config), mapper.take_tensors(), owner, origin);
}

}  // namespace crossmt
