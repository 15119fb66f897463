// The tokenizers of T5, mBART, mBART-50, M2M100, NLLB and BART on the tiny models' own tokenizer
// files (tests/data/tiny-archs, made by make_tokenizers.py): the family read from the folder,
// slow files and tokenizer.json agreeing, each family's special-token layout, languages, and the
// ids a translation feeds the model.
#include <catch2/catch.hpp>

#include <fstream>

#include "checkpoint_test_support.h"
#include "crossmt/error.h"
#include "crossmt/tokenizer.h"
#include "crossmt/translator.h"
#include "server/model_registry.h"

namespace {

using crossmt::LanguageDirection;
using crossmt::load_tokenizer;
using crossmt::TokenizerFiles;
using crossmt::test::kTinyArchsDir;
using crossmt::test::TempDir;
namespace fs = std::filesystem;

std::vector<std::string> corpus_lines(const std::string& language, size_t count) {
  std::ifstream in(fs::path(CROSSMT_MODELS_DIR) / ("../data/multi30k/test_2016_flickr." + language));
  std::vector<std::string> lines;
  for (std::string line; lines.size() < count && std::getline(in, line);) lines.push_back(line);
  return lines;
}

int id_of(const crossmt::Tokenizer& tokenizer, const std::string& token) {
  const auto id = tokenizer.source_token_id(token);
  REQUIRE(id);
  return *id;
}

// A copy of a tiny folder's tokenizer files with tokenizer_config.json edited.
fs::path edited_copy(const std::string& folder, const TempDir& temp,
                     const std::function<void(nlohmann::json&)>& edit_config) {
  const fs::path copy = temp / folder;
  fs::create_directories(copy);
  for (const auto& entry : fs::directory_iterator(kTinyArchsDir / folder))
    if (entry.path().filename() != "model.safetensors") fs::copy_file(entry.path(), copy / entry.path().filename());
  crossmt::test::edit_json_file(copy / "tokenizer_config.json", edit_config);
  return copy;
}

}  // namespace

TEST_CASE("family tokenizers: each tiny folder is read as its family", "[tokenizers]") {
  const std::vector<std::tuple<std::string, std::string, bool>> folders = {
      {"t5_original", "t5", true},   {"t5_v1_1", "t5", true},      {"mbart", "mbart", true},
      {"mbart50", "mbart50", true},  {"m2m100", "m2m100", true},   {"m2m100_nllb", "nllb", true},
      {"bart", "bart", false}};
  for (const auto& [folder, family, needs_source] : folders) {
    INFO(folder);
    const auto tokenizer = load_tokenizer(kTinyArchsDir / folder);
    CHECK(tokenizer->family() == family);
    CHECK(tokenizer->needs_source_language() == needs_source);
  }
  CHECK(load_tokenizer(kTinyArchsDir / "mbart", TokenizerFiles::Fast)->files() == "tokenizer.json");
  CHECK(load_tokenizer(kTinyArchsDir / "mbart", TokenizerFiles::Slow)->files() == "sentencepiece.bpe.model");
  CHECK(load_tokenizer(fs::path(CROSSMT_MODELS_DIR) / "m30k-mul-marian")->family() == "marian");
}

TEST_CASE("family tokenizers: slow files and tokenizer.json give the same ids and text", "[tokenizers]") {
  std::vector<std::string> lines;
  for (const char* language : {"en", "de", "fr", "cs"})
    for (auto& line : corpus_lines(language, 250)) lines.push_back(std::move(line));
  // Not compared: runs of spaces at either end and special tokens inside the text, where
  // transformers' own slow and fast tokenizers differ (the fast ones keep a trailing "▁").
  for (const std::string folder : {"t5_original", "mbart", "mbart50", "m2m100_nllb", "bart"}) {
    INFO(folder);
    const auto slow = load_tokenizer(kTinyArchsDir / folder, TokenizerFiles::Slow);
    const auto fast = load_tokenizer(kTinyArchsDir / folder, TokenizerFiles::Fast);
    size_t differing_ids = 0, differing_text = 0;
    for (const auto& line : lines) {
      const auto ids = slow->encode(line);
      if (ids != fast->encode(line)) {
        ++differing_ids;
        UNSCOPED_INFO("ids differ: " << line);
      }
      // A skipped <unk> at the start leaves the fast decoder's word-start space, in transformers too.
      const bool has_unknown = std::find(ids.begin(), ids.end(), slow->unk_id()) != ids.end();
      if (!has_unknown && slow->decode(ids) != fast->decode(ids)) {
        ++differing_text;
        UNSCOPED_INFO("text differs: " << line << " -> '" << slow->decode(ids) << "' / '" << fast->decode(ids) << "'");
      }
    }
    CHECK(differing_ids == 0);
    CHECK(differing_text == 0);
  }
}

