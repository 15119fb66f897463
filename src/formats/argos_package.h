#pragma once
// Argos Translate packages (LibreTranslate's models): an `.argosmodel` zip, or the folder it unzips
// to, holding metadata.json (from_code, to_code), model/ (a CTranslate2 model folder),
// sentencepiece.model and stanza/ (a sentence splitter crossmt does not use: each input line is
// translated as one sentence).
#include <filesystem>
#include <string>

#include "formats/ctranslate2.h"

namespace crossmt {

struct ArgosPackage {
  CTranslate2Files model;  // model/, whose `read` also serves the package's sentencepiece.model
  std::string from_code, to_code, from_name, to_name, package_version;
};

// A file ending in .argosmodel, or a folder with metadata.json and model/model.bin.
bool is_argos_package(const std::filesystem::path& path);
// Throws crossmt::Error naming the archive (and entry) or file at fault. Without `with_weights`,
// model.bin is not read (model_bin stays empty): enough for the tokenizer.
ArgosPackage open_argos_package(const std::filesystem::path& path, bool with_weights = true);

// The package's CTranslate2 model with the search Argos Translate runs (beam 4, length penalty
// 0.2), named as an Argos package by `crossmt inspect`.
Checkpoint argos_checkpoint(const ArgosPackage& package);

}  // namespace crossmt
