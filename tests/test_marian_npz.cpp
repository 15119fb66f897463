// Marian .npz folders: the .npy and zip layers, vocab.yml, HF -> npz -> HF round trips, translation
// ids equal to the HF folder's, and hostile files (one `error:` line, exit status 2).
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <zip.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "../src/formats/marian_npz.h"
#include "../src/formats/npy.h"
#include "../src/formats/zip_archive.h"
#include "checkpoint_test_support.h"
#include "crossmt/checkpoint.h"
#include "crossmt/error.h"
#include "crossmt/tokenizer.h"

using namespace crossmt;
using namespace crossmt::test;
using Catch::Contains;
using Catch::StartsWith;

namespace {

std::span<const std::byte> as_bytes(const std::string& text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

std::string npy(const std::string& descr, const Shape& shape, const std::string& data) {
  return npy_header(descr, shape) + data;
}

// The entries of an npz as name -> bytes, and back (stored).
using Entries = std::map<std::string, std::string>;

Entries read_entries(const fs::path& file) {
  const ZipArchive archive = ZipArchive::open(file);
  Entries entries;
  for (const ZipEntry& entry : archive.entries()) {
    const auto bytes = archive.read(entry);
    entries[entry.name] = std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  return entries;
}

void write_entries(const fs::path& file, const Entries& entries) {
  std::vector<ZipWriteEntry> list;
  for (const auto& [name, bytes] : entries) list.push_back({name, {as_bytes(bytes)}});
  write_stored_zip(file, list);
}

// A tiny Marian folder made from the tiny HF model, to break in various ways.
fs::path tiny_marian_folder(const TempDir& dir) {
  const fs::path hf = copy_tiny_model("marian_shared", dir / "hf");
  REQUIRE(run_crossmt("convert --to marian " + quoted(hf) + " " + quoted(dir / "marian")).status == 0);
  return dir / "marian";
}

// Rewrites one field of every local and central header of `name` in a zip's bytes.
void patch_sizes(std::string& zip, const std::string& name, uint32_t uncompressed) {
  const auto put32 = [&](size_t at, uint32_t value) {
    for (int i = 0; i < 4; ++i) zip[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
  };
  const auto get16 = [&](size_t at) {
    return static_cast<size_t>(static_cast<uint8_t>(zip[at])) | static_cast<size_t>(static_cast<uint8_t>(zip[at + 1])) << 8;
  };
  int patched = 0;
  for (size_t at = 0; at + 46 < zip.size(); ++at) {
    if (zip.compare(at, 4, "PK\x03\x04") == 0 && zip.compare(at + 30, name.size(), name) == 0 &&
        get16(at + 26) == name.size()) {
      put32(at + 22, uncompressed);
      ++patched;
    } else if (zip.compare(at, 4, "PK\x01\x02") == 0 && zip.compare(at + 46, name.size(), name) == 0 &&
               get16(at + 28) == name.size()) {
      put32(at + 24, uncompressed);
      ++patched;
    }
  }
  REQUIRE(patched == 2);
}

// A zip of `entries`, every one deflated.
void write_deflated(const fs::path& file, const Entries& entries) {
  int code = 0;
  zip_t* archive = zip_open(file.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
  REQUIRE(archive != nullptr);
  for (const auto& [name, bytes] : entries) {
    zip_source_t* source = zip_source_buffer(archive, bytes.data(), bytes.size(), 0);
    const zip_int64_t index = zip_file_add(archive, name.c_str(), source, 0);
    REQUIRE(index >= 0);
    REQUIRE(zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE, 9) == 0);
  }
  REQUIRE(zip_close(archive) == 0);
}

// An npz holding only `name`, deflated from `size` zero bytes.
std::string deflated_npz(const fs::path& file, const std::string& name, size_t size) {
  write_deflated(file, {{name, std::string(size, '\0')}});
  return read_bytes(file);
}

}  // namespace

TEST_CASE(".npy headers: versions, dtypes, shapes, and malformed input", "[npz]") {
  const std::string data(24, '\x01');
  const NpyArray array = parse_npy(as_bytes(npy("<f4", {2, 3}, data)), "x.npy");
  CHECK(array.descr == "<f4");
  CHECK(array.shape == Shape{2, 3});
  CHECK(array.data.size() == 24);
  CHECK(npy_header("<f4", {2, 3}).size() % 64 == 0);
  CHECK(parse_npy(as_bytes(npy("|u1", {5}, "abcde")), "x").shape == Shape{5});
  CHECK(parse_npy(as_bytes(npy("<f2", {}, "ab")), "x").shape.empty());
  CHECK(parse_npy(as_bytes(npy("<f4", {0, 7}, "")), "x").data.empty());

  // Version 2: a 4-byte header length.
  std::string dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }\n";
  std::string v2 = std::string("\x93NUMPY\x02\x00", 8);
  for (int i = 0; i < 4; ++i) v2 += static_cast<char>((dict.size() >> (8 * i)) & 0xff);
  CHECK(parse_npy(as_bytes(v2 + dict + "abcd"), "x").descr == "<i4");

  const auto fails = [](const std::string& bytes, const std::string& expected) {
    try {
      parse_npy(as_bytes(bytes), "model.npz: entry 'W.npy'");
      FAIL("accepted: " << expected);
    } catch (const Error& error) {
      CHECK_THAT(error.what(), StartsWith("model.npz: entry 'W.npy': ") && Contains(expected));
      CHECK(std::string(error.what()).find('\n') == std::string::npos);
    }
  };
  fails("", "no \\x93NUMPY magic");
  fails(std::string("\x93NUMPY\x01\x00\xff\xff{", 11), "declares 65535 bytes");
  fails(std::string("\x93NUMPY\x04\x00\x10\x00", 10) + std::string(16, ' '), "version 4");
  const auto v1 = [](const std::string& text) {
    std::string bytes = std::string("\x93NUMPY\x01\x00", 8);
    bytes += static_cast<char>(text.size() & 0xff);
    bytes += static_cast<char>(text.size() >> 8);
    return bytes + text;
  };
  fails(v1("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2)"), "malformed .npy header");
  fails(v1("{'descr': '<f4', 'fortran_order': False}"), "needs 'descr', 'fortran_order' and 'shape'");
  fails(v1("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }"), "expected a dimension");
  fails(v1("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }") + "abcd", "Fortran-ordered");
  fails(v1("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}"), "unknown key 'x'");
  fails(v1("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }"), "dimension too large");
  fails(npy("<c8", {1}, std::string(8, '\0')), "unsupported .npy dtype '<c8'");
  fails(npy(">f4", {1}, std::string(4, '\0')), "unsupported .npy dtype '>f4'");
  fails(npy("<f4", {1000, 1000}, std::string(8, '\0')), "does not match the 8 data bytes");
  fails(npy("<f4", {4611686018427387904, 4}, std::string(8, '\0')), "does not match");
  fails(npy("<f4", {1}, std::string(8, '\0')), "does not match the 8 data bytes");
}

TEST_CASE("zip entry names that would leave the folder are unsafe", "[npz]") {
  for (const char* name : {"a.npy", "special:model.yml.npy", "model/config.json", "model/", "./a", "a..b"})
    CHECK(is_safe_zip_entry_name(name));
  for (const char* name : {"", "../a", "a/../../b", "..", "/etc/passwd", "C:/x", "c:x", "a\\..\\b", "a/.."})
    CHECK_FALSE(is_safe_zip_entry_name(name));
}

TEST_CASE("vocab.yml: quoted keys, numbers, booleans and null spellings stay strings", "[npz]") {
  TempDir dir("npz-vocab");
  write_bytes(dir / "opus.vocab.yml",
              "\"</s>\": 0\n\"<unk>\": 1\n1: 2\nyes: 3\nnull: 4\n\"~\": 5\n'a b': 6\n\"\\u2581x\": 7\n0x10: 8\n");
  const auto pairs = read_marian_vocabulary(dir / "opus.vocab.yml");
  const std::vector<std::pair<std::string, int>> expected = {{"</s>", 0}, {"<unk>", 1}, {"1", 2},
                                                             {"yes", 3},  {"null", 4},  {"~", 5},
                                                             {"a b", 6},  {"\xe2\x96\x81x", 7}, {"0x10", 8}};
  CHECK(pairs == expected);
  CHECK(find_marian_vocabularies(dir.path()) == std::vector<fs::path>{dir / "opus.vocab.yml"});
  write_bytes(dir / "bad.vocab.yml", "a: b\n");
  CHECK_THROWS_WITH(read_marian_vocabulary(dir / "bad.vocab.yml"), Contains("the id of \"a\" is not an integer"));
}

TEST_CASE("HF -> Marian npz -> HF keeps every tensor and the config", "[npz][cli]") {
  TempDir dir("npz-round-trip");
  const fs::path marian = tiny_marian_folder(dir);
  for (const char* file : {"model.npz", "decoder.yml", "generation_config.json"}) CHECK(fs::exists(marian / file));
  const Entries entries = read_entries(marian / "model.npz");
  CHECK(entries.count("special:model.yml.npy"));
  CHECK(entries.count("special:crossmt.yml.npy"));  // max_position_embeddings 64 != d_model 32
  CHECK(entries.count("Wemb.npy"));
  CHECK(entries.count("encoder_l1_self_Wq.npy"));
  CHECK(entries.count("decoder_l2_context_Wo_ln_scale.npy"));

  const Checkpoint original = Checkpoint::open(dir / "hf");
  const Checkpoint from_npz = Checkpoint::open(marian);
  const Checkpoint from_file = Checkpoint::open(marian / "model.npz");
  const ModelConfig& a = original.config();
  for (const Checkpoint* read : {&from_npz, &from_file}) {
    const ModelConfig& b = read->config();
    CHECK(b.d_model == a.d_model);
    CHECK(b.encoder_layers == a.encoder_layers);
    CHECK(b.decoder_layers == a.decoder_layers);
    CHECK(b.vocab_size == a.vocab_size);
    CHECK(b.max_position_embeddings == a.max_position_embeddings);
    CHECK(b.pad_token_id == a.pad_token_id);
    CHECK(b.decoder_start_token_id == a.decoder_start_token_id);
    CHECK(b.activation_function == a.activation_function);
    CHECK(b.raw_generation_config == a.raw_generation_config);
    // Every tensor the HF folder stores, bit for bit (pad rows included).
    for (const auto& [name, tensor] : original.tensors()) {
      INFO(name);
      REQUIRE(read->contains(name));
      const StoredTensor& copy = read->stored(name);
      CHECK(copy.shape == tensor.shape);
      REQUIRE(copy.byte_size == tensor.byte_size);
      CHECK(std::memcmp(copy.data, tensor.data, tensor.byte_size) == 0);
    }
  }

  // And back to an HF folder through the CLI; a second npz written from the npz is byte-identical.
  REQUIRE(run_crossmt("convert --to safetensors " + quoted(marian) + " " + quoted(dir / "back")).status == 0);
  const Checkpoint back = Checkpoint::open(dir / "back");
  for (const auto& [name, tensor] : original.tensors()) {
    INFO(name);
    REQUIRE(back.contains(name));
    CHECK(std::memcmp(back.stored(name).data, tensor.data, tensor.byte_size) == 0);
  }
  REQUIRE(run_crossmt("convert --to marian " + quoted(marian / "model.npz") + " " + quoted(dir / "again")).status == 0);
  CHECK(read_bytes(dir / "again" / "model.npz") == read_bytes(marian / "model.npz"));

  // Deflated entries (numpy.savez_compressed) read the same.
  write_deflated(dir / "deflated.npz", entries);
  const Checkpoint deflated = open_marian_npz(dir / "deflated.npz");
  for (const auto& [name, tensor] : from_npz.tensors()) {
    INFO(name);
    REQUIRE(deflated.contains(name));
    CHECK(std::memcmp(deflated.stored(name).data, tensor.data, tensor.byte_size) == 0);
  }

  const Run inspect = run_crossmt("inspect --json " + quoted(marian));
  INFO(inspect.output);
  CHECK_THAT(inspect.output, Contains("\"format\": \"marian\""));
  CHECK_THAT(run_crossmt("inspect " + quoted(marian / "model.npz")).output, Contains("Marian npz (model.npz)"));
}

TEST_CASE("A Marian folder tokenizes and translates as the HF folder it was written from", "[npz][cli]") {
  TempDir dir("npz-translate");
  REQUIRE(run_crossmt("convert --to marian " + quoted(kDefaultModelDir) + " " + quoted(dir / "marian")).status == 0);
  CHECK(fs::exists(dir / "marian" / "vocab.yml"));
  CHECK_FALSE(fs::exists(dir / "marian" / "vocab.json"));

  const MarianTokenizer hf = MarianTokenizer::load(kDefaultModelDir);
  const MarianTokenizer marian = MarianTokenizer::load(dir / "marian");
  CHECK(marian.pad_id() == hf.pad_id());
  CHECK(marian.eos_id() == hf.eos_id());
  CHECK(marian.language_tokens() == hf.language_tokens());

  // The first 100 lines of test_2016 en->de (tools/check_marian_npz.sh compares all 1,000).
  const fs::path source = kDefaultModelDir.parent_path().parent_path() / "data" / "multi30k" / "test_2016_flickr.en";
  std::ifstream in(source);
  std::string lines;
  int count = 0;
  for (std::string line; count < 100 && std::getline(in, line); ++count) {
    CHECK(marian.encode(">>deu<< " + line) == hf.encode(">>deu<< " + line));
    lines += line + "\n";
  }
  write_bytes(dir / "in.en", lines);
  const std::string arguments = " --to de --format jsonl --quiet -i " + quoted(dir / "in.en");
  const Run expected = run_crossmt("translate -m " + quoted(kDefaultModelDir) + arguments);
  const Run actual = run_crossmt("translate -m " + quoted(dir / "marian" / "model.npz") + arguments);
  REQUIRE(expected.status == 0);
  REQUIRE(actual.status == 0);
  CHECK(std::count(expected.output.begin(), expected.output.end(), '\n') == 100);
  CHECK(actual.output == expected.output);
}

TEST_CASE("Hostile Marian files: one error line naming the file, exit status 2", "[npz][cli]") {
  TempDir dir("npz-hostile");
  const fs::path marian = tiny_marian_folder(dir);
  const Entries good = read_entries(marian / "model.npz");
  const fs::path bad = dir / "bad";
  fs::create_directories(bad);
  const fs::path npz = bad / "model.npz";
  const auto inspect = [&] { return run_crossmt("inspect " + quoted(bad)); };
  const auto with = [&](const std::function<void(Entries&)>& edit) {
    Entries entries = good;
    edit(entries);
    write_entries(npz, entries);
  };

  SECTION("truncated zip") {
    const std::string bytes = read_bytes(marian / "model.npz");
    write_bytes(npz, bytes.substr(0, bytes.size() / 2));
    require_error(inspect(), npz.string() + ": not a readable zip archive");
  }
  SECTION("malformed .npy header") {
    with([](Entries& e) { e["encoder_l1_self_Wq.npy"].replace(10, 5, "(((((" ); });
    require_error(inspect(), npz.string() + ": entry 'encoder_l1_self_Wq.npy': malformed .npy header");
  }
  SECTION("a shape larger than the bytes") {
    with([](Entries& e) { e["encoder_l1_ffn_b1.npy"] = npy("<f4", {1, 1 << 20}, std::string(64, '\0')); });
    require_error(inspect(), "entry 'encoder_l1_ffn_b1.npy': shape (1, 1048576) of '<f4' does not match the 64 data bytes");
  }
  SECTION("unknown dtype") {
    with([](Entries& e) { e["Wemb.npy"] = npy("<c8", {1}, std::string(8, '\0')); });
    require_error(inspect(), "entry 'Wemb.npy': unsupported .npy dtype '<c8'");
  }
  SECTION("a dtype crossmt does not read as weights") {
    with([](Entries& e) { e["encoder_l1_ffn_b1.npy"] = npy("<i4", {1, 64}, std::string(256, '\0')); });
    require_error(inspect(), npz.string() + ": tensor 'encoder_l1_ffn_b1' has dtype '<i4'");
  }
  SECTION("path traversal entry name") {
    with([](Entries& e) { e["../../evil.npy"] = npy("<f4", {1}, std::string(4, '\0')); });
    require_error(inspect(), npz.string() + ": entry '../../evil.npy': unsafe name");
  }
  SECTION("absolute entry name") {
    with([](Entries& e) { e["/tmp/evil.npy"] = npy("<f4", {1}, std::string(4, '\0')); });
    require_error(inspect(), "entry '/tmp/evil.npy': unsafe name");
  }
  SECTION("zip bomb: a deflated entry expanding past its declared size") {
    std::string bytes = deflated_npz(npz, "Wemb.npy", 4 << 20);
    patch_sizes(bytes, "Wemb.npy", 1000);
    write_bytes(npz, bytes);
    const Run run = inspect();
    require_error(run, npz.string() + ": entry 'Wemb.npy'");
  }
  SECTION("zip bomb: a small deflated entry declaring 3 GiB") {
    std::string bytes = deflated_npz(npz, "Wemb.npy", 1 << 20);
    patch_sizes(bytes, "Wemb.npy", 3u << 30);
    write_bytes(npz, bytes);
    require_error(inspect(), npz.string() + ": entry 'Wemb.npy': declares 3221225472 bytes from");
  }
  SECTION("zip bomb: many honest entries at 1000:1") {
    Entries entries;
    for (int i = 0; i < 80; ++i) entries["part" + std::to_string(i) + ".npy"] = std::string(1 << 20, '\0');
    write_deflated(npz, entries);
    require_error(inspect(), npz.string() + ": the entries declare ");
  }
  SECTION("missing tensor") {
    with([](Entries& e) { e.erase("encoder_l2_ffn_W1.npy"); });
    require_error(inspect(), npz.string() + ": tensor 'encoder_l2_ffn_W1' is missing");
  }
  SECTION("an extra tensor crossmt cannot place") {
    with([](Entries& e) { e["encoder_l1_extra_W.npy"] = npy("<f4", {1}, std::string(4, '\0')); });
    require_error(inspect(), npz.string() + ": tensor 'encoder_l1_extra_W' has no place");
  }
  SECTION("a tensor of the wrong shape") {
    with([](Entries& e) { e["encoder_l1_ffn_b1.npy"] = npy("<f4", {1, 3}, std::string(12, '\0')); });
    require_error(inspect(), npz.string() + ": tensor 'encoder_l1_ffn_b1' has shape (1, 3), expected (1, ");
  }
  SECTION("unsupported options in model.yml") {
    for (const auto& [from, to, expected] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"transformer-ffn-activation: swish", "transformer-ffn-activation: gelu",
              "option 'transformer-ffn-activation' is 'gelu', crossmt supports swish and relu"},
             {"transformer-postprocess: dan", "transformer-postprocess: da",
              "option 'transformer-postprocess' is 'da', crossmt supports only 'dan'"},
             {"transformer-preprocess: \"\"", "transformer-preprocess: n",
              "option 'transformer-preprocess' is 'n', crossmt supports only ''"},
             {"right-left: false", "right-left: true", "option 'right-left' is true"},
             {"dim-emb: 32", "dim-emb: [32]", "option 'dim-emb' must be a single value"},
             {"dim-emb: 32", "dim-emb: big", "option 'dim-emb' must be a non-negative integer, got 'big'"},
             {"dim-emb: 32\n", "", "option 'dim-emb' is missing"},
             {"type: transformer", "type: amun", "option 'type' is 'amun'"},
             {"type: transformer", "type: [transformer", "not valid YAML"}}) {
      INFO(expected);
      with([&](Entries& e) {
        const NpyArray array = parse_npy(as_bytes(e["special:model.yml.npy"]), "yml");
        std::string text(reinterpret_cast<const char*>(array.data.data()), array.data.size());
        const size_t at = text.find(from);
        REQUIRE(at != std::string::npos);
        text.replace(at, from.size(), to);
        e["special:model.yml.npy"] = npy("|i1", {static_cast<int64_t>(text.size())}, text);
      });
      require_error(inspect(), npz.string() + ": special:model.yml: " + expected);
    }
  }
  SECTION("no model.yml, or a vocabulary of another size") {
    with([](Entries& e) { e.erase("special:model.yml.npy"); });
    require_error(inspect(), npz.string() + ": no 'special:model.yml' (not a Marian model)");
    write_entries(npz, good);
    write_bytes(bad / "vocab.yml", "\"</s>\": 0\n\"<unk>\": 1\n");
    require_error(inspect(), (bad / "vocab.yml").string() + ": holds ids up to 1 but");
  }
}

