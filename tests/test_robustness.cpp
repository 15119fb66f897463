// Hostile input, one test per row of the README's "Errors" table not covered elsewhere: JSON
// numbers that overflow, NaN/Inf weights, NUL bytes, a 1 MB line, CRLF, whitespace-only lines,
// an unwritable output path, negative lengths, and a read-only model folder.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <iostream>
#include <limits>
#include <sstream>

#include "checkpoint_test_support.h"
#include "cli_runner.h"
#include "crossmt/checkpoint.h"
#include "crossmt/config.h"
#include "crossmt/error.h"
#include "crossmt/tokenizer.h"

using namespace crossmt;
using namespace crossmt::test;
using crossmt::testing::run_crossmt;


namespace {

// Captures what the code under test writes to std::cerr.
class CerrCapture {
 public:
  CerrCapture() : previous_(std::cerr.rdbuf(buffer_.rdbuf())) {}
  ~CerrCapture() { std::cerr.rdbuf(previous_); }
  std::string text() const { return buffer_.str(); }

 private:
  std::ostringstream buffer_;
  std::streambuf* previous_;
};

// Overwrites element `index` of an F32 tensor of a safetensors file in place.
void poke_f32(const fs::path& file, const std::string& tensor, size_t index, float value) {
  std::string bytes = read_bytes(file);
  const uint64_t length = header_length(bytes);
  const auto header = nlohmann::json::parse(bytes.substr(8, length));
  const uint64_t begin = header.at(tensor).at("data_offsets")[0].get<uint64_t>();
  std::memcpy(bytes.data() + 8 + length + begin + index * 4, &value, 4);
  write_bytes(file, bytes);
}

}  // namespace

TEST_CASE("JSON numbers too large for a double are errors naming the file, not crashes", "[robustness]") {
  // nlohmann::json throws out_of_range (not parse_error) for 1e400: found by the fuzzer.
  TempDir dir("number-overflow");
  copy_tiny_model("marian_shared", dir.path());
  const std::string pristine_config = read_bytes(dir / "config.json");

  write_bytes(dir / "config.json", R"({"d_model": 1e400})");
  CHECK_THROWS_WITH(Checkpoint::open(dir.path()), Catch::StartsWith((dir / "config.json").string() + ": invalid JSON") &&
                                                      Catch::Contains("number overflow"));
  write_bytes(dir / "config.json", pristine_config);

  replace_header_text(dir / "model.safetensors", R"({"a": {"dtype": "F32", "shape": [1e400], "data_offsets": [0, 0]}})");
  CHECK_THROWS_WITH(Checkpoint::open(dir.path()),
                    Catch::StartsWith((dir / "model.safetensors").string() + ": header is not valid JSON"));

  CHECK_THROWS_WITH(parse_json_checkpoint(R"({"config": {}, "tensors": {"a": {"data": [-1e999]}}})", "c.json"),
                    Catch::StartsWith("c.json: invalid JSON"));

  TempDir tokenizer_dir("number-overflow-vocab");
  for (const char* name : {"source.spm", "target.spm", "tokenizer_config.json"})
    fs::copy_file(kDefaultModelDir / name, tokenizer_dir / name);
  write_bytes(tokenizer_dir / "vocab.json", R"({"</s>": 0, "<unk>": 1e400})");
  CHECK_THROWS_WITH(MarianTokenizer::load(tokenizer_dir.path()),
                    Catch::StartsWith((tokenizer_dir / "vocab.json").string() + ": not valid JSON"));
}

TEST_CASE("error messages stay on one line whatever they quote", "[robustness]") {
  CHECK(std::string(Error("a\nb\r\nc").what()) == "a\\nb\\r\\nc");
  nlohmann::json config = nlohmann::json::parse(read_bytes(kTinyArchsDir / "marian_shared" / "config.json"));
  config["activation_function"] = "sw\nish";
  CHECK_THROWS_WITH(parse_model_config(config, nlohmann::json(), "config.json"),
                    "config.json: field 'activation_function' names an unknown activation 'sw\\nish'");
  const nlohmann::json checkpoint = {{"config", nlohmann::json::parse(read_bytes(kTinyArchsDir / "marian_shared" / "config.json"))},
                                     {"tensors", {{"a\nb", {{"dtype", "F32"}, {"shape", {1}}, {"data", {1, 2}}}}}}};
  CHECK_THROWS_WITH(parse_json_checkpoint(checkpoint.dump(), "c.json"), Catch::StartsWith("c.json: tensor 'a\\nb'"));
}

