// Model folders: config.json (+ generation_config.json) and a memory-mapped model.safetensors;
// the Checkpoint accessors; writing a folder back out.
#include "crossmt/checkpoint.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>

#include "crossmt/error.h"
#include "formats/argos_package.h"
#include "formats/ctranslate2.h"
#include "formats/mapped_file.h"
#include "formats/marian_npz.h"

namespace crossmt {
namespace fs = std::filesystem;

namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Checkpoint::Checkpoint(ModelConfig config, std::map<std::string, StoredTensor> tensors,
                       std::shared_ptr<const void> owner, std::string weights_origin)
    : owner_(std::move(owner)),
      tensors_(std::move(tensors)),
      config_(std::move(config)),
      weights_origin_(std::move(weights_origin)) {}

Checkpoint Checkpoint::open(const fs::path& path) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (error || !fs::exists(status)) throw Error(path.string() + ": no such file or directory");
  if (const auto npz = find_marian_npz(path)) return open_marian_npz(*npz);  // Marian folder or .npz
  if (is_argos_package(path)) return argos_checkpoint(open_argos_package(path));  // .argosmodel or its folder
  if (fs::is_directory(status)) {
    if (!fs::exists(path / "model.safetensors") && is_ctranslate2_folder(path))
      return ctranslate2_checkpoint(ctranslate2_folder_files(path));
    return open_safetensors_folder(path);
  }
  if (fs::is_regular_file(status) && ends_with(path.filename().string(), ".json")) return open_json_checkpoint(path);
  if (ends_with(path.filename().string(), ".safetensors"))
    throw Error(path.string() + ": give the model folder holding it (with config.json), not the .safetensors file");
  throw Error(path.string() +
              ": not a model (an HF, CTranslate2, Marian or Argos folder, a .json checkpoint, .npz or .argosmodel)");
}

Checkpoint open_safetensors_folder(const fs::path& folder) {
  const fs::path weights_file = folder / "model.safetensors";
  if (!fs::exists(weights_file)) {
    if (fs::exists(folder / "model.safetensors.index.json"))
      throw Error(folder.string() + ": sharded safetensors checkpoints (model.safetensors.index.json) are not "
                                    "supported; save the model as one model.safetensors");
    if (fs::exists(folder / "pytorch_model.bin"))
      throw Error(folder.string() + ": has pytorch_model.bin but no model.safetensors; crossmt never unpickles "
                                    "PyTorch files: convert it to safetensors first (transformers: "
                                    "model.save_pretrained(dir, safe_serialization=True))");
    throw Error(weights_file.string() + ": missing (a model folder needs config.json and model.safetensors)");
  }
  ModelConfig config = load_model_config(folder);
  config.format = "safetensors";
  config.format_description = "safetensors folder";

  const std::string origin = weights_file.string();
  auto mapping = std::make_shared<const MappedFile>(weights_file);
  const std::span<const std::byte> bytes = mapping->bytes();
  const SafetensorsLayout layout = parse_safetensors(bytes, origin);
  std::map<std::string, StoredTensor> tensors;
  for (const SafetensorsEntry& entry : layout.tensors) {
    StoredTensor& tensor = tensors[entry.name];
    tensor.dtype = entry.dtype;
    tensor.shape = entry.shape;
    tensor.data = bytes.data() + layout.data_start + entry.begin;
    tensor.byte_size = static_cast<size_t>(entry.end - entry.begin);
  }
  Checkpoint checkpoint(std::move(config), std::move(tensors), mapping, origin);
  checkpoint.release_pages_ = [mapping = mapping.get()](const std::byte* begin, size_t size) {
    mapping->release(begin, size);
  };
  return checkpoint;
}

std::vector<std::string> Checkpoint::tensor_names() const {
  std::vector<std::string> names;
  names.reserve(tensors_.size());
  for (const auto& [name, tensor] : tensors_) names.push_back(name);
  return names;
}

bool Checkpoint::contains(const std::string& name) const { return tensors_.count(name) != 0; }

const StoredTensor& Checkpoint::stored(const std::string& name) const {
  const auto found = tensors_.find(name);
  if (found == tensors_.end()) throw Error(weights_origin_ + ": tensor '" + name + "' is missing");
  return found->second;
}

