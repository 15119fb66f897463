#pragma once
// Marian models as OPUS-MT / Tatoeba-Challenge release them: a folder with `*.npz` (the weights and
// `special:model.yml`), `source.spm`, `target.spm`, `*.vocab.yml` and `decoder.yml`. Read into
// the tensor names and config.json fields that transformers' convert_marian_to_pytorch.py gives
// the same model, so the rest of crossmt runs it as an HF MarianMT folder; written back from one.
//
// Decoding semantics: Marian starts the decoder from a zero vector. The HF conversion appends a
// `<pad>` row of zeros to the embeddings (id = Marian's vocabulary size) and starts the decoder
// from `<pad>`, which is the same thing; the reader does exactly that.
//
// crossmt-only extras (Marian skips every npz item whose name starts with "special:"):
// - `special:crossmt-pad-embedding` (float32 [1, d_model]): the `<pad>` row of a model trained in
//   HF, where that row is not zero. Written only when it is non-zero; read back as the pad row so
//   that the model translates exactly as the HF folder did (Marian itself decodes from zeros).
// - `special:crossmt.yml` (YAML text, like model.yml): `max-position-embeddings` when it differs
//   from dim-emb (the HF conversion's value).
// - `generation_config.json` beside the .npz: transformers' generation settings of the HF folder
//   written from (max_length etc. have no Marian equivalent); without it, they are derived from
//   decoder.yml as the HF conversion does.
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crossmt/checkpoint.h"

namespace crossmt {

// The Marian .npz that `path` names: the file itself when it ends in .npz, or the one `*.npz` of a
// folder without model.safetensors and config.json (nullopt otherwise). Throws when such a folder
// holds several candidates.
std::optional<std::filesystem::path> find_marian_npz(const std::filesystem::path& path);

// Reads the weights and special:model.yml of `npz_file`, plus decoder.yml, *.vocab.yml (for the
// eos id and the vocabulary size) and generation_config.json from its folder when present.
// Throws crossmt::Error naming the file and the option or tensor at fault.
Checkpoint open_marian_npz(const std::filesystem::path& npz_file);

// A Marian vocabulary file (`piece: id` per line): pieces in file order with their ids. Keys stay
// strings whatever they look like ("1", "yes", "null").
std::vector<std::pair<std::string, int>> read_marian_vocabulary(const std::filesystem::path& file);

// The vocabulary files of a Marian folder: {shared} or {source, target} (`*src.vocab.yml`,
// `*trg.vocab.yml`); empty when there is none.
std::vector<std::filesystem::path> find_marian_vocabularies(const std::filesystem::path& folder);

// Writes `folder`/model.npz (stored zip of .npy v1 arrays + special:model.yml), vocab.yml (or
// src.vocab.yml and trg.vocab.yml), decoder.yml, source.spm and target.spm (copied from
// `tokenizer_folder`, an HF folder with vocab.json or a Marian folder) and, when the checkpoint
// has one, generation_config.json. Throws when the model has no Marian equivalent (another
// model_type, pre-norm, learned positions, a pad id that is not the last one, ...).
void save_marian_folder(const Checkpoint& checkpoint, const std::filesystem::path& tokenizer_folder,
                        const std::filesystem::path& folder);

// vocab.json (+ target_vocab.json) and tokenizer_config.json for an HF folder, from a Marian
// folder's *.vocab.yml with `<pad>` appended as the HF conversion does.
void write_hf_tokenizer_files(const std::filesystem::path& marian_folder, const std::filesystem::path& folder);

}  // namespace crossmt
