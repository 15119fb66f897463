#!/bin/sh
# Throughput of `crossmt serve` with dynamic batching on and off: 1, 8, 32 and 128 concurrent
# clients sending single sentences of test_2016_flickr.en (en->de, the model's beam 4). Both
# servers run side by side and the levels alternate between them (on, off, on, off, ...), so a
# change in the machine's load hits both alike.
#   tools/serve_bench.sh [SECONDS_PER_LEVEL] [extra `crossmt serve` options...]
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-10}
[ $# -gt 0 ] && shift
work=$(mktemp -d)
start_server() {  # $1 = name, then crossmt serve options
  name=$1
  shift
  build/crossmt serve --port 0 "$@" 2>"$work/$name.log" &
  echo $! >"$work/$name.pid"
  port=""
  while [ -z "$port" ]; do
    sleep 0.2
    port=$(sed -n 's/.*"event":"listening".*"port":\([0-9]*\).*/\1/p' "$work/$name.log")
  done
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.2; done
  echo "$port" >"$work/$name.port"
}
start_server on "$@"
start_server off --no-batching "$@"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); crossmt serve options: $*"
header=true
for clients in 1 8 32 128; do
  for mode in on off; do
    build/serve_bench --port "$(cat "$work/$mode.port")" --seconds "$seconds" --clients "$clients" \
      -i data/multi30k/test_2016_flickr.en --label "$mode" --header "$header"
    header=false
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in on off; do
  kill -TERM "$(cat "$work/$mode.pid")"
  wait "$(cat "$work/$mode.pid")" || true
done
rm -rf "$work"
