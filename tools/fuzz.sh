#!/usr/bin/env bash
# Builds crossmt's libFuzzer targets (tests/fuzz/*.cpp) with clang-14 into build-fuzz/ and runs each
# for SECONDS, FUZZ_JOBS targets at a time (default 2), starting from the seed corpus
# tests/fuzz/corpus/<target>/ (read only; new inputs go to build-fuzz/corpus/<target>/).
# Needs: apt-get install clang-14 libclang-rt-14-dev. Not part of CI.
# Usage: tools/fuzz.sh SECONDS [target...]      (default: every target)
# Logs: build-fuzz/logs/<target>.log; crash reproducers: build-fuzz/artifacts/<target>-crash-*
# (replay one with: build-fuzz/<target> FILE). Exit status 1 when any target found something.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: tools/fuzz.sh SECONDS [target...]}
shift
jobs=${FUZZ_JOBS:-2}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for source in tests/fuzz/*.cpp; do targets+=("$(basename "$source" .cpp)"); done
fi

CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCROSSMT_FUZZ=ON -DCROSSMT_BUILD_TESTS=OFF >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target "${targets[@]}"

mkdir -p build-fuzz/logs build-fuzz/artifacts
run_one() {
  local target=$1
  mkdir -p "build-fuzz/corpus/$target"
  if build-fuzz/"$target" "build-fuzz/corpus/$target" "tests/fuzz/corpus/$target" \
       -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
       -artifact_prefix="build-fuzz/artifacts/$target-" >"build-fuzz/logs/$target.log" 2>&1; then
    echo "$target: ok, $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "build-fuzz/logs/$target.log" | grep -o '[0-9]*$') executions"
  else
    echo "$target: FOUND A PROBLEM, see build-fuzz/logs/$target.log and build-fuzz/artifacts/$target-*"
    return 1
  fi
}

status=0
pids=()
for target in "${targets[@]}"; do
  run_one "$target" & pids+=($!)
  if [ ${#pids[@]} -ge "$jobs" ]; then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
exit $status
