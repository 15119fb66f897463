// `crossmt quantize -m DIR -o DIR`: writes an int8 model folder (linear weights as I8 with F32
// per-channel scales, everything else as it was, tokenizer files copied) that later loads in
// int8 without quantizing again.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "crossmt/checkpoint.h"
#include "crossmt/error.h"
#include "crossmt/quantization.h"

namespace crossmt::cli {
namespace {

namespace fs = std::filesystem;

struct QuantizeOptions {
  std::string model_dir, output;
};

void run_quantize(const QuantizeOptions& options) {
  const fs::path input = resolve_model_dir(options.model_dir);
  const fs::path output = options.output;
  const bool json_output = output.extension() == ".json";
  if (json_output && fs::is_directory(output)) throw Error(output.string() + ": is a folder, not a .json file");
  if (!json_output && fs::exists(output) && !fs::is_directory(output))
    throw Error(output.string() + ": exists and is not a folder");

  const Checkpoint checkpoint = Checkpoint::open(input);
  const Checkpoint quantized = quantize_checkpoint(checkpoint);
  int64_t int8_tensors = 0;
  for (const auto& [name, tensor] : quantized.tensors()) int8_tensors += tensor.dtype == DType::I8;
  if (json_output) {
    save_json_checkpoint(quantized, output);
  } else {
    save_model_folder(quantized, output);
    copy_tokenizer_files(input, output);
  }
  std::cout << "wrote " << output.string() << " (" << int8_tensors << " int8 weights with per-channel scales, "
            << quantized.tensors().size() << " tensors in all)\n";
}

}  // namespace

void add_quantize_command(CLI::App& app) {
  auto options = std::make_shared<QuantizeOptions>();
  CLI::App* command =
      app.add_subcommand("quantize", "Write an int8 copy of a model (linear weights as I8 + per-channel scales)");
  command->add_option("-m,--model", options->model_dir, "Model folder (default: the model shipped in models/)");
  command->add_option("-o,--output", options->output, "Output folder (or a .json file for a JSON checkpoint)")
      ->required();
  command->callback([options] { run_quantize(*options); });
}

}  // namespace crossmt::cli
