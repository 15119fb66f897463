// `crossmt translate` run as a process with the default model.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

using crossmt::testing::run_crossmt;

using crossmt::testing::split_lines;

TEST_CASE("cli translate: the README's sentence, beam 4 by default") {
  const auto result = run_crossmt("translate --to de", "A man is riding a bike.\n");
  CHECK(result.exit_status == 0);
  CHECK(result.out == "Ein Mann fährt auf einem Fahrrad.\n");
  CHECK(result.err.empty());
}

TEST_CASE("cli translate: jsonl records carry ids as the references lay them out") {
  // Row 0 of test_2016_flickr en-de: transformers' beam-4 ids and score.
  const auto result = run_crossmt("translate --to de --format jsonl", "A man in an orange hat starring at something.\n");
  REQUIRE(result.exit_status == 0);
  const auto record = nlohmann::json::parse(result.out);
  CHECK(record["source"] == "A man in an orange hat starring at something.");
  CHECK(record["ids"] == std::vector<int>{20, 37, 9, 14, 10, 251, 602, 524, 102, 63, 14, 10, 525, 6, 0});
  CHECK(record["translation"] == "Ein Mann in einem blauen Hut schaut sich an einem anderen.");
  CHECK(record["tokens"].size() == record["ids"].size());
  CHECK(std::abs(record["score"].get<double>() - -1.209184) <= 1e-4);
}

TEST_CASE("cli translate: n-best, greedy and --ids-in") {
  const auto n_best = run_crossmt("translate --to fr --n-best 3", "Two dogs play.\nA man.\n");
  CHECK(n_best.exit_status == 0);
  CHECK(split_lines(n_best.out).size() == 6);
  const auto n_best_json = run_crossmt("translate --to fr --n-best 2 --format jsonl", "Two dogs play.\n");
  CHECK(nlohmann::json::parse(n_best_json.out)["n_best"].size() == 2);
  const auto greedy = run_crossmt("translate --to de --beam-size 1 --format jsonl", "A man in an orange hat starring at something.\n");
  CHECK(nlohmann::json::parse(greedy.out)["ids"] ==
        std::vector<int>{20, 37, 9, 14, 10, 1058, 602, 524, 102, 63, 14, 10, 525, 6, 0});
  const auto ids = run_crossmt("translate --ids-in", "3 16 39 9 63 240 216 1020 33 46 91 623 6 0\n");
  CHECK(ids.out == "20 37 9 14 10 251 602 524 102 63 14 10 525 6 0\n");
}

TEST_CASE("cli translate: empty, invalid and over-long lines") {
  const auto result = run_crossmt("translate --to de", "A man.\n\n\xff\xfe bad\r\nTwo dogs play.\r\n");
  CHECK(result.exit_status == 1);
  const auto lines = split_lines(result.out);
  REQUIRE(lines.size() == 4);
  CHECK(lines[1].empty());
  CHECK(lines[2].empty());
  CHECK(lines[3] == "Zwei Hunde spielen.");
  CHECK(result.err == "error: line 3: invalid UTF-8 at byte 1\n");

  std::string long_line;
  for (int i = 0; i < 300; ++i) long_line += "dog ";
  const auto truncated = run_crossmt("translate --to de --beam-size 1 --max-new-tokens 5", long_line + "\n");
  CHECK(truncated.exit_status == 0);
  CHECK_THAT(truncated.err, Catch::Contains("warning: line 1:") && Catch::Contains("truncated"));
  const auto strict = run_crossmt("translate --to de --strict --max-new-tokens 5", "A man.\n" + long_line + "\n");
  CHECK(strict.exit_status == 1);
  CHECK_THAT(strict.err, Catch::StartsWith("error: line 2:"));
  CHECK(split_lines(strict.out).size() == 2);
}

TEST_CASE("cli translate: bad usage is one error line and status 2") {
  for (const std::string arguments : {"--to xx", "--to de --beam-size 0", "--to de --n-best 5", "--to de --max-length -1",
                                      "--to de --early-stopping maybe", "--to de --format xml", "-m /nonexistent",
                                      "--to de -i /nonexistent/input.txt", "--to de -o /nonexistent/dir/out.txt"}) {
    INFO(arguments);
    const auto result = run_crossmt("translate " + arguments, "A man.\n");
    CHECK(result.exit_status == 2);
    CHECK_THAT(result.err, Catch::StartsWith("error: "));
    CHECK(split_lines(result.err).size() == 1);
  }
}
