// `crossmt convert --to json|safetensors|marian|ctranslate2 INPUT OUTPUT`: rewrite a model in
// another format. json <-> safetensors keep every tensor's dtype and bytes; marian transposes to
// Marian's layout (see src/formats/marian_npz.h); ctranslate2 writes a float32 CTranslate2 folder.
// Marian and CTranslate2 folders convert to HF folders with their vocabularies.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "crossmt/checkpoint.h"
#include "crossmt/error.h"
#include "crossmt/tokenizer.h"
#include "formats/argos_package.h"
#include "formats/ctranslate2.h"
#include "formats/marian_npz.h"

namespace crossmt::cli {
namespace {

namespace fs = std::filesystem;

struct ConvertOptions {
  std::string format;
  std::string input;
  std::string output;
};

// A model folder's tokenizer travels with its weights when the output is a folder too.
constexpr const char* kTokenizerFiles[] = {"source.spm",   "target.spm",     "vocab.json",
                                           "target_vocab.json", "tokenizer_config.json"};

bool same_location(const fs::path& a, const fs::path& b) {
  std::error_code error;
  return fs::exists(a) && fs::exists(b) && fs::equivalent(a, b, error);
}

// vocab.json (+ target_vocab.json when the vocabularies differ), tokenizer_config.json and the
// SentencePiece models of a CTranslate2 folder or an Argos package: the files transformers'
// MarianTokenizer reads.
void write_marian_tokenizer_files(const CTranslate2Files& files, const fs::path& output) {
  const TokenizerParts parts = ctranslate2_tokenizer_parts(files);
  const auto write_vocabulary = [&](const std::vector<std::string>& pieces, const char* name) {
    nlohmann::ordered_json vocabulary = nlohmann::ordered_json::object();
    for (size_t id = 0; id < pieces.size(); ++id)
      if (!vocabulary.contains(pieces[id])) vocabulary[pieces[id]] = id;
    write_file_atomically(output / name, [&](std::ostream& out) { out << vocabulary.dump(2) << "\n"; });
  };
  write_vocabulary(parts.source_vocabulary, "vocab.json");
  nlohmann::ordered_json config = {{"eos_token", parts.eos}, {"unk_token", parts.unk}, {"pad_token", parts.pad},
                                   {"separate_vocabs", !parts.target_vocabulary.empty()}};
  if (!parts.target_vocabulary.empty()) write_vocabulary(parts.target_vocabulary, "target_vocab.json");
  write_file_atomically(output / "tokenizer_config.json", [&](std::ostream& out) { out << config.dump(2) << "\n"; });
  for (const auto& [model, name] : {std::pair{&parts.source_sentencepiece, "source.spm"},
                                    std::pair{&parts.target_sentencepiece, "target.spm"}})
    if (*model) write_file_atomically(output / name, [&](std::ostream& out) { out << **model; });
}

void run_convert(const ConvertOptions& options) {
  const fs::path input = options.input;
  const fs::path output = options.output;
  if (options.format == "ctranslate2") {
    if (fs::exists(output) && !fs::is_directory(output)) throw Error(output.string() + ": exists and is not a folder");
    const Checkpoint checkpoint = Checkpoint::open(input);
    if (!fs::is_directory(input) || !fs::exists(input / "source.spm"))
      throw Error(input.string() + ": --to ctranslate2 needs a model folder with its tokenizer (source.spm, vocab.json)");
    save_ctranslate2_folder(checkpoint, MarianTokenizer::load(input), output);
    for (const char* name : {"source.spm", "target.spm"}) {
      std::error_code error;
      fs::copy_file(input / name, output / name, fs::copy_options::overwrite_existing, error);
      if (error) throw Error((output / name).string() + ": cannot copy: " + error.message());
    }
    std::cout << "wrote " << output.string() << " (CTranslate2 model.bin, float32)\n";
    return;
  }
  if (options.format == "json") {
    if (output.extension() != ".json") throw Error(output.string() + ": a JSON checkpoint's name must end in .json");
    if (fs::is_directory(output)) throw Error(output.string() + ": is a folder, not a .json file");
  } else if (fs::exists(output) && !fs::is_directory(output)) {
    throw Error(output.string() + ": exists and is not a folder");
  }

  const Checkpoint checkpoint = Checkpoint::open(input);
  // A Marian .npz file keeps its tokenizer files beside it.
  const auto marian_npz = find_marian_npz(input);
  const fs::path input_folder = marian_npz && !fs::is_directory(input) ? input.parent_path() : input;
  if (options.format == "json") {
    save_json_checkpoint(checkpoint, output);
  } else if (options.format == "marian") {
    save_marian_folder(checkpoint, input_folder, output);
  } else {
    save_model_folder(checkpoint, output);
    if (checkpoint.config().format == "ctranslate2") {
      write_marian_tokenizer_files(ctranslate2_folder_files(input), output);
    } else if (checkpoint.config().format == "argos") {
      write_marian_tokenizer_files(open_argos_package(input, /*with_weights=*/false).model, output);
    } else {
      copy_tokenizer_files(input_folder, output);
      if (marian_npz) write_hf_tokenizer_files(input_folder, output);  // vocab.json from *.vocab.yml
    }
  }
  const char* written = options.format == "json" ? "JSON checkpoint" : options.format == "marian" ? "Marian npz folder"
                                                                                                  : "safetensors folder";
  std::cout << "wrote " << output.string() << " (" << checkpoint.tensors().size() << " tensors, " << written << ")\n";
}

}  // namespace

void copy_tokenizer_files(const fs::path& from, const fs::path& to) {
  if (!fs::is_directory(from) || same_location(from, to)) return;
  for (const char* name : kTokenizerFiles) {
    if (!fs::exists(from / name)) continue;
    std::error_code error;
    fs::copy_file(from / name, to / name, fs::copy_options::overwrite_existing, error);
    if (error) throw Error((to / name).string() + ": cannot copy from " + (from / name).string() + ": " + error.message());
  }
}

void add_convert_command(CLI::App& app) {
  auto options = std::make_shared<ConvertOptions>();
  CLI::App* command = app.add_subcommand(
      "convert",
      "Rewrite a model as a single .json file, an HF safetensors folder, a Marian .npz folder or a CTranslate2 folder");
  command->add_option("--to", options->format,
                      "Output format: json (one file), safetensors (an HF folder), marian (a Marian .npz folder) or "
                      "ctranslate2 (a CTranslate2 folder)")
      ->required()
      ->check(CLI::IsMember({"json", "safetensors", "marian", "ctranslate2"}));
  command->add_option("input", options->input,
                      "Model folder (HF, Marian or CTranslate2), .json checkpoint or Marian .npz")->required();
  command->add_option("output", options->output, "Output .json file (--to json) or folder")->required();
  command->callback([options] { run_convert(*options); });
}

}  // namespace crossmt::cli
