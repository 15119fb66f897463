// `crossmt tokenize`: source lines from stdin -> ids (or pieces), one output line per input line;
// with --decode, id lines -> text.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "commands.h"
#include "crossmt/error.h"
#include "crossmt/strings.h"
#include "crossmt/tokenizer.h"

namespace crossmt::cli {
namespace {

struct TokenizeOptions {
  std::string model_dir;
  std::string source_language, target_language;
  std::string files = "auto";
  bool pieces = false;
  bool decode = false;
};

TokenizerFiles parse_files(const std::string& value) {
  if (value == "auto") return TokenizerFiles::Automatic;
  if (value == "slow") return TokenizerFiles::Slow;
  if (value == "fast") return TokenizerFiles::Fast;
  throw Error("--files must be auto, slow or fast, got '" + value + "'");
}

std::vector<int> parse_ids(const std::string& line, long line_number) {
  std::vector<int> ids;
  std::istringstream words(line);
  for (std::string word; words >> word;) {
    size_t used = 0;
    long long id = -1;
    try {
      id = std::stoll(word, &used);
    } catch (const std::exception&) {
    }
    if (used != word.size() || id < 0 || id > (1 << 30))
      throw Error("line " + std::to_string(line_number) + ": '" + word + "' is not a token id");
    ids.push_back(static_cast<int>(id));
  }
  return ids;
}

void run_tokenize(const TokenizeOptions& options) {
  const std::filesystem::path model = resolve_model_dir(options.model_dir);
  // A Marian .npz file keeps its tokenizer files beside it.
  const auto tokenizer =
      load_tokenizer(model.extension() == ".npz" ? model.parent_path() : model, parse_files(options.files));
  const LanguageDirection direction =
      options.decode ? LanguageDirection{} : tokenizer->direction(options.source_language, options.target_language);

  bool any_bad_line = false;
  std::string line;
  for (long line_number = 1; std::getline(std::cin, line); ++line_number) {
    // A bad line must not stop the stream: report it, keep the output aligned with an empty line.
    try {
      if (!is_valid_utf8(line)) throw Error("line " + std::to_string(line_number) + ": invalid UTF-8");
      std::string output;
      if (options.decode) {
        output = tokenizer->decode(parse_ids(line, line_number));
      } else if (options.pieces) {
        // The special tokens included, so that pieces and ids line up one to one.
        for (int id : tokenizer->encode(line, direction)) output += (output.empty() ? "" : " ") + tokenizer->source_piece(id);
      } else {
        output = join_ids(tokenizer->encode(line, direction));
      }
      std::cout << output << "\n";
    } catch (const Error& failure) {
      std::cout << "\n";
      std::cerr << "error: " << failure.what() << "\n";
      any_bad_line = true;
    }
  }
  std::cout.flush();
  if (any_bad_line) throw ExitWithStatus{1};
}

}  // namespace

void add_tokenize_command(CLI::App& app) {
  auto options = std::make_shared<TokenizeOptions>();
  CLI::App* command = app.add_subcommand(
      "tokenize", "Read source lines from stdin, print their ids (or pieces), one line per input line; with "
                  "--decode, read id lines and print their text");
  command->add_option("-m,--model", options->model_dir,
                      "Model folder (default: $CROSSMT_MODEL_DIR, else the model shipped in models/)");
  add_language_options(command, options->source_language, options->target_language);
  command->add_flag("--pieces", options->pieces, "Print pieces (special tokens included) instead of ids");
  command->add_flag("--decode", options->decode,
                    "Read ids (separated by spaces) and print their text, as transformers' "
                    "decode(ids, skip_special_tokens=True)");
  command->add_option("--files", options->files,
                      "auto (the family's own files, else tokenizer.json), slow (SentencePiece, vocab.json, "
                      "merges.txt) or fast (tokenizer.json)");
  command->callback([options] { run_tokenize(*options); });
}

}  // namespace crossmt::cli
