// Checkpoints: real safetensors files damaged in every way the reader must catch, JSON
// checkpoints, bit-identical round trips, dtype conversions, parameter counts.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "checkpoint_test_support.h"
#include "crossmt/checkpoint.h"
#include "crossmt/error.h"
#include "crossmt/safetensors.h"

using namespace crossmt;
using namespace crossmt::test;
using Catch::Contains;
using nlohmann::json;

namespace {

constexpr const char* kBias = "model.decoder.layers.0.fc1.bias";      // F32 [64]
constexpr const char* kWeight = "model.decoder.layers.0.fc1.weight";  // F32 [64, 32]

// A writable copy of the tiny Marian model, and the path of its weights.
struct DamagedModel {
  TempDir dir;
  fs::path weights;
  explicit DamagedModel(const std::string& label) : dir(label) {
    copy_tiny_model("marian_shared", dir.path());
    weights = dir / "model.safetensors";
  }
  std::string origin() const { return weights.string(); }
};

void require_same_config(const Checkpoint& expected, const Checkpoint& actual) {
  CHECK(expected.config().raw_config == actual.config().raw_config);
  CHECK(expected.config().raw_generation_config == actual.config().raw_generation_config);
  CHECK(expected.config().d_model == actual.config().d_model);
  CHECK(expected.config().generation.num_beams == actual.config().generation.num_beams);
}

}  // namespace

TEST_CASE("the tiny Marian checkpoint opens and loads as f32", "[checkpoint]") {
  const Checkpoint checkpoint = Checkpoint::open(kTinyArchsDir / "marian_shared");
  CHECK(checkpoint.weights_origin() == (kTinyArchsDir / "marian_shared" / "model.safetensors").string());
  CHECK(checkpoint.tensor_names().size() == 86);
  CHECK(checkpoint.contains("model.shared.weight"));
  CHECK_FALSE(checkpoint.contains("lm_head.weight"));
  const StoredTensor& bias = checkpoint.stored(kBias);
  CHECK(bias.dtype == DType::F32);
  CHECK(bias.shape == Shape{64});
  CHECK(bias.byte_size == 256);

  const Tensor weight = checkpoint.load_f32(kWeight, {64, 32});
  REQUIRE(weight.shape() == Shape{64, 32});
  float first = 0;
  std::memcpy(&first, checkpoint.stored(kWeight).data, 4);
  CHECK(weight[0] == first);
}

TEST_CASE("missing tensors and shapes that disagree with the config", "[checkpoint]") {
  DamagedModel model("missing-tensor");
  edit_header(model.weights, [](json& header) { header.erase(kBias); });
  const Checkpoint checkpoint = Checkpoint::open(model.dir.path());
  CHECK_FALSE(checkpoint.contains(kBias));
  REQUIRE_THROWS_WITH(checkpoint.stored(kBias), model.origin() + ": tensor '" + kBias + "' is missing");
  REQUIRE_THROWS_WITH(checkpoint.load_f32(kBias, {64}), model.origin() + ": tensor '" + kBias + "' is missing");
  REQUIRE_THROWS_WITH(checkpoint.load_f32(kWeight, {32, 64}),
                      model.origin() + ": tensor '" + kWeight + "' has shape [64, 32] but the config implies [32, 64]");
}

