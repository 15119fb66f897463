#!/usr/bin/env python3
"""Gives the tiny models of tests/data/tiny-archs tokenizers of their own families, small enough
for their 96-token vocabularies: SentencePiece unigram models trained with Debian's spm_train on
data/multi30k (test_2016, en/de/fr/cs), laid out as transformers' T5, mBART, mBART-50, NLLB and
M2M100 tokenizers expect, a byte-level BPE for BART, and for each family that has a fast tokenizer
the tokenizer.json that transformers' converters (convert_slow_tokenizer.py) would write.
The ids are random-model ids: what matters is that they are the tokenizer's ids.
Run from the repository root:  python3 tests/data/tiny-archs/make_tokenizers.py"""
import base64
import collections
import json
import os
import pathlib
import subprocess
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[3]
TINY = ROOT / "tests/data/tiny-archs"
VOCAB = 96
MBART_CODES = ["ar_AR", "cs_CZ", "de_DE", "en_XX", "es_XX", "et_EE", "fi_FI", "fr_XX", "gu_IN", "hi_IN", "it_IT",
               "ja_XX", "kk_KZ", "ko_KR", "lt_LT", "lv_LV", "my_MM", "ne_NP", "nl_XX", "ro_RO", "ru_RU", "si_LK",
               "tr_TR", "vi_VN", "zh_CN"]
MBART50_CODES = MBART_CODES + ["af_ZA", "az_AZ", "bn_IN", "fa_IR", "he_IL", "hr_HR", "id_ID", "ka_GE", "km_KH",
                               "mk_MK", "ml_IN", "mn_MN", "mr_IN", "pl_PL", "ps_AF", "pt_XX", "sv_SE", "sw_KE",
                               "ta_IN", "te_IN", "th_TH", "tl_XX", "uk_UA", "ur_PK", "xh_ZA", "gl_ES", "sl_SI"]
NLLB_CODES = ["ces_Latn", "deu_Latn", "eng_Latn", "fra_Latn"]
M2M100_WMT21_CODES = ["en", "ha", "is", "ja", "cs", "ru", "zh", "de"]
WORD_START = "\u2581"


def corpus(languages=("en", "de", "fr", "cs")):
    lines = []
    for language in languages:
        lines += (ROOT / f"data/multi30k/test_2016_flickr.{language}").read_text(encoding="utf-8").splitlines()
    handle = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8")
    handle.write("\n".join(lines) + "\n")
    handle.close()
    return handle.name


def train(text_file, size, normalization, ids):
    """A unigram model; ids = (unk, bos, eos, pad), -1 for none."""
    prefix = tempfile.mktemp()
    unk, bos, eos, pad = ids
    subprocess.run(["spm_train", f"--input={text_file}", f"--model_prefix={prefix}", f"--vocab_size={size}",
                    "--model_type=unigram", f"--normalization_rule_name={normalization}",
                    "--character_coverage=0.98",
                    f"--unk_id={unk}", f"--bos_id={bos}", f"--eos_id={eos}", f"--pad_id={pad}",
                    "--hard_vocab_limit=true", "--minloglevel=2"], check=True)
    model = pathlib.Path(prefix + ".model").read_bytes()
    pieces = []
    for line in pathlib.Path(prefix + ".vocab").read_text(encoding="utf-8").splitlines():
        piece, score = line.rsplit("\t", 1)
        pieces.append((piece, float(score)))
    os.remove(prefix + ".model")
    os.remove(prefix + ".vocab")
    return model, pieces


def varint(data, position):
    value, shift = 0, 0
    while True:
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, position


def fields(message):
    position = 0
    while position < len(message):
        tag, position = varint(message, position)
        kind = tag & 7
        if kind == 0:
            value, position = varint(message, position)
        elif kind == 2:
            length, position = varint(message, position)
            value, position = message[position:position + length], position + length
        elif kind == 1:
            value, position = message[position:position + 8], position + 8
        else:
            value, position = message[position:position + 4], position + 4
        yield tag >> 3, value


def precompiled_charsmap(model):
    for number, value in fields(model):
        if number == 3:  # normalizer_spec
            for spec_number, spec_value in fields(value):
                if spec_number == 2:
                    return spec_value
    return b""


