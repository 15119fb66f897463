// int8 against float32 on ../shared/refs/m30k-mul-marian: corpus BLEU of beam-4 output (vs the
// human references) in both compute types, per direction, and how many outputs stay identical.
// Usage: int8_quality REFS_DIR MODEL_DIR [--limit N] [--json FILE]
// Exits 1 when a direction's int8 BLEU is more than 0.5 from its float32 BLEU.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crossmt/bleu.h"
#include "crossmt/quantization.h"
#include "crossmt/config.h"
#include "crossmt/model.h"
#include "crossmt/tokenizer.h"
#include "crossmt/translator.h"

namespace {

struct Outputs {
  std::vector<std::vector<int>> ids;
  std::vector<std::string> texts;
  double seconds = 0;
};

Outputs translate(const crossmt::Translator& translator, const std::vector<std::vector<int>>& sources,
                  const crossmt::SearchOptions& search) {
  crossmt::BatchingOptions batching;
  batching.batch_size = 32;
  const auto start = std::chrono::steady_clock::now();
  const auto results = translator.translate_ids(sources, search, batching);
  Outputs outputs;
  outputs.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const auto& result : results) {
    outputs.ids.push_back(result.hypotheses.at(0).ids);
    outputs.texts.push_back(result.texts.at(0));
  }
  return outputs;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: int8_quality REFS_DIR MODEL_DIR [--limit N] [--json FILE]\n";
    return 2;
  }
  const std::string refs_dir = argv[1], model_dir = argv[2];
  size_t limit = 0;
  std::string json_file = "int8_quality.json";
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--limit") limit = std::stoul(value);
    else if (flag == "--json") json_file = value;
    else {
      std::cerr << "unknown option " << flag << "\n";
      return 2;
    }
  }
  const crossmt::Translator float32(model_dir, crossmt::ComputeType::Float32);
  const crossmt::Translator int8(model_dir, crossmt::ComputeType::Int8);
  auto beam = crossmt::search_options_from(float32.config().generation);
  beam.num_beams = 4;

  bool all_pass = true;
  nlohmann::ordered_json summary = nlohmann::ordered_json::array();
  for (const std::string direction : {"en-de", "de-en", "en-fr", "fr-en", "en-cs", "cs-en"}) {
    std::ifstream in(refs_dir + "/test_2016_flickr." + direction + ".json");
    if (!in) {
      std::cerr << "cannot read the references of " << direction << " in " << refs_dir << "\n";
      return 2;
    }
    const auto rows = nlohmann::json::parse(in)["rows"];
    const size_t count = limit ? std::min(limit, rows.size()) : rows.size();
    std::vector<std::vector<int>> sources;
    std::vector<std::string> references;
    for (size_t i = 0; i < count; ++i) {
      sources.push_back(rows[i]["src_ids"].get<std::vector<int>>());
      references.push_back(rows[i]["ref"].get<std::string>());
    }
    const Outputs exact = translate(float32, sources, beam);
    const Outputs quantized = translate(int8, sources, beam);
    size_t identical = 0;
    for (size_t i = 0; i < count; ++i) identical += exact.ids[i] == quantized.ids[i];
    const double bleu_float32 = crossmt::corpus_bleu(exact.texts, references).score;
    const double bleu_int8 = crossmt::corpus_bleu(quantized.texts, references).score;
    const bool pass = std::abs(bleu_int8 - bleu_float32) <= 0.5;
    all_pass = all_pass && pass;
    std::printf("%s: %zu rows, BLEU float32 %.2f, int8 %.2f (%+.2f), identical outputs %.1f%%, %.1f s vs %.1f s  %s\n",
                direction.c_str(), count, bleu_float32, bleu_int8, bleu_int8 - bleu_float32,
                100.0 * identical / count, exact.seconds, quantized.seconds, pass ? "PASS" : "FAIL");
    std::fflush(stdout);
    summary.push_back({{"direction", direction}, {"rows", count}, {"bleu_float32", std::round(bleu_float32 * 100) / 100},
                       {"bleu_int8", std::round(bleu_int8 * 100) / 100}, {"identical_outputs", identical},
                       {"pass", pass}});
  }
  std::ofstream(json_file) << summary.dump(1) << "\n";
  return all_pass ? 0 : 1;
}