TEST_CASE("damaged safetensors files fail with one line naming the file and tensor", "[checkpoint]") {
  DamagedModel model("damaged");
  const std::string pristine = read_bytes(model.weights);
  const uint64_t pristine_header_length = header_length(pristine);
  const std::string origin = model.origin();
  const std::string bias = origin + ": tensor '" + kBias + "'";

  struct Case {
    std::string name;
    std::function<void()> damage;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"shorter than 8 bytes", [&] { write_bytes(model.weights, pristine.substr(0, 5)); },
       origin + ": not a safetensors file: 5 bytes"},
      {"empty file", [&] { write_bytes(model.weights, ""); }, origin + ": not a safetensors file: 0 bytes"},
      {"header length beyond the file",
       [&] { write_bytes(model.weights, length_prefix(pristine.size()) + pristine.substr(8)); },
       origin + ": header length " + std::to_string(pristine.size()) + " runs past the end"},
      {"header over 100 MB", [&] { write_bytes(model.weights, length_prefix(200'000'000) + pristine.substr(8)); },
       origin + ": header length 200000000 exceeds the 100000000-byte limit"},
      {"header not JSON", [&] { replace_header_text(model.weights, "{\"a\": [1, 2,\n garbage"); },
       origin + ": header is not valid JSON: "},
      {"header length cuts the JSON",
       [&] {
         std::string bytes = pristine;
         bytes.replace(0, 8, length_prefix(pristine_header_length / 2));
         write_bytes(model.weights, bytes);
       },
       origin + ": header is not valid JSON"},
      {"header not an object", [&] { replace_header_text(model.weights, "[1, 2, 3]"); },
       origin + ": header must be a JSON object, got array"},
      {"entry not an object", [&] { edit_header(model.weights, [](json& h) { h[kBias] = 5; }); },
       bias + " must be a JSON object"},
      {"missing dtype", [&] { edit_header(model.weights, [](json& h) { h[kBias].erase("dtype"); }); },
       bias + " has no \"dtype\""},
      {"missing shape", [&] { edit_header(model.weights, [](json& h) { h[kBias].erase("shape"); }); },
       bias + " has no \"shape\""},
      {"missing data_offsets", [&] { edit_header(model.weights, [](json& h) { h[kBias].erase("data_offsets"); }); },
       bias + " has no \"data_offsets\""},
      {"unknown dtype", [&] { edit_header(model.weights, [](json& h) { h[kBias]["dtype"] = "F33"; }); },
       bias + ": unknown dtype 'F33'"},
      {"unsupported dtype", [&] { edit_header(model.weights, [](json& h) { h[kBias]["dtype"] = "F64"; }); },
       bias + ": unsupported dtype 'F64'"},
      {"dtype not a string", [&] { edit_header(model.weights, [](json& h) { h[kBias]["dtype"] = 4; }); },
       bias + ": \"dtype\" must be a string"},
      {"negative dimension", [&] { edit_header(model.weights, [](json& h) { h[kBias]["shape"] = {-64}; }); },
       bias + ": \"shape\" has a negative dimension -64"},
      {"fractional dimension", [&] { edit_header(model.weights, [](json& h) { h[kBias]["shape"] = {6.5}; }); },
       bias + ": \"shape\" holds a non-integer"},
      {"element count overflow",
       [&] {
         edit_header(model.weights, [](json& h) { h[kBias]["shape"] = {uint64_t{1} << 40, uint64_t{1} << 40}; });
       },
       bias + ": shape [1099511627776,1099511627776] has too many elements"},
      {"byte size overflow",
       [&] { edit_header(model.weights, [](json& h) { h[kBias]["shape"] = {uint64_t{1} << 62}; }); },
       bias + ": shape [4611686018427387904] has too many elements"},
      {"offsets outside the data area",
       [&] { edit_header(model.weights, [](json& h) { h[kBias]["data_offsets"] = {200000, 200256}; }); },
       bias + ": data_offsets [200000, 200256] lie outside the"},
      {"offsets reversed",
       [&] { edit_header(model.weights, [](json& h) { h[kBias]["data_offsets"] = {256, 0}; }); },
       bias + ": data_offsets [256,0] end before they begin"},
      {"offsets negative",
       [&] { edit_header(model.weights, [](json& h) { h[kBias]["data_offsets"] = {-256, 0}; }); },
       bias + ": \"data_offsets\" must be [begin, end]"},
      {"data area truncated",
       [&] { write_bytes(model.weights, pristine.substr(0, pristine.size() - 1000)); },
       "lie outside the"},
      {"overlapping tensors",
       [&] {
         edit_header(model.weights, [](json& h) {
           const uint64_t inside_weight = h[kWeight]["data_offsets"][0].get<uint64_t>() + 128;
           h[kBias]["data_offsets"] = {inside_weight, inside_weight + 256};
         });
       },
       bias + " (bytes "},
      {"byte size differs from shape x dtype",
       [&] { edit_header(model.weights, [](json& h) { h[kBias]["shape"] = {65}; }); },
       bias + ": data_offsets span 256 bytes but shape [65] of F32 needs 260"},
      {"F16 claimed for F32 bytes", [&] { edit_header(model.weights, [](json& h) { h[kBias]["dtype"] = "F16"; }); },
       bias + ": data_offsets span 256 bytes but shape [64] of F16 needs 128"},
  };
  for (const Case& test : cases) {
    SECTION(test.name) {
      test.damage();
      std::string message;
      try {
        Checkpoint::open(model.dir.path());
      } catch (const Error& error) {
        message = error.what();
      }
      CHECK_THAT(message, Contains(test.expected));
      CHECK(message.find('\n') == std::string::npos);
    }
  }
}