TEST_CASE("family tokenizers: special tokens where each family puts them", "[tokenizers]") {
  const std::string text = "A dog runs.";
  SECTION("T5: </s> last, not doubled") {
    const auto t5 = load_tokenizer(kTinyArchsDir / "t5_original");
    const auto ids = t5->encode(text);
    CHECK(ids.back() == t5->eos_id());
    CHECK(ids[ids.size() - 2] != t5->eos_id());
    CHECK(t5->encode(text + "</s>") == ids);
    CHECK(t5->eos_id() == 1);
    CHECK(t5->pad_id() == 0);
    CHECK(id_of(*t5, "<extra_id_0>") == 95);
    CHECK(id_of(*t5, "<extra_id_3>") == 92);
  }
  SECTION("BART: <s> text </s>") {
    const auto bart = load_tokenizer(kTinyArchsDir / "bart");
    const auto ids = bart->encode(text);
    CHECK(ids.front() == 0);
    CHECK(ids.back() == 2);
  }
  SECTION("mBART: text </s> source code; the target code starts the decoder") {
    const auto mbart = load_tokenizer(kTinyArchsDir / "mbart");
    const LanguageDirection direction = mbart->direction("en", "de");
    const auto ids = mbart->encode(text, direction);
    CHECK(ids[ids.size() - 2] == 2);
    CHECK(ids.back() == id_of(*mbart, "en_XX"));
    CHECK(direction.decoder_start_token_id == id_of(*mbart, "de_DE"));
    CHECK(direction.forced_bos_token_id == -1);
    const auto target = mbart->encode_target("Ein Hund.", direction);
    CHECK(target.back() == id_of(*mbart, "de_DE"));
    // fairseq's layout: <s> <pad> </s> <unk>, SentencePiece ids + 1, codes, <mask> last.
    CHECK(id_of(*mbart, "<unk>") == 3);
    CHECK(id_of(*mbart, "ar_AR") == 70);
    CHECK(id_of(*mbart, "<mask>") == 95);
  }
  SECTION("mBART-50, M2M100, NLLB: source code first, target code forced first") {
    for (const auto& [folder, source, target] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"mbart50", "en_XX", "de_DE"}, {"m2m100", "__en__", "__de__"}, {"m2m100_nllb", "eng_Latn", "deu_Latn"}}) {
      INFO(folder);
      const auto tokenizer = load_tokenizer(kTinyArchsDir / folder);
      const LanguageDirection direction = tokenizer->direction("en", "de");
      const auto ids = tokenizer->encode(text, direction);
      CHECK(ids.front() == id_of(*tokenizer, source));
      CHECK(ids.back() == tokenizer->eos_id());
      CHECK(direction.forced_bos_token_id == id_of(*tokenizer, target));
      CHECK(direction.decoder_start_token_id == -1);
      CHECK(tokenizer->encode_target("Ein Hund.", direction).front() == id_of(*tokenizer, target));
      CHECK(tokenizer->decode(ids) == tokenizer->decode(std::vector<int>(ids.begin() + 1, ids.end())));
    }
  }
  SECTION("NLLB legacy_behaviour: text </s> source code") {
    TempDir temp("nllb-legacy");
    const auto legacy = load_tokenizer(edited_copy("m2m100_nllb", temp, [](nlohmann::json& config) {
      config["legacy_behaviour"] = true;
    }));
    const auto ids = legacy->encode(text, legacy->direction("en", "de"));
    CHECK(ids.back() == id_of(*legacy, "eng_Latn"));
    CHECK(ids[ids.size() - 2] == 2);
  }
}

