#!/usr/bin/env bash
# Installs the crossmt Python package built in BUILD_DIR/python/crossmt (default: build) for
# Debian's /usr/bin/python3 and for the python3 first on PATH when that is another interpreter
# of the same ABI. Offline (files are copied, no package index) and idempotent: an earlier
# install is replaced. Usage: python/install.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
package_dir=$build_dir/python/crossmt
if ! compgen -G "$package_dir/_crossmt*.so" > /dev/null; then
  echo "error: no built module in $package_dir (build first: cmake --build $build_dir)" >&2
  exit 2
fi

# The interpreter that cmake built against must take it; another one only when its ABI matches.
declare -A seen=()
status=0
for interpreter in /usr/bin/python3 "$(command -v python3 || true)"; do
  [ -n "$interpreter" ] && [ -x "$interpreter" ] || continue
  executable=$("$interpreter" -c 'import os, sys; print(os.path.realpath(sys.executable))')
  [ -z "${seen[$executable]:-}" ] || continue
  seen[$executable]=1
  required=--optional
  [ "$interpreter" = /usr/bin/python3 ] && required=--required
  "$interpreter" python/install.py "$package_dir" "$required" || status=$?
done
exit $status
