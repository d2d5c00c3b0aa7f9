#!/bin/bash
# Packs the GPU test and benchmark binaries with the shared libraries the GPU machine may lack
# (Qt, ICU...) into one folder for gpu/run_on_device.sh. (The CLI links the GUI libraries for its
# PDF reports; `analyze` never opens a display.)
set -eu
build=${1:-build-cuda}
pack=${2:-devpack}
rm -rf "$pack" && mkdir -p "$pack/lib"
cp "$build/tests/test_cuda_analysis_engine" "$build/gpu/cstudio_gpu_bench" "$build/app/cstudio" "$pack/"
for lib in $(ldd "$build/tests/test_cuda_analysis_engine" "$build/gpu/cstudio_gpu_bench" "$build/app/cstudio" | awk '/=>/ {print $3}' | sort -u); do
  case "$(basename "$lib")" in libc.so*|libm.so*|libgcc_s*|libstdc++*|ld-linux*|libpthread*|libdl*|librt*) ;; *) cp -L "$lib" "$pack/lib/";; esac
done