TEST_CASE("family tokenizers: T5's legacy and non-legacy handling of text after special tokens", "[tokenizers]") {
  const auto legacy = load_tokenizer(kTinyArchsDir / "t5_original");      // legacy: true
  const auto current = load_tokenizer(kTinyArchsDir / "t5_v1_1");       // legacy: false
  const std::string text = "a dog <extra_id_0>. and a cat";
  const auto legacy_pieces = legacy->encode_pieces(text);
  const auto current_pieces = current->encode_pieces(text);
  const auto after = [](const std::vector<std::string>& pieces) {
    const auto found = std::find(pieces.begin(), pieces.end(), "<extra_id_0>");
    REQUIRE(found + 1 < pieces.end());
    return *(found + 1);
  };
  // Legacy: the chunk after the special token is encoded on its own, with a word start (the tiny
  // vocabulary has no "▁." piece, so the start stands alone).
  CHECK(after(legacy_pieces).starts_with("\xE2\x96\x81"));
  CHECK(after(current_pieces) == ".");
  // The extra id eats the spaces around it (lstrip/rstrip), so these are the same text.
  CHECK(legacy->encode("a dog<extra_id_0>   . and a cat") == legacy->encode(text));
}

TEST_CASE("family tokenizers: languages as users name them", "[tokenizers]") {
  const auto nllb = load_tokenizer(kTinyArchsDir / "m2m100_nllb");
  CHECK(nllb->languages() == std::vector<std::string>{"ces_Latn", "deu_Latn", "eng_Latn", "fra_Latn"});
  for (const char* name : {"de", "deu", "deu_Latn"}) CHECK(nllb->direction("en", name).target_code == "deu_Latn");
  CHECK_THROWS_WITH(nllb->direction("en", "xx"),
                    "unknown target language \"xx\"; this model's codes: ces_Latn, deu_Latn, eng_Latn, fra_Latn");
  CHECK_THROWS_WITH(nllb->direction("en", ""), Catch::StartsWith("name the target language (--to)"));

  SECTION("NLLB's full code list: zh is ambiguous") {
    TempDir temp("nllb-all-codes");
    const auto all = load_tokenizer(edited_copy("m2m100_nllb", temp, [](nlohmann::json& config) {
      config.erase("additional_special_tokens");
    }));
    CHECK(all->languages().size() == 202);
    CHECK_THROWS_WITH(all->direction("en", "zh"),
                      "ambiguous target language \"zh\": choose one of zho_Hans, zho_Hant");
    CHECK(all->direction("en", "zho_Hant").target_code == "zho_Hant");
  }
  SECTION("mBART and M2M100 codes") {
    CHECK(load_tokenizer(kTinyArchsDir / "mbart")->direction("fra", "cs").target_code == "cs_CZ");
    const auto m2m100 = load_tokenizer(kTinyArchsDir / "m2m100");
    CHECK(m2m100->languages() == std::vector<std::string>{"en", "ha", "is", "ja", "cs", "ru", "zh", "de"});
    const auto direction = m2m100->direction("ces", "deu");
    CHECK(direction.source_code == "__cs__");
    CHECK(direction.target_code == "__de__");
  }
  SECTION("T5: the task prefix") {
    const auto t5 = load_tokenizer(kTinyArchsDir / "t5_original");
    const auto direction = t5->direction("en", "deu");
    CHECK(direction.text_prefix == "translate English to German: ");
    CHECK(t5->encode("A dog.", direction) == t5->encode("translate English to German: A dog."));
    CHECK_THROWS_WITH(t5->direction("", "de"), "T5 needs the source language too (--from en)");
    CHECK_THROWS_WITH(t5->direction("en", "ja"), Catch::Contains("this model's codes: en, de, fr, ro"));
  }
  SECTION("BART and Marian") {
    CHECK_THROWS_WITH(load_tokenizer(kTinyArchsDir / "bart")->direction("en", "de"),
                      Catch::Contains("leave out --from and --to"));
    const auto marian = load_tokenizer(fs::path(CROSSMT_MODELS_DIR) / "m30k-mul-marian");
    CHECK_FALSE(marian->needs_source_language());
    CHECK(marian->direction("", "de").target_code == ">>deu<<");
  }
}

TEST_CASE("family tokenizers: a translation feeds the model the tokenizer's ids", "[tokenizers]") {
  const std::vector<std::string> lines = corpus_lines("en", 3);
  for (const std::string folder : {"t5_original", "t5_v1_1", "mbart", "mbart50", "m2m100", "m2m100_nllb"}) {
    INFO(folder);
    const crossmt::Translator translator(kTinyArchsDir / folder);
    const LanguageDirection direction = translator.direction("en", "de");
    auto search = translator.default_search_options();
    search.max_new_tokens = 4;
    const auto results = translator.translate_lines(lines, direction, search);
    const auto tokenizer = load_tokenizer(kTinyArchsDir / folder);
    for (size_t i = 0; i < lines.size(); ++i) {
      CHECK(results[i].source_ids == tokenizer->encode(lines[i], direction));
      REQUIRE_FALSE(results[i].hypotheses.empty());
      if (direction.forced_bos_token_id >= 0) CHECK(results[i].hypotheses[0].ids.front() == direction.forced_bos_token_id);
    }
  }
}

