#!/usr/bin/env python3
"""Tokenization speed of `crossmt tokenize` on 10,000 lines (data/multi30k test_2016 en/de/fr/cs,
repeated), median of several runs, written as JSON: the default Marian model (SentencePiece), a
byte-level BPE with 2,000 merges learned here on the same text (slow vocab.json + merges.txt and
its tokenizer.json), and the tiny T5 / NLLB tokenizers (slow and tokenizer.json).
Usage: python3 tools/bench_tokenizers.py [--crossmt build/crossmt] [--runs 5] [--json FILE]"""
import argparse
import importlib.util
import json
import os
import pathlib
import statistics
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
LINES = 10_000


def load_fixture_maker():
    spec = importlib.util.spec_from_file_location("make_tokenizers", ROOT / "tests/data/tiny-archs/make_tokenizers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--crossmt", default=str(ROOT / "build/crossmt"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", default="")
    arguments = parser.parse_args()

    text = []
    for language in ("en", "de", "fr", "cs"):
        text += (ROOT / f"data/multi30k/test_2016_flickr.{language}").read_text(encoding="utf-8").splitlines()
    lines = (text * (LINES // len(text) + 1))[:LINES]
    work = pathlib.Path(tempfile.mkdtemp(prefix="crossmt-bench-tokenizers-"))
    (work / "lines.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    maker = load_fixture_maker()
    maker.write_bart_folder(work / "bpe2000", *maker.learn_byte_level_bpe(text, 2_000 + 55))

    cases = [("marian (SentencePiece), default model", ROOT / "models/m30k-mul-marian", "auto", ["--to", "de"]),
             ("byte-level BPE, 2,000 merges, vocab.json + merges.txt", work / "bpe2000", "slow", []),
             ("byte-level BPE, 2,000 merges, tokenizer.json", work / "bpe2000", "fast", []),
             ("T5 (SentencePiece unigram), spiece.model", ROOT / "tests/data/tiny-archs/t5_original", "slow", []),
             ("T5, tokenizer.json (Precompiled + Metaspace + Unigram)", ROOT / "tests/data/tiny-archs/t5_original",
              "fast", []),
             ("NLLB, sentencepiece.bpe.model", ROOT / "tests/data/tiny-archs/m2m100_nllb", "slow",
              ["--from", "en", "--to", "de"]),
             ("NLLB, tokenizer.json", ROOT / "tests/data/tiny-archs/m2m100_nllb", "fast",
              ["--from", "en", "--to", "de"])]
    results = []
    for name, folder, files, extra in cases:
        seconds = []
        for _ in range(arguments.runs):
            with open(work / "lines.txt", "rb") as source:
                start = time.perf_counter()
                subprocess.run([arguments.crossmt, "tokenize", "-m", str(folder), "--files", files, *extra],
                               stdin=source, stdout=subprocess.DEVNULL, check=True)
                seconds.append(time.perf_counter() - start)
        median = statistics.median(seconds)
        results.append({"tokenizer": name, "lines": LINES, "runs": arguments.runs, "median_s": round(median, 4),
                        "lines_per_s": round(LINES / median), "us_per_line": round(median / LINES * 1e6, 1)})
        print(f"{name:60s} {median:7.3f} s  {LINES / median:9.0f} lines/s  {median / LINES * 1e6:6.1f} us/line")
    report = {"tool": "tools/bench_tokenizers.py", "note": "whole process: load + tokenize + print, one thread",
              "results": results}
    if arguments.json:
        pathlib.Path(arguments.json).write_text(json.dumps(report, indent=2) + "\n")
    for path in sorted(work.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    work.rmdir()


if __name__ == "__main__":
    main()
