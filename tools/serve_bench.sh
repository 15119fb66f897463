#!/bin/sh
# Throughput of `crossmt serve` with dynamic batching on and off: 1, 8, 32 and 128 concurrent
# clients sending single sentences of test_2016_flickr.en (en->de, the model's beam 4).
#   tools/serve_bench.sh [SECONDS_PER_LEVEL] [extra `crossmt serve` options...]
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-10}
[ $# -gt 0 ] && shift
log=$(mktemp)
for mode in on off; do
  flags=""
  [ "$mode" = off ] && flags="--no-batching"
  # shellcheck disable=SC2086
  build/crossmt serve --port 0 $flags "$@" 2>"$log" &
  server=$!
  port=""
  while [ -z "$port" ]; do
    sleep 0.2
    port=$(sed -n 's/.*"event":"listening".*"port":\([0-9]*\).*/\1/p' "$log")
  done
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.2; done
  echo "batching $mode ($*)"
  build/serve_bench --port "$port" --seconds "$seconds" --clients 1,8,32,128 -i data/multi30k/test_2016_flickr.en
  kill -TERM "$server"
  wait "$server"
done
rm -f "$log"