TEST_CASE("family tokenizers: decode as decode(ids, skip_special_tokens=True)", "[tokenizers]") {
  const auto nllb = load_tokenizer(kTinyArchsDir / "m2m100_nllb");
  const auto ids = nllb->encode("A dog runs.", nllb->direction("en", "de"));
  CHECK(nllb->decode(ids) == "A dog runs.");
  std::vector<int> with_specials = {id_of(*nllb, "deu_Latn")};
  with_specials.insert(with_specials.end(), ids.begin() + 1, ids.end());
  with_specials.push_back(nllb->pad_id());
  CHECK(nllb->decode(with_specials) == "A dog runs.");
  // clean_up_tokenization_spaces (transformers' default: true) joins " ." and " ,".
  CHECK(nllb->decode(nllb->encode("a dog , a cat .")) == "a dog, a cat.");
  TempDir temp("nllb-no-cleanup");
  const auto raw = load_tokenizer(edited_copy("m2m100_nllb", temp, [](nlohmann::json& config) {
    config["clean_up_tokenization_spaces"] = false;
  }));
  CHECK(raw->decode(raw->encode("a dog , a cat .")) == "a dog , a cat .");
}

TEST_CASE("family tokenizers: bad tokenizer files are named", "[tokenizers]") {
  TempDir temp("bad-tokenizers");
  SECTION("a vocab.json without </s>") {
    const fs::path folder = temp / "m2m100";
    fs::create_directories(folder);
    for (const char* name : {"sentencepiece.bpe.model", "tokenizer_config.json"})
      fs::copy_file(kTinyArchsDir / "m2m100" / name, folder / name);
    std::ofstream(folder / "vocab.json") << R"({"<s>": 0, "<pad>": 1, "<unk>": 3, "a": 4})";
    CHECK_THROWS_WITH(load_tokenizer(folder), (folder / "vocab.json").string() + ": no entry for the special token \"</s>\"");
  }
  SECTION("an unknown tokenizer_class without tokenizer.json") {
    const fs::path folder = temp / "unknown";
    fs::create_directories(folder);
    std::ofstream(folder / "tokenizer_config.json") << R"({"tokenizer_class": "FancyTokenizer"})";
    CHECK_THROWS_WITH(load_tokenizer(folder), Catch::Contains("tokenizer_config.json: tokenizer_class: \"FancyTokenizer\""));
  }
  SECTION("a tokenizer.json with an unknown model type") {
    const fs::path folder = edited_copy("mbart", temp, [](nlohmann::json&) {});
    crossmt::test::edit_json_file(folder / "tokenizer.json", [](nlohmann::json& json) { json["model"]["type"] = "Morfessor"; });
    CHECK_THROWS_WITH(load_tokenizer(folder, TokenizerFiles::Fast), Catch::Contains("tokenizer.json") && Catch::Contains("model.type"));
  }
  SECTION("a language code the tokenizer does not have") {
    const fs::path folder = edited_copy("mbart", temp, [](nlohmann::json& config) { config["src_lang"] = "xx_XX"; });
    CHECK_THROWS_WITH(load_tokenizer(folder), Catch::Contains("src_lang/tgt_lang: \"xx_XX\""));
  }
  SECTION("a tokenizer.json without the family's language codes, or a code the model lacks") {
    const fs::path folder = edited_copy("mbart", temp, [](nlohmann::json&) {});
    crossmt::test::edit_json_file(folder / "tokenizer.json", [](nlohmann::json& json) {
      nlohmann::json kept = nlohmann::json::array();
      for (const auto& token : json["added_tokens"])
        if (token["content"].get<std::string>().find('_') == std::string::npos) kept.push_back(token);
      json["added_tokens"] = kept;
      for (auto& entry : json["model"]["vocab"])
        if (entry[0].get<std::string>().find('_') != std::string::npos) entry[0] = "x" + entry[0].get<std::string>();
    });
    CHECK_THROWS_WITH(load_tokenizer(folder, TokenizerFiles::Fast),
                      Catch::Contains("tokenizer.json: added_tokens: none of the mbart language codes"));
    LanguageDirection bogus;
    bogus.source_code = "xx_XX";
    CHECK_THROWS_WITH(load_tokenizer(kTinyArchsDir / "mbart")->encode("A dog.", bogus),
                      "\"xx_XX\" is not one of the model's language codes");
  }
  SECTION("a missing SentencePiece model") {
    const fs::path folder = edited_copy("t5_original", temp, [](nlohmann::json&) {});
    fs::remove(folder / "spiece.model");
    fs::remove(folder / "tokenizer.json");
    CHECK_THROWS_WITH(load_tokenizer(folder), Catch::Contains("spiece.model"));
  }
}

