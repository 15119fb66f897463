#pragma once
// Runs the built `crossmt` binary as a user would: arguments, stdin text, captured stdout/stderr
// and exit status. The default model is the one in the source tree's models/.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace crossmt::testing {

struct CommandResult {
  int exit_status = -1;
  std::string out, err;
};

inline CommandResult run_crossmt(const std::string& arguments, const std::string& input) {
  namespace fs = std::filesystem;
  static int counter = 0;
  const fs::path scratch =
      fs::temp_directory_path() / ("crossmt_cli_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  fs::create_directories(scratch);
  std::ofstream(scratch / "in", std::ios::binary) << input;
  const std::string command = "CROSSMT_MODEL_DIR='" CROSSMT_MODELS_DIR "/m30k-mul-marian' '" CROSSMT_BINARY "' " +
                              arguments + " < '" + (scratch / "in").string() + "' 2> '" + (scratch / "err").string() + "'";
  CommandResult result;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) result.out.append(buffer, n);
    const int status = ::pclose(pipe);
    result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::ostringstream err;
  err << std::ifstream(scratch / "err").rdbuf();
  result.err = err.str();
  fs::remove_all(scratch);
  return result;
}

}  // namespace crossmt::testing
