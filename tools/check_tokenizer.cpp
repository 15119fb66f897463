// Checks MarianTokenizer against transformers' references: for every row of every
// test_2016_flickr.<src>-<tgt>.json in a refs folder, encode(TAG + " " + src) must equal src_ids,
// and decode(beam4_ids) / decode(greedy_ids) must equal beam4 / greedy. Prints one line per
// direction and exits 1 on any mismatch.
//   check_tokenizer REFS_DIR [MODEL_DIR]
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "crossmt/error.h"
#include "crossmt/language.h"
#include "crossmt/strings.h"
#include "crossmt/tokenizer.h"

namespace fs = std::filesystem;

namespace {

constexpr int kExamplesPerDirection = 3;

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: check_tokenizer REFS_DIR [MODEL_DIR]\n";
    return 2;
  }
  const fs::path refs_dir = argv[1];
  const fs::path model_dir = argc == 3 ? fs::path(argv[2]) : fs::path(CROSSMT_DEFAULT_MODEL_DIR);
  try {
    const auto tokenizer = crossmt::MarianTokenizer::load(model_dir);
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(refs_dir)) {
      const std::string name = entry.path().filename().string();
      if (name.starts_with("test_2016_flickr.") && name.ends_with(".json")) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) throw crossmt::Error("no test_2016_flickr.*.json in " + refs_dir.string());

    long total_rows = 0, total_mismatches = 0;
    for (const auto& file : files) {
      std::ifstream stream(file);
      const auto reference = nlohmann::json::parse(stream);
      const std::string direction = reference.at("src_lang").get<std::string>() + "-" + reference.at("tgt_lang").get<std::string>();
      const std::string tag = crossmt::language_token_for(reference.at("tgt_lang").get<std::string>(), tokenizer.language_tokens());
      long rows = 0, source_mismatches = 0, beam_mismatches = 0, greedy_mismatches = 0, examples = 0;
      const auto report = [&](const std::string& what) {
        if (examples++ < kExamplesPerDirection) std::cout << "  " << direction << " row " << rows << ": " << what << "\n";
      };
      for (const auto& row : reference.at("rows")) {
        const auto ids = tokenizer.encode(tag + " " + row.at("src").get<std::string>());
        if (ids != row.at("src_ids").get<std::vector<int>>()) {
          ++source_mismatches;
          report("src_ids differ: got " + crossmt::join_ids(ids));
        }
        const std::string beam = tokenizer.decode(row.at("beam4_ids").get<std::vector<int>>());
        if (beam != row.at("beam4").get<std::string>()) {
          ++beam_mismatches;
          report("beam4 differs: got \"" + beam + "\"");
        }
        const std::string greedy = tokenizer.decode(row.at("greedy_ids").get<std::vector<int>>());
        if (greedy != row.at("greedy").get<std::string>()) {
          ++greedy_mismatches;
          report("greedy differs: got \"" + greedy + "\"");
        }
        ++rows;
      }
      long probe_mismatches = 0;
      if (const auto probe = reference.find("tokenizer_check"); probe != reference.end()) {
        const auto ids = tokenizer.encode(probe->at("text").get<std::string>());
        if (ids != probe->at("marian_tokenizer_ids").get<std::vector<int>>()) {
          ++probe_mismatches;
          report("tokenizer_check differs: got " + crossmt::join_ids(ids));
        }
      }
      const long mismatches = source_mismatches + beam_mismatches + greedy_mismatches + probe_mismatches;
      std::cout << direction << " (" << tag << "): " << rows << " rows, src_ids mismatches " << source_mismatches
                << ", beam4 text mismatches " << beam_mismatches << ", greedy text mismatches " << greedy_mismatches
                << ", tokenizer_check " << (probe_mismatches ? "FAIL" : "ok") << "\n";
      total_rows += rows;
      total_mismatches += mismatches;
    }
    std::cout << "total: " << total_rows << " rows in " << files.size() << " files, " << total_mismatches << " mismatches\n";
    return total_mismatches == 0 ? 0 : 1;
  } catch (const std::exception& failure) {
    std::cerr << "error: " << failure.what() << "\n";
    return 2;
  }
}