TEST_CASE("the in-memory JSON checkpoint reader matches the file reader", "[robustness]") {
  TempDir dir("json-in-memory");
  const Checkpoint folder = Checkpoint::open(copy_tiny_model("marian_shared", dir / "model"));
  save_json_checkpoint(folder, dir / "model.json");
  const Checkpoint parsed = parse_json_checkpoint(read_bytes(dir / "model.json"), "model.json");
  REQUIRE(parsed.tensor_names() == folder.tensor_names());
  for (const auto& [name, tensor] : folder.tensors()) {
    const StoredTensor& other = parsed.stored(name);
    REQUIRE(other.byte_size == tensor.byte_size);
    CHECK(std::memcmp(other.data, tensor.data, tensor.byte_size) == 0);
  }
  CHECK_THROWS_WITH(parse_json_checkpoint("{ not json", "x.json"), Catch::StartsWith("x.json: invalid JSON"));
}

TEST_CASE("NaN and Inf weights load with a warning naming the tensor", "[robustness]") {
  TempDir dir("non-finite");
  copy_tiny_model("marian_shared", dir.path());
  const fs::path weights = dir / "model.safetensors";
  poke_f32(weights, "model.shared.weight", 3, std::numeric_limits<float>::quiet_NaN());
  poke_f32(weights, "model.shared.weight", 7, std::numeric_limits<float>::infinity());
  const Checkpoint checkpoint = Checkpoint::open(dir.path());
  {
    CerrCapture capture;
    const Tensor loaded = checkpoint.load_f32("model.shared.weight", {96, 32});
    CHECK(std::isnan(loaded.data()[3]));
    CHECK(std::isinf(loaded.data()[7]));
    CHECK(capture.text() == "warning: " + weights.string() +
                                ": tensor 'model.shared.weight' holds 2 NaN/Inf values (first at element 3)\n");
  }
  {
    CerrCapture capture;
    (void)checkpoint.load_f32("final_logits_bias", {1, 96});
    CHECK(capture.text().empty());
  }
  // Through the command line: the warning reaches the user, the run still completes.
  const auto result = run_crossmt("translate -m " + quoted(dir.path()) + " --ids-in --beam-size 1 --max-new-tokens 3",
                                  "5 6 7 0\n");
  CHECK_THAT(result.err, Catch::Contains("warning: " + weights.string() + ": tensor 'model.shared.weight' holds 2 NaN/Inf"));
  CHECK(crossmt::testing::split_lines(result.out).size() == 1);
}

TEST_CASE("cli translate: NUL bytes, whitespace-only lines and CRLF", "[robustness][cli]") {
  // U+0000 is valid UTF-8: it is tokenized as transformers does (an unknown piece -> <unk>), and
  // the text after it is not lost.
  const auto pieces = run_crossmt("tokenize", std::string("A man\0 is here.\n", 16));
  CHECK(pieces.exit_status == 0);
  CHECK(pieces.out == "16 39 1 40 181 12 6 0\n");

  const std::string input = std::string("A man\0 is here.\n", 16) + "   \t \n\n \r\nTwo dogs play.\r\n";
  const auto result = run_crossmt("translate --to de", input);
  CHECK(result.exit_status == 0);
  const auto lines = crossmt::testing::split_lines(result.out);
  REQUIRE(lines.size() == 5);  // one output line per input line, whatever the line holds
  CHECK_FALSE(lines[0].empty());
  CHECK(lines[1].empty());  // spaces and a tab
  CHECK(lines[2].empty());
  CHECK(lines[3].empty());  // " \r\n"
  CHECK(lines[4] == "Zwei Hunde spielen.");  // CRLF: the \r is not part of the text
  CHECK(result.out.find('\0') == std::string::npos);
  CHECK(result.out.find('\r') == std::string::npos);
  CHECK(result.err.empty());
}

