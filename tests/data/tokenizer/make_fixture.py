#!/usr/bin/env python3
"""Writes m30k_rows.jsonl: 50 rows per direction from ../shared/refs/m30k-mul-marian, the rows
with unusual whitespace first, then evenly spaced ones. Run from the repository root:
    python3 tests/data/tokenizer/make_fixture.py [REFS_DIR]"""
import json
import pathlib
import sys

ROWS_PER_DIRECTION = 50
TAGS = {"de": ">>deu<<", "fr": ">>fra<<", "cs": ">>ces<<", "en": ">>eng<<"}

refs = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/refs/m30k-mul-marian")
out = pathlib.Path(__file__).with_name("m30k_rows.jsonl")
with out.open("w", encoding="utf-8") as sink:
    for path in sorted(refs.glob("test_2016_flickr.*.json")):
        reference = json.loads(path.read_text(encoding="utf-8"))
        rows = reference["rows"]
        def unusual(row):
            return any(text != text.strip() or "  " in text for text in (row["src"], row["beam4"]))
        picked = [i for i, row in enumerate(rows) if unusual(row)][:10]
        step = len(rows) // (ROWS_PER_DIRECTION - len(picked))
        picked += [i for i in range(0, len(rows), step) if i not in picked][: ROWS_PER_DIRECTION - len(picked)]
        for i in sorted(picked):
            row = rows[i]
            sink.write(json.dumps({
                "direction": f"{reference['src_lang']}-{reference['tgt_lang']}", "row": i,
                "tag": TAGS[reference["tgt_lang"]], "src": row["src"], "src_ids": row["src_ids"],
                "beam4_ids": row["beam4_ids"], "beam4": row["beam4"]}, ensure_ascii=False) + "\n")
print(out, out.stat().st_size, "bytes")
