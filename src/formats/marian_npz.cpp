// Marian .npz folders <-> crossmt checkpoints with transformers' MarianMT names (see the header).
// The name mapping and the options checked follow transformers' convert_marian_to_pytorch.py.
#include "marian_npz.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <list>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "crossmt/config.h"
#include "crossmt/error.h"
#include "npy.h"
#include "zip_archive.h"

namespace crossmt {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kModelYml = "special:model.yml";
constexpr const char* kCrossmtYml = "special:crossmt.yml";
constexpr const char* kPadRowPrefix = "special:crossmt-pad-row:";  // + the HF tensor name
constexpr long long kMaxVocabularyId = 1 << 24;

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string read_text_file(const fs::path& file) {
  std::ifstream stream(file, std::ios::binary);
  if (!stream) throw Error(file.string() + ": cannot read");
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

YAML::Node parse_yaml(const std::string& text, const std::string& origin) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& failure) {
    throw Error(origin + ": not valid YAML (" + one_line(failure.what()) + ")");
  }
}

// ---- model.yml options ----

class MarianOptions {
 public:
  MarianOptions(YAML::Node root, std::string origin) : root_(std::move(root)), origin_(std::move(origin)) {
    if (!root_.IsMap()) throw Error(origin_ + ": expected a YAML mapping of Marian options");
  }
  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw Error(origin_ + ": option '" + key + "' " + what);
  }
  bool has(const std::string& key) const { return static_cast<bool>(root_[key]); }
  std::string string(const std::string& key, const std::optional<std::string>& fallback = std::nullopt) const {
    const YAML::Node node = root_[key];
    if (!node || node.IsNull()) {
      if (!fallback) fail(key, "is missing");
      return *fallback;
    }
    if (!node.IsScalar()) fail(key, "must be a single value");
    return node.Scalar();
  }
  bool boolean(const std::string& key, bool fallback) const {
    const std::string value = string(key, fallback ? "true" : "false");
    if (value == "true") return true;
    if (value == "false") return false;
    fail(key, "must be true or false, got '" + value + "'");
  }
  long long integer(const std::string& key, const std::optional<long long>& fallback = std::nullopt) const {
    const std::string value = string(key, fallback ? std::optional(std::to_string(*fallback)) : std::nullopt);
    return parse_integer(key, value);
  }
  std::vector<long long> integers(const std::string& key) const {
    const YAML::Node node = root_[key];
    if (!node) fail(key, "is missing");
    if (!node.IsSequence()) fail(key, "must be a list of numbers");
    std::vector<long long> values;
    for (const YAML::Node& item : node) {
      if (!item.IsScalar()) fail(key, "must be a list of numbers");
      values.push_back(parse_integer(key, item.Scalar()));
    }
    return values;
  }
  // The option must have the value crossmt (and the HF conversion) supports.
  void require(const std::string& key, const std::string& supported, const std::string& fallback) const {
    const YAML::Node node = root_[key];
    std::string value = fallback;
    if (node && node.IsSequence() && node.size() == 0) value = "";
    else if (node && !node.IsNull()) value = string(key);
    if (value != supported)
      fail(key, "is '" + value + "', crossmt supports only '" + supported + "'");
  }
  void require_empty_list(const std::string& key) const {
    const YAML::Node node = root_[key];
    if (node && !node.IsNull() && !(node.IsSequence() && node.size() == 0) && !(node.IsScalar() && node.Scalar().empty()))
      fail(key, "is set, crossmt supports only an empty list");
  }

 private:
  long long parse_integer(const std::string& key, const std::string& value) const {
    size_t used = 0;
    long long result = 0;
    try {
      result = std::stoll(value, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != value.size() || result < 0 || result > (1LL << 40))
      fail(key, "must be a non-negative integer, got '" + value + "'");
    return result;
  }
  YAML::Node root_;
  std::string origin_;
};

// ---- the arrays of an npz ----

struct Owner {
  std::list<std::vector<std::byte>> buffers;
};

class NpzItems {
 public:
  NpzItems(const fs::path& file) : origin_(file.string()) {
    const ZipArchive archive = ZipArchive::open(file);
    for (const ZipEntry& entry : archive.entries()) {
      if (ends_with(entry.name, "/")) continue;
      if (!ends_with(entry.name, ".npy"))
        throw Error(origin_ + ": entry '" + entry.name + "' is not a .npy array");
      raw_.push_back(archive.read(entry));
      const std::string name = entry.name.substr(0, entry.name.size() - 4);
      const std::vector<std::byte>& bytes = raw_.back();
      arrays_.emplace(name, parse_npy(bytes, origin_ + ": entry '" + entry.name + "'"));
    }
  }
  const std::string& origin() const { return origin_; }
  bool has(const std::string& name) const { return arrays_.count(name) != 0; }
  const NpyArray& take(const std::string& name) {
    const auto found = arrays_.find(name);
    if (found == arrays_.end()) throw Error(origin_ + ": tensor '" + name + "' is missing");
    used_.insert(name);
    return found->second;
  }
  std::vector<std::string> unused() const {
    std::vector<std::string> names;
    for (const auto& [name, array] : arrays_)
      if (!used_.count(name) && !name.starts_with("special:")) names.push_back(name);
    return names;
  }
  std::string text(const std::string& name) {
    const NpyArray& array = take(name);
    if (array.item_size != 1 || array.shape.size() > 1)
      throw Error(origin_ + ": '" + name + "' must be a 1-D array of bytes, got '" + array.descr + "'");
    std::string value(reinterpret_cast<const char*>(array.data.data()), array.data.size());
    while (!value.empty() && value.back() == '\0') value.pop_back();
    return value;
  }

