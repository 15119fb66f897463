#!/usr/bin/env bash
# The standard speed matrix of `crossmt bench` on test_2016_flickr en->de:
#   {float32, int8} x {beam 4 batch 32, greedy batch 32, greedy batch 1 on the first 200 lines}
#   x {1, 2 threads}
# One JSON report per run goes into OUT_DIR (default build/bench/), and a summary table to stdout.
# Benchmark on a quiet machine: the load average is printed beside every row.
#
# Usage: tools/bench.sh [OUT_DIR] [extra `crossmt bench` options, e.g. --repeat 5]
# Environment: CROSSMT (the binary, default build/crossmt), BENCH_INPUT (the source file).
set -euo pipefail
cd "$(dirname "$0")/.."
out_dir=${1:-build/bench}
shift || true
crossmt=${CROSSMT:-build/crossmt}
input=${BENCH_INPUT:-data/multi30k/test_2016_flickr.en}
[ -x "$crossmt" ] || cmake --build build --target crossmt
mkdir -p "$out_dir"

runs=(
  "beam4_batch32 --beam-size 4 --batch-size 32"
  "greedy_batch32 --beam-size 1 --batch-size 32"
  "greedy_batch1 --beam-size 1 --batch-size 1 --limit 200"
)
for compute_type in float32 int8; do
  for threads in 1 2; do
    for run in "${runs[@]}"; do
      read -r name options <<<"$run"
      json="$out_dir/${compute_type}_${name}_t${threads}.json"
      echo "== $compute_type $name, $threads thread(s): $crossmt bench -i $input --to de $options" \
           "--threads $threads --compute-type $compute_type $*" >&2
      # shellcheck disable=SC2086  # $options holds several words on purpose
      "$crossmt" bench -i "$input" --to de $options --threads "$threads" --compute-type "$compute_type" \
        --json "$json" "$@" >&2
    done
  done
done

# The summary, one row per report, read back from the JSON files.
python3 - "$out_dir" <<'EOF'
import glob, json, os, sys
rows = []
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*_t[0-9]*.json"))):
    with open(path) as f:
        r = json.load(f)
    s = r["split_s"]
    total = r["median_s"] or 1.0
    pct = lambda k: 100.0 * s[k] / total
    rows.append((os.path.basename(path)[:-5], r["threads"], r["sentences"], r["median_s"], r["target_tokens_per_s"],
                 r["source_tokens_per_s"], r["sentences_per_s"], r.get("target_tokens_per_cpu_s", 0.0), r["peak_rss_mib"],
                 pct("encoder"), pct("decoder_steps"), pct("search"), " ".join("%.2f" % x for x in r["load_average_before"]),
                 " ".join("%.2f" % x for x in r["load_average_after"]), 100.0 * r.get("padding_ratio", 0.0)))
print("%-28s %3s %5s %9s %9s %9s %8s %11s %7s %5s %5s %6s  %-16s %-16s %5s" % ("run", "thr", "sent", "median_s",
      "tgt_tok/s", "src_tok/s", "sent/s", "tgt_tok/cpu", "rss_MiB", "enc%", "dec%", "srch%", "load before", "load after", "pad%"))
for row in rows:
    print("%-28s %3d %5d %9.3f %9.1f %9.1f %8.2f %11.1f %7.1f %5.1f %5.1f %6.1f  %-16s %-16s %5.1f" % row)
EOF
