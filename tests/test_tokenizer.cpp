// MarianTokenizer against transformers' own ids and texts (a 300-row sample of the m30k
// references; tools/check_tokenizer.sh runs all 6,000), plus hand-made edge cases and damaged
// model folders.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

#include "crossmt/error.h"
#include "crossmt/language.h"
#include "crossmt/tokenizer.h"

namespace fs = std::filesystem;
using crossmt::MarianTokenizer;
using Pieces = std::vector<std::string>;
using Ids = std::vector<int>;

namespace {

const fs::path kModelDir = fs::path(CROSSMT_MODELS_DIR) / "m30k-mul-marian";

const MarianTokenizer& default_tokenizer() {
  static const MarianTokenizer tokenizer = MarianTokenizer::load(kModelDir);
  return tokenizer;
}

// A copy of the default model's tokenizer files in a fresh temporary folder, to damage at will.
struct TokenizerFolderCopy {
  fs::path dir;
  TokenizerFolderCopy() {
    static int counter = 0;
    dir = fs::temp_directory_path() / ("crossmt_tokenizer_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(dir);
    for (const char* name : {"source.spm", "target.spm", "vocab.json", "tokenizer_config.json"})
      fs::copy_file(kModelDir / name, dir / name);
  }
  ~TokenizerFolderCopy() { fs::remove_all(dir); }
  TokenizerFolderCopy(const TokenizerFolderCopy&) = delete;
  TokenizerFolderCopy& operator=(const TokenizerFolderCopy&) = delete;

  void write(const std::string& name, const std::string& bytes) const {
    std::ofstream(dir / name, std::ios::binary | std::ios::trunc) << bytes;
  }
  nlohmann::ordered_json read_json(const std::string& name) const {
    std::ifstream stream(dir / name);
    return nlohmann::ordered_json::parse(stream);
  }
};

// The message of the crossmt::Error that loading `dir` throws ("" when it loads).
std::string load_error(const fs::path& dir) {
  try {
    MarianTokenizer::load(dir);
  } catch (const crossmt::Error& failure) {
    return failure.what();
  }
  return "";
}

std::string garbage_bytes(std::size_t size) {
  std::mt19937 generator(42);
  std::string bytes(size, '\0');
  for (char& byte : bytes) byte = static_cast<char>(generator() & 0xFF);
  return bytes;
}

}  // namespace

TEST_CASE("tokenizer: matches transformers on a sample of the Multi30k references") {
  const auto& tokenizer = default_tokenizer();
  std::ifstream fixture(fs::path(CROSSMT_TEST_DATA_DIR) / "tokenizer" / "m30k_rows.jsonl");
  REQUIRE(fixture);
  int rows = 0;
  for (std::string line; std::getline(fixture, line); ++rows) {
    const auto row = nlohmann::json::parse(line);
    INFO(row["direction"].get<std::string>() << " row " << row["row"].get<int>());
    CHECK(tokenizer.encode(row["tag"].get<std::string>() + " " + row["src"].get<std::string>()) ==
          row["src_ids"].get<Ids>());
    CHECK(tokenizer.decode(row["beam4_ids"].get<Ids>()) == row["beam4"].get<std::string>());
  }
  CHECK(rows == 300);
}

TEST_CASE("tokenizer: the references' probe sentence") {
  CHECK(default_tokenizer().encode(">>deu<< A man in an orange hat starring at something.") ==
        Ids{3, 16, 39, 9, 63, 240, 216, 1020, 33, 46, 91, 623, 6, 0});
}

TEST_CASE("tokenizer: special ids and language tokens") {
  const auto& tokenizer = default_tokenizer();
  CHECK(tokenizer.eos_id() == 0);
  CHECK(tokenizer.unk_id() == 1);
  CHECK(tokenizer.pad_id() == 7999);
  CHECK(tokenizer.language_tokens() == Pieces{">>eng<<", ">>deu<<", ">>fra<<", ">>ces<<"});
  CHECK(tokenizer.source_token_id(">>deu<<") == 3);
  CHECK_FALSE(tokenizer.source_token_id("no such piece").has_value());
  CHECK(tokenizer.source_piece(3) == ">>deu<<");
  CHECK(tokenizer.target_piece(16) == "\u2581A");
  CHECK(tokenizer.target_piece(123456) == "<unk>");
  CHECK(tokenizer.source_piece(-1) == "<unk>");
}

TEST_CASE("tokenizer: a leading language code is one token") {
  const auto& tokenizer = default_tokenizer();
  CHECK(tokenizer.encode_pieces(">>deu<< A man") == Pieces{">>deu<<", "\u2581A", "\u2581man"});
  CHECK(tokenizer.encode_pieces(">>deu<<A man") == Pieces{">>deu<<", "\u2581A", "\u2581man"});
  CHECK(tokenizer.encode(">>fra<< A man.") == Ids{4, 16, 39, 6, 0});
  // Shortest match: only the first code is split off; the rest goes to SentencePiece. (This
  // model's SentencePiece has the four codes as user-defined symbols, so codes it knows come out
  // whole anywhere; an unknown one, as here, is split into ordinary pieces.)
  CHECK(tokenizer.encode_pieces(">>xyz<<>>abc<< A") == Pieces{">>xyz<<", "\u2581", ">>", "ab", "c", "<<", "\u2581A"});
  CHECK(tokenizer.encode_pieces(">>deu<<>>fra<< A") == Pieces{">>deu<<", "\u2581", ">>fra<<", "\u2581A"});
}

TEST_CASE("tokenizer: only a code at the very start counts") {
  const auto& tokenizer = default_tokenizer();
  const auto pieces = tokenizer.encode_pieces("A >>xyz<< man");
  CHECK(std::count(pieces.begin(), pieces.end(), ">>xyz<<") == 0);
  CHECK(tokenizer.encode_pieces(" >>xyz<< A").front() != ">>xyz<<");
  CHECK(tokenizer.encode_pieces(">><< A").front() != ">><<");        // `.+` needs one character
  CHECK(tokenizer.encode_pieces(">>xy\nz<< A").front() != ">>xy\nz<<");  // `.` stops at a newline
}

TEST_CASE("tokenizer: text without a code, a code alone, empty text") {
  const auto& tokenizer = default_tokenizer();
  CHECK(tokenizer.encode("A man.") == Ids{16, 39, 6, 0});
  CHECK(tokenizer.encode(">>ces<<") == Ids{5, 0});
  CHECK(tokenizer.encode(">>ces<< ") == Ids{5, 0});
  CHECK(tokenizer.encode("") == Ids{0});
  CHECK(tokenizer.encode_pieces("").empty());
}

TEST_CASE("tokenizer: unknown pieces and unknown codes become <unk>") {
  const auto& tokenizer = default_tokenizer();
  CHECK(tokenizer.encode_pieces("\xF0\x9F\x98\x80") == Pieces{"\u2581", "\xF0\x9F\x98\x80"});
  CHECK(tokenizer.encode("\xF0\x9F\x98\x80") == Ids{15, 1, 0});
  const auto ids = tokenizer.encode(">>xyz<< A");
  CHECK(tokenizer.encode_pieces(">>xyz<< A").front() == ">>xyz<<");
  CHECK(ids == Ids{1, 16, 0});
}

TEST_CASE("tokenizer: special-token spellings in the text stay single tokens") {
  const auto& tokenizer = default_tokenizer();
  CHECK(tokenizer.encode_pieces("a </s> b") == Pieces{"\u2581a", "</s>", "\u2581b"});
  CHECK(tokenizer.encode("<unk>") == Ids{1, 0});
  CHECK(tokenizer.encode("a<pad>") == Ids{7, 7999, 0});
}

TEST_CASE("tokenizer: invalid UTF-8 is an error") {
  const auto& tokenizer = default_tokenizer();
  for (const std::string bad : {"\xC0\xAF", "A \xED\xA0\x80", "abc\xE2\x82", "\xF4\x90\x80\x80", "\xFF"}) {
    INFO(bad);
    CHECK_THROWS_AS(tokenizer.encode(bad), crossmt::Error);
    CHECK_THROWS_AS(tokenizer.encode_pieces(bad), crossmt::Error);
  }
  try {
    tokenizer.encode(">>deu<< ab\xC3");
    FAIL("no error");
  } catch (const crossmt::Error& failure) {
    const std::string message = failure.what();
    CHECK(message.find("invalid UTF-8") != std::string::npos);
    CHECK(message.find("byte 10") != std::string::npos);
    CHECK(message.find('\n') == std::string::npos);
  }
}

TEST_CASE("tokenizer: UTF-8 validation") {
  using crossmt::is_valid_utf8;
  // Valid: ASCII, 2-, 3- and 4-byte forms, the last code point, the ends around the surrogates.
  for (const std::string good : {"", "plain", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF",
                                 "\xED\x9F\xBF", "\xEE\x80\x80", "\xC2\x80", "\xE0\xA0\x80", "\xF0\x90\x80\x80"}) {
    INFO(good);
    CHECK(is_valid_utf8(good));
  }
  CHECK(is_valid_utf8(std::string("a\0b", 3)));
  const std::vector<std::pair<std::string, const char*>> bad{
      {"\xC0\xAF", "overlong 2-byte"},        {"\xC1\xBF", "overlong 2-byte"},
      {"\xE0\x80\xAF", "overlong 3-byte"},    {"\xE0\x9F\xBF", "overlong 3-byte"},
      {"\xF0\x80\x80\xAF", "overlong 4-byte"}, {"\xF0\x8F\xBF\xBF", "overlong 4-byte"},
      {"\xED\xA0\x80", "high surrogate"},     {"\xED\xBF\xBF", "low surrogate"},
      {"\xE2\x82", "truncated"},              {"\xF0\x9F\x98", "truncated"},
      {"\xC3", "truncated at end"},           {"\xC3" "A", "continuation missing"},
      {"\x80", "stray continuation"},         {"\xF4\x90\x80\x80", "past U+10FFFF"},
      {"\xF5\x80\x80\x80", "past U+10FFFF"},  {"\xFE", "never valid"},
      {"\xFF", "never valid"},                {"\xE2\x82\xAC\xAC", "extra continuation"}};
  for (const auto& [text, why] : bad) {
    INFO(why);
    CHECK_FALSE(is_valid_utf8(text));
  }
  CHECK(crossmt::find_invalid_utf8("ab\xC3") == 2u);
  CHECK(crossmt::find_invalid_utf8("\xE2\x82\xAC" "x\x80") == 4u);
  CHECK_FALSE(crossmt::find_invalid_utf8("\xE2\x82\xAC").has_value());
}

TEST_CASE("tokenizer: decode drops eos and pad and detokenizes") {
  const auto& tokenizer = default_tokenizer();
  CHECK(tokenizer.decode({16, 39, 6, 0}) == "A man.");
  CHECK(tokenizer.decode({7999, 16, 39, 6, 0, 7999, 7999}) == "A man.");
  CHECK(tokenizer.decode({}) == "");
  CHECK(tokenizer.decode({0, 7999}) == "");
  // <unk> is kept verbatim between SentencePiece runs, followed by a space (HF's convention).
  CHECK(tokenizer.decode({16, 1, 39}) == "A<unk> man");
  CHECK(tokenizer.decode(tokenizer.encode("Ein Mann läuft.")) == "Ein Mann läuft.");
}

TEST_CASE("tokenizer: missing files are named") {
  TokenizerFolderCopy folder;
  REQUIRE(load_error(folder.dir).empty());
  SECTION("source.spm") {
    fs::remove(folder.dir / "source.spm");
    CHECK_THAT(load_error(folder.dir), Catch::Contains("source.spm"));
  }
  SECTION("target.spm") {
    fs::remove(folder.dir / "target.spm");
    CHECK_THAT(load_error(folder.dir), Catch::Contains("target.spm"));
  }
  SECTION("vocab.json") {
    fs::remove(folder.dir / "vocab.json");
    CHECK_THAT(load_error(folder.dir), Catch::Contains("vocab.json"));
  }
  SECTION("a folder that does not exist") {
    CHECK_THAT(load_error(folder.dir / "nowhere"), Catch::Contains("nowhere"));
  }
  SECTION("target_vocab.json when separate_vocabs") {
    auto config = folder.read_json("tokenizer_config.json");
    config["separate_vocabs"] = true;
    folder.write("tokenizer_config.json", config.dump());
    CHECK_THAT(load_error(folder.dir), Catch::Contains("target_vocab.json"));
  }
}

TEST_CASE("tokenizer: corrupt files are named") {
  TokenizerFolderCopy folder;
  SECTION("source.spm of garbage bytes") {
    folder.write("source.spm", garbage_bytes(4096));
    CHECK_THAT(load_error(folder.dir), Catch::Contains("source.spm"));
  }
  SECTION("target.spm of garbage bytes") {
    folder.write("target.spm", garbage_bytes(4096));
    CHECK_THAT(load_error(folder.dir), Catch::Contains("target.spm"));
  }
  SECTION("empty source.spm") {
    folder.write("source.spm", "");
    CHECK_THAT(load_error(folder.dir), Catch::Contains("source.spm"));
  }
  SECTION("vocab.json that is not JSON") {
    folder.write("vocab.json", "{\"</s>\": 0, \"<unk>\": ");
    CHECK_THAT(load_error(folder.dir), Catch::Contains("vocab.json") && Catch::Contains("JSON"));
  }
  SECTION("vocab.json that is not an object") {
    folder.write("vocab.json", "[1, 2, 3]");
    CHECK_THAT(load_error(folder.dir), Catch::Contains("vocab.json"));
  }
  SECTION("vocab.json with a non-integer id") {
    auto vocab = folder.read_json("vocab.json");
    vocab["\u2581A"] = "sixteen";
    folder.write("vocab.json", vocab.dump());
    CHECK_THAT(load_error(folder.dir), Catch::Contains("vocab.json") && Catch::Contains("\u2581A"));
  }
  SECTION("tokenizer_config.json that is not JSON") {
    folder.write("tokenizer_config.json", "not json");
    CHECK_THAT(load_error(folder.dir), Catch::Contains("tokenizer_config.json"));
  }
  for (const char* special : {"</s>", "<unk>", "<pad>"}) {
    DYNAMIC_SECTION("vocab.json without " << special) {
      auto vocab = folder.read_json("vocab.json");
      vocab.erase(special);
      folder.write("vocab.json", vocab.dump());
      const std::string message = load_error(folder.dir);
      CHECK_THAT(message, Catch::Contains("vocab.json") && Catch::Contains(special));
      CHECK(message.find('\n') == std::string::npos);
    }
  }
}

TEST_CASE("tokenizer: separate_vocabs decodes through target_vocab.json") {
  TokenizerFolderCopy folder;
  auto config = folder.read_json("tokenizer_config.json");
  config["separate_vocabs"] = true;
  folder.write("tokenizer_config.json", config.dump());
  // Target vocabulary with two pieces swapped, so decoding shows which vocabulary it used.
  auto target_vocab = folder.read_json("vocab.json");
  target_vocab["\u2581A"] = 39;
  target_vocab["\u2581man"] = 16;
  folder.write("target_vocab.json", target_vocab.dump());
  const auto tokenizer = MarianTokenizer::load(folder.dir);
  CHECK(tokenizer.encode("A man") == Ids{16, 39, 0});
  CHECK(tokenizer.decode({16, 39, 0}) == "man A");
  CHECK(tokenizer.source_piece(16) == "\u2581A");
  CHECK(tokenizer.target_piece(16) == "\u2581man");
}

TEST_CASE("language: ISO 639 codes and model tokens") {
  using crossmt::language_token_for;
  CHECK(crossmt::iso639_3_from_iso639_1("de") == "deu");
  CHECK(crossmt::iso639_3_from_iso639_1("cs") == "ces");
  CHECK(crossmt::iso639_3_from_iso639_1("zh") == "zho");
  CHECK_FALSE(crossmt::iso639_3_from_iso639_1("xx").has_value());
  CHECK(crossmt::iso639_1_from_iso639_3("fra") == "fr");

  const auto tokens = default_tokenizer().language_tokens();
  CHECK(language_token_for("deu", tokens) == ">>deu<<");
  CHECK(language_token_for("de", tokens) == ">>deu<<");
  CHECK(language_token_for("DE", tokens) == ">>deu<<");
  CHECK(language_token_for(">>fra<<", tokens) == ">>fra<<");
  CHECK(language_token_for("en", tokens) == ">>eng<<");
  CHECK_THROWS_WITH(language_token_for("xx", tokens), Catch::Contains("xx") && Catch::Contains("deu") &&
                                                          Catch::Contains("ces"));
  CHECK_THROWS_AS(language_token_for("es", tokens), crossmt::Error);
  // Models whose tokens are two-letter codes take three-letter codes too.
  CHECK(language_token_for("fra", {">>fr<<", ">>de<<"}) == ">>fr<<");
  CHECK_THROWS_WITH(language_token_for("de", {}), Catch::Contains("no language tokens"));

  CHECK(crossmt::starts_with_language_token(">>deu<< A"));
  CHECK_FALSE(crossmt::starts_with_language_token("A >>deu<<"));
  CHECK(crossmt::leading_language_token_length(">>deu<<>>fra<<") == 7);
}