 private:
  std::string origin_;
  std::list<std::vector<std::byte>> raw_;
  std::map<std::string, NpyArray> arrays_;
  std::set<std::string> used_;
};

std::string shape_text(const Shape& shape) {
  std::string text = "(";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + ")";
}

class TensorBuilder {
 public:
  TensorBuilder(NpzItems& items, Owner& owner) : items_(items), owner_(owner) {}

  DType dtype_of(const std::string& name, const NpyArray& array) const {
    if (array.descr == "<f4" || array.descr == "=f4") return DType::F32;
    if (array.descr == "<f2" || array.descr == "=f2") return DType::F16;
    throw Error(items_.origin() + ": tensor '" + name + "' has dtype '" + array.descr +
                "'; Marian weights are read as float32 or float16");
  }
  const NpyArray& take(const std::string& name, const Shape& expected) {
    const NpyArray& array = items_.take(name);
    Shape shape = array.shape;
    if (expected.size() == 2 && expected[0] == 1 && shape.size() == 1) shape.insert(shape.begin(), 1);
    if (shape != expected)
      throw Error(items_.origin() + ": tensor '" + name + "' has shape " + shape_text(array.shape) + ", expected " +
                  shape_text(expected));
    return array;
  }
  std::vector<std::byte>& buffer(size_t bytes) {
    owner_.buffers.emplace_back(bytes);
    return owner_.buffers.back();
  }
  StoredTensor stored(DType dtype, Shape shape, const std::vector<std::byte>& bytes) {
    return StoredTensor{dtype, std::move(shape), bytes.data(), bytes.size()};
  }
  // Marian [in, out] (x W) -> HF Linear [out, in].
  StoredTensor transposed(const std::string& name, int64_t in, int64_t out) {
    const NpyArray& array = take(name, {in, out});
    const DType dtype = dtype_of(name, array);
    const size_t item = array.item_size;
    auto& bytes = buffer(array.data.size());
    for (int64_t i = 0; i < in; ++i)
      for (int64_t o = 0; o < out; ++o)
        std::memcpy(bytes.data() + (o * in + i) * item, array.data.data() + (i * out + o) * item, item);
    return stored(dtype, {out, in}, bytes);
  }
  // Marian [1, n] -> HF [n].
  StoredTensor vector(const std::string& name, int64_t n) {
    const NpyArray& array = take(name, {1, n});
    auto& bytes = buffer(array.data.size());
    std::memcpy(bytes.data(), array.data.data(), array.data.size());
    return stored(dtype_of(name, array), {n}, bytes);
  }
  // [rows, cols] with one more row appended for <pad>: zeros, or the crossmt pad row when present.
  StoredTensor with_pad_row(const std::string& name, const NpyArray& array, DType dtype, int64_t rows, int64_t cols,
                            const std::string& hf_name, bool transpose) {
    const size_t item = array.item_size;
    auto& bytes = buffer(static_cast<size_t>((rows + 1) * cols) * item);
    if (transpose) {  // array is [cols, rows]
      for (int64_t c = 0; c < cols; ++c)
        for (int64_t r = 0; r < rows; ++r)
          std::memcpy(bytes.data() + (r * cols + c) * item, array.data.data() + (c * rows + r) * item, item);
    } else {
      std::memcpy(bytes.data(), array.data.data(), array.data.size());
    }
    const std::string pad_name = kPadRowPrefix + hf_name;
    if (items_.has(pad_name)) {
      const NpyArray& pad = items_.take(pad_name);
      if (pad.descr != array.descr || static_cast<int64_t>(pad.data.size()) != cols * static_cast<int64_t>(item))
        throw Error(items_.origin() + ": tensor '" + pad_name + "' must hold " + std::to_string(cols) + " values of '" +
                    array.descr + "'");
      std::memcpy(bytes.data() + rows * cols * item, pad.data.data(), pad.data.size());
    }
    (void)name;
    return stored(dtype, {rows + 1, cols}, bytes);
  }

 private:
  NpzItems& items_;
  Owner& owner_;
};

struct LayerName {
  const char* marian;
  const char* hf;
  enum Kind { Square, In, Out, BiasD, BiasFfn, Norm } kind;
};

constexpr LayerName kAttention[] = {
    {"Wq", "q_proj.weight", LayerName::Square}, {"bq", "q_proj.bias", LayerName::BiasD},
    {"Wk", "k_proj.weight", LayerName::Square}, {"bk", "k_proj.bias", LayerName::BiasD},
    {"Wv", "v_proj.weight", LayerName::Square}, {"bv", "v_proj.bias", LayerName::BiasD},
    {"Wo", "out_proj.weight", LayerName::Square}, {"bo", "out_proj.bias", LayerName::BiasD},
};

std::optional<std::string> vocabulary_eos_and_size(const fs::path& folder, int& eos_id, long long& size) {
  const auto files = find_marian_vocabularies(folder);
  if (files.empty()) return std::nullopt;
  const auto pairs = read_marian_vocabulary(files.front());
  size = 0;
  for (const auto& [piece, id] : pairs) {
    size = std::max<long long>(size, id + 1LL);
    if (piece == "</s>") eos_id = id;
  }
  return files.front().string();
}

}  // namespace

// ---- vocabularies ----