TEST_CASE("cli: text in, text out for every family", "[tokenizers][cli]") {
  using crossmt::test::quoted;
  using crossmt::test::run_crossmt;
  TempDir temp("cli-families");
  const auto input = [&](const std::string& name, const std::string& text) {
    std::ofstream(temp / name) << text << "\n";
    return " < " + quoted(temp / name);
  };
  const std::string sentence = input("sentence", "A man is riding a bike.");
  for (const std::string folder : {"t5_original", "t5_v1_1", "mbart", "mbart50", "m2m100", "m2m100_nllb"}) {
    INFO(folder);
    const auto run = run_crossmt("translate -m " + quoted(kTinyArchsDir / folder) + " --from en --to de --max-new-tokens 4" +
                                 sentence);
    CHECK(run.status == 0);
    CHECK(std::count(run.output.begin(), run.output.end(), '\n') == 1);
  }
  // T5 takes no forced token: its text path and the tokenizer's ids through --ids-in agree.
  const std::string t5 = quoted(kTinyArchsDir / "t5_original");
  const auto ids = run_crossmt("tokenize -m " + t5 + " --from en --to de" + sentence);
  REQUIRE(ids.status == 0);
  const std::string ids_input = input("ids", ids.output.substr(0, ids.output.find('\n')));
  const auto generated_ids = [](const std::string& jsonl) {
    return nlohmann::json::parse(jsonl.substr(0, jsonl.find('\n')))["ids"];
  };
  CHECK(generated_ids(run_crossmt("translate -m " + t5 + " --ids-in --format jsonl --max-new-tokens 4" + ids_input).output) ==
        generated_ids(run_crossmt("translate -m " + t5 + " --from en --to de --format jsonl --max-new-tokens 4" + sentence).output));
  // "G" and ":" are not in the tiny vocabulary: their <unk> is a special token, which decode skips.
  CHECK(run_crossmt("tokenize -m " + t5 + " --decode" + ids_input).output ==
        "translate English to erman A man is riding a bike.\n");
  crossmt::test::require_error(
      run_crossmt("translate -m " + quoted(kTinyArchsDir / "m2m100_nllb") + " --from en --to zz" + sentence),
      "unknown target language \"zz\"");
}

TEST_CASE("server: a multilingual family takes any of its languages on either side, whatever the folder's name",
          "[tokenizers][server]") {
  TempDir temp("served-nllb");
  const fs::path folder = temp / "nllb-200-distilled";  // not an OPUS-MT style src-tgt name
  fs::create_directories(folder);
  for (const auto& entry : fs::directory_iterator(kTinyArchsDir / "m2m100_nllb"))
    if (entry.path().filename() != "tokenizer_config.json") fs::copy_file(entry.path(), folder / entry.path().filename());
  std::ofstream(folder / "tokenizer_config.json") << R"({"tokenizer_class": "NllbTokenizer"})";  // all 202 codes
  crossmt::server::ServedModel served;
  served.name = "nllb-200-distilled";
  served.translator = std::make_unique<crossmt::Translator>(folder);
  served.info = served.translator->info();
  crossmt::server::resolve_languages(served, folder.string());
  CHECK(served.sources == served.targets);
  CHECK(std::count(served.targets.begin(), served.targets.end(), "zh") == 1);  // zho_Hans and zho_Hant
  CHECK(std::count(served.targets.begin(), served.targets.end(), "en") == 1);
  CHECK(served.targets.size() == 196);  // 202 codes; ace, bjn, kas, knc, taq, zho have two scripts each
}
