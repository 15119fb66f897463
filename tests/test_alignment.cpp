// Alignments and attention exports: the exported matrices against transformers' cross-attention
// (16 test_2016 en-de records), word merging on hand-made cases, option parsing, formats.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "crossmt/alignment.h"
#include "crossmt/checkpoint.h"
#include "crossmt/error.h"
#include "crossmt/model.h"
#include "crossmt/tokenizer.h"
#include "reference_data.h"

using namespace crossmt;
using crossmt::testing::default_model_dir;
using crossmt::testing::FixtureTensors;
using crossmt::testing::test_data;

namespace {

const Seq2SeqModel& alignment_model() {
  static Seq2SeqModel model(Checkpoint::open(default_model_dir()));
  return model;
}

const MarianTokenizer& alignment_tokenizer() {
  static MarianTokenizer tokenizer = MarianTokenizer::load(default_model_dir());
  return tokenizer;
}

const FixtureTensors& attention_records() {
  static FixtureTensors records(test_data("m30k_attention.safetensors"));
  return records;
}

constexpr int kDecoderStart = 7999;
const std::string W = "\xE2\x96\x81";  // ▁

// A token-level matrix whose entry (t, s) is 10 * t + s, for checking the merge arithmetic.
Matrix indexed_matrix(int rows, int cols) {
  Matrix m{rows, cols, {}};
  for (int t = 0; t < rows; ++t)
    for (int s = 0; s < cols; ++s) m.values.push_back(static_cast<float>(10 * t + s));
  return m;
}

std::vector<std::string> labels(const std::vector<TokenSpan>& spans) {
  std::vector<std::string> out;
  for (const auto& span : spans) out.push_back(span.label);
  return out;
}

}  // namespace

TEST_CASE("alignment: exported attention of 16 test_2016 en-de records equals transformers' cross-attention") {
  const auto& model = alignment_model();
  const auto& tokenizer = alignment_tokenizer();
  const auto& records = attention_records();
  const int layers = model.decoder_layers(), heads = model.decoder_heads();
  for (int k = 0; k < 16; ++k) {
    const std::string prefix = "en-de/" + std::to_string(k) + "/";
    INFO(prefix);
    const auto source = records.ids(prefix + "src_ids");
    const auto target = records.ids(prefix + "beam4_ids");
    const auto expected = records.floats(prefix + "cross_attentions");  // [L][H][T][S]
    const int T = static_cast<int>(target.size()), S = static_cast<int>(source.size());
    REQUIRE(expected.size() == static_cast<size_t>(layers) * heads * T * S);

    const auto pairs = forced_attention(model, {source}, {target}, kDecoderStart);
    REQUIRE(pairs.size() == 1);
    const AttentionMatrices& attention = pairs[0].attention;
    REQUIRE(attention.target_length == T);
    REQUIRE(attention.source_length == S);
    double worst = 0;
    for (size_t i = 0; i < expected.size(); ++i)
      worst = std::max(worst, std::abs(static_cast<double>(attention.weights[i]) - expected[i]));
    CHECK(worst <= 1e-5);

    // Exported in subword unit: every layer x head, the language token and EOS left out.
    std::vector<std::string> source_pieces, target_pieces;
    for (int id : source) source_pieces.push_back(tokenizer.source_piece(id));
    for (int id : target) target_pieces.push_back(tokenizer.target_piece(id));
    REQUIRE(source_pieces.front() == ">>deu<<");
    REQUIRE(source_pieces.back() == "</s>");
    REQUIRE(target_pieces.back() == "</s>");
    for (int layer = 0; layer < layers; ++layer) {
      const auto sentence = build_alignment(pairs[0], source_pieces, target_pieces, AlignmentUnit::Subword, layer,
                                            HeadSelection{HeadMode::Average, 0});
      REQUIRE(sentence.source_tokens.size() == static_cast<size_t>(S - 2));
      REQUIRE(sentence.target_tokens.size() == static_cast<size_t>(T - 1));
      const auto expected_at = [&](int l, int h, int t, int s) {
        return static_cast<double>(expected[((static_cast<size_t>(l) * heads + h) * T + t) * S + s]);
      };
      // JSON export with --attention-all: [layer][head][target][source].
      const auto json = attention_json(sentence, true);
      double worst_export = 0;
      for (int l = 0; l < layers; ++l)
        for (int h = 0; h < heads; ++h)
          for (int t = 0; t < T - 1; ++t)
            for (int s = 0; s < S - 2; ++s) {
              worst_export = std::max(worst_export, std::abs(sentence.per_head[l * heads + h].at(t, s) - expected_at(l, h, t, s + 1)));
              worst_export = std::max(worst_export, std::abs(json["attention"][l][h][t][s].get<double>() - expected_at(l, h, t, s + 1)));
            }
      CHECK(worst_export <= 1e-5);

      // Hard subword alignment = argmax over the reference's head mean, per target piece.
      std::vector<Link> expected_links;
      for (int t = 0; t < T - 1; ++t) {
        int best = 0;
        double best_weight = -1;
        for (int s = 0; s < S - 2; ++s) {
          double mean = 0;
          for (int h = 0; h < heads; ++h) mean += expected_at(layer, h, t, s + 1) / heads;
          if (mean > best_weight) best = s, best_weight = mean;
        }
        expected_links.push_back({best, t, 0.f});
      }
      CHECK(pharaoh(sentence.hard) == pharaoh(expected_links));
      // And for each single head.
      for (int h = 0; h < heads; ++h) {
        const auto single = build_alignment(pairs[0], source_pieces, target_pieces, AlignmentUnit::Subword, layer,
                                            HeadSelection{HeadMode::Single, h});
        for (const Link& link : single.hard) {
          for (int s = 0; s < S - 2; ++s) CHECK(expected_at(layer, h, link.target, link.source + 1) >= expected_at(layer, h, link.target, s + 1) - 1e-5);
        }
        CHECK(single.hard.size() == static_cast<size_t>(T - 1));
      }
    }
  }
}