TEST_CASE("overlap errors name both tensors", "[checkpoint]") {
  DamagedModel model("overlap");
  edit_header(model.weights, [](json& header) {
    header[kBias]["data_offsets"] = header[kWeight]["data_offsets"];
    header[kBias]["shape"] = {64, 32};
  });
  REQUIRE_THROWS_WITH(Checkpoint::open(model.dir.path()),
                      Contains("overlaps tensor '") && Contains(kBias) && Contains(kWeight) && Contains(model.origin()));
}

TEST_CASE("parse_safetensors works on a bare buffer and ignores __metadata__", "[safetensors]") {
  CHECK_THROWS_WITH(parse_safetensors({}, "buffer"), Contains("buffer: not a safetensors file: 0 bytes"));
  std::vector<SafetensorsEntry> entries = {{"b", DType::F16, {3}, 0, 0}, {"a", DType::I8, {2, 0}, 0, 0}};
  std::string bytes = build_safetensors_header(entries);
  CHECK((bytes.size() - 8) % 8 == 0);
  bytes += std::string(6, '\x01');
  const auto* data = reinterpret_cast<const std::byte*>(bytes.data());
  const SafetensorsLayout layout = parse_safetensors({data, bytes.size()}, "buffer");
  REQUIRE(layout.tensors.size() == 2);
  CHECK(layout.tensors[0].name == "a");  // sorted by name
  CHECK(layout.tensors[0].shape == Shape{2, 0});
  CHECK(layout.tensors[1].dtype == DType::F16);
  CHECK(layout.tensors[1].end - layout.tensors[1].begin == 6);
  CHECK(layout.data_start == bytes.size() - 6);
}

