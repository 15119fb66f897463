// Parity with transformers' generate() on ../shared/refs/m30k-mul-marian: greedy and beam-4 ids,
// beam scores and corpus BLEU of the beam output, per direction.
// Usage: parity REFS_DIR MODEL_DIR [--limit N] [--batch-size N] [--direction en-de ...]
// Exits 1 when a direction has more than 0.5% differing rows, a score off by more than 1e-4 on
// equal ids, or BLEU more than 0.05 away from the reference's.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crossmt/bleu.h"
#include "crossmt/strings.h"
#include "crossmt/config.h"
#include "crossmt/model.h"
#include "crossmt/tokenizer.h"
#include "crossmt/translator.h"

namespace {

struct DirectionReport {
  std::string direction;
  size_t rows = 0, greedy_differ = 0, beam_differ = 0;
  double worst_score_diff = 0, bleu = 0, reference_bleu = 0, seconds = 0;
  std::vector<std::string> examples;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: parity REFS_DIR MODEL_DIR [--limit N] [--batch-size N] [--direction SRC-TGT]...\n";
    return 2;
  }
  const std::string refs_dir = argv[1], model_dir = argv[2];
  size_t limit = 0;
  crossmt::BatchingOptions batching;
  std::vector<std::string> directions;
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--limit") limit = std::stoul(value);
    else if (flag == "--batch-size") batching.batch_size = std::stoi(value);
    else if (flag == "--direction") directions.push_back(value);
    else {
      std::cerr << "unknown option " << flag << "\n";
      return 2;
    }
  }
  if (directions.empty()) directions = {"en-de", "de-en", "en-fr", "fr-en", "en-cs", "cs-en"};

  const crossmt::Translator translator(model_dir);
  auto greedy = crossmt::search_options_from(translator.config().generation);
  greedy.num_beams = 1;
  auto beam = greedy;
  beam.num_beams = 4;

  bool all_pass = true;
  nlohmann::ordered_json summary = nlohmann::ordered_json::array();
  for (const auto& direction : directions) {
    std::ifstream in(refs_dir + "/test_2016_flickr." + direction + ".json");
    if (!in) {
      std::cerr << "cannot read the references of " << direction << " in " << refs_dir << "\n";
      return 2;
    }
    const auto reference = nlohmann::json::parse(in);
    const auto& rows = reference["rows"];
    DirectionReport report;
    report.direction = direction;
    report.rows = limit ? std::min(limit, rows.size()) : rows.size();
    std::vector<std::vector<int>> sources;
    std::vector<std::string> references;
    for (size_t i = 0; i < report.rows; ++i) {
      sources.push_back(rows[i]["src_ids"].get<std::vector<int>>());
      references.push_back(rows[i]["ref"].get<std::string>());
    }
    const auto start = std::chrono::steady_clock::now();
    const auto greedy_results = translator.translate_ids(sources, greedy, batching);
    const auto beam_results = translator.translate_ids(sources, beam, batching);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::vector<std::string> beam_texts;
    for (size_t i = 0; i < report.rows; ++i) {
      const auto expected_greedy = rows[i]["greedy_ids"].get<std::vector<int>>();
      const auto expected_beam = rows[i]["beam4_ids"].get<std::vector<int>>();
      const auto& got_greedy = greedy_results[i].hypotheses[0];
      const auto& got_beam = beam_results[i].hypotheses[0];
      if (got_greedy.ids != expected_greedy) {
        ++report.greedy_differ;
        if (report.examples.size() < 3)
          report.examples.push_back("row " + std::to_string(i) + " greedy: got [" + crossmt::join_ids(got_greedy.ids) +
                                    "] expected [" + crossmt::join_ids(expected_greedy) + "]");
      }
      if (got_beam.ids != expected_beam) {
        ++report.beam_differ;
        if (report.examples.size() < 6)
          report.examples.push_back("row " + std::to_string(i) + " beam4: got [" + crossmt::join_ids(got_beam.ids) + "] expected [" +
                                    crossmt::join_ids(expected_beam) + "]");
      } else {
        report.worst_score_diff =
            std::max(report.worst_score_diff, std::abs(got_beam.score - rows[i]["beam4_score"].get<double>()));
      }
      beam_texts.push_back(beam_results[i].texts[0]);
    }
    report.bleu = crossmt::corpus_bleu(beam_texts, references).score;
    for (const auto& score : reference["scores"])
      if (score["src"].get<std::string>() + "-" + score["tgt"].get<std::string>() == direction)
        report.reference_bleu = score["bleu_beam4"].get<double>();

    const double allowed = 0.005 * report.rows;
    const bool pass = report.greedy_differ <= allowed && report.beam_differ <= allowed &&
                      report.worst_score_diff <= 1e-4 &&
                      (limit != 0 || std::abs(report.bleu - report.reference_bleu) <= 0.05);
    all_pass = all_pass && pass;
    std::printf("%s: %zu rows, greedy differ %zu, beam4 differ %zu, max |score diff| %.2e, BLEU %.2f (transformers %.2f)%s, %.1f s  %s\n",
                direction.c_str(), report.rows, report.greedy_differ, report.beam_differ, report.worst_score_diff,
                report.bleu, report.reference_bleu, limit ? " [subset]" : "", report.seconds, pass ? "PASS" : "FAIL");
    for (const auto& example : report.examples) std::printf("  %s\n", example.c_str());
    std::fflush(stdout);
    summary.push_back({{"direction", direction}, {"rows", report.rows}, {"greedy_differ", report.greedy_differ},
                       {"beam4_differ", report.beam_differ}, {"max_score_diff", report.worst_score_diff},
                       {"bleu_beam4", std::round(report.bleu * 100) / 100}, {"reference_bleu_beam4", report.reference_bleu},
                       {"seconds", report.seconds}, {"pass", pass}});
  }
  std::ofstream("parity.json") << summary.dump(1) << "\n";
  return all_pass ? 0 : 1;
}