TEST_CASE("alignment: forced attention of a batch equals one by one") {
  const auto& records = attention_records();
  std::vector<std::vector<int>> sources, targets;
  for (int k = 0; k < 4; ++k) {
    sources.push_back(records.ids("en-de/" + std::to_string(k) + "/src_ids"));
    targets.push_back(records.ids("en-de/" + std::to_string(k) + "/beam4_ids"));
  }
  sources.push_back({});  // an empty pair stays empty
  targets.push_back({});
  const auto batched = forced_attention(alignment_model(), sources, targets, kDecoderStart, 8);
  REQUIRE(batched.size() == 5);
  CHECK(batched[4].attention.weights.empty());
  for (int k = 0; k < 4; ++k) {
    const auto single = forced_attention(alignment_model(), {sources[k]}, {targets[k]}, kDecoderStart);
    REQUIRE(single[0].attention.weights.size() == batched[k].attention.weights.size());
    double worst = 0;
    for (size_t i = 0; i < single[0].attention.weights.size(); ++i)
      worst = std::max(worst, static_cast<double>(std::abs(single[0].attention.weights[i] - batched[k].attention.weights[i])));
    CHECK(worst <= 1e-5);
    REQUIRE(batched[k].log_probs.size() == targets[k].size());
  }
}

TEST_CASE("alignment: word grouping of pieces") {
  SECTION("multi-piece words, punctuation, language token and EOS") {
    const std::vector<std::string> pieces{">>deu<<", W + "A", W + "man", W + "star", "r", "ing", W + "at", W + "some",
                                          "thing", ".", "</s>"};
    const auto words = group_tokens(pieces, AlignmentUnit::Word);
    CHECK(labels(words) == std::vector<std::string>{"A", "man", "starring", "at", "something."});
    REQUIRE(words.size() == 5);
    CHECK(words[2].positions == std::vector<int>{3, 4, 5});
    CHECK(words[4].positions == std::vector<int>{7, 8, 9});
    const auto subwords = group_tokens(pieces, AlignmentUnit::Subword);
    REQUIRE(subwords.size() == 9);
    CHECK(subwords.front().label == W + "A");
    CHECK(subwords.back().label == ".");
    CHECK(subwords.back().positions == std::vector<int>{9});
  }
  SECTION("a lone space marker starts the word its next piece continues; punctuation after a space is its own word") {
    const std::vector<std::string> pieces{W, "T", "-", "Shirt", W + "-", W + "ok", ",", W + "ja", "</s>"};
    CHECK(labels(group_tokens(pieces, AlignmentUnit::Word)) == std::vector<std::string>{"T-Shirt", "-", "ok,", "ja"});
  }
  SECTION("a leading piece without the marker still makes a word; <unk> is a word of its own") {
    const std::vector<std::string> pieces{"ab", "c", "<unk>", "d", "<pad>"};
    const auto words = group_tokens(pieces, AlignmentUnit::Word);
    CHECK(labels(words) == std::vector<std::string>{"abc", "<unk>d"});
  }
  CHECK(is_special_piece(">>fra<<"));
  CHECK(is_special_piece("</s>"));
  CHECK_FALSE(is_special_piece(">><<"));
  CHECK_FALSE(is_special_piece(W + "man"));
}