std::vector<std::pair<std::string, int>> read_marian_vocabulary(const fs::path& file) {
  const std::string origin = file.string();
  const std::string text = read_text_file(file);
  const YAML::Node root = parse_yaml(text, origin);
  std::vector<std::pair<std::string, int>> pairs;
  if (root.IsNull()) return pairs;
  if (!root.IsMap()) throw Error(origin + ": expected a YAML mapping of pieces to ids");
  pairs.reserve(root.size());
  for (const auto& item : root) {
    std::string piece;
    if (item.first.IsScalar()) {
      piece = item.first.Scalar();
    } else if (item.first.IsNull()) {
      // A plain `~` or `null` key: yaml-cpp drops its spelling; take it from the text (it stays
      // a string, as Python's BaseLoader keeps it).
      const auto position = static_cast<size_t>(std::max(0, item.first.Mark().pos));
      size_t end = position;
      while (end < text.size() && text[end] != ':' && text[end] != ' ' && text[end] != '\n') ++end;
      piece = position < text.size() ? text.substr(position, end - position) : "";
    } else {
      throw Error(origin + ": line " + std::to_string(item.first.Mark().line + 1) + ": a key is not a piece");
    }
    const YAML::Node& value = item.second;
    long long id = -1;
    if (value.IsScalar()) {
      const std::string& spelled = value.Scalar();
      size_t used = 0;
      try {
        id = std::stoll(spelled, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != spelled.size()) id = -1;
    }
    if (id < 0 || id >= kMaxVocabularyId)
      throw Error(origin + ": the id of \"" + piece + "\" is not an integer in [0, " + std::to_string(kMaxVocabularyId) +
                  ")");
    pairs.emplace_back(std::move(piece), static_cast<int>(id));
  }
  return pairs;
}

std::vector<fs::path> find_marian_vocabularies(const fs::path& folder) {
  std::vector<fs::path> shared, source, target;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    if (!ends_with(name, "vocab.yml")) continue;
    if (ends_with(name, "src.vocab.yml")) source.push_back(entry.path());
    else if (ends_with(name, "trg.vocab.yml")) target.push_back(entry.path());
    else shared.push_back(entry.path());
  }
  if (source.size() == 1 && target.size() == 1) return {source.front(), target.front()};
  if (shared.size() == 1) return shared;
  if (shared.size() > 1) {
    std::sort(shared.begin(), shared.end());
    throw Error(folder.string() + ": several vocabularies (" + shared[0].filename().string() + ", " +
                shared[1].filename().string() + "); keep one *vocab.yml");
  }
  return {};
}

// ---- reading ----

std::optional<fs::path> find_marian_npz(const fs::path& path) {
  std::error_code error;
  if (fs::is_regular_file(path, error)) {
    if (ends_with(path.filename().string(), ".npz")) return path;
    return std::nullopt;
  }
  if (!fs::is_directory(path, error) || fs::exists(path / "model.safetensors") || fs::exists(path / "config.json"))
    return std::nullopt;
  std::vector<fs::path> candidates;
  for (const auto& entry : fs::directory_iterator(path, error)) {
    const std::string name = entry.path().filename().string();
    if (ends_with(name, ".npz") && !ends_with(name, ".optimizer.npz") && entry.is_regular_file())
      candidates.push_back(entry.path());
  }
  if (candidates.empty()) return std::nullopt;
  if (candidates.size() > 1) {
    std::sort(candidates.begin(), candidates.end());
    throw Error(path.string() + ": holds several .npz files (" + candidates[0].filename().string() + ", " +
                candidates[1].filename().string() + ", ...); give the one to use");
  }
  return candidates.front();
}

