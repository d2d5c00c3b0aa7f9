#!/usr/bin/env bash
# Sets up (Debian packages), builds and launches Compression Studio.
set -euo pipefail
cd "$(dirname "$0")/.."
installer/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build --target compression-studio cstudio
exec build/app/compression-studio "$@"
