#!/usr/bin/env bash
# Sets up (Debian packages, Python reference packages), builds and runs the whole test suite:
# a release build, then the same suite under AddressSanitizer + UndefinedBehaviorSanitizer,
# then the parser fuzzers for a bounded time.
set -euo pipefail
cd "$(dirname "$0")/.."
installer/install-deps.sh --test
export QT_QPA_PLATFORM=offscreen
python=$PWD/build/.venv/bin/python
jobs=$(nproc)

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCSTUDIO_WERROR=ON -DCSTUDIO_PYTHON="$python"
cmake --build build -j "$jobs"
(cd build && ctest --output-on-failure -j "$jobs")

if [ "${CSTUDIO_SKIP_SANITIZERS:-0}" != 1 ]; then
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCSTUDIO_SANITIZE=ON -DCSTUDIO_CUDA=OFF \
        -DCSTUDIO_PYTHON="$python"
  cmake --build build-asan -j "$jobs"
  (cd build-asan && ASAN_OPTIONS=detect_leaks=0 ctest --output-on-failure -j "$jobs")
fi
if [ -x tests/fuzz/run_fuzzers.sh ] && [ "${CSTUDIO_SKIP_FUZZ:-0}" != 1 ]; then
  tests/fuzz/run_fuzzers.sh "${CSTUDIO_FUZZ_SECONDS:-30}"
fi
