// `crossmt translate --alignment ...` and `crossmt align` run as processes: formats, files, errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace fs = std::filesystem;

namespace {

using AlignCommandResult = crossmt::testing::CommandResult;
using crossmt::testing::split_lines;

fs::path alignment_scratch() { return crossmt::testing::cli_scratch_folder(); }

AlignCommandResult run_align_cli(const std::string& arguments, const std::string& input, const fs::path& scratch) {
  return crossmt::testing::run_crossmt_in(scratch, arguments, input);
}

AlignCommandResult run_align_cli(const std::string& arguments, const std::string& input) {
  return crossmt::testing::run_crossmt(arguments, input);
}

size_t word_count(const std::string& text) {
  std::istringstream in(text);
  size_t n = 0;
  for (std::string word; in >> word;) ++n;
  return n;
}

// Every pair "i-j" of a Pharaoh string within the word counts, one link per target word.
void check_hard_pharaoh(const std::string& links, size_t source_words, size_t target_words) {
  INFO(links);
  static const std::regex format(R"(^(\d+-\d+)( \d+-\d+)*$)");
  REQUIRE(std::regex_match(links, format));
  std::istringstream in(links);
  std::vector<size_t> targets;
  for (std::string pair; in >> pair;) {
    const size_t dash = pair.find('-');
    const size_t source = std::stoul(pair.substr(0, dash)), target = std::stoul(pair.substr(dash + 1));
    CHECK(source < source_words);
    targets.push_back(target);
  }
  std::vector<size_t> expected(target_words);
  for (size_t j = 0; j < target_words; ++j) expected[j] = j;
  CHECK(targets == expected);
}

const std::string kSeparator = " ||| ";

}  // namespace

TEST_CASE("cli alignment: translate --alignment hard appends Pharaoh word pairs") {
  const std::string input = "A man in an orange hat starring at something.\nTwo dogs play in the snow.\n";
  const auto result = run_align_cli("translate --to de --alignment hard", input);
  REQUIRE(result.exit_status == 0);
  CHECK(result.err.empty());
  const auto lines = split_lines(result.out);
  const auto sources = split_lines(input);
  REQUIRE(lines.size() == 2);
  for (size_t i = 0; i < lines.size(); ++i) {
    const size_t at = lines[i].find(kSeparator);
    REQUIRE(at != std::string::npos);
    const std::string translation = lines[i].substr(0, at);
    check_hard_pharaoh(lines[i].substr(at + kSeparator.size()), word_count(sources[i]), word_count(translation));
  }
  // Without --alignment the output is the bare translation.
  const auto plain = run_align_cli("translate --to de", input);
  REQUIRE(plain.exit_status == 0);
  CHECK(split_lines(plain.out)[0] == lines[0].substr(0, lines[0].find(kSeparator)));
}

TEST_CASE("cli alignment: translate --format jsonl carries an alignment field; soft gives rows") {
  const auto result = run_align_cli("translate --to de --format jsonl --alignment hard --n-best 2 --beam-size 4",
                                    "Two dogs play in the snow.\n");
  REQUIRE(result.exit_status == 0);
  const auto record = nlohmann::json::parse(result.out);
  REQUIRE(record["n_best"].size() == 2);
  for (const auto& hypothesis : record["n_best"])
    check_hard_pharaoh(hypothesis["alignment"].get<std::string>(), 6, word_count(hypothesis["translation"].get<std::string>()));

  const auto soft = run_align_cli("translate --to de --format jsonl --alignment soft", "Two dogs play in the snow.\n");
  REQUIRE(soft.exit_status == 0);
  const auto soft_record = nlohmann::json::parse(soft.out);
  const auto& rows = soft_record["alignment"];
  REQUIRE(rows.size() == word_count(soft_record["translation"].get<std::string>()));
  for (const auto& row : rows) CHECK(row.size() == 6);
}

TEST_CASE("cli alignment: align reads 'source ||| target' and aligns the given target") {
  const auto result = run_align_cli(
      "align --to de", "A man in an orange hat. ||| Ein Mann mit einem orangefarbenen Hut.\nTwo dogs. ||| Zwei Hunde.\n");
  REQUIRE(result.exit_status == 0);
  CHECK(result.err.empty());
  const auto lines = split_lines(result.out);
  REQUIRE(lines.size() == 2);
  check_hard_pharaoh(lines[0], 6, 6);
  check_hard_pharaoh(lines[1], 2, 2);
  // The anchors a reader would check first.
  CHECK(lines[0].find("0-0") != std::string::npos);
  CHECK(lines[0].find("1-1") != std::string::npos);
  CHECK(lines[0].find("5-5") != std::string::npos);
  CHECK(lines[1] == "0-0 1-1");
}

