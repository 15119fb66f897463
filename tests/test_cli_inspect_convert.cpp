// `crossmt inspect` and `crossmt convert`, run as the real binary: output, exit status 0 on
// success and 2 with one `error:` line on failure.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "checkpoint_test_support.h"
#include "crossmt/checkpoint.h"

using namespace crossmt;
using namespace crossmt::test;
using Catch::Contains;
using Catch::StartsWith;
using nlohmann::json;

namespace {

}  // namespace

TEST_CASE("inspect describes the default model in aligned key: value lines", "[cli]") {
  const Run run = run_crossmt("inspect");
  INFO(run.output);
  REQUIRE(run.status == 0);
  CHECK_THAT(run.output, Contains("architecture:") && Contains("marian (MarianMTModel)"));
  CHECK_THAT(run.output, Contains("parameters:") && Contains(" 10,077,952\n"));
  CHECK_THAT(run.output, Contains("F32 x 176"));
  CHECK_THAT(run.output, Contains("encoder 6, decoder 3"));
  CHECK_THAT(run.output, Contains("swish"));
  CHECK_THAT(run.output, Contains("pad 7999, eos 0, bos 0, decoder start 7999, forced eos 0"));
  CHECK_THAT(run.output, Contains("num_beams 4, max_length 256, length_penalty 1.0, early_stopping false"));
  CHECK_THAT(run.output, Contains("bad_words_ids [[7999]]"));
  CHECK_THAT(run.output, Contains("source.spm, target.spm, vocab.json, tokenizer_config.json"));

  // Values start in one column.
  std::istringstream lines(run.output);
  std::string line;
  size_t value_column = std::string::npos;
  while (std::getline(lines, line)) {
    const size_t colon = line.find(": ");
    REQUIRE(colon != std::string::npos);
    const size_t column = line.find_first_not_of(' ', colon + 1);
    if (value_column == std::string::npos) value_column = column;
    CHECK(column == value_column);
  }
}

TEST_CASE("inspect --json, -m, and JSON checkpoints", "[cli]") {
  const fs::path t5 = kTinyArchsDir / "t5_v1_1";
  const Run run = run_crossmt("inspect --json " + quoted(t5));
  INFO(run.output);
  REQUIRE(run.status == 0);
  const json report = json::parse(run.output);
  CHECK(report["parameters"] == 52672);
  CHECK(report["model_type"] == "t5");
  CHECK(report["feed_forward_proj"] == "gated-gelu");
  CHECK(report["dtypes"]["F32"] == 51);
  CHECK(report["special_ids"]["eos"] == 1);
  CHECK(report["generation"]["early_stopping"] == false);
  CHECK(report["tokenizer_files"] == json{"spiece.model", "tokenizer_config.json"});
  CHECK(report["tokenizer"] == "t5");
  CHECK(report["languages"] == json{"en", "de", "fr", "ro"});
  CHECK(report["needs_source_language"] == true);

  const Run with_option = run_crossmt("inspect -m " + quoted(kTinyArchsDir / "bart"));
  CHECK(with_option.status == 0);
  CHECK_THAT(with_option.output, Contains("bart (BartForConditionalGeneration)") && Contains("50,176"));

  TempDir dir("cli-inspect-json");
  save_json_checkpoint(Checkpoint::open(kTinyArchsDir / "mbart"), dir / "mbart.json");
  const Run from_json = run_crossmt("inspect " + quoted(dir / "mbart.json"));
  CHECK(from_json.status == 0);
  CHECK_THAT(from_json.output, Contains("JSON checkpoint") && Contains("pre-norm") && Contains("tokenizer files: none"));

  require_error(run_crossmt("inspect " + quoted(t5) + " -m " + quoted(t5)), "not both");
}

TEST_CASE("inspect failures: one error line, exit status 2", "[cli]") {
  TempDir dir("cli-inspect-errors");
  require_error(run_crossmt("inspect " + quoted(dir / "absent")), (dir / "absent").string() + ": no such file");

  copy_tiny_model("marian_shared", dir / "model");
  edit_header(dir / "model" / "model.safetensors",
              [](json& header) { header["model.shared.weight"]["dtype"] = "F8"; });
  require_error(run_crossmt("inspect " + quoted(dir / "model")),
                (dir / "model" / "model.safetensors").string() + ": tensor 'model.shared.weight': unknown dtype 'F8'");

  write_bytes(dir / "model" / "config.json", "{ not json");
  require_error(run_crossmt("inspect " + quoted(dir / "model")), (dir / "model" / "config.json").string() + ": invalid JSON");
}

TEST_CASE("convert folder -> json -> folder keeps every tensor bit-identical", "[cli]") {
  TempDir dir("cli-convert");
  const fs::path source = copy_tiny_model("marian_shared", dir / "source");
  write_bytes(source / "tokenizer_config.json", "{\"separate_vocabs\": false}");
  write_bytes(source / "vocab.json", "{\"</s>\": 0}");

  const Run to_json = run_crossmt("convert --to json " + quoted(source) + " " + quoted(dir / "out" / "model.json"));
  INFO(to_json.output);
  REQUIRE(to_json.status == 0);
  const Run to_folder = run_crossmt("convert --to safetensors " + quoted(dir / "out" / "model.json") + " " +
                                    quoted(dir / "folder"));
  INFO(to_folder.output);
  REQUIRE(to_folder.status == 0);

  const Checkpoint original = Checkpoint::open(source);
  require_same_tensors(original, Checkpoint::open(dir / "out" / "model.json"));
  const Checkpoint round_trip = Checkpoint::open(dir / "folder");
  require_same_tensors(original, round_trip);
  CHECK(round_trip.config().raw_config == original.config().raw_config);
  CHECK(round_trip.config().raw_generation_config == original.config().raw_generation_config);
  CHECK_FALSE(fs::exists(dir / "folder" / "vocab.json"));  // a JSON checkpoint carries no tokenizer

  // Folder to folder: the tokenizer files come along.
  const Run copy = run_crossmt("convert --to safetensors " + quoted(source) + " " + quoted(dir / "copy"));
  REQUIRE(copy.status == 0);
  require_same_tensors(original, Checkpoint::open(dir / "copy"));
  CHECK(read_bytes(dir / "copy" / "vocab.json") == read_bytes(source / "vocab.json"));
  CHECK(read_bytes(dir / "copy" / "tokenizer_config.json") == read_bytes(source / "tokenizer_config.json"));
}

TEST_CASE("convert failures: one error line, exit status 2", "[cli]") {
  TempDir dir("cli-convert-errors");
  const fs::path tiny = kTinyArchsDir / "bart";
  require_error(run_crossmt("convert --to xml " + quoted(tiny) + " " + quoted(dir / "x")), "xml");
  require_error(run_crossmt("convert --to json " + quoted(dir / "absent") + " " + quoted(dir / "x.json")),
                (dir / "absent").string() + ": no such file");
  require_error(run_crossmt("convert --to json " + quoted(tiny) + " " + quoted(dir / "x.bin")), "must end in .json");
  require_error(run_crossmt("convert " + quoted(tiny) + " " + quoted(dir / "x.json")), "--to");
  write_bytes(dir / "file", "");
  require_error(run_crossmt("convert --to safetensors " + quoted(tiny) + " " + quoted(dir / "file")),
                "exists and is not a folder");
  CHECK_FALSE(fs::exists(dir / "x.json"));
}