Checkpoint open_marian_npz(const fs::path& npz_file) {
  const fs::path folder = npz_file.has_parent_path() ? npz_file.parent_path() : fs::path(".");
  auto owner = std::make_shared<Owner>();
  NpzItems items(npz_file);
  const std::string origin = items.origin();
  if (!items.has(kModelYml)) throw Error(origin + ": no '" + std::string(kModelYml) + "' (not a Marian model)");
  const std::string yml_origin = origin + ": " + kModelYml;
  const MarianOptions options(parse_yaml(items.text(kModelYml), yml_origin), yml_origin);

  // What crossmt's Marian (= transformers' MarianMTModel) computes; anything else is refused.
  options.require("type", "transformer", "");
  options.require("transformer-postprocess", "dan", "dan");
  options.require("transformer-preprocess", "", "");
  options.require("transformer-postprocess-emb", "d", "d");
  options.require("transformer-postprocess-top", "", "");
  options.require("transformer-decoder-autoreg", "self-attention", "self-attention");
  options.require("transformer-ffn-depth", "2", "2");
  if (options.integer("transformer-decoder-ffn-depth", 0) != 0) options.require("transformer-decoder-ffn-depth", "2", "0");
  options.require_empty_list("transformer-tied-layers");
  for (const char* key : {"layer-normalization", "right-left", "transformer-train-position-embeddings",
                          "transformer-no-projection", "skip"})
    if (options.boolean(key, false)) options.fail(key, "is true, crossmt supports only false");
  if (options.integer("ulr-dim-emb", 0) != 0) options.fail("ulr-dim-emb", "is set, crossmt supports only 0");
  if (options.integer("lemma-dim-emb", 0) != 0) options.fail("lemma-dim-emb", "is set, crossmt supports only 0");
  const std::string activation = options.string("transformer-ffn-activation", "swish");
  if (activation != "swish" && activation != "relu")
    options.fail("transformer-ffn-activation", "is '" + activation + "', crossmt supports swish and relu");

  const int64_t d = options.integer("dim-emb");
  const int64_t heads = options.integer("transformer-heads");
  const int64_t encoder_layers = options.integer("enc-depth");
  const int64_t decoder_layers = options.integer("dec-depth");
  const int64_t encoder_ffn = options.integer("transformer-dim-ffn");
  const int64_t decoder_ffn_option = options.integer("transformer-decoder-dim-ffn", 0);
  const int64_t decoder_ffn = decoder_ffn_option > 0 ? decoder_ffn_option : encoder_ffn;
  if (d <= 0 || heads <= 0 || encoder_layers <= 0 || decoder_layers <= 0 || encoder_ffn <= 0)
    options.fail("dim-emb", "and the depths, heads and ffn sizes must be positive");
  const bool tied_all = options.boolean("tied-embeddings-all", false);
  const bool shared = tied_all || options.boolean("tied-embeddings-src", false);
  const bool tied = tied_all || options.boolean("tied-embeddings", false);
  const bool omit_bias = options.boolean("output-omit-bias", false);

  std::map<std::string, StoredTensor> tensors;
  TensorBuilder builder(items, *owner);
  int64_t vocab = 0;
  const auto embeddings = [&](const std::string& marian, const std::string& hf) {
    const NpyArray& array = items.take(marian);
    if (array.shape.size() != 2 || array.shape[1] != d || array.shape[0] <= 0)
      throw Error(origin + ": tensor '" + marian + "' has shape " + shape_text(array.shape) + ", expected (vocab, " +
                  std::to_string(d) + ")");
    if (vocab != 0 && array.shape[0] != vocab)
      throw Error(origin + ": tensor '" + marian + "' has " + std::to_string(array.shape[0]) +
                  " rows, the other vocabulary " + std::to_string(vocab) + " (crossmt needs equal sizes)");
    vocab = array.shape[0];
    tensors[hf] = builder.with_pad_row(marian, array, builder.dtype_of(marian, array), vocab, d, hf, false);
  };
  if (shared) {
    embeddings("Wemb", "model.shared.weight");
  } else {
    embeddings("encoder_Wemb", "model.encoder.embed_tokens.weight");
    embeddings("decoder_Wemb", "model.decoder.embed_tokens.weight");
  }
  if (!tied) {
    const NpyArray& array = builder.take("decoder_ff_logit_out_W", {d, vocab});
    tensors["lm_head.weight"] =
        builder.with_pad_row("decoder_ff_logit_out_W", array, builder.dtype_of("decoder_ff_logit_out_W", array), vocab, d,
                             "lm_head.weight", true);
  }
  if (!omit_bias || items.has("decoder_ff_logit_out_b")) {
    const NpyArray& bias = builder.take("decoder_ff_logit_out_b", {1, vocab});
    tensors["final_logits_bias"] = builder.with_pad_row("decoder_ff_logit_out_b", bias,
                                                        builder.dtype_of("decoder_ff_logit_out_b", bias), vocab, 1,
                                                        "final_logits_bias", true);
    // [1, vocab] read as the transpose of [vocab, 1]; one more value appended: [1, vocab + 1].
    tensors["final_logits_bias"].shape = {1, vocab + 1};
  } else {
    auto& bytes = builder.buffer(static_cast<size_t>(vocab + 1) * sizeof(float));
    tensors["final_logits_bias"] = builder.stored(DType::F32, {1, vocab + 1}, bytes);
  }
  if (items.has("Wpos")) throw Error(origin + ": tensor 'Wpos' (learned positions) is not supported");

  const auto layer = [&](const std::string& marian_prefix, const std::string& hf_prefix, int64_t ffn, bool decoder) {
    std::vector<std::pair<std::string, std::string>> blocks = {{"self_", "self_attn."}};
    if (decoder) blocks.emplace_back("context_", "encoder_attn.");
    for (const auto& [block, hf_block] : blocks) {
      for (const LayerName& name : kAttention) {
        const std::string source = marian_prefix + block + name.marian;
        const std::string target = hf_prefix + hf_block + name.hf;
        tensors[target] = name.kind == LayerName::Square ? builder.transposed(source, d, d) : builder.vector(source, d);
      }
      const std::string norm = hf_prefix + (block == "self_" ? "self_attn_layer_norm." : "encoder_attn_layer_norm.");
      tensors[norm + "weight"] = builder.vector(marian_prefix + block + "Wo_ln_scale", d);
      tensors[norm + "bias"] = builder.vector(marian_prefix + block + "Wo_ln_bias", d);
    }
    tensors[hf_prefix + "fc1.weight"] = builder.transposed(marian_prefix + "ffn_W1", d, ffn);
    tensors[hf_prefix + "fc1.bias"] = builder.vector(marian_prefix + "ffn_b1", ffn);
    tensors[hf_prefix + "fc2.weight"] = builder.transposed(marian_prefix + "ffn_W2", ffn, d);
    tensors[hf_prefix + "fc2.bias"] = builder.vector(marian_prefix + "ffn_b2", d);
    tensors[hf_prefix + "final_layer_norm.weight"] = builder.vector(marian_prefix + "ffn_ffn_ln_scale", d);
    tensors[hf_prefix + "final_layer_norm.bias"] = builder.vector(marian_prefix + "ffn_ffn_ln_bias", d);
  };
  for (int64_t l = 0; l < encoder_layers; ++l)
    layer("encoder_l" + std::to_string(l + 1) + "_", "model.encoder.layers." + std::to_string(l) + ".", encoder_ffn,
          false);
  for (int64_t l = 0; l < decoder_layers; ++l)
    layer("decoder_l" + std::to_string(l + 1) + "_", "model.decoder.layers." + std::to_string(l) + ".", decoder_ffn,
          true);
  if (const auto unused = items.unused(); !unused.empty())
    throw Error(origin + ": tensor '" + unused.front() + "' has no place in crossmt's model (" +
                std::to_string(unused.size()) + " such)");

  // The HF conversion's config: <pad> appended as id `vocab`, the decoder starting from it.
  int eos_id = 0;
  long long vocabulary_size = 0;
  if (const auto vocabulary_file = vocabulary_eos_and_size(folder, eos_id, vocabulary_size))
    if (vocabulary_size != vocab)
      throw Error(*vocabulary_file + ": holds ids up to " + std::to_string(vocabulary_size - 1) + " but " + origin +
                  " has " + std::to_string(vocab) + " embeddings");
  int64_t max_positions = d;  // what the HF conversion sets (sinusoids exist for any position)
  if (items.has(kCrossmtYml)) {
    const std::string extra_origin = origin + ": " + kCrossmtYml;
    const MarianOptions extra(parse_yaml(items.text(kCrossmtYml), extra_origin), extra_origin);
    max_positions = extra.integer("max-position-embeddings", d);
  }
  const int pad = static_cast<int>(vocab);
  json config = {{"model_type", "marian"},
                 {"architectures", {"MarianMTModel"}},
                 {"vocab_size", vocab + 1},
                 {"decoder_vocab_size", vocab + 1},
                 {"share_encoder_decoder_embeddings", shared},
                 {"d_model", d},
                 {"encoder_layers", encoder_layers},
                 {"decoder_layers", decoder_layers},
                 {"encoder_attention_heads", heads},
                 {"decoder_attention_heads", heads},
                 {"encoder_ffn_dim", encoder_ffn},
                 {"decoder_ffn_dim", decoder_ffn},
                 {"activation_function", activation},
                 {"max_position_embeddings", max_positions},
                 {"scale_embedding", true},
                 {"tie_word_embeddings", tied},
                 {"is_encoder_decoder", true},
                 {"pad_token_id", pad},
                 {"eos_token_id", eos_id},
                 {"forced_eos_token_id", eos_id},
                 {"bos_token_id", 0},
                 {"decoder_start_token_id", pad}};
  json generation;
  std::string generation_origin = origin;
  if (fs::exists(folder / "generation_config.json")) {
    generation = read_json_file(folder / "generation_config.json");
    generation_origin = (folder / "generation_config.json").string();
  } else {
    long long beams = 12;  // Marian's default beam-size
    if (fs::exists(folder / "decoder.yml")) {
      const std::string decoder_origin = (folder / "decoder.yml").string();
      const MarianOptions decoder(parse_yaml(read_text_file(folder / "decoder.yml"), decoder_origin), decoder_origin);
      beams = decoder.integer("beam-size", 12);
      if (beams < 1) decoder.fail("beam-size", "must be at least 1");
    }
    generation = {{"bad_words_ids", {{pad}}}, {"bos_token_id", 0},          {"decoder_start_token_id", pad},
                  {"eos_token_id", eos_id},   {"forced_eos_token_id", eos_id}, {"max_length", 512},
                  {"num_beams", beams},       {"pad_token_id", pad}};
  }
  ModelConfig model_config = parse_model_config(config, generation, yml_origin, generation_origin);
  model_config.format = "marian";
  model_config.format_description = "Marian npz (" + npz_file.filename().string() + ")";
  return Checkpoint(std::move(model_config), std::move(tensors), owner, origin);
}