Tensor Checkpoint::load_f32(const std::string& name, const Shape& expected_shape) const {
  const StoredTensor& source = stored(name);
  if (source.shape != expected_shape)
    throw Error(weights_origin_ + ": tensor '" + name + "' has shape " + shape_to_string(source.shape) +
                " but the config implies " + shape_to_string(expected_shape));
  Tensor result(source.shape);
  if (result.size() > 0) convert_to_f32(source.dtype, source.data, static_cast<size_t>(result.size()), result.data());
  if (release_pages_) release_pages_(source.data, source.byte_size);
  // A NaN or infinity in a weight poisons every output it reaches: say which tensor holds it (a
  // warning, not an error: the rest of the model may still be usable, and the user decides).
  const float* values = result.data();
  int64_t non_finite = 0, first = -1;
  for (int64_t i = 0; i < result.size(); ++i)
    if (!std::isfinite(values[i])) {
      if (non_finite++ == 0) first = i;
    }
  if (non_finite > 0)
    std::cerr << "warning: " << weights_origin_ << ": tensor '" << name << "' holds " << non_finite
              << " NaN/Inf value" << (non_finite == 1 ? "" : "s") << " (first at element " << first << ")\n";
  return result;
}

void write_file_atomically(const fs::path& file, const std::function<void(std::ostream&)>& write) {
  static std::atomic<unsigned> counter{0};
  // Hidden, and unique per process and call, so concurrent writers never share one.
  std::string temporary_name = ".";
  temporary_name += file.filename().string();
  temporary_name += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  const fs::path temporary = file.parent_path() / temporary_name;
  try {
    std::ofstream stream(temporary, std::ios::binary | std::ios::trunc);
    if (!stream) throw Error(temporary.string() + ": cannot create: " + std::strerror(errno));
    write(stream);
    stream.close();
    if (!stream) throw Error(temporary.string() + ": write failed: " + std::strerror(errno));
    std::error_code error;
    fs::rename(temporary, file, error);
    if (error) throw Error(file.string() + ": cannot replace: " + error.message());
  } catch (...) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw;
  }
}

namespace {

void write_json_file(const fs::path& file, const nlohmann::json& value) {
  write_file_atomically(file, [&](std::ostream& stream) { stream << value.dump(2) << "\n"; });
}

void write_safetensors(const fs::path& file, const std::map<std::string, StoredTensor>& tensors) {
  // Widest dtypes first keeps every tensor aligned to its element size, as safetensors does.
  std::vector<SafetensorsEntry> entries;
  for (const auto& [name, tensor] : tensors) entries.push_back({name, tensor.dtype, tensor.shape, 0, 0});
  std::stable_sort(entries.begin(), entries.end(), [](const SafetensorsEntry& a, const SafetensorsEntry& b) {
    return dtype_size(a.dtype) > dtype_size(b.dtype);
  });
  const std::string header = build_safetensors_header(entries);
  write_file_atomically(file, [&](std::ostream& stream) {
    stream.write(header.data(), static_cast<std::streamsize>(header.size()));
    for (const SafetensorsEntry& entry : entries) {
      const StoredTensor& tensor = tensors.at(entry.name);
      if (tensor.byte_size != entry.end - entry.begin)
        throw Error(file.string() + ": tensor '" + entry.name + "' holds " + std::to_string(tensor.byte_size) +
                    " bytes, not the " + std::to_string(entry.end - entry.begin) + " its shape needs");
      stream.write(reinterpret_cast<const char*>(tensor.data), static_cast<std::streamsize>(tensor.byte_size));
    }
  });
}

}  // namespace

void save_model_folder(const Checkpoint& checkpoint, const fs::path& folder) {
  std::error_code error;
  fs::create_directories(folder, error);
  if (error) throw Error(folder.string() + ": cannot create folder: " + error.message());
  const ModelConfig& config = checkpoint.config();
  write_safetensors(folder / "model.safetensors", checkpoint.tensors());
  write_json_file(folder / "config.json", config.raw_config);
  const fs::path generation_file = folder / "generation_config.json";
  if (!config.raw_generation_config.is_null())
    write_json_file(generation_file, config.raw_generation_config);
  else
    fs::remove(generation_file, error);  // a stale one would change the generation defaults
}

}  // namespace crossmt
