#!/usr/bin/env python3
"""Writes the search and BLEU fixtures of the test suite from ../shared/refs/m30k-mul-marian:
tests/data/search/test_2016_flickr.en-de.100.jsonl  first 100 rows: src_ids, greedy_ids, beam4_ids, beam4_score
tests/data/bleu/test_2016_flickr.en-de.jsonl       all 1,000 rows: beam4 text and reference, plus
                                                   sacreBLEU's corpus score in the first line
Usage: tools/make_search_fixtures.py [refs_dir]"""
import json, os, sys

refs = sys.argv[1] if len(sys.argv) > 1 else "../shared/refs/m30k-mul-marian"
data = json.load(open(f"{refs}/test_2016_flickr.en-de.json"))
os.makedirs("tests/data/search", exist_ok=True)
os.makedirs("tests/data/bleu", exist_ok=True)
with open("tests/data/search/test_2016_flickr.en-de.100.jsonl", "w") as out:
    for row in data["rows"][:100]:
        out.write(json.dumps({k: row[k] for k in ("src_ids", "greedy_ids", "beam4_ids", "beam4_score")}) + "\n")
score = next(s for s in data["scores"] if s["src"] == "en" and s["tgt"] == "de")
with open("tests/data/bleu/test_2016_flickr.en-de.jsonl", "w") as out:
    out.write(json.dumps({"sacrebleu_bleu_beam4": score["bleu_beam4"]}) + "\n")
    for row in data["rows"]:
        out.write(json.dumps({"hypothesis": row["beam4"], "reference": row["ref"]}, ensure_ascii=False) + "\n")
