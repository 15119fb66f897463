#!/usr/bin/env bash
# The installed package as a user meets it: `cmake --install` into a scratch prefix, then
# examples/cpp built against that tree with find_package(crossmt) and with pkg-config, and run;
# the installed `crossmt` command with its installed default model; only public headers and
# public symbols installed.
# Usage: tests/install_example.sh BUILD_DIR SOURCE_DIR SCRATCH_DIR
set -euo pipefail
build=$1 source=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" > "$work/install.log"

for header in translator.h crossmt.h error.h search_options.h; do
  test -f "$prefix/include/crossmt/$header" || { echo "missing installed header $header"; exit 1; }
done
for internal in model.h ops.h tokenizer.h config.h; do
  test ! -e "$prefix/include/crossmt/$internal" || { echo "internal header $internal was installed"; exit 1; }
done
library=$(find "$prefix" -name 'libcrossmt.so' -o -name 'libcrossmt.a' | head -n 1)
if [[ $library == *.so ]]; then
  leaked=$(nm -D --defined-only "$library" | grep -ciE 'dnnl|sentencepiece|nlohmann' || true)
  [ "$leaked" = 0 ] || { echo "libcrossmt.so exports $leaked oneDNN/SentencePiece/json symbols"; exit 1; }
fi

model=$prefix/share/crossmt/models/m30k-mul-marian
(cd "$work" && env -u CROSSMT_MODEL_DIR "$prefix/bin/crossmt" inspect) | grep -q "^path: *$model\$" ||
  { echo "the installed crossmt does not default to its installed model"; exit 1; }
expected=$(printf 'A man is riding a bike.\nTwo dogs play in the snow.\n' |
           (cd "$work" && env -u CROSSMT_MODEL_DIR "$prefix/bin/crossmt" translate --to de))
echo "installed crossmt, default model:"
echo "$expected"

check_example() {  # the example's first two lines are the translations, then the alignment
  local output
  output=$("$1" "$model")
  echo "$output"
  [ "$(head -n 2 <<< "$output")" = "$expected" ] || { echo "$1: translations differ from crossmt translate"; exit 1; }
  grep -q '^alignment: [0-9]*-[0-9]' <<< "$output" || { echo "$1: no alignment"; exit 1; }
}

cmake -S "$source/examples/cpp" -B "$work/example" -DCMAKE_PREFIX_PATH="$prefix" > "$work/configure.log"
cmake --build "$work/example" > "$work/build.log"
check_example "$work/example/translate_example"

export PKG_CONFIG_PATH=$(dirname "$(find "$prefix" -name crossmt.pc)")
link_flags=(--libs)
[[ $library == *.a ]] && link_flags=(--static --libs)  # a static library brings its dependencies
# shellcheck disable=SC2046
"${CXX:-c++}" -std=c++17 "$source/examples/cpp/translate_example.cpp" -o "$work/translate_example_pkgconfig" \
  $(pkg-config --cflags "${link_flags[@]}" crossmt) -Wl,-rpath,"$(pkg-config --variable=libdir crossmt)"
check_example "$work/translate_example_pkgconfig"
echo "installed package: OK"
