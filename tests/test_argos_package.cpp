// Argos Translate packages: an .argosmodel built here in Argos' layout (metadata.json, model/ = a
// CTranslate2 folder, sentencepiece.model) from the default model, translated with -m FILE.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../src/formats/zip_archive.h"
#include "../src/server/model_registry.h"
#include "crossmt/translator.h"
#include "cli_runner.h"

namespace {

namespace fs = std::filesystem;
using crossmt::testing::run_crossmt;

std::string read_bytes(const fs::path& file) {
  std::ifstream stream(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
}

std::span<const std::byte> as_bytes(const std::string& text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

constexpr const char* kMetadata =
    R"({"package_version": "1.0", "argos_version": "1.0", "from_code": "en", "from_name": "English",
        "to_code": "de", "to_name": "German", "type": "translate"})";

// name -> bytes of the package's files, under `prefix`.
std::map<std::string, std::string> package_files(const fs::path& ct2, const std::string& prefix) {
  std::map<std::string, std::string> files;
  files[prefix + "metadata.json"] = kMetadata;
  files[prefix + "sentencepiece.model"] = read_bytes(ct2 / "source.spm");
  for (const char* name : {"model.bin", "config.json", "shared_vocabulary.json"})
    files[prefix + "model/" + name] = read_bytes(ct2 / name);
  files[prefix + "README.md"] = "test package\n";
  return files;
}

void write_zip(const fs::path& file, const std::map<std::string, std::string>& files) {
  std::vector<crossmt::ZipWriteEntry> entries;
  for (const auto& [name, bytes] : files) entries.push_back({name, {as_bytes(bytes)}});
  crossmt::write_stored_zip(file, entries);
}

std::vector<std::string> translate(const std::string& model, const std::string& input, const std::string& options) {
  const auto result = run_crossmt("translate -m '" + model + "' --quiet " + options, input);
  REQUIRE(result.exit_status == 0);
  return crossmt::testing::split_lines(result.out);
}

}  // namespace

TEST_CASE("An .argosmodel translates with -m FILE, as its CTranslate2 model with Argos' search", "[argos][cli]") {
  const fs::path scratch = crossmt::testing::cli_scratch_folder();
  const fs::path ct2 = scratch / "ct2";
  REQUIRE(run_crossmt("convert --to ctranslate2 '" CROSSMT_MODELS_DIR "/m30k-mul-marian' '" + ct2.string() + "'", "")
              .exit_status == 0);
  const fs::path package = scratch / "translate-en_de-1_0.argosmodel";
  write_zip(package, package_files(ct2, "translate-en_de-1_0/"));

  std::ifstream source(std::string(CROSSMT_MODELS_DIR) + "/../data/multi30k/test_2016_flickr.en");
  std::string input, line;
  for (int i = 0; i < 12 && std::getline(source, line); ++i) input += line + "\n";
  // Argos Translate runs CTranslate2 with beam 4 and length penalty 0.2.
  const auto expected = translate(ct2.string(), input, "--to de --beam-size 4 --length-penalty 0.2");
  REQUIRE(expected.size() == 12);
  CHECK(translate(package.string(), input, "--to de") == expected);

  const auto inspect = run_crossmt("inspect '" + package.string() + "'", "");
  CHECK(inspect.exit_status == 0);
  CHECK_THAT(inspect.out, Catch::Contains("format:") && Catch::Contains("Argos Translate package (en -> de, version 1.0)"));

  SECTION("the pair metadata.json declares reaches ModelInfo and the server's language list") {
    crossmt::server::ServedModel served;
    served.info = crossmt::Translator(package).info();
    CHECK(served.info.source_language == "en");
    CHECK(served.info.target_language == "de");
    crossmt::server::resolve_languages(served, package.string());
    CHECK(served.sources == std::vector<std::string>{"en"});
  }
  SECTION("converted to an HF folder, tokenizer included") {
    const fs::path hf = scratch / "hf";
    REQUIRE(run_crossmt("convert --to safetensors '" + package.string() + "' '" + hf.string() + "'", "").exit_status == 0);
    for (const char* file : {"config.json", "model.safetensors", "vocab.json", "source.spm", "target.spm"})
      CHECK(fs::exists(hf / file));
    CHECK(translate(hf.string(), input, "--to de --beam-size 4 --length-penalty 0.2") == expected);
  }
  SECTION("the unzipped folder too") {
    const fs::path folder = scratch / "unzipped";
    for (const auto& [name, bytes] : package_files(ct2, "")) {
      fs::create_directories((folder / name).parent_path());
      std::ofstream(folder / name, std::ios::binary) << bytes;
    }
    CHECK(translate(folder.string(), input, "--to de") == expected);
  }
  SECTION("broken packages give one-line errors and exit 2") {
    const auto error_of = [&](std::map<std::string, std::string> files) {
      const fs::path broken = scratch / "broken.argosmodel";
      write_zip(broken, files);
      const auto result = run_crossmt("translate -m '" + broken.string() + "' --to de", "A dog.\n");
      CHECK(result.exit_status == 2);
      CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
      return result.err;
    };
    auto files = package_files(ct2, "p/");
    files.erase("p/metadata.json");
    CHECK_THAT(error_of(files), Catch::Contains("no metadata.json (not an Argos Translate package)"));
    files = package_files(ct2, "p/");
    files.erase("p/model/model.bin");
    CHECK_THAT(error_of(files), Catch::Contains("no p/model/model.bin"));
    files = package_files(ct2, "p/");
    files["p/metadata.json"] = R"({"from_code": "en"})";
    CHECK_THAT(error_of(files), Catch::Contains("p/metadata.json: field 'to_code' is missing"));
    files = package_files(ct2, "p/");
    files["q/metadata.json"] = kMetadata;
    CHECK_THAT(error_of(files), Catch::Contains("holds more than one package"));
    std::ofstream(scratch / "broken.argosmodel", std::ios::trunc) << "PK\x03\x04 not really a zip";
    const auto result = run_crossmt("translate -m '" + (scratch / "broken.argosmodel").string() + "'", "x\n");
    CHECK(result.exit_status == 2);
  }
  fs::remove_all(scratch);
}