TEST_CASE("Separate embeddings and an untied output layer round-trip through npz", "[npz]") {
  TempDir dir("npz-untied");
  const Checkpoint hf = Checkpoint::open(copy_tiny_model("marian_shared", dir / "hf"));
  ModelConfig config = hf.config();
  config.share_encoder_decoder_embeddings = false;
  config.tie_word_embeddings = false;
  // Distinct encoder, decoder and output matrices, each with a non-zero <pad> row.
  const StoredTensor& shared = hf.stored("model.shared.weight");
  auto buffers = std::make_shared<std::vector<std::vector<float>>>();
  std::map<std::string, StoredTensor> tensors = hf.tensors();
  tensors.erase("model.shared.weight");
  float offset = 0.25f;
  for (const char* name : {"model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight", "lm_head.weight"}) {
    std::vector<float> values(shared.byte_size / sizeof(float));
    std::memcpy(values.data(), shared.data, shared.byte_size);
    for (float& value : values) value += offset;
    offset += 0.25f;
    buffers->push_back(std::move(values));
    tensors[name] = StoredTensor{DType::F32, shared.shape, reinterpret_cast<const std::byte*>(buffers->back().data()),
                                 shared.byte_size};
  }
  const Checkpoint untied(config, tensors, buffers, "untied");
  save_marian_folder(untied, dir / "hf", dir / "marian");
  const Entries entries = read_entries(dir / "marian" / "model.npz");
  for (const char* name : {"encoder_Wemb.npy", "decoder_Wemb.npy", "decoder_ff_logit_out_W.npy",
                           "special:crossmt-pad-row:lm_head.weight.npy"})
    CHECK(entries.count(name));
  CHECK_FALSE(entries.count("Wemb.npy"));

  const Checkpoint back = Checkpoint::open(dir / "marian");
  CHECK_FALSE(back.config().share_encoder_decoder_embeddings);
  CHECK_FALSE(back.config().tie_word_embeddings);
  for (const auto& [name, tensor] : untied.tensors()) {
    INFO(name);
    REQUIRE(back.contains(name));
    REQUIRE(back.stored(name).shape == tensor.shape);
    CHECK(std::memcmp(back.stored(name).data, tensor.data, tensor.byte_size) == 0);
  }
}

TEST_CASE("convert --to marian refuses models Marian cannot represent", "[npz][cli]") {
  TempDir dir("npz-refuse");
  require_error(run_crossmt("convert --to marian " + quoted(kTinyArchsDir / "mbart") + " " + quoted(dir / "out")),
                "model_type is 'mbart', not marian; Marian's transformer cannot represent it");
  const fs::path hf = copy_tiny_model("marian_shared", dir / "hf");
  edit_json_file(hf / "config.json", [](nlohmann::json& config) { config["decoder_start_token_id"] = 3; });
  std::filesystem::remove(hf / "generation_config.json");
  require_error(run_crossmt("convert --to marian " + quoted(hf) + " " + quoted(dir / "out")),
                "decoder_start_token_id 3 is not <pad>");
}