def spm_normalizer(model):
    """SpmConverter.normalizer: the charsmap, then runs of spaces made one."""
    charsmap = precompiled_charsmap(model)
    steps = [{"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]
    if charsmap:
        steps.insert(0, {"type": "Precompiled", "precompiled_charsmap": base64.b64encode(charsmap).decode()})
    return {"type": "Sequence", "normalizers": steps}


def added(content, token_id, lstrip=False, rstrip=False, normalized=False):
    return {"id": token_id, "content": content, "single_word": False, "lstrip": lstrip, "rstrip": rstrip,
            "normalized": normalized, "special": True}


def fast_tokenizer(vocab, unk_id, normalizer, added_tokens, template):
    metaspace = {"type": "Metaspace", "replacement": WORD_START, "prepend_scheme": "always", "split": True}
    return {"version": "1.0", "truncation": None, "padding": None, "added_tokens": added_tokens,
            "normalizer": normalizer, "pre_tokenizer": metaspace,
            "post_processor": {"type": "TemplateProcessing",
                               "single": [{"SpecialToken": {"id": t, "type_id": 0}} if t != "$A" else
                                          {"Sequence": {"id": "A", "type_id": 0}} for t in template],
                               "pair": [{"Sequence": {"id": "A", "type_id": 0}}],
                               "special_tokens": {t: {"id": t, "ids": [vocab_ids(vocab)[t]], "tokens": [t]}
                                                  for t in template if t != "$A"}},
            "decoder": metaspace,
            "model": {"type": "Unigram", "unk_id": unk_id, "vocab": [[piece, score] for piece, score in vocab],
                      "byte_fallback": False}}


def vocab_ids(vocab):
    return {piece: i for i, (piece, _) in enumerate(vocab)}


def write(folder, name, value):
    path = TINY / folder / name
    if isinstance(value, bytes):
        path.write_bytes(value)
    else:
        path.write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def link_weights(folder, source):
    (TINY / folder).mkdir(exist_ok=True)
    for name in ("config.json", "generation_config.json", "model.safetensors"):
        link = TINY / folder / name
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(f"../{source}/{name}")


def t5(text, folder, legacy):
    extra_ids = 4
    model, pieces = train(text, VOCAB - extra_ids, "nmt_nfkc", (2, -1, 1, 0))
    write(folder, "spiece.model", model)
    write(folder, "tokenizer_config.json", {"tokenizer_class": "T5Tokenizer", "extra_ids": extra_ids,
                                            "legacy": legacy, "eos_token": "</s>", "unk_token": "<unk>",
                                            "pad_token": "<pad>", "model_max_length": 64})
    if legacy:  # T5Converter (legacy): every chunk gets its prefix space
        vocab = pieces + [(f"<extra_id_{i}>", 0.0) for i in reversed(range(extra_ids))]
        specials = [added("<pad>", 0), added("</s>", 1), added("<unk>", 2)]
        specials += [added(f"<extra_id_{i}>", len(vocab) - 1 - i, lstrip=True, rstrip=True) for i in range(extra_ids)]
        write(folder, "tokenizer.json", fast_tokenizer(vocab, 2, spm_normalizer(model), specials, ["$A", "</s>"]))


def fairseq(text, folder, class_name, codes, source, target, extra_config=None):
    """mBART, mBART-50, NLLB: <s> <pad> </s> <unk>, SentencePiece pieces shifted by one, codes, <mask>."""
    size = VOCAB - 1 - len(codes) - 1
    if size < 80:  # too few pieces for the characters of four languages: English only
        text = corpus(("en",))
    model, pieces = train(text, size, "nmt_nfkc" if class_name == "NllbTokenizer" else "identity", (0, 1, 2, -1))
    write(folder, "sentencepiece.bpe.model", model)
    config = {"tokenizer_class": class_name, "src_lang": source, "tgt_lang": target, "model_max_length": 64}
    config.update(extra_config or {})
    write(folder, "tokenizer_config.json", config)
    vocab = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)] + pieces[3:]
    vocab += [(code, 0.0) for code in codes] + [("<mask>", 0.0)]
    specials = [added(t, i) for i, t in enumerate(["<s>", "<pad>", "</s>", "<unk>"])]
    specials += [added(code, 1 + size + i) for i, code in enumerate(codes)]
    specials.append(added("<mask>", len(vocab) - 1, lstrip=True, normalized=True))
    template = ["$A", "</s>", source] if class_name == "MBartTokenizer" else [source, "$A", "</s>"]
    write(folder, "tokenizer.json", fast_tokenizer(vocab, 3, spm_normalizer(model), specials, template))


