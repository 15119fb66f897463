// `crossmt bench` run as a process on a few lines: the JSON report and the option errors.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace fs = std::filesystem;
using crossmt::testing::run_crossmt;

namespace {

// A scratch folder holding a 5-line input file, removed at the end of the test.
struct Scratch {
  fs::path dir;
  Scratch() {
    static int counter = 0;
    dir = fs::temp_directory_path() /
          ("crossmt_cli_bench_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(dir);
    std::ofstream(dir / "in.en") << "A man in an orange hat starring at something.\n"
                                    "A Boston Terrier is running on lush green grass in front of a white fence.\n"
                                    "A girl in karate uniform breaking a stick with a front kick.\n"
                                    "Five people wearing winter jackets and helmets stand in the snow.\n"
                                    "People are fixing the roof of a house.\n";
  }
  ~Scratch() { fs::remove_all(dir); }
  std::string input() const { return (dir / "in.en").string(); }
};

}  // namespace

TEST_CASE("cli bench: --json reports positive timings and throughput") {
  const Scratch scratch;
  const fs::path json_path = scratch.dir / "bench.json";
  const auto result = run_crossmt("bench -i '" + scratch.input() + "' --to de --beam-size 2 --batch-size 2 --threads 1 "
                                  "--repeat 1 --json '" + json_path.string() + "'", "");
  INFO(result.err);
  REQUIRE(result.exit_status == 0);
  CHECK_THAT(result.out, Catch::Contains("target tok/s") && Catch::Contains("encoder") &&
                             Catch::Contains("measured separately"));

  std::ifstream file(json_path);
  REQUIRE(file);
  const auto report = nlohmann::json::parse(file);
  for (const char* field : {"median_s", "median_translate_s", "target_tokens_per_s", "source_tokens_per_s",
                            "sentences_per_s", "peak_rss_mib", "threads", "source_tokens", "target_tokens"}) {
    INFO(field);
    REQUIRE(report.contains(field));
    CHECK(report[field].get<double>() > 0);
  }
  CHECK(report["sentences"] == 5);
  CHECK(report["threads"] == 1);
  CHECK(report["beam_size"] == 2);
  CHECK(report["batches"] == 3);
  CHECK(report["compute_type"] == "float32");
  // Five sentences of different lengths in batches of two: some padding, far from half.
  CHECK(report["padding_ratio"].get<double>() > 0);
  CHECK(report["padding_ratio"].get<double>() < 0.5);
  CHECK(report["runs_s"].size() == 1);
  CHECK(report["target_language"] == ">>deu<<");
  // The load average may be 0.00 on an idle machine, so only its presence and sign are checked.
  REQUIRE(report["load_average_before"].size() == 3);
  REQUIRE(report["load_average_after"].size() == 3);
  for (const auto& load : report["load_average_after"]) CHECK(load.get<double>() >= 0);
  for (const char* part : {"tokenization", "encoder", "decoder_steps", "detokenization", "search"}) {
    INFO(part);
    REQUIRE(report["split_s"].contains(part));
    CHECK(report["split_s"][part].get<double>() >= 0);
  }
  CHECK(report["split_s"]["encoder"].get<double>() > 0);
  CHECK(report["split_s"]["decoder_steps"].get<double>() > 0);
  CHECK(report.contains("split_method"));
  REQUIRE(report.contains("median_cpu_s"));  // may round to 0 on a coarse clock, so only >= 0
  CHECK(report["median_cpu_s"].get<double>() >= 0);
}

TEST_CASE("cli bench: --limit takes the first lines") {
  const Scratch scratch;
  const fs::path json_path = scratch.dir / "bench.json";
  const auto result = run_crossmt("bench -i '" + scratch.input() + "' --to deu --beam-size 1 --limit 2 --repeat 1 --json '" +
                                      json_path.string() + "'", "");
  INFO(result.err);
  REQUIRE(result.exit_status == 0);
  std::ifstream file(json_path);
  const auto report = nlohmann::json::parse(file);
  CHECK(report["lines"] == 2);
  CHECK(report["sentences"] == 2);
}

TEST_CASE("cli bench: --compute-type int8 runs in int8 and says so; an unknown type is an error") {
  const Scratch scratch;
  const fs::path json_path = scratch.dir / "bench.json";
  const auto result = run_crossmt("bench -i '" + scratch.input() + "' --to de --beam-size 1 --repeat 1 --compute-type int8 "
                                  "--json '" + json_path.string() + "'", "");
  INFO(result.err);
  REQUIRE(result.exit_status == 0);
  CHECK(result.out.find(", int8\n") != std::string::npos);
  std::ifstream file(json_path);
  CHECK(nlohmann::json::parse(file)["compute_type"] == "int8");

  const auto unknown = run_crossmt("bench -i '" + scratch.input() + "' --to de --compute-type int4", "");
  CHECK(unknown.exit_status == 2);
  CHECK(unknown.err == "error: unknown compute type 'int4'; expected auto, float32 or int8\n");
}

TEST_CASE("cli bench: lines without a language token need --to") {
  const Scratch scratch;
  const auto result = run_crossmt("bench -i '" + scratch.input() + "' --repeat 1", "");
  CHECK(result.exit_status == 2);
  CHECK_THAT(result.err, Catch::StartsWith("error: line 1 has no >>xxx<< target language token"));
}

TEST_CASE("cli bench: a missing input file is an error") {
  const Scratch scratch;
  const auto result = run_crossmt("bench -i '" + (scratch.dir / "missing").string() + "' --to de", "");
  CHECK(result.exit_status == 2);
  CHECK_THAT(result.err, Catch::StartsWith("error: cannot read input file"));
}