TEST_CASE("a read-only checkpoint opens and is left untouched", "[checkpoint]") {
  TempDir dir("read-only");
  copy_tiny_model("bart", dir.path());
  const fs::path weights = dir / "model.safetensors";
  const std::string before = read_bytes(weights);
  fs::permissions(weights, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  struct stat info_before {};
  ::stat(weights.c_str(), &info_before);
  {
    const Checkpoint checkpoint = Checkpoint::open(dir.path());
    CHECK(checkpoint.load_f32("model.shared.weight", {96, 32}).size() == 96 * 32);
  }
  struct stat info_after {};
  ::stat(weights.c_str(), &info_after);
  CHECK(read_bytes(weights) == before);
  CHECK(info_after.st_mtim.tv_sec == info_before.st_mtim.tv_sec);
  CHECK(info_after.st_mtim.tv_nsec == info_before.st_mtim.tv_nsec);
}

TEST_CASE("model folders: missing files and pytorch_model.bin", "[checkpoint]") {
  TempDir dir("folders");
  copy_tiny_model("marian_shared", dir.path());

  fs::remove(dir / "generation_config.json");
  CHECK(Checkpoint::open(dir.path()).config().raw_generation_config.is_null());

  fs::remove(dir / "config.json");
  REQUIRE_THROWS_WITH(Checkpoint::open(dir.path()), Contains((dir / "config.json").string() + ": missing"));

  copy_tiny_model("marian_shared", dir.path());
  fs::rename(dir / "model.safetensors", dir / "pytorch_model.bin");
  REQUIRE_THROWS_WITH(Checkpoint::open(dir.path()),
                      Contains(dir.path().string() + ": has pytorch_model.bin but no model.safetensors") &&
                          Contains("convert it to safetensors"));

  fs::remove(dir / "pytorch_model.bin");
  REQUIRE_THROWS_WITH(Checkpoint::open(dir.path()), Contains((dir / "model.safetensors").string() + ": missing"));

  REQUIRE_THROWS_WITH(Checkpoint::open(dir / "nowhere"), Contains((dir / "nowhere").string() + ": no such file"));
  copy_tiny_model("marian_shared", dir.path());
  REQUIRE_THROWS_WITH(Checkpoint::open(dir / "model.safetensors"), Contains("give the model folder"));

  edit_json_file(dir / "config.json", [](json& config) { config["d_model"] = 30; });
  REQUIRE_THROWS_WITH(Checkpoint::open(dir.path()),
                      Contains((dir / "config.json").string() + ": field 'encoder_attention_heads' (4) does not divide"));
}

TEST_CASE("round trips folder -> JSON -> folder are bit-identical for every tiny architecture", "[checkpoint]") {
  for (const std::string& arch : kTinyArchs) {
    SECTION(arch) {
      TempDir dir("round-trip-" + arch);
      const Checkpoint original = Checkpoint::open(kTinyArchsDir / arch);
      save_json_checkpoint(original, dir / "model.json");
      const Checkpoint from_json = Checkpoint::open(dir / "model.json");
      CHECK(from_json.weights_origin() == (dir / "model.json").string());
      require_same_tensors(original, from_json);
      require_same_config(original, from_json);

      save_model_folder(from_json, dir / "folder");
      const Checkpoint from_folder = Checkpoint::open(dir / "folder");
      require_same_tensors(original, from_folder);
      require_same_config(original, from_folder);
      CHECK(count_parameters(from_folder) == count_parameters(original));
    }
  }
}

TEST_CASE("saving over the checkpoint being read is safe", "[checkpoint]") {
  TempDir dir("overwrite");
  copy_tiny_model("mbart", dir.path());
  const Checkpoint original = Checkpoint::open(kTinyArchsDir / "mbart");
  {
    const Checkpoint mapped = Checkpoint::open(dir.path());
    save_model_folder(mapped, dir.path());
    require_same_tensors(original, mapped);  // the old mapping is still intact
  }
  require_same_tensors(original, Checkpoint::open(dir.path()));
  for (const auto& entry : fs::directory_iterator(dir.path()))
    CHECK(entry.path().filename().string().find(".tmp-") == std::string::npos);
}

TEST_CASE("F16, BF16 and I8 tensors survive a round trip and load as f32", "[checkpoint]") {
  const Checkpoint tiny = Checkpoint::open(kTinyArchsDir / "marian_shared");
  const std::vector<uint16_t> halves = {0x3C00, 0xC000, 0x0001, 0x7BFF};  // 1, -2, 2^-24, 65504
  const std::vector<uint16_t> brains = {0x3F80, 0xBF80, 0x7F80};           // 1, -1, inf
  const std::vector<int8_t> bytes = {-128, 0, 127};
  auto storage = std::make_shared<std::vector<std::vector<std::byte>>>();
  auto keep = [&](const void* data, size_t size) {
    storage->emplace_back(static_cast<const std::byte*>(data), static_cast<const std::byte*>(data) + size);
    return storage->back().data();
  };
  storage->reserve(3);
  std::map<std::string, StoredTensor> tensors;
  tensors["half"] = {DType::F16, {2, 2}, keep(halves.data(), 8), 8};
  tensors["brain"] = {DType::BF16, {3}, keep(brains.data(), 6), 6};
  tensors["int8"] = {DType::I8, {3}, keep(bytes.data(), 3), 3};
  const Checkpoint made(tiny.config(), tensors, storage, "in memory");

  TempDir dir("dtypes");
  save_model_folder(made, dir / "folder");
  save_json_checkpoint(made, dir / "model.json");
  for (const fs::path& path : {dir / "folder", dir / "model.json"}) {
    const Checkpoint reread = Checkpoint::open(path);
    require_same_tensors(made, reread);
    const Tensor half = reread.load_f32("half", {2, 2});
    CHECK(half[0] == 1.0f);
    CHECK(half[1] == -2.0f);
    CHECK(half[2] == std::ldexp(1.0f, -24));
    CHECK(half[3] == 65504.0f);
    const Tensor brain = reread.load_f32("brain", {3});
    CHECK(brain[1] == -1.0f);
    CHECK(std::isinf(brain[2]));
    const Tensor int8 = reread.load_f32("int8", {3});
    CHECK(int8[0] == -128.0f);
    CHECK(int8[2] == 127.0f);
  }
  CHECK(count_parameters(made) == 4 + 3 + 3 + 2 * 64 * 32);  // plus marian's position tables
}

TEST_CASE("f16 and bf16 conversions are exact", "[dtype]") {
  CHECK(f16_to_f32(0x3C00) == 1.0f);
  CHECK(f16_to_f32(0xC000) == -2.0f);
  CHECK(f16_to_f32(0x7BFF) == 65504.0f);
  CHECK(f16_to_f32(0x0400) == std::ldexp(1.0f, -14));         // smallest normal
  CHECK(f16_to_f32(0x0001) == std::ldexp(1.0f, -24));         // smallest subnormal
  CHECK(f16_to_f32(0x03FF) == std::ldexp(1023.0f, -24));      // largest subnormal
  CHECK(f16_to_f32(0x8001) == -std::ldexp(1.0f, -24));
  CHECK(std::signbit(f16_to_f32(0x8000)));
  CHECK(f16_to_f32(0x8000) == 0.0f);
  CHECK(f16_to_f32(0x7C00) == std::numeric_limits<float>::infinity());
  CHECK(f16_to_f32(0xFC00) == -std::numeric_limits<float>::infinity());
  CHECK(std::isnan(f16_to_f32(0x7E00)));
  CHECK(std::isnan(f16_to_f32(0x7C01)));

  CHECK(bf16_to_f32(0x3F80) == 1.0f);
  CHECK(bf16_to_f32(0x0001) == std::ldexp(1.0f, -133));  // bf16 subnormal
  CHECK(bf16_to_f32(0xFF80) == -std::numeric_limits<float>::infinity());
  CHECK(std::isnan(bf16_to_f32(0x7FC0)));

  // Every non-NaN half and bfloat16 survives the trip through f32 and back.
  int half_mismatches = 0, brain_mismatches = 0;
  for (uint32_t bits = 0; bits <= 0xFFFF; ++bits) {
    const auto value = static_cast<uint16_t>(bits);
    if (!std::isnan(f16_to_f32(value)) && f32_to_f16(f16_to_f32(value)) != value) ++half_mismatches;
    if (!std::isnan(bf16_to_f32(value)) && f32_to_bf16(bf16_to_f32(value)) != value) ++brain_mismatches;
  }
  CHECK(half_mismatches == 0);
  CHECK(brain_mismatches == 0);

  // Rounding to nearest, ties to even.
  CHECK(f32_to_f16(1.0f + std::ldexp(1.0f, -11)) == 0x3C00);      // tie -> even (down)
  CHECK(f32_to_f16(1.0f + 3 * std::ldexp(1.0f, -11)) == 0x3C02);  // tie -> even (up)
  CHECK(f32_to_f16(65519.0f) == 0x7BFF);
  CHECK(f32_to_f16(65520.0f) == 0x7C00);                          // rounds past the largest half
  CHECK(f32_to_f16(std::ldexp(1.0f, -25)) == 0x0000);             // tie with zero -> zero
  CHECK(f32_to_f16(std::ldexp(1.5f, -25)) == 0x0001);
  CHECK(f32_to_f16(std::ldexp(1.0f, -30)) == 0x0000);
  CHECK(f32_to_f16(-std::ldexp(1.0f, -30)) == 0x8000);
  CHECK(std::isnan(f16_to_f32(f32_to_f16(std::numeric_limits<float>::quiet_NaN()))));
  CHECK(f32_to_bf16(std::bit_cast<float>(0x3F808000u)) == 0x3F80);  // tie -> even
  CHECK(f32_to_bf16(std::bit_cast<float>(0x3F818000u)) == 0x3F82);
  CHECK(std::isnan(bf16_to_f32(f32_to_bf16(std::numeric_limits<float>::quiet_NaN()))));

  const uint16_t mixed[] = {0x3C00, 0x0001};
  float out[2];
  convert_to_f32(DType::F16, reinterpret_cast<const std::byte*>(mixed), 2, out);
  CHECK(out[1] == std::ldexp(1.0f, -24));
  CHECK(dtype_size(DType::BF16) == 2);
  CHECK(std::string(dtype_name(DType::BF16)) == "BF16");
  CHECK(dtype_from_name("I8") == DType::I8);
  CHECK_FALSE(dtype_from_name("F64").has_value());
}

TEST_CASE("JSON checkpoints: data arrays and validation", "[checkpoint]") {
  TempDir dir("json-checkpoint");
  const json config = json::parse(read_bytes(kTinyArchsDir / "marian_shared" / "config.json"));
  const fs::path file = dir / "model.json";
  const std::string origin = file.string();
  auto write = [&](const json& tensors) { write_bytes(file, json{{"config", config}, {"tensors", tensors}}.dump()); };

  write({{"f32", {{"dtype", "F32"}, {"shape", {2}}, {"data", {1.5, -2}}}},
         {"f16", {{"dtype", "F16"}, {"shape", {1, 2}}, {"data", {0.5, 65504}}}},
         {"bf16", {{"dtype", "BF16"}, {"shape", {1}}, {"data", {-3}}}},
         {"i8", {{"dtype", "I8"}, {"shape", {2}}, {"data", {-7, 100}}}},
         {"empty", {{"dtype", "F32"}, {"shape", {0, 4}}, {"base64", ""}}},
         {"b64", {{"dtype", "F32"}, {"shape", {1}}, {"base64", "AACAPw=="}}}});
  const Checkpoint checkpoint = Checkpoint::open(file);
  CHECK(checkpoint.config().raw_generation_config.is_null());
  CHECK(checkpoint.load_f32("f32", {2})[0] == 1.5f);
  CHECK(checkpoint.load_f32("f16", {1, 2})[1] == 65504.0f);
  CHECK(checkpoint.load_f32("bf16", {1})[0] == -3.0f);
  CHECK(checkpoint.load_f32("i8", {2})[0] == -7.0f);
  CHECK(checkpoint.load_f32("empty", {0, 4}).size() == 0);
  CHECK(checkpoint.load_f32("b64", {1})[0] == 1.0f);
  CHECK(checkpoint.stored("f16").dtype == DType::F16);

  const std::string tensor = origin + ": tensor 't'";
  struct Case {
    json entry;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {{{"dtype", "F32"}, {"shape", {3}}, {"data", {1, 2}}}, tensor + ": \"data\" has 2 numbers but the shape needs 3"},
      {{{"dtype", "F32"}, {"shape", {1}}, {"data", {"x"}}}, tensor + ": \"data\"[0] is string, not a number"},
      {{{"dtype", "I8"}, {"shape", {1}}, {"data", {300}}}, tensor + ": \"data\"[0] = 300 is not an I8 value"},
      {{{"dtype", "F32"}, {"shape", {2}}, {"base64", "AACAPw=="}}, tensor + ": \"base64\" decodes to 4 bytes but shape [2] of F32 needs 8"},
      {{{"dtype", "F32"}, {"shape", {1}}, {"base64", "AAC*Pw=="}}, tensor + ": \"base64\" is not valid base64"},
      {{{"dtype", "F32"}, {"shape", {1}}, {"base64", "AACAP"}}, tensor + ": \"base64\" is not valid base64"},
      {{{"dtype", "F32"}, {"shape", {1}}, {"base64", "AA=A"}}, tensor + ": \"base64\" is not valid base64"},
      {{{"dtype", "F32"}, {"shape", {1}}}, tensor + " needs exactly one of \"base64\" and \"data\""},
      {{{"dtype", "F32"}, {"shape", {1}}, {"data", {1}}, {"base64", "AACAPw=="}}, tensor + " needs exactly one of"},
      {{{"dtype", "Q4"}, {"shape", {1}}, {"data", {1}}}, tensor + ": unsupported dtype 'Q4'"},
      {{{"shape", {1}}, {"data", {1}}}, tensor + " has no \"dtype\""},
      {{{"dtype", "F32"}, {"data", {1}}}, tensor + " has no \"shape\""},
      {{{"dtype", "F32"}, {"shape", {-1}}, {"data", {1}}}, tensor + ": \"shape\" has a negative dimension -1"},
      {{{"dtype", "F32"}, {"shape", {uint64_t{1} << 62, 8}}, {"data", {1}}}, tensor + ": shape"},
      {json::array(), tensor + " must be a JSON object"},
  };
  for (const Case& test : cases) {
    INFO(test.entry.dump());
    write({{"t", test.entry}});
    REQUIRE_THROWS_WITH(Checkpoint::open(file), Contains(test.expected));
  }

  write_bytes(file, "{\"config\": ");
  REQUIRE_THROWS_WITH(Checkpoint::open(file), Contains(origin + ": invalid JSON: "));
  write_bytes(file, json{{"tensors", json::object()}}.dump());
  REQUIRE_THROWS_WITH(Checkpoint::open(file), origin + ": has no \"config\" object");
  write_bytes(file, json{{"config", config}}.dump());
  REQUIRE_THROWS_WITH(Checkpoint::open(file), origin + ": has no \"tensors\" object");
  write_bytes(file, json{{"config", config}, {"tensors", {1, 2}}}.dump());
  REQUIRE_THROWS_WITH(Checkpoint::open(file), Contains("\"tensors\" must be an object"));
  json bad_config = config;
  bad_config["decoder_layers"] = 0;
  write_bytes(file, json{{"config", bad_config}, {"tensors", json::object()}}.dump());
  REQUIRE_THROWS_WITH(Checkpoint::open(file), Contains(origin + ": config: field 'decoder_layers' must be positive"));
  write_bytes(file, json{{"config", config}, {"generation_config", {{"num_beams", "4"}}}, {"tensors", json::object()}}.dump());
  REQUIRE_THROWS_WITH(Checkpoint::open(file), Contains(origin + ": generation_config: field 'num_beams' must be an integer"));
}

TEST_CASE("parameter counts match transformers' num_parameters()", "[checkpoint]") {
  // 9,954,880 stored - 8,000 final_logits_bias + 2 x 256 x 256 sinusoidal positions.
  CHECK(count_parameters(Checkpoint::open(kDefaultModelDir)) == 10'077'952);

  const std::map<std::string, int64_t> expected = {
      {"marian_shared", 45920 - 96 + 2 * 64 * 32},  // final_logits_bias out, two position tables in
      {"bart", 50272 - 96},                         // learned positions are stored parameters
      {"mbart", 50400 - 96},
      {"m2m100_nllb", 45952},                       // sinusoids are a non-persistent buffer
      {"t5_original", 44480},
      {"t5_v1_1", 52672},
  };
  for (const auto& [arch, count] : expected) {
    INFO(arch);
    CHECK(count_parameters(Checkpoint::open(kTinyArchsDir / arch)) == count);
  }
}

TEST_CASE("tied aliases stored twice are counted once", "[checkpoint]") {
  const Checkpoint tiny = Checkpoint::open(kTinyArchsDir / "marian_shared");
  std::map<std::string, StoredTensor> tensors = tiny.tensors();
  tensors["lm_head.weight"] = tensors.at("model.shared.weight");
  tensors["model.encoder.embed_tokens.weight"] = tensors.at("model.shared.weight");
  const Checkpoint with_aliases(tiny.config(), tensors, nullptr, "aliases");
  CHECK(count_parameters(with_aliases) == count_parameters(tiny));
}