TEST_CASE("alignment: merging sums over source pieces and averages over target pieces") {
  // Source: >>deu<< ▁A ▁star r ing . </s>  -> words "A" (1), "starring." (2,3,4,5)
  // Target: ▁Ein ▁Stern chen . </s>        -> words "Ein" (0), "Sternchen." (1,2,3)
  const std::vector<std::string> source{">>deu<<", W + "A", W + "star", "r", "ing", ".", "</s>"};
  const std::vector<std::string> target{W + "Ein", W + "Stern", "chen", ".", "</s>"};
  const auto source_words = group_tokens(source, AlignmentUnit::Word);
  const auto target_words = group_tokens(target, AlignmentUnit::Word);
  const Matrix tokens = indexed_matrix(5, 7);
  const Matrix merged = merge_matrix(tokens, target_words, source_words);
  REQUIRE(merged.rows == 2);
  REQUIRE(merged.cols == 2);
  CHECK(merged.at(0, 0) == Approx(1));                    // t0, s1
  CHECK(merged.at(0, 1) == Approx(2 + 3 + 4 + 5));        // t0, s2..s5 summed
  CHECK(merged.at(1, 0) == Approx((11 + 21 + 31) / 3.0));  // t1..t3 averaged
  CHECK(merged.at(1, 1) == Approx(((12 + 13 + 14 + 15) + (22 + 23 + 24 + 25) + (32 + 33 + 34 + 35)) / 3.0));

  SECTION("probabilities: a merged row still sums to the mass outside the special tokens") {
    Matrix probabilities{5, 7, {}};
    for (int t = 0; t < 5; ++t)
      for (int s = 0; s < 7; ++s) probabilities.values.push_back(s == 0 || s == 6 ? 0.1f : 0.16f);
    const Matrix words = merge_matrix(probabilities, target_words, source_words);
    CHECK(words.at(0, 0) + words.at(0, 1) == Approx(0.8));
    CHECK(words.at(1, 0) + words.at(1, 1) == Approx(0.8));
  }
}

TEST_CASE("alignment: hard, threshold and soft links and their formats") {
  Matrix m{3, 3, {0.7f, 0.2f, 0.1f,  //
                  0.1f, 0.3f, 0.6f,  //
                  0.4f, 0.5f, 0.1f}};
  CHECK(pharaoh(hard_links(m)) == "0-0 2-1 1-2");
  CHECK(pharaoh(threshold_links(m, 0.3f)) == "0-0 1-1 2-1 0-2 1-2");
  CHECK(alignment_text(m, parse_alignment_kind("hard")) == "0-0 2-1 1-2");
  CHECK(alignment_text(m, parse_alignment_kind("0.5")) == "0-0 2-1 1-2");
  CHECK(alignment_text(m, parse_alignment_kind("1")) == "");
  CHECK(alignment_text(m, parse_alignment_kind("soft")) == "0.7,0.2,0.1 0.1,0.3,0.6 0.4,0.5,0.1");
  const auto soft = alignment_json(m, parse_alignment_kind("soft"));
  REQUIRE(soft.size() == 3);
  CHECK(soft[1][2].get<double>() == Approx(0.6));
  CHECK(alignment_json(m, parse_alignment_kind("hard")) == "0-0 2-1 1-2");
  Matrix zeros{1, 2, {0.f, 0.f}};
  CHECK(hard_links(zeros).empty());
}

