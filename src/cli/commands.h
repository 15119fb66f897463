#pragma once
// Each `crossmt` subcommand lives in its own file and registers itself on the app here.
#include <filesystem>
#include <string>

#include <CLI/CLI.hpp>

namespace crossmt::cli {

void add_inspect_command(CLI::App& app);
void add_tokenize_command(CLI::App& app);
void add_convert_command(CLI::App& app);
void add_translate_command(CLI::App& app);
void add_align_command(CLI::App& app);
void add_bench_command(CLI::App& app);

// Thrown by a command that finished its work but met bad input lines: main() exits with `status`
// (1) after everything else was written, unlike crossmt::Error, which stops at once with 2.
struct ExitWithStatus {
  int status;
};

// `-m DIR` when given, else $CROSSMT_MODEL_DIR, else the model shipped in the repo's models/.
std::filesystem::path resolve_model_dir(const std::string& option_value);

}  // namespace crossmt::cli
