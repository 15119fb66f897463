#pragma once
// The input and output streams of a command: stdin/stdout unless -i/-o name files.
#include <fstream>
#include <iostream>
#include <string>

#include "crossmt/error.h"

namespace crossmt::cli {

class CommandStreams {
 public:
  // Throws crossmt::Error naming a file that cannot be opened.
  CommandStreams(const std::string& input_path, const std::string& output_path) {
    if (!input_path.empty()) {
      input_file_.open(input_path);
      if (!input_file_) throw Error("cannot read input file '" + input_path + "'");
    }
    if (!output_path.empty()) {
      output_file_.open(output_path);
      if (!output_file_) throw Error("cannot write output file '" + output_path + "'");
    }
    input_ = input_path.empty() ? static_cast<std::istream*>(&std::cin) : &input_file_;
    output_ = output_path.empty() ? static_cast<std::ostream*>(&std::cout) : &output_file_;
  }
  CommandStreams(const CommandStreams&) = delete;
  CommandStreams& operator=(const CommandStreams&) = delete;

  std::istream& input() { return *input_; }
  std::ostream& output() { return *output_; }

 private:
  std::ifstream input_file_;
  std::ofstream output_file_;
  std::istream* input_ = nullptr;
  std::ostream* output_ = nullptr;
};

}  // namespace crossmt::cli