// ---- writing ----

namespace {

struct NpzWriter {
  std::list<std::string> headers;
  std::list<std::vector<std::byte>> buffers;
  std::vector<ZipWriteEntry> entries;

  void add(const std::string& name, const std::string& descr, const Shape& shape, std::span<const std::byte> data) {
    headers.push_back(npy_header(descr, shape));
    const std::string& header = headers.back();
    entries.push_back({name + ".npy", {std::as_bytes(std::span(header.data(), header.size())), data}});
  }
  std::span<const std::byte> keep(std::vector<std::byte> bytes) {
    buffers.push_back(std::move(bytes));
    return buffers.back();
  }
  void add_text(const std::string& name, const std::string& text) {
    std::vector<std::byte> bytes(text.size() + 1);  // Marian ends the text with a NUL
    std::memcpy(bytes.data(), text.data(), text.size());
    const auto size = static_cast<int64_t>(bytes.size());
    add(name, "|i1", {size}, keep(std::move(bytes)));
  }
};

const char* descr_of(DType dtype, const std::string& name, const std::string& origin) {
  if (dtype == DType::F32) return "<f4";
  if (dtype == DType::F16) return "<f2";
  throw Error(origin + ": tensor '" + name + "' is " + dtype_name(dtype) +
              "; Marian .npz holds float32 or float16 (convert the unquantized model)");
}

bool all_zero(std::span<const std::byte> bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::byte b) { return b == std::byte{0}; });
}

}  // namespace

