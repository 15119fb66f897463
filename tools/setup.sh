#!/usr/bin/env bash
# Installs crossmt's Debian build dependencies (only when missing), builds it into build/ and
# installs it (see below).
# Usage: tools/setup.sh [extra cmake arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config libdnnl-dev ocl-icd-opencl-dev opencl-c-headers
          libsentencepiece-dev sentencepiece libcli11-dev nlohmann-json3-dev catch2
          libcpp-httplib-dev libzip-dev libyaml-cpp-dev libicu-dev
          python3-dev python3-pybind11 pybind11-dev python3-numpy python3-pytest python3-pip
          python3-setuptools python3-wheel python3-dask python3-distributed)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  $sudo_cmd apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y "${missing[@]}"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build build -j "$(nproc)"

# libcrossmt, its headers, CMake package and pkg-config file, and the command, in
# $CROSSMT_INSTALL_PREFIX (default /usr/local; empty: not installed).
prefix=${CROSSMT_INSTALL_PREFIX-/usr/local}
if [ -n "$prefix" ]; then
  $sudo_cmd cmake --install build --prefix "$prefix" > build/install.log
  $sudo_cmd ldconfig
fi

# The Python package (python/), installed for this machine's python3 interpreters.
if [ -x python/install.sh ]; then python/install.sh build; fi