TEST_CASE("alignment: option parsing") {
  CHECK(resolve_layer(0, 3) == 0);
  CHECK(resolve_layer(-1, 3) == 2);
  CHECK(resolve_layer(-3, 3) == 0);
  CHECK_THROWS_AS(resolve_layer(3, 3), Error);
  CHECK_THROWS_AS(resolve_layer(-4, 3), Error);
  CHECK(parse_heads("avg", 4).mode == HeadMode::Average);
  CHECK(parse_heads("all", 4).mode == HeadMode::All);
  CHECK(parse_heads("2", 4).head == 2);
  CHECK(parse_heads("-1", 4).head == 3);
  CHECK_THROWS_AS(parse_heads("4", 4), Error);
  CHECK_THROWS_AS(parse_heads("two", 4), Error);
  CHECK_THROWS_AS(parse_heads("", 4), Error);
  CHECK(parse_alignment_kind("0.25").threshold == Approx(0.25));
  CHECK_THROWS_AS(parse_alignment_kind("1.5"), Error);
  CHECK_THROWS_AS(parse_alignment_kind("-0.1"), Error);
  CHECK_THROWS_AS(parse_alignment_kind("sort"), Error);
  CHECK_THROWS_AS(parse_unit("char"), Error);
  CHECK(parse_unit("subword") == AlignmentUnit::Subword);
}

TEST_CASE("alignment: target text is encoded as text_target (no language token, EOS appended)") {
  const auto& tokenizer = alignment_tokenizer();
  // The model shares one SentencePiece model and vocabulary between both sides.
  CHECK(tokenizer.encode_target("Ein Mann mit einem orangefarbenen Hut.") ==
        tokenizer.encode("Ein Mann mit einem orangefarbenen Hut."));
  const auto ids = tokenizer.encode_target("Ein Mann.");
  REQUIRE(!ids.empty());
  CHECK(ids.back() == tokenizer.eos_id());
  CHECK(tokenizer.encode_target("") == std::vector<int>{tokenizer.eos_id()});
  CHECK_THROWS_AS(tokenizer.encode_target("bad \xC3"), Error);
}

TEST_CASE("alignment: exports of a real sentence pair") {
  const auto& records = attention_records();
  const auto source = records.ids("en-de/0/src_ids");
  const auto target = records.ids("en-de/0/beam4_ids");
  const auto sentences = align_pairs(alignment_model(), alignment_tokenizer(), {source, {}}, {target, {}}, kDecoderStart,
                                     AlignmentUnit::Word, resolve_layer(kDefaultAlignmentLayer, 3),
                                     HeadSelection{HeadMode::Average, 0});
  REQUIRE(sentences.size() == 2);
  const auto& sentence = sentences[0];
  CHECK(sentences[1].source_tokens.empty());
  CHECK(sentence.hard.size() == sentence.target_tokens.size());
  CHECK(sentence.log_probs.size() == target.size());

  const auto json = attention_json(sentence, false);
  CHECK(json["layer"] == 2);
  CHECK(json["heads"] == "avg");
  CHECK(json["matrix"].size() == sentence.target_tokens.size());

  const std::string html = attention_html(sentences, "test page");
  CHECK(html.find("<!DOCTYPE html>") == 0);
  CHECK(html.find("id=\"sentence-1\"") != std::string::npos);
  CHECK(html.find("id=\"sentence-2\"") != std::string::npos);
  CHECK(html.find("id=\"sentence-3\"") == std::string::npos);
  CHECK(html.find("<script src") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("http") == std::string::npos);  // nothing fetched from anywhere

  const std::string svg = attention_svg(sentence);
  CHECK(svg.find("<svg") == 0);
  const auto count = [](const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };
  CHECK(count(svg, "class=\"cell\"") == sentence.source_tokens.size() * sentence.target_tokens.size());
  CHECK(count(svg, "stroke=\"#e4572e\"") == sentence.hard.size());

  const std::string view = terminal_heatmap(sentence, false);
  CHECK(count(view, "\n") == sentence.target_tokens.size() + 2);
  CHECK(view.find("\x1b[") == std::string::npos);
  CHECK(terminal_heatmap(sentence, true).find("\x1b[48;5;") != std::string::npos);
}