void save_marian_folder(const Checkpoint& checkpoint, const fs::path& tokenizer_folder, const fs::path& folder) {
  const ModelConfig& c = checkpoint.config();
  const std::string& origin = checkpoint.weights_origin();
  const auto refuse = [&](const std::string& what) {
    throw Error(origin + ": " + what + "; Marian's transformer cannot represent it");
  };
  if (c.model_type != "marian") refuse("model_type is '" + c.model_type + "', not marian");
  if (c.normalize_before) refuse("pre-norm layers");
  if (c.position_encoding != PositionEncoding::MarianSinusoidal) refuse("learned or relative positions");
  if (!c.scale_embedding) refuse("scale_embedding false");
  if (c.activation_function != "swish" && c.activation_function != "silu" && c.activation_function != "relu")
    refuse("activation_function '" + c.activation_function + "'");
  if (c.encoder_attention_heads != c.decoder_attention_heads) refuse("different encoder and decoder head counts");
  if (c.d_kv * c.encoder_attention_heads != c.d_model) refuse("a head width other than d_model / heads");
  if (c.vocab_size != c.decoder_vocab_size) refuse("different source and target vocabulary sizes");
  if (c.pad_token_id != c.vocab_size - 1) refuse("pad_token_id " + std::to_string(c.pad_token_id) + " is not the last id");
  if (c.decoder_start_token_id != c.pad_token_id)
    refuse("decoder_start_token_id " + std::to_string(c.decoder_start_token_id) + " is not <pad> (Marian starts from zeros)");
  for (const auto& [name, tensor] : checkpoint.tensors())
    if (name.find("layernorm_embedding") != std::string::npos || name.find("embed_positions") != std::string::npos)
      refuse("tensor '" + name + "'");
  const int64_t d = c.d_model, vocab = c.vocab_size - 1;

  std::error_code error;
  fs::create_directories(folder, error);
  if (error) throw Error(folder.string() + ": cannot create folder: " + error.message());

  NpzWriter npz;
  std::vector<std::string> written;
  const auto get = [&](const std::string& name) -> const StoredTensor& {
    written.push_back(name);
    return checkpoint.stored(name);
  };
  const auto expect_shape = [&](const std::string& name, const StoredTensor& tensor, const Shape& shape) {
    if (tensor.shape != shape)
      throw Error(origin + ": tensor '" + name + "' has shape " + shape_to_string(tensor.shape) + " but the config implies " +
                  shape_to_string(shape));
  };
  // HF [out, in] -> Marian [in, out].
  const auto transposed = [&](const std::string& hf, const std::string& marian, int64_t out, int64_t in) {
    const StoredTensor& tensor = get(hf);
    expect_shape(hf, tensor, {out, in});
    const char* descr = descr_of(tensor.dtype, hf, origin);
    const size_t item = dtype_size(tensor.dtype);
    std::vector<std::byte> bytes(tensor.byte_size);
    for (int64_t o = 0; o < out; ++o)
      for (int64_t i = 0; i < in; ++i)
        std::memcpy(bytes.data() + (i * out + o) * item, tensor.data + (o * in + i) * item, item);
    npz.add(marian, descr, {in, out}, npz.keep(std::move(bytes)));
  };
  const auto vector = [&](const std::string& hf, const std::string& marian, int64_t n) {
    const StoredTensor& tensor = get(hf);
    expect_shape(hf, tensor, {n});
    npz.add(marian, descr_of(tensor.dtype, hf, origin), {1, n}, {tensor.data, tensor.byte_size});
  };
  // HF [vocab + 1, cols] with <pad> last -> Marian [vocab, cols] (or its transpose); a non-zero
  // pad row is kept as a crossmt extra that Marian skips.
  const auto without_pad_row = [&](const std::string& hf, const std::string& marian, bool transpose) {
    const StoredTensor& tensor = get(hf);
    const int64_t cols = hf == "final_logits_bias" ? 1 : d;
    expect_shape(hf, tensor, hf == "final_logits_bias" ? Shape{1, vocab + 1} : Shape{vocab + 1, d});
    const char* descr = descr_of(tensor.dtype, hf, origin);
    const size_t item = dtype_size(tensor.dtype);
    const size_t kept = static_cast<size_t>(vocab * cols) * item;
    if (transpose && cols > 1) {
      std::vector<std::byte> bytes(kept);
      for (int64_t r = 0; r < vocab; ++r)
        for (int64_t k = 0; k < cols; ++k)
          std::memcpy(bytes.data() + (k * vocab + r) * item, tensor.data + (r * cols + k) * item, item);
      npz.add(marian, descr, {cols, vocab}, npz.keep(std::move(bytes)));
    } else {
      npz.add(marian, descr, transpose ? Shape{1, vocab} : Shape{vocab, cols}, {tensor.data, kept});
    }
    const std::span<const std::byte> pad_row(tensor.data + kept, static_cast<size_t>(cols) * item);
    if (!all_zero(pad_row)) npz.add(kPadRowPrefix + hf, descr, {1, cols}, pad_row);
  };
  const auto first_present = [&](std::initializer_list<const char*> names) -> std::string {
    for (const char* name : names)
      if (checkpoint.contains(name)) return name;
    return *names.begin();
  };

  const bool shared = c.share_encoder_decoder_embeddings;
  const bool tied = c.tie_word_embeddings;
  if (shared) {
    without_pad_row(first_present({"model.shared.weight", "model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight"}),
                    "Wemb", false);
  } else {
    without_pad_row(first_present({"model.encoder.embed_tokens.weight", "model.shared.weight"}), "encoder_Wemb", false);
    without_pad_row(first_present({"model.decoder.embed_tokens.weight", "model.shared.weight"}), "decoder_Wemb", false);
  }
  if (!tied) without_pad_row("lm_head.weight", "decoder_ff_logit_out_W", true);
  if (checkpoint.contains("final_logits_bias")) {
    without_pad_row("final_logits_bias", "decoder_ff_logit_out_b", true);
  } else {
    npz.add("decoder_ff_logit_out_b", "<f4", {1, vocab}, npz.keep(std::vector<std::byte>(vocab * sizeof(float))));
  }
  const auto layer = [&](const std::string& hf_prefix, const std::string& marian_prefix, int64_t ffn, bool decoder) {
    std::vector<std::pair<std::string, std::string>> blocks = {{"self_attn.", "self_"}};
    if (decoder) blocks.emplace_back("encoder_attn.", "context_");
    for (const auto& [hf_block, block] : blocks) {
      for (const LayerName& name : kAttention) {
        if (name.kind == LayerName::Square)
          transposed(hf_prefix + hf_block + name.hf, marian_prefix + block + name.marian, d, d);
        else
          vector(hf_prefix + hf_block + name.hf, marian_prefix + block + name.marian, d);
      }
      const std::string norm = hf_prefix + (block == "self_" ? "self_attn_layer_norm." : "encoder_attn_layer_norm.");
      vector(norm + "weight", marian_prefix + block + "Wo_ln_scale", d);
      vector(norm + "bias", marian_prefix + block + "Wo_ln_bias", d);
    }
    transposed(hf_prefix + "fc1.weight", marian_prefix + "ffn_W1", ffn, d);
    vector(hf_prefix + "fc1.bias", marian_prefix + "ffn_b1", ffn);
    transposed(hf_prefix + "fc2.weight", marian_prefix + "ffn_W2", d, ffn);
    vector(hf_prefix + "fc2.bias", marian_prefix + "ffn_b2", d);
    vector(hf_prefix + "final_layer_norm.weight", marian_prefix + "ffn_ffn_ln_scale", d);
    vector(hf_prefix + "final_layer_norm.bias", marian_prefix + "ffn_ffn_ln_bias", d);
  };
  for (int l = 0; l < c.encoder_layers; ++l)
    layer("model.encoder.layers." + std::to_string(l) + ".", "encoder_l" + std::to_string(l + 1) + "_", c.encoder_ffn_dim,
          false);
  for (int l = 0; l < c.decoder_layers; ++l)
    layer("model.decoder.layers." + std::to_string(l) + ".", "decoder_l" + std::to_string(l + 1) + "_", c.decoder_ffn_dim,
          true);
  // Every stored tensor must have gone somewhere (tied copies of the embeddings excepted).
  const std::set<std::string> done(written.begin(), written.end());
  for (const auto& [name, tensor] : checkpoint.tensors()) {
    if (done.count(name)) continue;
    const bool embedding_copy = name == "model.shared.weight" || name == "model.encoder.embed_tokens.weight" ||
                                name == "model.decoder.embed_tokens.weight" || (tied && name == "lm_head.weight");
    if (!embedding_copy) refuse("tensor '" + name + "' has no Marian counterpart");
  }

  const std::string activation = c.activation_function == "relu" ? "relu" : "swish";
  std::ostringstream yml;
  yml << "type: transformer\n"
      << "dim-vocabs:\n  - " << vocab << "\n  - " << vocab << "\n"
      << "dim-emb: " << d << "\n"
      << "enc-depth: " << c.encoder_layers << "\n"
      << "dec-depth: " << c.decoder_layers << "\n"
      << "transformer-heads: " << c.encoder_attention_heads << "\n"
      << "transformer-dim-ffn: " << c.encoder_ffn_dim << "\n"
      << "transformer-decoder-dim-ffn: " << (c.decoder_ffn_dim == c.encoder_ffn_dim ? 0 : c.decoder_ffn_dim) << "\n"
      << "transformer-ffn-depth: 2\n"
      << "transformer-ffn-activation: " << activation << "\n"
      << "transformer-preprocess: \"\"\n"
      << "transformer-postprocess: dan\n"
      << "transformer-postprocess-emb: d\n"
      << "transformer-decoder-autoreg: self-attention\n"
      << "transformer-train-position-embeddings: false\n"
      << "transformer-no-projection: false\n"
      << "transformer-aan-depth: 2\n"
      << "transformer-aan-nogate: false\n"
      << "transformer-tied-layers:\n  []\n"
      << "tied-embeddings: " << (tied ? "true" : "false") << "\n"
      << "tied-embeddings-src: " << (shared ? "true" : "false") << "\n"
      << "tied-embeddings-all: " << (shared && tied ? "true" : "false") << "\n"
      << "layer-normalization: false\n"
      << "right-left: false\n"
      << "ulr-dim-emb: 0\n"
      << "dec-cell-base-depth: 2\n"
      << "dec-cell-high-depth: 1\n"
      << "output-omit-bias: false\n"
      << "version: crossmt " << CROSSMT_VERSION << "\n";
  npz.add_text(kModelYml, yml.str());
  if (c.max_position_embeddings != d)
    npz.add_text(kCrossmtYml, "max-position-embeddings: " + std::to_string(c.max_position_embeddings) + "\n");
  write_stored_zip(folder / "model.npz", npz.entries);

  // Vocabularies: vocab.json without <pad> (or a Marian folder's own files).
  std::vector<std::string> vocabulary_names;
  const auto write_vocabulary = [&](const fs::path& from, const std::string& name) {
    std::vector<std::pair<std::string, int>> pairs;
    if (ends_with(from.filename().string(), ".yml")) {
      pairs = read_marian_vocabulary(from);
      std::erase_if(pairs, [&](const auto& pair) { return pair.second >= vocab; });
    } else {
      const json vocabulary = read_json_file(from);
      if (!vocabulary.is_object()) throw Error(from.string() + ": expected a JSON object mapping pieces to ids");
      for (const auto& [piece, id] : vocabulary.items()) {
        if (!id.is_number_integer()) throw Error(from.string() + ": the id of \"" + piece + "\" is not an integer");
        const int value = id.get<int>();
        if (value == c.pad_token_id) continue;
        if (value < 0 || value >= vocab)
          throw Error(from.string() + ": id " + std::to_string(value) + " of \"" + piece + "\" is outside the model's " +
                      std::to_string(vocab) + " Marian ids");
        pairs.emplace_back(piece, value);
      }
    }
    std::stable_sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    YAML::Emitter out;
    out << YAML::BeginMap;
    for (const auto& [piece, id] : pairs) out << YAML::Key << YAML::DoubleQuoted << piece << YAML::Value << id;
    out << YAML::EndMap;
    if (!out.good()) throw Error((folder / name).string() + ": cannot write YAML (" + out.GetLastError() + ")");
    write_file_atomically(folder / name, [&](std::ostream& stream) { stream << out.c_str() << "\n"; });
    vocabulary_names.push_back(name);
  };
  const auto marian_vocabularies = find_marian_vocabularies(tokenizer_folder);
  if (!marian_vocabularies.empty() && !fs::exists(tokenizer_folder / "vocab.json")) {
    if (marian_vocabularies.size() == 2) {
      write_vocabulary(marian_vocabularies[0], "src.vocab.yml");
      write_vocabulary(marian_vocabularies[1], "trg.vocab.yml");
    } else {
      write_vocabulary(marian_vocabularies[0], "vocab.yml");
    }
  } else if (fs::exists(tokenizer_folder / "target_vocab.json")) {
    write_vocabulary(tokenizer_folder / "vocab.json", "src.vocab.yml");
    write_vocabulary(tokenizer_folder / "target_vocab.json", "trg.vocab.yml");
  } else if (fs::exists(tokenizer_folder / "vocab.json")) {
    write_vocabulary(tokenizer_folder / "vocab.json", "vocab.yml");
  }
  for (const char* spm : {"source.spm", "target.spm"}) {
    if (!fs::exists(tokenizer_folder / spm) ||
        (fs::exists(folder / spm) && fs::equivalent(tokenizer_folder / spm, folder / spm)))
      continue;
    fs::copy_file(tokenizer_folder / spm, folder / spm, fs::copy_options::overwrite_existing, error);
    if (error) throw Error((folder / spm).string() + ": cannot copy: " + error.message());
  }

  const GenerationConfig& generation = c.generation;
  std::ostringstream decoder;
  decoder << "models:\n  - model.npz\nvocabs:\n";
  if (vocabulary_names.size() == 2)
    decoder << "  - " << vocabulary_names[0] << "\n  - " << vocabulary_names[1] << "\n";
  else if (vocabulary_names.size() == 1)
    decoder << "  - " << vocabulary_names[0] << "\n  - " << vocabulary_names[0] << "\n";
  decoder << "beam-size: " << generation.num_beams << "\n"
          << "normalize: " << json(generation.length_penalty).dump() << "\n"
          << "word-penalty: 0\nmini-batch: 16\nmaxi-batch: 100\nmaxi-batch-sort: src\nrelative-paths: true\n";
  write_file_atomically(folder / "decoder.yml", [&](std::ostream& stream) { stream << decoder.str(); });
  const fs::path generation_file = folder / "generation_config.json";
  if (!c.raw_generation_config.is_null())
    write_file_atomically(generation_file, [&](std::ostream& stream) { stream << c.raw_generation_config.dump(2) << "\n"; });
  else
    fs::remove(generation_file, error);
}

