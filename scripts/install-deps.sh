#!/usr/bin/env bash
# Installs the Debian packages journeygraph needs, if any is missing. Idempotent and quick when all are
# present. On a fresh Debian 12 machine run as root (CI does); otherwise prints the apt command to run.
set -euo pipefail

PACKAGES=(
  cmake g++ ninja-build pkg-config make
  libeigen3-dev libboost-graph-dev catch2 nlohmann-json3-dev
  pybind11-dev python3-pybind11 python3-dev python3-venv python3-pip python3-setuptools python3-wheel
  python3-numpy python3-pandas python3-pytest python3-dask python3-distributed python3-tqdm python3-psutil
  python3-nbclient python3-ipykernel jupyter-nbconvert python3-matplotlib graphviz
  valgrind clang-14 libclang-rt-14-dev chromium
  r-base-core r-cran-testthat r-cran-jsonlite
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: not root; run: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
