#!/usr/bin/env python3
"""crossmt on a CTranslate2 model folder against CTranslate2's own outputs for the same inputs.

Inputs are CTranslate2-style token files (one sentence per line, pieces separated by spaces, as
given to ct2-translator --src); references are ct2-translator's --out files (target pieces). The
pieces are mapped to ids with the model's vocabulary, translated by `crossmt translate --ids-in`,
and the output ids mapped back to pieces. Prints and returns (as JSON) how many lines are equal.

  tools/compare_ctranslate2_outputs.py MODEL SRC.pieces REF.pieces [crossmt options...]
e.g. --beam-size 1 --compute-type int8. With TEXT_OUT=FILE, crossmt's outputs are also written
there as text (pieces joined, U+2581 as spaces, as Argos Translate detokenizes). Not part of the test suite: it needs CTranslate2's outputs,
which need CTranslate2 (see tools/convert_to_ctranslate2.py).
"""
import json
import os
import subprocess
import sys


def vocabulary(model):
    for name in ("shared_vocabulary.json", "target_vocabulary.json"):
        path = os.path.join(model, name)
        if os.path.exists(path):
            target = json.load(open(path, encoding="utf-8"))
            source_path = os.path.join(model, "source_vocabulary.json")
            source = json.load(open(source_path, encoding="utf-8")) if name.startswith("target") else target
            return source, target
    sys.exit(f"{model}: no JSON vocabulary")


def main():
    model, source_file, reference_file, *options = sys.argv[1:]
    crossmt = os.environ.get("CROSSMT", os.path.join(os.path.dirname(__file__), "..", "build", "crossmt"))
    source_vocab, target_vocab = vocabulary(model)
    ids = {piece: i for i, piece in reversed(list(enumerate(source_vocab)))}
    unk = ids["<unk>"]
    lines = [" ".join(str(ids.get(p, unk)) for p in line.split()) for line in open(source_file, encoding="utf-8")]
    run = subprocess.run([crossmt, "translate", "-m", model, "--ids-in", "--format", "jsonl", "--quiet", *options],
                         input="\n".join(lines) + "\n", capture_output=True, text=True, check=True)
    eos = target_vocab.index("</s>")
    outputs = []
    for record in map(json.loads, run.stdout.splitlines()):
        hypothesis = [i for i in record["ids"] if i != eos]
        outputs.append(" ".join(target_vocab[i] for i in hypothesis))
    references = [line.rstrip("\n") for line in open(reference_file, encoding="utf-8")]
    if os.environ.get("TEXT_OUT"):
        with open(os.environ["TEXT_OUT"], "w", encoding="utf-8") as out:
            for pieces in outputs:
                out.write(pieces.replace(" ", "").replace("\u2581", " ").strip() + "\n")
    equal = sum(a == b for a, b in zip(outputs, references))
    result = {"model": model, "source": source_file, "reference": reference_file, "options": options,
              "lines": len(references), "equal": equal, "equal_share": equal / max(len(references), 1)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
