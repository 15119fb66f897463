// The same input gives byte-identical output: across runs and thread counts.
// tools/determinism.sh does the same on 300 lines of test_2016_flickr.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "cli_runner.h"

using crossmt::testing::run_crossmt;

namespace {

std::string first_lines(const std::string& file, int count) {
  std::ifstream stream(file);
  std::string text;
  std::string line;
  for (int i = 0; i < count && std::getline(stream, line); ++i) text += line + "\n";
  return text;
}

}  // namespace

// Batch sizes are covered by "batch size does not change the output" (test_search.cpp).
TEST_CASE("determinism: two runs, and --threads 1 and 2, give byte-identical output", "[determinism][cli]") {
  const std::string input = first_lines(CROSSMT_MODELS_DIR "/../data/multi30k/test_2016_flickr.en", 20);
  REQUIRE(!input.empty());
  const std::string base = "translate --to de --format jsonl --quiet ";
  const auto first = run_crossmt(base + "--threads 2", input);
  REQUIRE(first.exit_status == 0);
  std::istringstream lines(first.out);
  int count = 0;
  for (std::string line; std::getline(lines, line);) ++count;
  CHECK(count == 20);
  CHECK(run_crossmt(base + "--threads 2", input).out == first.out);
  CHECK(run_crossmt(base + "--threads 1", input).out == first.out);
}
