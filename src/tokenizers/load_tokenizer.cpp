// Which tokenizer a model folder has: tokenizer_config.json's tokenizer_class says the family, the
// files present say it when the class is missing or unknown.
#include <optional>

#include "crossmt/error.h"
#include "crossmt/tokenizer.h"
#include "tokenizers/family_tokenizer.h"
#include "tokenizers/tokenizer_files.h"

namespace crossmt {
namespace {

namespace fs = std::filesystem;

std::string tokenizer_class(const fs::path& model_dir) {
  const fs::path path = model_dir / "tokenizer_config.json";
  if (!fs::exists(path)) return "";
  const auto config = parse_json_file(path);
  if (!config.is_object()) throw Error(path.string() + ": expected a JSON object");
  const auto found = config.find("tokenizer_class");
  if (found == config.end() || found->is_null()) return "";
  if (!found->is_string()) throw Error(path.string() + ": tokenizer_class: expected a string");
  return found->get<std::string>();
}

std::string config_model_type(const fs::path& model_dir) {
  const fs::path path = model_dir / "config.json";
  if (!fs::exists(path)) return "";
  const auto config = parse_json_file(path);
  const auto found = config.is_object() ? config.find("model_type") : config.end();
  return found != config.end() && found->is_string() ? found->get<std::string>() : "";
}

// The family the files suggest when the folder does not say it.
std::optional<TokenizerFamily> family_from_files(const fs::path& model_dir) {
  if (fs::exists(model_dir / "spiece.model")) return TokenizerFamily::T5;
  if (fs::exists(model_dir / "sentencepiece.bpe.model")) {
    if (fs::exists(model_dir / "vocab.json")) return TokenizerFamily::M2M100;
    return config_model_type(model_dir) == "mbart" ? TokenizerFamily::MBart : TokenizerFamily::Nllb;
  }
  if (fs::exists(model_dir / "vocab.json") && fs::exists(model_dir / "merges.txt")) return TokenizerFamily::Bart;
  if (fs::exists(model_dir / "tokenizer.json")) return TokenizerFamily::TokenizerJson;
  return std::nullopt;
}

bool is_marian_folder(const fs::path& model_dir, const std::string& tokenizer_class) {
  return tokenizer_class == "MarianTokenizer" || (tokenizer_class.empty() && fs::exists(model_dir / "source.spm"));
}

}  // namespace

bool has_tokenizer_files(const fs::path& model_dir) {
  if (!fs::is_directory(model_dir)) return false;
  return fs::exists(model_dir / "source.spm") || family_from_files(model_dir).has_value();
}

std::unique_ptr<Tokenizer> load_tokenizer(const fs::path& model_dir, TokenizerFiles files) {
  if (!fs::is_directory(model_dir)) throw Error(model_dir.string() + ": no such model folder");
  const std::string class_name = tokenizer_class(model_dir);
  if (is_marian_folder(model_dir, class_name)) {
    if (files == TokenizerFiles::Fast) throw Error(model_dir.string() + ": a Marian tokenizer has no tokenizer.json form");
    return std::make_unique<MarianTokenizer>(MarianTokenizer::load(model_dir));
  }
  std::optional<TokenizerFamily> family = family_of_tokenizer_class(class_name);
  if (!family) family = family_from_files(model_dir);
  if (!family) {
    if (!class_name.empty())
      throw Error((model_dir / "tokenizer_config.json").string() + ": tokenizer_class: \"" + class_name +
                  "\" is not a tokenizer crossmt knows, and the folder has no tokenizer.json");
    throw Error(model_dir.string() + ": no tokenizer files (source.spm, spiece.model, sentencepiece.bpe.model, "
                "vocab.json + merges.txt, tokenizer.json)");
  }
  // The family's own files are exact; tokenizer.json stands in when they are absent.
  if (files == TokenizerFiles::Automatic && *family != TokenizerFamily::TokenizerJson) {
    const bool has_slow_files =
        *family == TokenizerFamily::T5     ? fs::exists(model_dir / "spiece.model")
        : *family == TokenizerFamily::Bart ? fs::exists(model_dir / "vocab.json") && fs::exists(model_dir / "merges.txt")
                                           : fs::exists(model_dir / "sentencepiece.bpe.model");
    files = has_slow_files || !fs::exists(model_dir / "tokenizer.json") ? TokenizerFiles::Slow : TokenizerFiles::Fast;
  }
  return load_family_tokenizer(model_dir, *family, files);
}

}  // namespace crossmt
