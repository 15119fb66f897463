#!/usr/bin/env bash
# crossmt and CTranslate2 side by side on the same machine, model and input: the standard matrix
# {float32, int8} x {beam 4 batch 32, greedy batch 32, greedy batch 1 on the first 200 lines}
# x {1, 2 threads}, REPEAT runs of each engine, interleaved so that both see the same load.
#
# Both engines run as a user runs them (model loading included, a few hundred ms for either),
# timed by /usr/bin/time, which also gives the peak RSS. tok/s counts generated ids with EOS.
# Writes one JSON line per run to OUT (default build/compare_ctranslate2.jsonl) and prints the
# medians. COMPUTE_TYPES="int8" (say) runs a part of the matrix.
#
# CTranslate2 is not part of crossmt: build it elsewhere (e.g. /tmp), convert the model folder
# with its Python specs, and point the script at both:
#   CT2_TRANSLATOR=/tmp/ct2/build/cli/ct2-translator CT2_MODEL=/tmp/ct2model tools/compare_ctranslate2.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CT2_TRANSLATOR:?path of the ct2-translator binary of CTranslate2}"
: "${CT2_MODEL:?folder of the converted CTranslate2 model}"
crossmt=${CROSSMT:-build/crossmt}
input=${BENCH_INPUT:-data/multi30k/test_2016_flickr.en}
repeat=${REPEAT:-3}
out=${OUT:-build/compare_ctranslate2.jsonl}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp "$input" "$work/all.txt"
head -200 "$input" >"$work/first200.txt"
for part in all first200; do
  "$crossmt" tokenize --pieces --to de <"$work/$part.txt" >"$work/$part.tok"
done

: >"$out"
record() {  # engine compute threads run seconds rss_kb tokens
  python3 - "$@" >>"$out" <<'PY'
import json, sys
engine, compute, threads, run, seconds, rss_kb, tokens = sys.argv[1:]
print(json.dumps({"engine": engine, "compute_type": compute, "threads": int(threads), "run": run,
                  "seconds": float(seconds), "peak_rss_mb": int(rss_kb) / 1000, "tokens": int(tokens),
                  "tokens_per_s": int(tokens) / float(seconds), "load": open("/proc/loadavg").read().split()[0]}))
PY
}

runs=("beam4_batch32 4 32 all" "greedy_batch32 1 32 all" "greedy_batch1 1 1 first200")
for compute in ${COMPUTE_TYPES:-float32 int8}; do
  for threads in 1 2; do
    for run in "${runs[@]}"; do
      read -r name beam batch part <<<"$run"
      for _ in $(seq "$repeat"); do
        /usr/bin/time -f "%e %M" -o "$work/time" "$CT2_TRANSLATOR" --model "$CT2_MODEL" --src "$work/$part.tok" \
          --out "$work/ct2.out" --beam_size "$beam" --batch_size "$batch" --intra_threads "$threads" \
          --compute_type "$compute" --max_decoding_length 256 >/dev/null 2>&1
        read -r seconds rss <"$work/time"
        tokens=$(( $(wc -w <"$work/ct2.out") + $(wc -l <"$work/ct2.out") ))  # pieces + one EOS per line
        record ctranslate2 "$compute" "$threads" "$name" "$seconds" "$rss" "$tokens"

        /usr/bin/time -f "%e %M" -o "$work/time" "$crossmt" translate --quiet --to de -i "$work/$part.txt" \
          --beam-size "$beam" --batch-size "$batch" --threads "$threads" --compute-type "$compute" \
          --format jsonl >"$work/crossmt.out"
        read -r seconds rss <"$work/time"
        tokens=$(python3 -c 'import json,sys; print(sum(len(json.loads(l)["ids"]) for l in open(sys.argv[1])))' \
                 "$work/crossmt.out")
        record crossmt "$compute" "$threads" "$name" "$seconds" "$rss" "$tokens"
      done
    done
  done
done

python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
keys = sorted({(r["compute_type"], r["threads"], r["run"]) for r in rows})
print("%-8s %3s %-15s | %9s %9s %8s | %9s %9s %8s | %7s" % ("compute", "thr", "run", "ct2 s", "ct2 tok/s",
      "ct2 MB", "crossmt s", "tok/s", "MB", "speedup"))
for compute, threads, run in keys:
    def med(engine, field):
        return statistics.median(r[field] for r in rows
                                 if (r["engine"], r["compute_type"], r["threads"], r["run"]) == (engine, compute, threads, run))
    ct2_s, cm_s = med("ctranslate2", "seconds"), med("crossmt", "seconds")
    print("%-8s %3d %-15s | %9.2f %9.1f %8.1f | %9.2f %9.1f %8.1f | %6.2fx" % (
        compute, threads, run, ct2_s, med("ctranslate2", "tokens_per_s"), med("ctranslate2", "peak_rss_mb"),
        cm_s, med("crossmt", "tokens_per_s"), med("crossmt", "peak_rss_mb"), ct2_s / cm_s))
PY
