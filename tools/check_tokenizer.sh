#!/usr/bin/env bash
# Checks the tokenizer on all 6,000 rows of the m30k references (6 directions x 1000 lines):
#  1. the library (build/check_tokenizer): encode(TAG + " " + src) == src_ids,
#     decode(beam4_ids) == beam4, decode(greedy_ids) == greedy, and each file's tokenizer_check;
#  2. the command line: `crossmt tokenize --to <tgt>` on the raw sources == src_ids.
# Prints mismatch counts per direction; exits non-zero on any mismatch.
#   tools/check_tokenizer.sh [REFS_DIR]   (default: ../shared/refs/m30k-mul-marian beside the repo)
# Environment: CROSSMT_BUILD_DIR (default: build/ in the repo), CROSSMT_MODEL_DIR (default model).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
refs=${1:-$repo/../shared/refs/m30k-mul-marian}
build=${CROSSMT_BUILD_DIR:-$repo/build}
model=${CROSSMT_MODEL_DIR:-$repo/models/m30k-mul-marian}
for binary in "$build/check_tokenizer" "$build/crossmt"; do
  [[ -x $binary ]] || { echo "error: $binary not built (cmake --build $build)" >&2; exit 2; }
done
[[ -d $refs ]] || { echo "error: no references folder $refs" >&2; exit 2; }

echo "== library: encode, decode (beam4, greedy), tokenizer_check"
library_status=0
"$build/check_tokenizer" "$refs" "$model" || library_status=$?

echo "== command line: crossmt tokenize --to <tgt>"
cli_status=0
python3 - "$refs" "$build/crossmt" "$model" <<'PY' || cli_status=$?
import json, pathlib, subprocess, sys
refs, binary, model = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]
total = 0
for path in sorted(refs.glob("test_2016_flickr.*.json")):
    reference = json.loads(path.read_text(encoding="utf-8"))
    rows = reference["rows"]
    source = "".join(row["src"] + "\n" for row in rows)
    run = subprocess.run([binary, "tokenize", "-m", model, "--to", reference["tgt_lang"]],
                         input=source.encode(), capture_output=True, check=False)
    lines = run.stdout.decode().splitlines()
    mismatches = sum(1 for row, line in zip(rows, lines) if line != " ".join(map(str, row["src_ids"])))
    mismatches += abs(len(lines) - len(rows)) + (run.returncode != 0)
    total += mismatches
    print(f"{reference['src_lang']}-{reference['tgt_lang']} (--to {reference['tgt_lang']}): "
          f"{len(rows)} rows, src_ids mismatches {mismatches}")
print(f"total: {total} mismatches")
sys.exit(1 if total else 0)
PY

if (( library_status != 0 || cli_status != 0 )); then
  echo "FAILED"
  exit 1
fi
echo "OK"
