#!/usr/bin/env bash
# Writes the default model as a Marian .npz folder (crossmt convert --to marian) and checks that it
# translates all 1,000 lines of test_2016 en-de exactly as the HF folder does (ids and scores, beam 4
# and greedy). Then measures Marian's own semantics: the same folder without the crossmt-only
# `special:crossmt-pad-row:*` items, so that the decoder starts from a zero vector (what Marian and
# the HF conversion of a Marian-trained model do) instead of the default model's trained <pad> row.
# Usage: tools/check_marian_npz.sh [build-dir]      Exit status 1 when the exact copy differs.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
input=data/multi30k/test_2016_flickr.en
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$build/crossmt" convert --to marian models/m30k-mul-marian "$work/marian" >/dev/null
mkdir "$work/zero-start"
cp "$work/marian"/{source.spm,target.spm,vocab.yml,decoder.yml,generation_config.json} "$work/zero-start/"
python3 - "$work/marian/model.npz" "$work/zero-start/model.npz" <<'PY'
import sys, zipfile
source = zipfile.ZipFile(sys.argv[1])
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_STORED) as target:
    for item in source.infolist():
        if not item.filename.startswith("special:crossmt-pad-row:"):
            target.writestr(item, source.read(item.filename))
PY

compare() {  # label, expected jsonl, actual jsonl
  python3 - "$@" <<'PY'
import json, sys
label, a, b = sys.argv[1:4]
a = [json.loads(line) for line in open(a)]
b = [json.loads(line) for line in open(b)]
assert len(a) == len(b)
differ = sum(x["ids"] != y["ids"] for x, y in zip(a, b))
score = max(abs(x["score"] - y["score"]) for x, y in zip(a, b))
print(f"{label}: ids differ on {differ} / {len(a)} lines, max |score diff| {score:.3g}")
sys.exit(1 if differ else 0)
PY
}

status=0
for search in "beam 4:" "greedy:--beam-size 1"; do
  label=${search%%:*}
  options=${search#*:}
  "$build/crossmt" translate -m models/m30k-mul-marian --to de -i "$input" --format jsonl --quiet $options >"$work/hf.jsonl"
  "$build/crossmt" translate -m "$work/marian/model.npz" --to de -i "$input" --format jsonl --quiet $options >"$work/npz.jsonl"
  compare "Marian npz vs HF folder, $label" "$work/hf.jsonl" "$work/npz.jsonl" || status=1
  "$build/crossmt" translate -m "$work/zero-start" --to de -i "$input" --format jsonl --quiet $options >"$work/zero.jsonl"
  compare "zero-vector decoder start (Marian semantics) vs HF folder, $label" "$work/hf.jsonl" "$work/zero.jsonl" || true
done
exit $status
