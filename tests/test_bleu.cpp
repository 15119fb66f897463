#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "crossmt/bleu.h"
#include "reference_data.h"

TEST_CASE("13a tokenization splits punctuation as sacreBLEU does") {
  using crossmt::tokenize_13a;
  CHECK(tokenize_13a("Ein Mann, der läuft.") == "Ein Mann , der läuft .");
  CHECK(tokenize_13a("It costs 3.50, or 1,000-2,000!") == "It costs 3.50 , or 1,000 - 2,000 !");
  CHECK(tokenize_13a("a (b) \"c\" &amp; d's") == "a ( b ) \" c \" & d's");  // ' is not split
  CHECK(tokenize_13a("end..") == "end . .");
  CHECK(tokenize_13a("  spaces   inside ") == "spaces inside");
}

TEST_CASE("corpus BLEU equals sacreBLEU's on the beam-4 output of test_2016 en-de") {
  std::ifstream in(crossmt::testing::test_data("bleu/test_2016_flickr.en-de.jsonl"));
  std::string line;
  std::getline(in, line);
  const double expected = nlohmann::json::parse(line)["sacrebleu_bleu_beam4"].get<double>();
  std::vector<std::string> hypotheses, references;
  while (std::getline(in, line)) {
    const auto row = nlohmann::json::parse(line);
    hypotheses.push_back(row["hypothesis"].get<std::string>());
    references.push_back(row["reference"].get<std::string>());
  }
  REQUIRE(hypotheses.size() == 1000);
  const auto bleu = crossmt::corpus_bleu(hypotheses, references);
  CHECK(std::abs(bleu.score - expected) < 0.005 + 1e-9);  // sacreBLEU rounds to 2 decimals
}

TEST_CASE("BLEU edge cases") {
  CHECK(crossmt::corpus_bleu({"a b c d"}, {"a b c d"}).score == Approx(100.0));
  CHECK(crossmt::corpus_bleu({"x"}, {"a b c d"}).score == 0.0);
  CHECK_THROWS(crossmt::corpus_bleu({"a"}, {}));
}
