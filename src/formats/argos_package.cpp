#include "formats/argos_package.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "crossmt/error.h"
#include "formats/zip_archive.h"

namespace crossmt {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSentencePieceFile = "sentencepiece.model";

void read_metadata(const std::string& text, const std::string& origin, ArgosPackage& package) {
  nlohmann::json metadata;
  try {
    metadata = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& failure) {
    std::string reason = failure.what();
    std::replace(reason.begin(), reason.end(), '\n', ' ');
    throw Error(origin + ": not valid JSON (" + reason + ")");
  }
  if (!metadata.is_object()) throw Error(origin + ": expected a JSON object");
  const auto field = [&](const char* key, bool required) -> std::string {
    if (!metadata.contains(key) || metadata[key].is_null()) {
      if (required) throw Error(origin + ": field '" + key + "' is missing");
      return "";
    }
    if (!metadata[key].is_string()) throw Error(origin + ": field '" + key + "' must be a string");
    return metadata[key].get<std::string>();
  };
  package.from_code = field("from_code", true);
  package.to_code = field("to_code", true);
  package.from_name = field("from_name", false);
  package.to_name = field("to_name", false);
  package.package_version = field("package_version", false);
}

ArgosPackage open_folder(const fs::path& folder) {
  ArgosPackage package;
  const fs::path metadata = folder / "metadata.json";
  const auto text = read_file_if_present(metadata);
  if (!text) throw Error(metadata.string() + ": missing (an Argos package has metadata.json, model/, sentencepiece.model)");
  read_metadata(*text, metadata.string(), package);
  if (!is_ctranslate2_folder(folder / "model"))
    throw Error((folder / "model" / "model.bin").string() + ": missing (an Argos package holds a CTranslate2 model in model/)");
  package.model = ctranslate2_folder_files(folder / "model");
  auto read_model_file = package.model.read;
  package.model.read = [read_model_file, folder](const std::string& name) -> std::optional<std::string> {
    if (name == kSentencePieceFile) return read_file_if_present(folder / kSentencePieceFile);
    return read_model_file(name);
  };
  return package;
}

// The folder inside the archive that holds metadata.json: the archive's root or its one top folder.
std::string package_prefix(const ZipArchive& archive) {
  std::optional<std::string> prefix;
  for (const ZipEntry& entry : archive.entries()) {
    const std::string& name = entry.name;
    if (name != "metadata.json" && !name.ends_with("/metadata.json")) continue;
    const std::string candidate = name.substr(0, name.size() - std::string("metadata.json").size());
    if (std::count(candidate.begin(), candidate.end(), '/') > 1) continue;  // metadata of a nested folder
    if (prefix && *prefix != candidate)
      throw Error(archive.origin() + ": holds more than one package (" + *prefix + "metadata.json, " + name + ")");
    prefix = candidate;
  }
  if (!prefix) throw Error(archive.origin() + ": no metadata.json (not an Argos Translate package)");
  return *prefix;
}

std::string as_string(const std::vector<std::byte>& bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

ArgosPackage open_archive(const fs::path& file, bool with_weights) {
  auto archive = std::make_shared<ZipArchive>(ZipArchive::open(file));
  const std::string prefix = package_prefix(*archive);
  ArgosPackage package;
  read_metadata(as_string(archive->read(prefix + "metadata.json")), file.string() + ": " + prefix + "metadata.json",
                package);
  const std::string model_prefix = prefix + "model/";
  const ZipEntry* model_bin = archive->find(model_prefix + "model.bin");
  if (!model_bin) throw Error(file.string() + ": no " + model_prefix + "model.bin (an Argos package holds a CTranslate2 model in model/)");
  auto weights = std::make_shared<const std::vector<std::byte>>(with_weights ? archive->read(*model_bin)
                                                                             : std::vector<std::byte>());
  package.model.origin = file.string() + ": " + prefix + "model";
  package.model.model_bin = std::span<const std::byte>(weights->data(), weights->size());
  package.model.owner = weights;
  package.model.read = [archive, prefix, model_prefix](const std::string& name) -> std::optional<std::string> {
    const std::string entry = name == kSentencePieceFile ? prefix + name : model_prefix + name;
    if (!archive->find(entry)) return std::nullopt;
    return as_string(archive->read(entry));
  };
  return package;
}

}  // namespace

bool is_argos_package(const fs::path& path) {
  std::error_code error;
  if (fs::is_regular_file(path, error)) return path.extension() == ".argosmodel";
  return fs::is_regular_file(path / "metadata.json", error) && fs::is_directory(path / "model", error);
}

ArgosPackage open_argos_package(const fs::path& path, bool with_weights) {
  std::error_code error;
  if (fs::is_directory(path, error)) return open_folder(path);
  return open_archive(path, with_weights);
}

Checkpoint argos_checkpoint(const ArgosPackage& package) {
  Checkpoint checkpoint = ctranslate2_checkpoint(package.model);
  ModelConfig& config = checkpoint.mutable_config();
  // argostranslate's translate_batch call: beam_size max(num_hypotheses, 4), length_penalty 0.2.
  config.generation.num_beams = 4;
  config.generation.length_penalty = 0.2;
  config.raw_generation_config["num_beams"] = 4;
  config.raw_generation_config["length_penalty"] = 0.2;
  config.format = "argos";
  config.source_language = package.from_code;
  config.target_language = package.to_code;
  config.format_description = "Argos Translate package (" + package.from_code + " -> " + package.to_code +
                              (package.package_version.empty() ? "" : ", version " + package.package_version) +
                              ") holding a " + config.format_description;
  return checkpoint;
}

}  // namespace crossmt