void write_hf_tokenizer_files(const fs::path& marian_folder, const fs::path& folder) {
  const auto files = find_marian_vocabularies(marian_folder);
  if (files.empty()) return;
  const auto write_json = [&](const fs::path& from, const std::string& name) {
    nlohmann::ordered_json vocabulary = nlohmann::ordered_json::object();
    int next = 0;
    for (const auto& [piece, id] : read_marian_vocabulary(from)) {
      vocabulary[piece] = id;
      next = std::max(next, id + 1);
    }
    if (!vocabulary.contains("<pad>")) vocabulary["<pad>"] = next;  // as the HF conversion adds it
    write_file_atomically(folder / name, [&](std::ostream& stream) { stream << vocabulary.dump() << "\n"; });
  };
  write_json(files[0], "vocab.json");
  if (files.size() == 2) write_json(files[1], "target_vocab.json");
  const nlohmann::ordered_json config = {{"tokenizer_class", "MarianTokenizer"},
                                         {"separate_vocabs", files.size() == 2},
                                         {"eos_token", "</s>"},
                                         {"unk_token", "<unk>"},
                                         {"pad_token", "<pad>"}};
  write_file_atomically(folder / "tokenizer_config.json",
                        [&](std::ostream& stream) { stream << config.dump(1) << "\n"; });
}

}  // namespace crossmt
