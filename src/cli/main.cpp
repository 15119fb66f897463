// The `crossmt` command: subcommands registered from their own files; every failure becomes one
// `error: ...` line on stderr and exit status 2.
#include <malloc.h>

#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "crossmt/error.h"

namespace crossmt::cli {

std::filesystem::path resolve_model_dir(const std::string& option_value) {
  if (!option_value.empty()) return option_value;
  if (const char* from_environment = std::getenv("CROSSMT_MODEL_DIR"); from_environment && *from_environment)
    return from_environment;
  // An installed crossmt (`cmake --install`) finds the model installed beside it, in PREFIX/share.
  std::error_code no_executable;
  const std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", no_executable);
  if (!no_executable) {
    const auto installed = executable.parent_path().parent_path() / "share/crossmt/models/m30k-mul-marian";
    if (std::filesystem::is_directory(installed)) return installed;
  }
  return CROSSMT_DEFAULT_MODEL_DIR;
}

}  // namespace crossmt::cli

int main(int argc, char** argv) {
  // A fixed threshold: buffers of 512 KiB and more get their own mapping and go back to the
  // system when freed. glibc's default raises the threshold after the first large free, after
  // which per-batch buffers fragment the heap (20-30% more peak memory on test_2016). Lower
  // thresholds put the 256 KiB buffer oneDNN's int8 gemm allocates on every call into
  // mmap/munmap pairs (2x slower int8 decoding at batch 1 on 2 threads).
  mallopt(M_MMAP_THRESHOLD, 512 * 1024);
  CLI::App app{"crossmt: neural machine translation with encoder-decoder Transformers"};
  app.require_subcommand(1);
  crossmt::cli::add_translate_command(app);
  crossmt::cli::add_align_command(app);
  crossmt::cli::add_bench_command(app);
  crossmt::cli::add_quantize_command(app);
  crossmt::cli::add_serve_command(app);
  crossmt::cli::add_tokenize_command(app);
  crossmt::cli::add_inspect_command(app);
  crossmt::cli::add_convert_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const crossmt::cli::ExitWithStatus& exit) {
    return exit.status;
  } catch (const CLI::ParseError& parse_error) {
    std::cerr << "error: " << parse_error.what() << "\n";
    return 2;
  } catch (const std::exception& failure) {
    std::cerr << "error: " << failure.what() << "\n";
    return 2;
  }
  return 0;
}
