// `crossmt tokenize`: source lines from stdin -> ids (or pieces), one output line per input line.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "crossmt/language.h"
#include "crossmt/strings.h"
#include "crossmt/tokenizer.h"

namespace crossmt::cli {
namespace {

struct TokenizeOptions {
  std::string model_dir;
  std::string target_language;
  bool pieces = false;
};

void run_tokenize(const TokenizeOptions& options) {
  const std::filesystem::path model = resolve_model_dir(options.model_dir);
  // A Marian .npz file keeps its tokenizer files beside it.
  const auto tokenizer = MarianTokenizer::load(model.extension() == ".npz" ? model.parent_path() : model);
  const std::string language_token =
      options.target_language.empty() ? "" : language_token_for(options.target_language, tokenizer.language_tokens());

  bool any_bad_line = false;
  std::string line;
  for (long line_number = 1; std::getline(std::cin, line); ++line_number) {
    // A bad line must not stop the stream: report it, keep the output aligned with an empty line.
    if (!is_valid_utf8(line)) {
      std::cout << "\n";
      std::cerr << "error: line " << line_number << ": invalid UTF-8\n";
      any_bad_line = true;
      continue;
    }
    const std::string text =
        language_token.empty() || starts_with_language_token(line) ? line : language_token + " " + line;
    std::string output;
    if (options.pieces) {
      // `</s>` included so that pieces and ids line up one to one.
      for (const auto& piece : tokenizer.encode_pieces(text)) output += piece + " ";
      output += tokenizer.source_piece(tokenizer.eos_id());
    } else {
      output = join_ids(tokenizer.encode(text));
    }
    std::cout << output << "\n";
  }
  std::cout.flush();
  if (any_bad_line) throw ExitWithStatus{1};
}

}  // namespace

void add_tokenize_command(CLI::App& app) {
  auto options = std::make_shared<TokenizeOptions>();
  CLI::App* command = app.add_subcommand(
      "tokenize", "Read source lines from stdin, print their ids (or pieces), one line per input line");
  command->add_option("-m,--model", options->model_dir,
                      "Model folder (default: $CROSSMT_MODEL_DIR, else the model shipped in models/)");
  command->add_option("--to", options->target_language,
                      "Target language (deu, de or >>deu<<): prepends its token to lines that lack one");
  command->add_flag("--pieces", options->pieces, "Print SentencePiece pieces (ending with </s>) instead of ids");
  command->callback([options] { run_tokenize(*options); });
}

}  // namespace crossmt::cli