TEST_CASE("cli alignment: align --scores prints the total and per-piece log-probs") {
  const auto result = run_align_cli("align --to de --scores", "Two dogs. ||| Zwei Hunde.\n");
  REQUIRE(result.exit_status == 0);
  const std::string line = split_lines(result.out).at(0);
  const size_t first = line.find(kSeparator), second = line.find(kSeparator, first + 1);
  REQUIRE(second != std::string::npos);
  const double total = std::stod(line.substr(first + kSeparator.size()));
  std::istringstream pieces(line.substr(second + kSeparator.size()));
  double sum = 0;
  size_t count = 0;
  for (double value; pieces >> value; ++count) {
    CHECK(value <= 0);
    sum += value;
  }
  CHECK(count >= 3);  // Zwei Hunde . </s>, however SentencePiece cuts them
  CHECK(std::abs(total - sum) <= 1e-5 * static_cast<double>(count));

  const auto json = run_align_cli("align --to de --scores --format jsonl", "Two dogs. ||| Zwei Hunde.\n");
  REQUIRE(json.exit_status == 0);
  const auto record = nlohmann::json::parse(json.out);
  CHECK(record["alignment"] == "0-0 1-1");
  CHECK(record["target_tokens"] == nlohmann::json::array({"Zwei", "Hunde."}));
  CHECK(record["log_probs"].size() == record["pieces"].size());
  CHECK(record["total_log_prob"].get<double>() == Approx(total).margin(1e-5));
}

TEST_CASE("cli alignment: a line without ' ||| ' is reported by number, the others still aligned, exit 1") {
  const auto result = run_align_cli("align --to de", "Two dogs. ||| Zwei Hunde.\nno separator here\nA dog. ||| Ein Hund.\n");
  CHECK(result.exit_status == 1);
  CHECK(result.err == "error: line 2: expected 'source ||| target'\n");
  const auto lines = split_lines(result.out);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "0-0 1-1");
  CHECK(lines[1].empty());
  CHECK(lines[2] == "0-0 1-1");
}

TEST_CASE("cli alignment: bad layer, head, alignment or unit values are one-line errors with exit 2") {
  for (const std::string arguments :
       {"translate --to de --alignment hard --alignment-layer 3", "translate --to de --alignment hard --alignment-layer -4",
        "translate --to de --alignment-heads 4", "translate --to de --alignment-heads many", "translate --alignment 1.5",
        "translate --alignment hard --alignment-unit letters", "align --alignment-layer 7", "align --alignment-heads -5"}) {
    INFO(arguments);
    const auto result = run_align_cli(arguments, "Two dogs. ||| Zwei Hunde.\n");
    CHECK(result.exit_status == 2);
    CHECK(result.out.empty());
    CHECK(result.err.rfind("error: ", 0) == 0);
    CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
  }
  const auto last = run_align_cli("align --to de --alignment-layer -1 --alignment-heads -1", "Two dogs. ||| Zwei Hunde.\n");
  CHECK(last.exit_status == 0);
}

TEST_CASE("cli alignment: --attention-json, --attention-html, --attention-svg and --show") {
  const fs::path scratch = alignment_scratch();
  const auto result =
      run_align_cli("align --to de --alignment-unit subword --attention-json att.jsonl --attention-all "
                    "--attention-html att.html --attention-svg svg --show",
                    "Two dogs. ||| Zwei Hunde.\nA dog. ||| Ein Hund.\n", scratch);
  REQUIRE(result.exit_status == 0);
  CHECK(result.out.find("\xE2\x96") != std::string::npos);  // shades of the terminal view
  std::ifstream json_file(scratch / "att.jsonl");
  std::vector<nlohmann::json> records;
  for (std::string line; std::getline(json_file, line);) records.push_back(nlohmann::json::parse(line));
  REQUIRE(records.size() == 2);
  CHECK(records[0]["source_tokens"] == nlohmann::json::array({"\xE2\x96\x81" "Two", "\xE2\x96\x81" "dogs", "."}));
  CHECK(records[0]["attention"].size() == 3);
  CHECK(records[0]["attention"][0].size() == 4);
  std::ostringstream html;
  html << std::ifstream(scratch / "att.html").rdbuf();
  CHECK(html.str().find("id=\"sentence-2\"") != std::string::npos);
  CHECK(fs::exists(scratch / "svg" / "sentence-0001.svg"));
  CHECK(fs::exists(scratch / "svg" / "sentence-0002.svg"));
  fs::remove_all(scratch);

  const auto shown = run_align_cli("translate --to de --show-attention", "Two dogs play in the snow.\n");
  REQUIRE(shown.exit_status == 0);
  CHECK(shown.out.find("source:") != std::string::npos);
}

TEST_CASE("cli alignment: the HTML page renders one heatmap per sentence in headless Chromium") {
  // tools/check_attention_html.sh skips (exit 0, "SKIPPED") where no Chromium is installed.
  const fs::path script = fs::path(CROSSMT_TEST_DATA_DIR) / ".." / ".." / "tools" / "check_attention_html.sh";
  const fs::path build = fs::path(CROSSMT_BINARY).parent_path();
  const auto result = run_align_cli("--version >/dev/null 2>&1; '" + script.string() + "' '" + build.string() + "'", "");
  INFO(result.out << result.err);
  CHECK(result.exit_status == 0);
  CHECK((result.out.find("check_attention_html: OK") != std::string::npos ||
         result.out.find("SKIPPED") != std::string::npos));
}
