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
void add_quantize_command(CLI::App& app);
void add_serve_command(CLI::App& app);

// Thrown by a command that finished its work but met bad input lines: main() exits with `status`
// (1) after everything else was written, unlike crossmt::Error, which stops at once with 2.
struct ExitWithStatus {
  int status;
};

// Option checks with readable messages ("--beam-size: must be at least 1, got 0").
inline CLI::Validator at_least(double minimum) {
  return CLI::Validator(
      [minimum](std::string& value) -> std::string {
        try {
          if (std::stod(value) >= minimum) return "";
        } catch (const std::exception&) {
          return "must be a number, got '" + value + "'";
        }
        return "must be at least " + CLI::detail::to_string(minimum) + ", got " + value;
      },
      ">=" + CLI::detail::to_string(minimum));
}

inline CLI::Validator positive() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        try {
          if (std::stod(value) > 0) return "";
        } catch (const std::exception&) {
          return "must be a number, got '" + value + "'";
        }
        return "must be positive, got " + value;
      },
      ">0");
}

// --compute-type, read later with crossmt::parse_compute_type (a bad value exits 2 with its message).
inline CLI::Option* add_compute_type_option(CLI::App* command, std::string& value) {
  return command->add_option("--compute-type", value,
                             "auto (default: int8 for an int8 model folder, else float32), float32 or int8");
}

// --workers and --threads: batches translated at once, and compute threads of each.
inline void add_worker_options(CLI::App* command, int& workers, int& threads) {
  command->add_option("--workers", workers, "Batches translated at once, each by its own worker (default 1)")
      ->check(at_least(1));
  command->add_option("--threads", threads, "Compute threads per worker (default: the cores divided among workers)")
      ->check(at_least(0));
}

// --from and --to: the language pair, in whatever form the model's family takes it.
inline void add_language_options(CLI::App* command, std::string& source_language, std::string& target_language) {
  command->add_option("--from", source_language,
                      "Source language, where the model needs it: ISO 639-1/-3 (en, eng) or the model's own code. "
                      "NLLB: eng_Latn; mBART: en_XX; M2M100: en; T5: en (for its task prefix). Marian and BART "
                      "models take none");
  command->add_option("--to", target_language,
                      "Target language: ISO 639-1/-3 (de, deu) or the model's own code. Marian: its >>deu<< token "
                      "is prepended; T5: 'translate English to German: '; mBART-50, M2M100, NLLB: the code is forced "
                      "as the first output token; mBART: the decoder starts with it. `crossmt inspect` lists a "
                      "model's codes");
}

// Copies a model folder's tokenizer files (source.spm, target.spm, vocab.json, ...) next to the
// weights written into `to`; nothing when `from` is a single-file checkpoint or `to` itself.
void copy_tokenizer_files(const std::filesystem::path& from, const std::filesystem::path& to);

// `-m DIR` when given, else $CROSSMT_MODEL_DIR, else the shipped default model (installed beside the
// command, or the repo's models/).
std::filesystem::path resolve_model_dir(const std::string& option_value);

}  // namespace crossmt::cli
