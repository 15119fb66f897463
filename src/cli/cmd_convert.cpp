// `crossmt convert --to json|safetensors|marian INPUT OUTPUT`: rewrite a checkpoint in another
// format, keeping every tensor's dtype and bytes (Marian: transposed to its layout, see
// src/formats/marian_npz.h).
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "crossmt/checkpoint.h"
#include "crossmt/error.h"
#include "../formats/marian_npz.h"

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

void run_convert(const ConvertOptions& options) {
  const fs::path input = options.input;
  const fs::path output = options.output;
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
    copy_tokenizer_files(input_folder, output);
    if (marian_npz) write_hf_tokenizer_files(input_folder, output);  // vocab.json from *.vocab.yml
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
      "convert", "Rewrite a checkpoint as a single .json file, a safetensors model folder or a Marian .npz folder");
  command->add_option("--to", options->format,
                      "Output format: json (one file), safetensors (an HF folder) or marian (a Marian .npz folder)")
      ->required()
      ->check(CLI::IsMember({"json", "safetensors", "marian"}));
  command->add_option("input", options->input, "Model folder, .json checkpoint, Marian folder or .npz")->required();
  command->add_option("output", options->output, "Output .json file (--to json) or folder (--to safetensors|marian)")
      ->required();
  command->callback([options] { run_convert(*options); });
}

}  // namespace crossmt::cli
