// Corpus BLEU (sacreBLEU's defaults, see include/crossmt/bleu.h) of a hypothesis file against a
// reference file, one segment per line, printed as JSON.
// Usage: bleu HYPOTHESES REFERENCES
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crossmt/bleu.h"

namespace {

std::vector<std::string> read_lines(const char* path) {
  std::ifstream stream(path);
  if (!stream) throw std::runtime_error(std::string("cannot read ") + path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: bleu HYPOTHESES REFERENCES\n";
    return 2;
  }
  try {
    const auto hypotheses = read_lines(argv[1]), references = read_lines(argv[2]);
    if (hypotheses.size() != references.size()) {
      std::cerr << "error: " << hypotheses.size() << " hypotheses but " << references.size() << " references\n";
      return 2;
    }
    const crossmt::BleuScore bleu = crossmt::corpus_bleu(hypotheses, references);
    std::cout << nlohmann::json{{"bleu", bleu.score}, {"brevity_penalty", bleu.brevity_penalty},
                                {"segments", hypotheses.size()}}.dump()
              << "\n";
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << "\n";
    return 2;
  }
  return 0;
}