def m2m100(text, folder):
    """M2M100: pieces through vocab.json (specials first), __xx__ codes after it; no fast tokenizer."""
    size = VOCAB - len(M2M100_WMT21_CODES) + 3 - 4
    model, pieces = train(text, size, "identity", (0, 1, 2, -1))
    write(folder, "sentencepiece.bpe.model", model)
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for piece, _ in pieces[3:]:
        vocab[piece] = len(vocab)
    write(folder, "vocab.json", vocab)
    write(folder, "tokenizer_config.json", {"tokenizer_class": "M2M100Tokenizer", "language_codes": "wmt21",
                                            "src_lang": "en", "tgt_lang": "de", "model_max_length": 64})


def bytes_to_unicode():
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), 256))
    characters = printable[:]
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            characters.append(256 + extra)
            extra += 1
    return {byte: chr(character) for byte, character in zip(printable, characters)}


def learn_byte_level_bpe(lines, size):
    """GPT-2-style byte-level BPE on lower-case words: <s> <pad> </s> <unk>, the 50 commonest
    symbols, merges until `size` - 1 tokens, <mask> last."""
    table = bytes_to_unicode()
    words = collections.Counter()
    for line in lines:
        for word in line.lower().split():
            words["".join(table[b] for b in (" " + word).encode())] += 1
    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    symbol_counts = collections.Counter()
    for word, count in words.items():
        for symbol in word:
            symbol_counts[symbol] += count
    vocab = specials + [symbol for symbol, _ in symbol_counts.most_common(50)]
    kept = set(vocab)
    segmented = {word: list(word) for word in words}
    merges = []
    while len(vocab) < size - 1:
        pairs = collections.Counter()
        for word, count in words.items():
            symbols = segmented[word]
            for a, b in zip(symbols, symbols[1:]):
                if a in kept and b in kept:
                    pairs[a, b] += count
        if not pairs:
            break
        (a, b), _ = pairs.most_common(1)[0]
        merges.append((a, b))
        vocab.append(a + b)
        kept.add(a + b)
        for word, symbols in segmented.items():
            if a not in symbols:
                continue
            merged, i = [], 0
            while i < len(symbols):
                if i + 1 < len(symbols) and symbols[i] == a and symbols[i + 1] == b:
                    merged.append(a + b)
                    i += 2
                else:
                    merged.append(symbols[i])
                    i += 1
            segmented[word] = merged
    vocab.append("<mask>")
    return vocab, merges


def write_bart_folder(folder, vocab, merges):
    """vocab.json + merges.txt + tokenizer.json as BartTokenizer(Fast) reads them."""
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ids = {token: i for i, token in enumerate(vocab)}
    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    (folder / "vocab.json").write_text(json.dumps(ids, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (folder / "merges.txt").write_text("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges), encoding="utf-8")
    (folder / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": "BartTokenizer",
                                                              "model_max_length": 64}) + "\n")
    byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [added(t, ids[t]) for t in specials] + [added("<mask>", ids["<mask>"], lstrip=True,
                                                                      normalized=True)],
        "normalizer": None, "pre_tokenizer": byte_level,
        "post_processor": {"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0], "trim_offsets": True,
                           "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": "",
                  "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": ids, "merges": [f"{a} {b}" for a, b in merges]}}
    (folder / "tokenizer.json").write_text(json.dumps(tokenizer, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def bart():
    lines = (ROOT / "data/multi30k/test_2016_flickr.en").read_text(encoding="utf-8").splitlines()
    write_bart_folder(TINY / "bart", *learn_byte_level_bpe(lines, VOCAB))


def main():
    text = corpus()
    t5(text, "t5_original", legacy=True)
    t5(text, "t5_v1_1", legacy=False)
    fairseq(text, "mbart", "MBartTokenizer", MBART_CODES, "en_XX", "de_DE")
    link_weights("mbart50", "mbart")
    fairseq(text, "mbart50", "MBart50Tokenizer", MBART50_CODES, "en_XX", "de_DE")
    fairseq(text, "m2m100_nllb", "NllbTokenizer", NLLB_CODES, "eng_Latn", "deu_Latn",
            {"additional_special_tokens": NLLB_CODES, "legacy_behaviour": False})
    link_weights("m2m100", "m2m100_nllb")
    m2m100(text, "m2m100")
    bart()
    os.remove(text)


if __name__ == "__main__":
    main()