TEST_CASE("cli translate: lines SentencePiece normalizes to nothing give empty output, not a made-up sentence",
          "[robustness][cli]") {
  // No-break space, ideographic space, form feed, a language token alone: the model would see only
  // </s> (and the language token) and translate thin air.
  const auto result = run_crossmt("translate --to de", "\xc2\xa0\n\xe3\x80\x80 \n\f\n>>fra<<\nA man.\n");
  CHECK(result.exit_status == 0);
  const auto lines = crossmt::testing::split_lines(result.out);
  REQUIRE(lines.size() == 5);
  for (int i = 0; i < 4; ++i) CHECK(lines[i].empty());
  CHECK(lines[4] == "Ein Mann.");
}

TEST_CASE("cli translate: a 1 MB line is truncated to the model's positions, with a warning", "[robustness][cli]") {
  std::string line;
  while (line.size() < 1'000'000) line += "dog ";
  const auto result = run_crossmt("translate --to de --beam-size 1 --max-new-tokens 5", "A man.\n" + line + "\nA man.\n");
  CHECK(result.exit_status == 0);
  const auto lines = crossmt::testing::split_lines(result.out);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == lines[2]);
  CHECK_THAT(result.err, Catch::StartsWith("warning: line 2:") && Catch::Contains("truncated"));
}

TEST_CASE("cli translate: an output path that cannot be written is one error line", "[robustness][cli]") {
  TempDir dir("unwritable-output");
  // A folder as the output file, and a path below a regular file: both fail even for root.
  write_bytes(dir / "file", "x");
  for (const fs::path& output : {dir.path(), dir / "file" / "out.txt"}) {
    INFO(output);
    const auto result = run_crossmt("translate --to de -o " + quoted(output), "A man.\n");
    CHECK(result.exit_status == 2);
    CHECK_THAT(result.err, Catch::StartsWith("error: ") && Catch::Contains(output.string()));
    CHECK(crossmt::testing::split_lines(result.err).size() == 1);
  }
}

TEST_CASE("cli translate: negative lengths are one error line and status 2", "[robustness][cli]") {
  for (const std::string flag : {"--max-length", "--max-new-tokens", "--min-length"}) {
    INFO(flag);
    const auto result = run_crossmt("translate --to de " + flag + " -1", "A man.\n");
    CHECK(result.exit_status == 2);
    CHECK_THAT(result.err, Catch::StartsWith("error: " + flag + ": must be at least"));
    CHECK(crossmt::testing::split_lines(result.err).size() == 1);
    CHECK(result.out.empty());
  }
}

TEST_CASE("cli translate: a read-only model folder works and is left untouched", "[robustness][cli]") {
  TempDir dir("read-only-model");
  const fs::path model = dir / "model";
  fs::copy(kDefaultModelDir, model, fs::copy_options::recursive);
  std::map<std::string, std::pair<std::string, timespec>> before;
  for (const auto& entry : fs::directory_iterator(model)) {
    struct stat info {};
    ::stat(entry.path().c_str(), &info);
    before[entry.path().filename()] = {read_bytes(entry.path()), info.st_mtim};
    fs::permissions(entry.path(), fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                    fs::perm_options::remove);
  }
  fs::permissions(model, fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                  fs::perm_options::remove);

  const auto result = run_crossmt("translate -m " + quoted(model) + " --to de", "A man is riding a bike.\n");
  CHECK(result.exit_status == 0);
  CHECK(result.out == "Ein Mann fährt auf einem Fahrrad.\n");
  CHECK(result.err.empty());

  fs::permissions(model, fs::perms::owner_write, fs::perm_options::add);
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(model)) {
    ++files;
    INFO(entry.path());
    const auto found = before.find(entry.path().filename());
    REQUIRE(found != before.end());  // no new files
    struct stat info {};
    ::stat(entry.path().c_str(), &info);
    CHECK(read_bytes(entry.path()) == found->second.first);
    CHECK(info.st_mtim.tv_sec == found->second.second.tv_sec);
    CHECK(info.st_mtim.tv_nsec == found->second.second.tv_nsec);
  }
  CHECK(files == before.size());
}
