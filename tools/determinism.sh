#!/usr/bin/env bash
# Determinism check: translates the first LINES lines (default 300) of
# data/multi30k/test_2016_flickr.en to German with beam 4 under several settings and counts the
# output lines that differ from the reference run (--threads 2, default batching). Output is jsonl,
# so a difference in a score's last printed digit counts, not only in the text.
# Settings: a second identical run, --threads 1, --batch-size 1, 8 and 64.
# Usage: tools/determinism.sh [LINES]    (CROSSMT=path/to/crossmt to test another binary,
#        COMPUTE_TYPE=int8 to check the int8 path)
# Exit status 1 when any line differs.
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-300}
crossmt=${CROSSMT:-build/crossmt}
compute_type=${COMPUTE_TYPE:-float32}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -n "$lines" data/multi30k/test_2016_flickr.en >"$work/input.en"

run() {  # name, extra arguments...
  local name=$1
  shift
  "$crossmt" translate --to de --beam-size 4 --format jsonl --quiet --compute-type "$compute_type" \
    -i "$work/input.en" -o "$work/$name.jsonl" "$@"
}

start=$SECONDS
run reference --threads 2
status=0
printf '%-22s %s\n' "setting" "lines differing from --threads 2 (of $lines)"
for setting in "rerun:--threads 2" "threads-1:--threads 1" "batch-size-1:--threads 2 --batch-size 1" \
               "batch-size-8:--threads 2 --batch-size 8" "batch-size-64:--threads 2 --batch-size 64"; do
  name=${setting%%:*}
  read -r -a arguments <<<"${setting#*:}"
  run "$name" "${arguments[@]}"
  # jsonl escapes tabs inside strings, so a tab can join the two files' lines.
  differing=$(paste -d '\t' "$work/reference.jsonl" "$work/$name.jsonl" | awk -F '\t' '$1 != $2' | wc -l)
  [ "$(wc -l <"$work/$name.jsonl")" -eq "$lines" ] || { echo "$name: wrong line count"; status=1; }
  printf '%-22s %s\n' "$name" "$differing"
  [ "$differing" -eq 0 ] || status=1
done
echo "($((SECONDS - start)) s)"
exit $status
