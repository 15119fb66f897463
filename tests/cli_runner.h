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
#include <vector>

namespace crossmt::testing {

struct CommandResult {
  int exit_status = -1;
  std::string out, err;
};

// A fresh scratch folder for one command's files.
inline std::filesystem::path cli_scratch_folder() {
  static int counter = 0;
  const auto scratch = std::filesystem::temp_directory_path() /
                       ("crossmt_cli_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  std::filesystem::create_directories(scratch);
  return scratch;
}

// Runs the command inside `working_folder` (which keeps the files it writes).
inline CommandResult run_crossmt_in(const std::filesystem::path& working_folder, const std::string& arguments,
                                    const std::string& input) {
  std::ofstream(working_folder / "in", std::ios::binary) << input;
  const std::string command = "cd '" + working_folder.string() + "' && CROSSMT_MODEL_DIR='" CROSSMT_MODELS_DIR
                              "/m30k-mul-marian' '" CROSSMT_BINARY "' " + arguments + " < in 2> err";
  CommandResult result;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) result.out.append(buffer, n);
    const int status = ::pclose(pipe);
    result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::ostringstream err;
  err << std::ifstream(working_folder / "err").rdbuf();
  result.err = err.str();
  return result;
}

inline CommandResult run_crossmt(const std::string& arguments, const std::string& input) {
  const auto scratch = cli_scratch_folder();
  auto result = run_crossmt_in(scratch, arguments, input);
  std::filesystem::remove_all(scratch);
  return result;
}

inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace crossmt::testing
