// `crossmt tokenize` run as a process: ids, pieces, --to, bad lines and bad options.
#include <catch2/catch.hpp>

#include <string>

#include "cli_runner.h"

using crossmt::testing::run_crossmt;

TEST_CASE("cli tokenize: ids, one line per input line") {
  const auto result = run_crossmt("tokenize", "A man.\n>>deu<< A man in an orange hat starring at something.\n\n");
  CHECK(result.exit_status == 0);
  CHECK(result.out == "16 39 6 0\n3 16 39 9 63 240 216 1020 33 46 91 623 6 0\n0\n");
  CHECK(result.err.empty());
}

TEST_CASE("cli tokenize: --pieces") {
  const auto result = run_crossmt("tokenize --pieces", ">>fra<< A man.\n");
  CHECK(result.exit_status == 0);
  CHECK(result.out == ">>fra<< \u2581A \u2581man . </s>\n");
}

TEST_CASE("cli tokenize: --to takes ISO 639-1 and 639-3 codes and keeps existing tokens") {
  const std::string input = "A man.\n>>fra<< A man.\n";
  const std::string expected = "3 16 39 6 0\n4 16 39 6 0\n";
  CHECK(run_crossmt("tokenize --to de", input).out == expected);
  CHECK(run_crossmt("tokenize --to deu", input).out == expected);
  CHECK(run_crossmt("tokenize --to '>>deu<<'", input).out == expected);
}

TEST_CASE("cli tokenize: an unknown --to code lists the model's codes") {
  const auto result = run_crossmt("tokenize --to xx", "A man.\n");
  CHECK(result.exit_status == 2);
  CHECK(result.out.empty());
  CHECK_THAT(result.err, Catch::StartsWith("error: ") && Catch::Contains("eng, deu, fra, ces"));
}

TEST_CASE("cli tokenize: a line of invalid UTF-8 is reported, the rest still tokenized") {
  const auto result = run_crossmt("tokenize", "A man.\nbad \xC3\x28 line\nA man.\n");
  CHECK(result.exit_status == 1);
  CHECK(result.out == "16 39 6 0\n\n16 39 6 0\n");
  CHECK(result.err == "error: line 2: invalid UTF-8\n");
}

TEST_CASE("cli tokenize: -m overrides the model folder") {
  const auto result = run_crossmt("tokenize -m /nonexistent/model", "A man.\n");
  CHECK(result.exit_status == 2);
  CHECK_THAT(result.err, Catch::Contains("/nonexistent/model: no such model folder"));
}
