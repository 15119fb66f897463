#pragma once
// CTranslate2 model folders (model.bin, config.json, vocabularies) read as crossmt checkpoints
// and tokenizers, and written back from one. Argos Translate packages hold such a folder.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "crossmt/checkpoint.h"
#include "crossmt/tokenizer.h"

namespace crossmt {

// The files of a CTranslate2 model wherever they are (a folder, an archive).
struct CTranslate2Files {
  std::string origin;                      // the folder (or archive member) named in messages
  std::span<const std::byte> model_bin;    // kept alive by `owner`
  std::shared_ptr<const void> owner;
  // A small file of the model by name (config.json, vocabularies, SentencePiece models);
  // nullopt when absent.
  std::function<std::optional<std::string>(const std::string& name)> read;
};

// A file's bytes; nullopt when it does not exist (for the `read` of folder-based models).
std::optional<std::string> read_file_if_present(const std::filesystem::path& path);

// True for a folder holding model.bin.
bool is_ctranslate2_folder(const std::filesystem::path& path);
CTranslate2Files ctranslate2_folder_files(const std::filesystem::path& folder);

// model.bin mapped onto transformers' names (a bart/mbart/marian-shaped model, see the .cpp), so
// that the one model loader runs it. Throws crossmt::Error naming the file, variable or spec.
Checkpoint ctranslate2_checkpoint(const CTranslate2Files& files);

// Vocabularies and config.json; SentencePiece models from source.spm + target.spm or
// sentencepiece.model when the folder has them (CTranslate2 itself never tokenizes).
TokenizerParts ctranslate2_tokenizer_parts(const CTranslate2Files& files);

// Writes an HF bart-family checkpoint (marian, bart, mbart, m2m_100) as a CTranslate2 folder:
// model.bin (binary version 6, TransformerSpec revision 7, float32), config.json and the
// vocabularies of `tokenizer`. Throws crossmt::Error for what the spec cannot hold (T5).
void save_ctranslate2_folder(const Checkpoint& checkpoint, const MarianTokenizer& tokenizer,
                             const std::filesystem::path& folder);

}  // namespace crossmt
