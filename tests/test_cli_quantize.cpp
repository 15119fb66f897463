// `crossmt quantize` and `--compute-type`: an int8 folder that translates like int8 on the fly.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "cli_runner.h"
#include "crossmt/checkpoint.h"

namespace fs = std::filesystem;
using crossmt::testing::cli_scratch_folder;
using crossmt::testing::run_crossmt;

namespace {

const std::string kSentences =
    "A man in an orange hat starring at something.\n"
    "A girl in karate uniform breaking a stick with a front kick.\n"
    "People are fixing the roof of a house.\n";

}  // namespace

TEST_CASE("cli quantize: the int8 folder translates as --compute-type int8 does", "[cli]") {
  const fs::path folder = cli_scratch_folder();
  const fs::path output = folder / "int8";
  const auto quantize = run_crossmt("quantize -o '" + output.string() + "'", "");
  INFO(quantize.err);
  REQUIRE(quantize.exit_status == 0);
  CHECK(quantize.out == "wrote " + output.string() + " (66 int8 weights with per-channel scales, 242 tensors in all)\n");
  for (const char* file : {"config.json", "generation_config.json", "model.safetensors", "source.spm", "target.spm",
                           "vocab.json", "tokenizer_config.json"})
    CHECK(fs::exists(output / file));
  // Linear weights are a quarter of their f32 size; the embedding stays f32.
  CHECK(fs::file_size(output / "model.safetensors") < fs::file_size(fs::path(CROSSMT_MODELS_DIR) / "m30k-mul-marian" / "model.safetensors") / 2);

  const auto from_folder = run_crossmt("translate --quiet --to de -m '" + output.string() + "'", kSentences);
  const auto on_the_fly = run_crossmt("translate --quiet --to de --compute-type int8", kSentences);
  const auto exact = run_crossmt("translate --quiet --to de --compute-type float32", kSentences);
  REQUIRE(from_folder.exit_status == 0);
  REQUIRE(on_the_fly.exit_status == 0);
  CHECK(from_folder.out == on_the_fly.out);
  CHECK(from_folder.out.find("Ein Mann") == 0);
  CHECK(exact.out.find("Ein Mann") == 0);

  const auto inspect = run_crossmt("inspect -m '" + output.string() + "'", "");
  CHECK(inspect.out.find("dtypes:          F32 x 176, I8 x 66") != std::string::npos);
  CHECK(inspect.out.find("parameters:      10,077,952") != std::string::npos);

  const auto again = run_crossmt("quantize -m '" + output.string() + "' -o '" + (folder / "twice").string() + "'", "");
  CHECK(again.exit_status == 2);
  CHECK(again.err == "error: " + (output / "model.safetensors").string() + ": already holds int8 weights\n");
  fs::remove_all(folder);
}

TEST_CASE("cli quantize and --compute-type: bad arguments are one error line, exit status 2", "[cli]") {
  const fs::path folder = cli_scratch_folder();
  const auto missing_output = run_crossmt("quantize", "");
  CHECK(missing_output.exit_status == 2);
  CHECK(missing_output.err == "error: --output is required\n");

  const auto absent_model = run_crossmt("quantize -m '" + (folder / "absent").string() + "' -o '" + (folder / "x").string() + "'", "");
  CHECK(absent_model.exit_status == 2);
  CHECK(absent_model.err == "error: " + (folder / "absent").string() + ": no such file or directory\n");

  const auto bad_type = run_crossmt("translate --to de --compute-type int3", "A dog.\n");
  CHECK(bad_type.exit_status == 2);
  CHECK(bad_type.err == "error: unknown compute type 'int3'; expected auto, float32 or int8\n");
  fs::remove_all(folder);
}
